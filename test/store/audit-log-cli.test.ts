import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/commands/audit-log.js';
import { openPostgresStore, openSqliteStore } from '../../src/store/index.js';
import { pgUnavailable, startPgServer, type PgServer } from './pg-server.js';

describe('payhook audit-log', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'payhook-audit-cli-'));
    out = [];
    err = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  async function seed(events: number): Promise<string> {
    const path = join(dir, 'payhook.db');
    const store = await openSqliteStore({ path, instanceId: 'cli-test' });
    for (let i = 0; i < events; i++) await store.appendAudit({ type: 'config.changed', actor: { type: 'operator', id: 'ops' }, success: true });
    await store.close();
    return path;
  }

  it('verify prints OK with the event count and exits 0 for an intact chain', async () => {
    const path = await seed(4);
    expect(await run(['verify', '--db', path])).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^OK 4 events, chain head [0-9a-f]{64}$/)]);
  });

  it('verify prints the first broken event and exits 1 after tampering', async () => {
    const path = await seed(4);
    const db = new Database(path);
    db.prepare(`UPDATE audit_events SET actor_id = 'intruder' WHERE seq = 2`).run();
    db.close();
    expect(await run(['verify', '--db', path])).toBe(1);
    expect(out[0]).toMatch(/^BROKEN at event 2 \(config\.changed at \d{4}-.*\): its contents do not match its hash/);
    expect(out[1]).toBe('1 events verified before it');
  });

  it('list prints events as JSON lines after a sequence number', async () => {
    const path = await seed(3);
    expect(await run(['list', '--db', path, '--after', '1'])).toBe(0);
    expect(out.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([2, 3]);
  });

  it('refuses a missing database instead of creating one, and bad usage, with exit 2', async () => {
    expect(await run(['verify', '--db', join(dir, 'nope.db')])).toBe(2);
    expect(err.join('\n')).toContain('no database at');
    expect(await run(['audit'])).toBe(2);
    expect(await run(['verify', '--db', 'a', '--postgres', 'postgres://x'])).toBe(2);
    expect(await run(['list', '--db', await seed(1), '--limit', 'many'])).toBe(2);
  });

  const unavailable = pgUnavailable();
  describe.skipIf(unavailable !== undefined)('on PostgreSQL', () => {
    let server: PgServer;
    beforeAll(async () => {
      server = await startPgServer();
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });

    it('verify --postgres reports an intact chain, then the edited event', async () => {
      const store = await openPostgresStore({ connectionString: server.url, instanceId: 'cli-test' });
      for (let i = 0; i < 3; i++) await store.appendAudit({ type: 'config.changed', actor: { type: 'operator', id: 'ops' }, success: true });
      await store.close();
      expect(await run(['verify', '--postgres', server.url])).toBe(0);
      expect(out).toEqual([expect.stringMatching(/^OK 3 events/)]);
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.query(`DELETE FROM audit_events WHERE seq = 3`);
      await client.end();
      expect(await run(['verify', '--postgres', server.url])).toBe(1);
      expect(out[1]).toMatch(/^BROKEN at event 3: it is missing/);
    });
  });
});
