import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations';

/**
 * A SQLite database as a Firewatch of schema `version` left it: its first migrations only, opened
 * without the store (which would migrate it further). The caller writes rows and closes it.
 */
export function olderSqliteDatabase(file: string, version: number): Database.Database {
  const db = new Database(file);
  for (const [i, migration] of MIGRATIONS.slice(0, version).entries()) {
    db.exec(migration.up);
    db.pragma(`user_version = ${i + 1}`);
  }
  return db;
}
