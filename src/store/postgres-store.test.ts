// The store contract against a real PostgreSQL server started for this file (test/store/pg-server.ts).
// Without server binaries the file skips locally; under CI=true it fails instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createDatabase, pgUnavailable, startPgServer, type PgServer } from '../../test/store/pg-server.js';
import { openPostgresStore } from './postgres-store.js';
import { numberPlaceholders } from './sql-driver.js';
import { storeContract, type StoreFixture } from './store.case.js';

const unavailable = pgUnavailable();

if (unavailable) {
  describe('PostgreSQL store contract', () => {
    it.skip(unavailable, () => undefined);
  });
} else {
  let server: PgServer;
  let n = 0;
  beforeAll(async () => {
    server = await startPgServer();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  // Each contract test gets its own database, copied from one migrated template (cheaper than
  // migrating each; the migration itself is tested on empty databases below).
  let template: Promise<string> | undefined;
  async function migratedTemplate(): Promise<string> {
    const name = `template_${process.pid}`;
    const url = await createDatabase(server, name);
    await (await openPostgresStore({ connectionString: url, maxConnections: 1 })).close();
    return name;
  }

  async function postgresFixture(): Promise<StoreFixture> {
    template ??= migratedTemplate();
    const url = await createDatabase(server, `contract_${process.pid}_${++n}`, await template);
    return {
      open: (options) => openPostgresStore({ ...options, connectionString: url, maxConnections: 4 }),
      async exec(sql, params = []) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(numberPlaceholders(sql), params);
        } finally {
          await client.end();
        }
      },
      async dispose() {
        // The server and its databases go away together in afterAll.
      },
    };
  }

  storeContract('PostgreSQL', postgresFixture);

  describe('PostgreSQL store', () => {
    it('instances opening an empty database at once apply each migration exactly once', async () => {
      const url = await createDatabase(server, `race_${process.pid}`);
      const stores = await Promise.all([1, 2, 3].map((i) => openPostgresStore({ connectionString: url, instanceId: `i${i}`, maxConnections: 2 })));
      try {
        await Promise.all(stores.map((s, i) => s.appendAudit({ type: 'instance.started', actor: { type: 'component', id: `i${i}` }, success: true })));
        expect(await stores[0]!.verifyAuditChain()).toMatchObject({ ok: true, count: 3 });
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        expect((await client.query('SELECT version FROM schema_migrations')).rows).toEqual([{ version: 1 }]);
      } finally {
        await client.end();
      }
    });

    it('reports ERR_STORE_OPEN_FAILED when no server answers', async () => {
      const code = await openPostgresStore({ connectionString: 'postgres://payhook@127.0.0.1:1/payhook' }).then(
        () => 'opened',
        (e: { code?: string }) => e.code,
      );
      expect(code).toBe('ERR_STORE_OPEN_FAILED');
    });
  });
}
