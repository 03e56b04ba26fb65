// The embedded store: one SQLite file (WAL, synchronous=FULL) under the data directory. One
// connection per store; its transactions run one at a time through a queue, and BEGIN IMMEDIATE
// takes the write lock up front so other processes sharing the file wait (busy_timeout) rather
// than fail half-way.
import { mkdirSync } from 'node:fs';
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

class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  #db: Database.Database;
  #queue = processQueue;
  #q: SqlQuery;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#q = {
      all: async (sql: string, params: readonly SqlValue[] = []) => this.#db.prepare(sql).all(...params) as Row[],
      run: async (sql: string, params: readonly SqlValue[] = []) => this.#db.prepare(sql).run(...params).changes,
    };
  }

  write<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T> {
    return this.#queue.run(async () => {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.#q);
        this.#db.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw e;
      }
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
    return this.#queue.run(async () => {
      if (this.#db.open) this.#db.close();
    });
  }
}

export interface SqliteStoreOptions extends StoreOptions {
  /** Database file; its directory is created. Default ./data/payhook.db. */
  path?: string;
  /** Milliseconds to wait for another process's write lock. */
  busyTimeoutMs?: number;
}

/** Opens (creating if needed) the SQLite store and applies pending migrations. */
export async function openSqliteStore(options: SqliteStoreOptions = {}): Promise<SessionStore> {
  const path = options.path ?? defaultDbPath();
  let db: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    // FULL: a commit is fsynced before it returns, so a resolved write survives power loss too
    // (NORMAL in WAL mode survives a process crash but may lose the last commits on power loss).
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  } catch (e) {
    throw storeError('ERR_STORE_OPEN_FAILED', { path }, e);
  }
  const driver = new SqliteDriver(db);
  try {
    await migrate(driver, undefined, options.now);
  } catch (e) {
    await driver.close();
    throw e;
  }
  return new SqlSessionStore(driver, options);
}
