import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databasePath, isPostgresUrl } from '../config';
import { offlineConfig } from './offline-config';

const USAGE = 'Usage: firewatch backup <file> [--force]';

/** The largest step SQLite's backup accepts: the whole database at once. */
const ALL_PAGES = 0x7fffffff;

/** What one backup wrote. */
export interface BackupResult {
  source: string;
  target: string;
  pages: number;
  bytes: number;
}

/**
 * Copies the SQLite database `source` to `target` with SQLite's online backup API, which gives a
 * consistent snapshot while the bot keeps writing. The copy is written next to `target` and renamed
 * into place when complete, so a failed backup leaves no half-written file under that name.
 * @throws when `target` is `source`, exists and `force` is not set, or `source` is not an existing database
 */
export async function backupDatabase(source: string, target: string, force: boolean): Promise<BackupResult> {
  if (path.resolve(target) === path.resolve(source)) throw new Error(`${target} is the database itself.`);
  if (fs.existsSync(target) && !force) throw new Error(`${target} exists; pass --force to overwrite it.`);
  if (!fs.existsSync(source)) throw new Error(`No database at ${source}.`);
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.partial-${process.pid}`);
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // All pages in one step, from one read snapshot: a copy made in several steps starts over each
    // time another connection writes, which a busy bot could keep doing. In WAL mode the bot's
    // writes do not wait for this reader, and this command runs in its own process.
    const { totalPages } = await db.backup(partial, { progress: () => ALL_PAGES });
    // The copy keeps the source's WAL mode; fold its pages into the main file so it is one file.
    const copy = new Database(partial);
    try {
      copy.pragma('wal_checkpoint(TRUNCATE)');
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    fs.renameSync(partial, target);
    return { source, target, pages: totalPages, bytes: fs.statSync(target).size };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
}

/**
 * `firewatch backup <file> [--force]`: backs up the database named by DATABASE_URL into `<file>`
 * while the bot may be running, and prints what it wrote. Status 2 on a usage error or a PostgreSQL
 * DATABASE_URL (that is pg_dump's job), 1 on failure.
 */
export async function runBackupCli(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const force = argv.includes('--force');
  const files = argv.filter((arg) => arg !== '--force');
  if (files.length !== 1 || files[0]!.startsWith('-')) {
    process.stderr.write(`Expected one backup file name.\n${USAGE}\n`);
    return 2;
  }
  const config = offlineConfig(env);
  if (!config) return 1;
  const { databaseUrl } = config;
  if (isPostgresUrl(databaseUrl)) {
    process.stderr.write(
      'backup copies a SQLite database, and DATABASE_URL is PostgreSQL: use pg_dump instead (e.g. pg_dump --format=custom --file=firewatch.dump "$DATABASE_URL").\n',
    );
    return 2;
  }
  try {
    const result = await backupDatabase(databasePath(databaseUrl), files[0]!, force);
    process.stdout.write(
      `Backed up ${result.source} to ${result.target} (${result.pages} pages, ${result.bytes} bytes).\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`Backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
