// The embedded store: one SQLite file (WAL, synchronous=FULL) under the data directory. One
// connection per store; its transactions run one at a time through a queue, and BEGIN IMMEDIATE
// takes the write lock up front so other processes sharing the file wait (busy_timeout) rather
// than fail half-way. Writes are group-committed: FULL makes every COMMIT an fsync on the event
// loop's thread, so the writes that pile up during one turn share a transaction and one fsync,
// each kept all-or-nothing by its own savepoint and resolved only after that COMMIT. And the
// fsync itself leaves the event loop: the connection runs synchronous=NORMAL (a commit writes
// the WAL without syncing it) and the batch's writes resolve only once an fdatasync of the WAL
// file, run on libuv's thread pool, has returned: the same durability as FULL, where SQLite
// syncs the WAL at each commit, without blocking every call of the process for it.
import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { storeError } from './errors.js';
import { migrate } from './migrations.js';
import type { SessionStore, StoreOptions } from './session-store.js';
import { SerialQueue, type Row, type SqlDriver, type SqlQuery, type SqlValue } from './sql-driver.js';
import { SqlSessionStore } from './sql-store.js';

export const DEFAULT_DATA_DIR = './data';
export const DEFAULT_DB_FILE = 'payhook.db';

/** The default database path under a data directory. */
export function defaultDbPath(dataDir: string = DEFAULT_DATA_DIR): string {
  return join(dataDir, DEFAULT_DB_FILE);
}

// One queue for every SQLite connection of the process. better-sqlite3 blocks the thread while it
// waits for a lock (busy_timeout), so a second connection in this process waiting on a
// transaction that is open across an await would stall the very thread that has to finish it.
// Serializing all connections here avoids that; other processes still wait on the file lock.
const processQueue = new SerialQueue();

/** Most writes one transaction gathers; the next batch starts right after. */
const MAX_BATCH = 256;
/** The store uses a small fixed set of SQL strings; the cap only guards against a leak. */
const MAX_STATEMENTS = 200;

interface PendingWrite {
  fn: (q: SqlQuery) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Batch {
  writes: PendingWrite[];
  /** Fires on the check phase of the event-loop turn the batch was opened in. */
  ready: Promise<void>;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * The connection of one store. A write joins the batch that is still waiting (for setImmediate,
 * or behind other jobs in the process queue) or running, and so shares its COMMIT (see the file
 * header for why). The batch takes its place in the process queue when its first write is asked
 * for, so a read or close() asked for later runs after it.
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  #db: Database.Database;
  #queue = processQueue;
  #q: SqlQuery;
  #statements = new Map<string, Database.Statement>();
  /** The batch still taking writes, if any. */
  #open: Batch | undefined;
  #commits = 0;
  readonly #walSync: WalSync | undefined;
  /** WAL syncs in flight; close() waits for them. */
  readonly #syncing = new Set<Promise<unknown>>();

  /** `walSync`: makes committed WAL frames durable (the connection must run synchronous=NORMAL). */
  constructor(db: Database.Database, walSync?: WalSync) {
    this.#db = db;
    this.#walSync = walSync;
    this.#q = {
      all: async (sql: string, params: readonly SqlValue[] = []) => this.#statement(sql).all(...params) as Row[],
      run: async (sql: string, params: readonly SqlValue[] = []) => this.#statement(sql).run(...params).changes,
    };
  }

  /** Write transactions committed so far (one per batch). */
  get commits(): number {
    return this.#commits;
  }

