// Numbered schema migrations for both databases. A migration never changes once released: add a
// new one. Each is applied in its own transaction and recorded in schema_migrations; opening a
// store applies the missing ones, so applying twice is a no-op.
import { storeError } from './errors.js';
import type { SqlDriver } from './sql-driver.js';

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

// Times are epoch milliseconds (BIGINT on PostgreSQL, which `pg` returns as strings: the store
// converts). Booleans are 0/1 integers on both, so rows map the same way.
const V1_TABLES = (big: string) => `
CREATE TABLE IF NOT EXISTS sessions (
  session_id      TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  connector_id    TEXT NOT NULL,
  mode            TEXT NOT NULL CHECK (mode IN ('automated', 'agent_assisted')),
  instance_id     TEXT NOT NULL,
  started_at      ${big} NOT NULL,
  ended_at        ${big},
  result          TEXT,
  next_action     TEXT,
  failure_reason  TEXT,
  amount_minor    ${big},
  currency        TEXT,
  brand           TEXT,
  last4           TEXT,
  transaction_ref TEXT,
  disconnect_reason TEXT
);
CREATE INDEX IF NOT EXISTS sessions_conversation ON sessions (conversation_id);
CREATE INDEX IF NOT EXISTS sessions_started ON sessions (started_at, connector_id);
CREATE TABLE IF NOT EXISTS segments (
  session_id TEXT NOT NULL REFERENCES sessions (session_id),
  seq        INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('ivr', 'secure_capture', 'gateway')),
  started_at ${big} NOT NULL,
  ended_at   ${big},
  PRIMARY KEY (session_id, seq)
);
CREATE TABLE IF NOT EXISTS attempts (
  session_id TEXT NOT NULL REFERENCES sessions (session_id),
  field      TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (session_id, field)
);
CREATE TABLE IF NOT EXISTS charges (
  session_id      TEXT NOT NULL REFERENCES sessions (session_id),
  attempt         INTEGER NOT NULL,
  idempotency_key TEXT NOT NULL,
  at              ${big} NOT NULL,
  PRIMARY KEY (session_id, attempt)
);
CREATE TABLE IF NOT EXISTS declines (
  session_id   TEXT NOT NULL REFERENCES sessions (session_id),
  attempt      INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  gateway_code TEXT,
  at           ${big} NOT NULL,
  PRIMARY KEY (session_id, attempt)
);
CREATE TABLE IF NOT EXISTS audit_events (
  seq            ${big} PRIMARY KEY,
  at             ${big} NOT NULL,
  event_type     TEXT NOT NULL,
  actor_type     TEXT NOT NULL,
  actor_id       TEXT NOT NULL,
  success        INTEGER NOT NULL,
  instance_id    TEXT NOT NULL,
  remote_address TEXT,
  resource_type  TEXT,
  resource_id    TEXT,
  detail         TEXT,
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_events_resource ON audit_events (resource_id);
-- One row: the chain's last link. Appends lock it (PostgreSQL FOR UPDATE; SQLite BEGIN IMMEDIATE),
-- and the verifier compares it with the last event, which exposes deletions at the tail.
CREATE TABLE IF NOT EXISTS audit_head (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq  ${big} NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '${'0'.repeat(64)}') ON CONFLICT (id) DO NOTHING;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'sessions, segments, attempts, charges, declines, audit chain', sqlite: V1_TABLES('INTEGER'), postgres: V1_TABLES('BIGINT') },
];

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

/** Splits a migration script into statements (the scripts have no `;` inside literals). */
function statements(script: string): string[] {
  return script
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}

/**
 * Applies the migrations missing from the database, in order, each in its own transaction.
 * Concurrent openers are serialized by the write transaction (PostgreSQL adds an advisory lock,
 * since two instances may start at once against an empty database). Returns the versions applied.
 */
export async function migrate(driver: SqlDriver, migrations: readonly Migration[] = MIGRATIONS, now: () => number = Date.now): Promise<number[]> {
  const applied: number[] = [];
  const known = new Set(migrations.map((m) => m.version));
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    await driver.write(async (q) => {
      if (driver.dialect === 'postgres') await q.all(`SELECT pg_advisory_xact_lock(7163042101)`);
      await q.run(MIGRATIONS_TABLE);
      const rows = await q.all(`SELECT version FROM schema_migrations`);
      const versions = rows.map((r) => Number(r.version));
      const unknown = versions.filter((v) => !known.has(v));
      if (unknown.length > 0) throw storeError('ERR_STORE_SCHEMA_NEWER', { versions: unknown });
      if (versions.includes(m.version)) return;
      for (const sql of statements(driver.dialect === 'sqlite' ? m.sqlite : m.postgres)) await q.run(sql);
      await q.run(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, [m.version, m.name, now()]);
      applied.push(m.version);
    });
  }
  return applied;
}
