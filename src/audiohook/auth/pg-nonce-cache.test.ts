// The shared replay cache against a real PostgreSQL server started for this file.
// Without server binaries the file skips locally; under CI=true it fails instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createDatabase, pgUnavailable, startPgServer, type PgServer } from '../../../test/store/pg-server.js';
import { NONCE_TABLE, PgNonceCache } from './pg-nonce-cache.js';

const unavailable = pgUnavailable();

describe.skipIf(unavailable !== undefined)('PostgreSQL nonce replay cache', () => {
  let server: PgServer;
  let url: string;
  let n = 0;
  beforeAll(async () => {
    server = await startPgServer();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  async function freshUrl(): Promise<string> {
    url = await createDatabase(server, `nonces_${process.pid}_${++n}`);
    return url;
  }

  it('accepts a nonce once and refuses it while it is live, across two instances', async () => {
    const dbUrl = await freshUrl();
    let now = 1_000_000;
    const a = await PgNonceCache.open({ connectionString: dbUrl, now: () => now });
    const b = await PgNonceCache.open({ connectionString: dbUrl, now: () => now });
    try {
      expect(await a.checkAndRemember('nonce-one-0123456789abcdef', now + 13_000)).toBe(true);
      expect(await b.checkAndRemember('nonce-one-0123456789abcdef', now + 13_000)).toBe(false);
      expect(await a.checkAndRemember('nonce-one-0123456789abcdef', now + 13_000)).toBe(false);
      expect(await b.checkAndRemember('nonce-two-0123456789abcdef', now + 13_000)).toBe(true);
      now += 14_000;
      // Past its expiry the signature itself is refused, so the nonce may be taken again.
      expect(await b.checkAndRemember('nonce-one-0123456789abcdef', now + 13_000)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('lets exactly one of many concurrent attempts with the same nonce win', async () => {
    const dbUrl = await freshUrl();
    const caches = await Promise.all([1, 2, 3].map(() => PgNonceCache.open({ connectionString: dbUrl })));
    try {
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => caches[i % 3]!.checkAndRemember('race-nonce-0123456789abcdef', Date.now() + 13_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all(caches.map((c) => c.close()));
    }
  });

  it('prunes expired nonces and keeps live ones', async () => {
    const dbUrl = await freshUrl();
    let now = 5_000_000;
    const cache = await PgNonceCache.open({ connectionString: dbUrl, now: () => now });
    try {
      await cache.checkAndRemember('old-nonce-0123456789abcdef', now + 1000);
      await cache.checkAndRemember('new-nonce-0123456789abcdef', now + 20_000);
      now += 5000;
      expect(await cache.prune()).toBe(1);
      const client = new pg.Client({ connectionString: dbUrl });
      await client.connect();
      const rows = (await client.query(`SELECT nonce FROM ${NONCE_TABLE}`)).rows as Array<{ nonce: string }>;
      await client.end();
      expect(rows.map((r) => r.nonce)).toEqual(['new-nonce-0123456789abcdef']);
    } finally {
      await cache.close();
    }
  });

  it('fails closed when the database is unreachable', async () => {
    const dbUrl = await freshUrl();
    const pool = new pg.Pool({ connectionString: dbUrl, max: 1 });
    const cache = await PgNonceCache.open({ pool });
    await pool.end();
    expect(await cache.checkAndRemember('any-nonce-0123456789abcdef', Date.now() + 13_000)).toBe(false);
    await cache.close();
  });
});

describe('PostgreSQL nonce replay cache: opening while another instance creates the table', () => {
  /** A pool whose CREATE TABLE fails with `code`, and whose catalog says the table exists or not. */
  function racingPool(code: string, tableExists: boolean) {
    const queries: string[] = [];
    const pool = {
      query: async (sql: string) => {
        queries.push(sql);
        if (sql.startsWith('CREATE TABLE')) throw Object.assign(new Error('race'), { code });
        return { rows: [{ t: tableExists ? NONCE_TABLE : null }], rowCount: 1 };
      },
      end: async () => undefined,
      on: () => pool,
    };
    return { pool: pool as unknown as pg.Pool, queries };
  }

  it.each(['23505', '42P07', '42710'])('takes the catalog race %s as success when the table is there', async (code) => {
    const { pool, queries } = racingPool(code, true);
    const cache = await PgNonceCache.open({ pool });
    expect(queries.some((q) => q.includes('to_regclass'))).toBe(true);
    await cache.close();
  });

  it('fails the open when the table is still missing, or on any other error', async () => {
    await expect(PgNonceCache.open({ pool: racingPool('42710', false).pool })).rejects.toMatchObject({ code: '42710' });
    await expect(PgNonceCache.open({ pool: racingPool('42501', true).pool })).rejects.toMatchObject({ code: '42501' });
  });
});

if (unavailable) console.warn(unavailable);
