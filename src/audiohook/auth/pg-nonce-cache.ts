// Replay protection shared by every instance: the nonce is the primary key of a PostgreSQL table,
// so an upgrade replayed to another instance behind the load balancer finds it already there.
import pg from 'pg';
import type { Logger } from '../../core/log.js';
import type { NonceCache } from './nonce-cache.js';

export const NONCE_TABLE = 'payhook_auth_nonces';

export interface PgNonceCacheOptions {
  /** postgres://...; ignored when `pool` is given. */
  readonly connectionString?: string;
  /** An existing pool; the cache does not end it on close. */
  readonly pool?: pg.Pool;
  /** Epoch ms; default Date.now. */
  readonly now?: () => number;
  /** How often expired nonces are deleted; default 60 s. */
  readonly pruneIntervalMs?: number;
  readonly logger?: Logger;
}

export class PgNonceCache implements NonceCache {
  readonly #pool: pg.Pool;
  readonly #ownsPool: boolean;
  readonly #now: () => number;
  readonly #log: Logger | undefined;
  readonly #timer: NodeJS.Timeout;
  #closed = false;

  private constructor(pool: pg.Pool, ownsPool: boolean, options: PgNonceCacheOptions) {
    this.#pool = pool;
    this.#ownsPool = ownsPool;
    this.#now = options.now ?? Date.now;
    this.#log = options.logger;
    this.#timer = setInterval(() => void this.prune(), options.pruneIntervalMs ?? 60_000);
    this.#timer.unref();
  }

  /** Connects and creates the table if needed (idempotent, safe from several instances at once). */
  static async open(options: PgNonceCacheOptions): Promise<PgNonceCache> {
    const ownsPool = options.pool === undefined;
    const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: 4 });
    if (ownsPool) pool.on('error', (e) => options.logger?.warn({ code: 'ERR_AUTH_NONCE_STORE', reason: e.message }, 'idle PostgreSQL connection lost'));
    try {
      // expires_at_ms is epoch ms from the verifying instance's clock, the same clock that
      // checked the signature's age; no server time zone is involved.
      await pool.query(`CREATE TABLE IF NOT EXISTS ${NONCE_TABLE} (nonce text PRIMARY KEY, expires_at_ms bigint NOT NULL)`);
    } catch (e) {
      // Two instances creating the table at the same moment can race on the catalog: PostgreSQL
      // then reports unique_violation on pg_type (23505), duplicate_table (42P07) or "type ...
      // already exists" (duplicate_object, 42710). The table exists either way; anything else,
      // or a table that is still missing, fails the open.
      const code = (e as { code?: string }).code;
      const race = code === '23505' || code === '42P07' || code === '42710';
      const exists = race && (await pool.query(`SELECT to_regclass($1) AS t`, [NONCE_TABLE]).then((r) => r.rows[0]?.t != null, () => false));
      if (!exists) {
        if (ownsPool) await pool.end();
        throw e;
      }
    }
    return new PgNonceCache(pool, ownsPool, options);
  }

  /**
   * One statement, atomic across instances: inserts an unseen nonce, or takes over a row whose
   * expiry has passed; RETURNING says whether this call won. A database fault fails closed.
   */
  async checkAndRemember(nonce: string, expiresAtMs: number): Promise<boolean> {
    if (this.#closed) return false;
    try {
      const result = await this.#pool.query(
        `INSERT INTO ${NONCE_TABLE} (nonce, expires_at_ms) VALUES ($1, $2)
         ON CONFLICT (nonce) DO UPDATE SET expires_at_ms = EXCLUDED.expires_at_ms
           WHERE ${NONCE_TABLE}.expires_at_ms < $3
         RETURNING nonce`,
        [nonce, Math.ceil(expiresAtMs), Math.floor(this.#now())],
      );
      return result.rowCount === 1;
    } catch (e) {
      this.#log?.error({ code: 'ERR_AUTH_NONCE_STORE', reason: e instanceof Error ? e.message : String(e) }, 'nonce replay cache unavailable; refusing the upgrade');
      return false;
    }
  }

  /** Deletes expired nonces; returns how many. */
  async prune(): Promise<number> {
    if (this.#closed) return 0;
    try {
      const result = await this.#pool.query(`DELETE FROM ${NONCE_TABLE} WHERE expires_at_ms < $1`, [Math.floor(this.#now())]);
      return result.rowCount ?? 0;
    } catch (e) {
      this.#log?.warn({ code: 'ERR_AUTH_NONCE_STORE', reason: e instanceof Error ? e.message : String(e) }, 'pruning expired nonces failed');
      return 0;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    if (this.#ownsPool) await this.#pool.end();
  }
}
