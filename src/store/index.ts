// The record store's public surface: open a store, write sessions and audit events through the
// SessionStore interface, read reports. Drivers and SQL stay inside the folder.
export type { SessionStore, StoreOptions } from './session-store.js';
export * from './types.js';
export { openStore, type StoreConfig } from './open-store.js';
export { openSqliteStore, defaultDbPath, DEFAULT_DATA_DIR, type SqliteStoreOptions } from './sqlite-store.js';
export { openPostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { storeErrors, isStoreError, type StoreErrorCode } from './errors.js';
export { looksLikePan, findCardData } from './card-guard.js';
export { aggregateReport, bucketStart, durationStats, type ReportInput } from './reports.js';
export { MIGRATIONS } from './migrations.js';
