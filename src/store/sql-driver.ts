// What the shared SQL store needs from a database: run statements inside a transaction that
// commits durably, and read consistently. SQL is written once with `?` placeholders; each
// driver adapts it (PostgreSQL numbers them).
export type SqlValue = string | number | null;
export type Row = Record<string, unknown>;

export interface SqlQuery {
  all(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in a write transaction; resolves after COMMIT is durable, rolls back on throw. A
   * driver may run several writes' `fn`s one after another in one transaction (SQLite group
   * commit); each one's changes still commit or roll back as a whole.
   */
  write<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T>;
  /** Runs `fn` against one consistent snapshot. */
  read<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `?` to `$1, $2, ...` for PostgreSQL. The store's SQL has no `?` inside literals. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Runs async jobs one at a time, in order (one SQLite connection, one transaction at once). */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(job, job);
    // The tail only orders jobs; a job's failure reaches its caller through `result`.
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
