import { databasePath, isPostgresUrl } from '../config';
import { PostgresStore } from './postgres/postgres-store';
import { SqliteStore } from './sqlite/sqlite-store';
import type { Store } from './store';

export type * from './store';
export { StaleRevisionError } from './store';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** The most connections a PostgreSQL pool opens (DATABASE_POOL_MAX); SQLite ignores it. */
  poolMax?: number;
}

/**
 * Opens the store named by DATABASE_URL: PostgreSQL for a `postgres://` or `postgresql://` URL
 * (connection problems surface, naming DATABASE_URL, on the first call), otherwise a SQLite file
 * path or `file:` URL; an error says `DATABASE_URL: …` and which file.
 */
export function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Store {
  if (isPostgresUrl(databaseUrl)) return PostgresStore.open(databaseUrl.trim(), { poolMax: options.poolMax });
  const file = databasePath(databaseUrl);
  try {
    return SqliteStore.open(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`DATABASE_URL: cannot open ${file} (${reason})`);
  }
}
