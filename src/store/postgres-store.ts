// The shared store for several PayHook instances: one PostgreSQL database, a pool per instance.
// Every write is one transaction whose COMMIT is awaited, with synchronous_commit on; audit
// appends lock the chain head row, so instances never fork the chain.
import pg from 'pg';
import type { Logger } from '../core/log.js';
import { storeError } from './errors.js';
import { migrate } from './migrations.js';
import type { SessionStore, StoreOptions } from './session-store.js';
import { numberPlaceholders, type Row, type SqlDriver, type SqlQuery, type SqlValue } from './sql-driver.js';
import { SqlSessionStore } from './sql-store.js';

class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  write<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T> {
    return this.#transaction('BEGIN', fn);
  }

  read<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T> {
    return this.#transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #transaction<T>(begin: string, fn: (q: SqlQuery) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    const q: SqlQuery = {
      all: async (sql: string, params: readonly SqlValue[] = []) => (await client.query(numberPlaceholders(sql), [...params])).rows as Row[],
      run: async (sql: string, params: readonly SqlValue[] = []) => (await client.query(numberPlaceholders(sql), [...params])).rowCount ?? 0,
    };
    let broken: unknown;
    try {
      await client.query(begin);
      const result = await fn(q);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is unusable (server gone): drop it from the pool instead of reusing it.
        broken = rollbackError;
      }
      throw e;
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }
}

export interface PostgresStoreOptions extends StoreOptions {
  /** postgres://user@host:port/db; ignored when `pool` is given. */
  connectionString?: string;
  /** An existing pool; the store ends it on close. */
  pool?: pg.Pool;
  /** Pool size per instance (default 10). */
  maxConnections?: number;
  /** Where connection faults outside a query (idle client lost) are reported. */
  logger?: Logger;
}

/** Connects, applies pending migrations (serialized across instances) and returns the store. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<SessionStore> {
  // synchronous_commit=on for our sessions whatever the server default: a resolved write must be
  // on disk (a server-wide `off` would let COMMIT return before the WAL is flushed).
  const pool =
    options.pool ??
    new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10, options: '-c synchronous_commit=on' });
  // An idle client's error (server restart) must not crash the process; the next query fails
  // and reports it instead.
  pool.on('error', (e) => options.logger?.warn({ code: 'ERR_STORE_OPEN_FAILED', reason: e.message }, 'idle PostgreSQL connection lost'));
  const driver = new PostgresDriver(pool);
  try {
    await migrate(driver, undefined, options.now);
  } catch (e) {
    await driver.close().catch((closeError: unknown) =>
      options.logger?.warn({ code: 'ERR_STORE_OPEN_FAILED', reason: String(closeError) }, 'closing the pool after a failed open failed too'),
    );
    if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('ERR_STORE_')) throw e;
    throw storeError('ERR_STORE_OPEN_FAILED', { backend: 'postgres' }, e);
  }
  return new SqlSessionStore(driver, options);
}
