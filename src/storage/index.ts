import { databasePath } from '../config';
import { SqliteStore } from './sqlite/sqlite-store';
import type { Store } from './store';

export type * from './store';

/**
 * Opens the store named by DATABASE_URL (a SQLite file path or `file:` URL); an error says
 * `DATABASE_URL: …` and which file.
 */
export function openStore(databaseUrl: string): Store {
  const file = databasePath(databaseUrl);
  try {
    return SqliteStore.open(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`DATABASE_URL: cannot open ${file} (${reason})`);
  }
}
