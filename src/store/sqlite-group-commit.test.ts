// Group commit in the SQLite driver: writes asked for together share one transaction and one
// COMMIT, yet each stays all-or-nothing, settles only after its COMMIT, and runs in order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openSqliteDriver, openSqliteStore, type SqliteDriver } from './sqlite-store.js';

let dir: string;
let path: string;
let driver: SqliteDriver;
/** A second connection to the same file: it sees only committed data. */
let other: Database.Database;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'payhook-group-'));
  path = join(dir, 'test.db');
  driver = openSqliteDriver({ path });
  await driver.write(async (q) => {
    await q.run(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`);
    await q.run(`CREATE TABLE log (n INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT NOT NULL)`);
  });
  other = new Database(path, { readonly: true });
});

afterEach(async () => {
  vi.restoreAllMocks();
  other.close();
  await driver.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (id: number, v = `v${id}`) => driver.write((q) => q.run(`INSERT INTO t (id, v) VALUES (?, ?)`, [id, v]));
const committedIds = (): number[] => (other.prepare(`SELECT id FROM t ORDER BY id`).all() as { id: number }[]).map((r) => r.id);

describe('SQLite group commit', () => {
  it('commits writes asked for in one turn together, and awaited writes one by one', async () => {
    const before = driver.commits;
    await Promise.all(Array.from({ length: 50 }, (_, i) => insert(i)));
    expect(driver.commits - before).toBe(1);
    expect(committedIds()).toHaveLength(50);

    const mid = driver.commits;
    for (let i = 100; i < 103; i++) await insert(i);
    expect(driver.commits - mid).toBe(3);
  });

  it('caps a batch at 256 writes and commits the rest right after', async () => {
    const before = driver.commits;
    await Promise.all(Array.from({ length: 600 }, (_, i) => insert(i)));
    expect(driver.commits - before).toBe(3);
    expect(committedIds()).toHaveLength(600);
  });

  it('rolls back only the failing write of a batch and rejects it with its own error', async () => {
    const before = driver.commits;
    let thrown: unknown;
    const results = await Promise.allSettled([
      insert(1),
      driver.write(async (q) => {
        await q.run(`INSERT INTO t (id, v) VALUES (?, ?)`, [2, 'half']);
        try {
          await q.run(`INSERT INTO t (id, v) VALUES (?, ?)`, [1, 'dup']); // id 1 was inserted just before
        } catch (e) {
          thrown = e;
          throw e;
        }
      }),
      driver.write(async (q) => {
        await q.run(`INSERT INTO t (id, v) VALUES (?, ?)`, [4, 'gone']);
        throw new Error('changed my mind');
      }),
      insert(3),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const reason = (results[1] as PromiseRejectedResult).reason as { code?: string };
    expect(reason).toBe(thrown);
    expect(reason.code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(((results[2] as PromiseRejectedResult).reason as Error).message).toBe('changed my mind');
    expect(driver.commits - before).toBe(1);
    expect(committedIds()).toEqual([1, 3]);
  });

  it('resolves a write only once its COMMIT is done', async () => {
    const seenInside: number[][] = [];
    const seenOnResolve: number[][] = [];
    await Promise.all(
      [1, 2, 3].map((id) =>
        driver
          .write(async (q) => {
            await q.run(`INSERT INTO t (id, v) VALUES (?, 'x')`, [id]);
            seenInside.push(committedIds());
          })
          .then(() => seenOnResolve.push(committedIds())),
      ),
    );
    // Inside the transaction another connection sees nothing; on resolve it sees all three.
    expect(seenInside).toEqual([[], [], []]);
    expect(seenOnResolve).toEqual([[1, 2, 3], [1, 2, 3], [1, 2, 3]]);
  });

  it('runs writes one after another in the order asked, across batches', async () => {
    const events: string[] = [];
    const slow = (name: string) =>
      driver.write(async (q) => {
        events.push(`${name}:start`);
        await new Promise((r) => setTimeout(r, 5));
        await q.run(`INSERT INTO log (v) VALUES (?)`, [name]);
        events.push(`${name}:end`);
      });
    await Promise.all([slow('a'), slow('b')]);
    expect(events).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);

    const names = Array.from({ length: 300 }, (_, i) => `w${i}`);
    await Promise.all(names.map((v) => driver.write((q) => q.run(`INSERT INTO log (v) VALUES (?)`, [v]))));
    const logged = (other.prepare(`SELECT v FROM log ORDER BY n`).all() as { v: string }[]).map((r) => r.v);
    expect(logged).toEqual(['a', 'b', ...names]);
  });

  it('lets a write asked for while a batch runs join it', async () => {
    const before = driver.commits;
    let late: Promise<unknown> | undefined;
    await driver.write(async (q) => {
      await q.run(`INSERT INTO t (id, v) VALUES (1, 'first')`);
      late = insert(2);
    });
    await late;
    expect(driver.commits - before).toBe(1);
    expect(committedIds()).toEqual([1, 2]);
  });

  it('rejects the whole batch with the error when COMMIT fails, and keeps working', async () => {
    await driver.write(async (q) => {
      await q.run(`CREATE TABLE parent (id INTEGER PRIMARY KEY)`);
      await q.run(`CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
    });
    const before = driver.commits;
    // The deferred foreign key is only checked at COMMIT.
    const results = await Promise.allSettled([insert(1), driver.write((q) => q.run(`INSERT INTO child (id, parent) VALUES (1, 99)`)), insert(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const reasons = results.map((r) => ((r as PromiseRejectedResult).reason as { code?: string }).code);
    expect(reasons).toEqual(['SQLITE_CONSTRAINT_FOREIGNKEY', 'SQLITE_CONSTRAINT_FOREIGNKEY', 'SQLITE_CONSTRAINT_FOREIGNKEY']);
    expect(driver.commits - before).toBe(0);
    expect(committedIds()).toEqual([]);
    await insert(3);
    expect(committedIds()).toEqual([3]);
  });

  it('fails the earlier writes of a transaction SQLite rolled back as a whole, and runs the later ones anew', async () => {
    await driver.write((q) => q.run(`CREATE TRIGGER boom BEFORE INSERT ON t WHEN NEW.v = 'boom' BEGIN SELECT RAISE(ROLLBACK, 'boom'); END`));
    const results = await Promise.allSettled([insert(1), insert(2, 'boom'), insert(3)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    const [first, second] = results.map((r) => (r as PromiseRejectedResult).reason as Error);
    expect(second!.message).toBe('boom');
    expect(first).toBe(second);
    expect(committedIds()).toEqual([3]);
  });

  it('has a read queued after writes see them', async () => {
    const writes = [insert(1), insert(2), insert(3)];
    const count = await driver.read(async (q) => (await q.all(`SELECT COUNT(*) AS n FROM t`))[0]!.n);
    expect(count).toBe(3);
    await Promise.all(writes);
  });

  it('has close() wait for pending writes', async () => {
    const writes = Array.from({ length: 20 }, (_, i) => insert(i));
    const settled = Promise.allSettled(writes);
    await driver.close();
    expect((await settled).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(committedIds()).toHaveLength(20);
    await expect(insert(99)).rejects.toThrow();
  });

  it('prepares each SQL string once per connection', async () => {
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    await Promise.all(Array.from({ length: 10 }, (_, i) => insert(1000 + i)));
    await insert(2000);
    const sql = `INSERT INTO t (id, v) VALUES (?, ?)`;
    expect(prepare.mock.calls.filter(([s]) => s === sql)).toHaveLength(1);
  });
});

describe('SQLite store over group commit', () => {
  it('maps a duplicate inside a shared batch to the store error and leaves the chain intact', async () => {
    const store = await openSqliteStore({ path: join(dir, 'store.db') });
    try {
      const id = '0b1f5a4e-0000-4000-8000-000000000001';
      await store.startSession({
        sessionId: id, conversationId: 'c0ffee00-0000-4000-8000-000000000001', organizationId: 'd7934305-0972-4844-938e-9060eef73d05',
        connectorId: 'payments', mode: 'automated',
      });
      const results = await Promise.allSettled([
        store.recordCharge(id, { attempt: 1, idempotencyKey: 'k-1' }),
        store.recordCharge(id, { attempt: 1, idempotencyKey: 'k-1b' }),
        store.recordCharge(id, { attempt: 2, idempotencyKey: 'k-2' }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(((results[1] as PromiseRejectedResult).reason as { code?: string }).code).toBe('ERR_STORE_DUPLICATE_ATTEMPT');
      expect((await store.getSession(id))?.charges.map((c) => c.idempotencyKey)).toEqual(['k-1', 'k-2']);
      expect((await store.listAudit({ resourceId: id })).map((e) => e.type)).toEqual(['session.started', 'payment.charge_started', 'payment.charge_started']);
      expect((await store.verifyAuditChain()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite WAL sync off the event loop', () => {
  /** A WalSync the test releases by hand, counting syncs. */
  function heldSync() {
    let release: (error?: Error) => void = () => undefined;
    const state = { syncs: 0, closed: false };
    const sync = {
      sync: () =>
        new Promise<void>((resolve, reject) => {
          state.syncs++;
          release = (error) => (error ? reject(error) : resolve());
        }),
      close: async () => void (state.closed = true),
    };
    return { sync, state, release: (error?: Error) => release(error) };
  }

  it('resolves committed writes only after the WAL sync returns, and runs synchronous=NORMAL', async () => {
    const held = heldSync();
    const d = openSqliteDriver({ path: join(dir, 'held.db'), walSync: held.sync });
    const created = d.write((q) => q.run(`CREATE TABLE t (id INTEGER PRIMARY KEY)`));
    await vi.waitFor(() => expect(held.state.syncs).toBe(1));
    let settled = false;
    void created.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    // Committed (another connection would see it) but not yet durable: not resolved.
    expect(settled).toBe(false);
    held.release();
    await created;
    expect(await d.read((q) => q.all(`PRAGMA synchronous`))).toEqual([{ synchronous: 1 }]);
    await d.close();
    expect(held.state.closed).toBe(true);
  });

  it('rejects the batch with ERR_STORE_SYNC_FAILED when the sync fails, and close() waits for syncs in flight', async () => {
    const held = heldSync();
    const d = openSqliteDriver({ path: join(dir, 'fail.db'), walSync: held.sync });
    const created = d.write((q) => q.run(`CREATE TABLE t (id INTEGER PRIMARY KEY)`));
    await vi.waitFor(() => expect(held.state.syncs).toBe(1));
    const closing = d.close();
    let closed = false;
    void closing.then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(false);
    held.release(new Error('EIO'));
    await expect(created).rejects.toMatchObject({ code: 'ERR_STORE_SYNC_FAILED' });
    await closing;
  });

  it('syncs the real WAL file by default: writes resolve and land on disk', async () => {
    // The beforeEach driver uses the default WalFileSync on test.db-wal.
    await Promise.all(Array.from({ length: 20 }, (_, i) => insert(i)));
    expect(committedIds()).toHaveLength(20);
  });
});
