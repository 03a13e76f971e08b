import { databasePath } from '../config';
import { SqliteStore } from './sqlite/sqlite-store';
import type { Store } from './store';

export type * from './store';

/** Opens the store named by DATABASE_URL (a SQLite file path or `file:` URL). */
export function openStore(databaseUrl: string): Store {
  return SqliteStore.open(databasePath(databaseUrl));
}
