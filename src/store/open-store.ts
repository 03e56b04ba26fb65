// Picks the backend from configuration: PostgreSQL when a URL is given (several instances share
// it), otherwise the embedded SQLite file under the data directory.
import { openPostgresStore, type PostgresStoreOptions } from './postgres-store.js';
import type { SessionStore } from './session-store.js';
import { defaultDbPath, openSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

export type StoreConfig =
  | ({ backend: 'sqlite'; dataDir?: string } & SqliteStoreOptions)
  | ({ backend: 'postgres'; url: string } & Omit<PostgresStoreOptions, 'connectionString'>);

export function openStore(config: StoreConfig): Promise<SessionStore> {
  if (config.backend === 'postgres') {
    const { backend: _b, url, ...rest } = config;
    return openPostgresStore({ ...rest, connectionString: url });
  }
  const { backend: _b, dataDir, ...rest } = config;
  return openSqliteStore({ ...rest, path: rest.path ?? defaultDbPath(dataDir) });
}