  write<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let batch = this.#open;
      if (!batch) {
        batch = { writes: [], ready: new Promise<void>((r) => setImmediate(r)) };
        this.#open = batch;
        const b = batch;
        void this.#queue.run(() => this.#runBatch(b));
      }
      batch.writes.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (batch.writes.length >= MAX_BATCH) this.#seal(batch);
    });
  }

  read<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T> {
    return this.#queue.run(async () => {
      this.#db.exec('BEGIN');
      try {
        return await fn(this.#q);
      } finally {
        if (this.#db.inTransaction) this.#db.exec('COMMIT');
      }
    });
  }

  close(): Promise<void> {
    // Every write asked for so far belongs to a batch already in the queue ahead of this.
    return this.#queue.run(async () => {
      await Promise.allSettled([...this.#syncing]);
      this.#statements.clear();
      if (this.#db.open) this.#db.close();
      await this.#walSync?.close();
    });
  }

  #statement(sql: string): Database.Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      if (this.#statements.size >= MAX_STATEMENTS) this.#statements.clear();
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Stops `batch` taking writes; the next write opens a new batch, queued behind it. */
  #seal(batch: Batch): void {
    if (this.#open === batch) this.#open = undefined;
  }

  /** A process-queue job: the batch's writes, one at a time, each in a savepoint of one transaction. */
  async #runBatch(batch: Batch): Promise<void> {
    await batch.ready;
    const { writes } = batch;
    const outcomes: Outcome[] = []; // outcomes[i] is writes[i]'s; writes[outcomes.length] runs next
    let txStart = 0; // the first write inside the open transaction
    let committed = false;
    // The transaction rolled back as a whole: its writes so far that succeeded are lost as well.
    const lose = (error: unknown): void => {
      for (let i = txStart; i < outcomes.length; i++) if (outcomes[i]!.ok) outcomes[i] = { ok: false, error };
    };
    try {
      // Writes asked for while an earlier one runs join the loop, until the batch is sealed.
      while (outcomes.length < writes.length) {
        const w = writes[outcomes.length]!;
        if (!this.#db.inTransaction) {
          txStart = outcomes.length;
          this.#db.exec('BEGIN IMMEDIATE');
        }
        this.#db.exec('SAVEPOINT w');
        try {
          const value = await w.fn(this.#q);
          this.#db.exec('RELEASE w');
          outcomes.push({ ok: true, value });
        } catch (e) {
          outcomes.push({ ok: false, error: e });
          if (this.#db.inTransaction) {
            this.#db.exec('ROLLBACK TO w');
            this.#db.exec('RELEASE w');
          } else {
            // Some errors (disk full, I/O) make SQLite roll back the whole transaction; the
            // remaining writes get a new one.
            lose(e);
          }
        }
      }
      this.#seal(batch);
      if (this.#db.inTransaction) {
        this.#db.exec('COMMIT');
        this.#commits++;
        committed = true;
      }
    } catch (e) {
      // BEGIN or COMMIT failed (or the savepoint bookkeeping): nothing of this transaction is kept.
      this.#seal(batch);
      try {
        if (this.#db.open && this.#db.inTransaction) this.#db.exec('ROLLBACK');
      } catch {
        // The connection is unusable; the writes fail with the original error below.
      }
      lose(e);
      while (outcomes.length < writes.length) outcomes.push({ ok: false, error: e });
    }
    const settle = (syncError?: unknown) =>
      writes.forEach((w, i) => {
        const o = outcomes[i]!;
        if (o.ok && syncError === undefined) w.resolve(o.value);
        else w.reject(o.ok ? syncError : o.error);
      });
    if (!committed || !this.#walSync) return settle();
    // The queue moves on to the next batch while this one's WAL sync runs on the thread pool.
    const sync = this.#walSync.sync().then(
      () => settle(),
      (e: unknown) => settle(storeError('ERR_STORE_SYNC_FAILED', undefined, e)),
    );
    this.#syncing.add(sync);
    void sync.finally(() => this.#syncing.delete(sync));
  }
}

/** Makes what was committed to a WAL file durable. */
export interface WalSync {
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * fdatasync of the database's WAL file on the thread pool. The file keeps its inode while any
 * connection is open (a checkpoint rewrites it from the start, it is not replaced), so one
 * handle, opened at the first sync, serves the connection's life.
 */
export class WalFileSync implements WalSync {
  readonly #path: string;
  #handle: Promise<FileHandle> | undefined;

  constructor(walPath: string) {
    this.#path = walPath;
  }

  async sync(): Promise<void> {
    this.#handle ??= open(this.#path, 'r');
    const handle = this.#handle;
    try {
      await (await handle).datasync();
    } catch (e) {
      if (this.#handle === handle) this.#handle = undefined;
      throw e;
    }
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await (await handle?.catch(() => undefined))?.close();
  }
}

export interface SqliteStoreOptions extends StoreOptions {
  /** Database file; its directory is created. Default ./data/payhook.db. */
  path?: string;
  /** Milliseconds to wait for another process's write lock. */
  busyTimeoutMs?: number;
}

/** Opens the database file with the store's pragmas, without migrating (exported for tests). */
export function openSqliteDriver(options: Pick<SqliteStoreOptions, 'path' | 'busyTimeoutMs'> & { walSync?: WalSync } = {}): SqliteDriver {
  const path = options.path ?? defaultDbPath();
  const walSync = path === ':memory:' ? undefined : (options.walSync ?? new WalFileSync(`${path}-wal`));
  let db: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    // A resolved write survives power loss too: FULL syncs the WAL at each commit; with a file,
    // the driver does that sync itself off the event loop (WalFileSync) and NORMAL skips SQLite's.
    db.pragma(walSync ? 'synchronous = NORMAL' : 'synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  } catch (e) {
    throw storeError('ERR_STORE_OPEN_FAILED', { path }, e);
  }
  return new SqliteDriver(db, walSync);
}

/** Opens (creating if needed) the SQLite store and applies pending migrations. */
export async function openSqliteStore(options: SqliteStoreOptions = {}): Promise<SessionStore> {
  const driver = openSqliteDriver(options);
  try {
    await migrate(driver, undefined, options.now);
  } catch (e) {
    await driver.close();
    throw e;
  }
  return new SqlSessionStore(driver, options);
}
