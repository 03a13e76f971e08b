import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databasePath, isPostgresUrl } from '../config';
import {
  CopyRefusal,
  type CopyReport,
  checkSqliteSource,
  copySqliteToPostgres,
  SKIPPED_TABLES,
  type SourceSchema,
} from '../storage/copy-to-postgres';
import { backupDatabase } from './backup';

const USAGE = 'Usage: firewatch migrate-store --from <SQLite file or file: URL> --to <postgres://…>';

/** Why only one direction exists, and how to go back. */
const ONE_WAY =
  'migrate-store copies SQLite → PostgreSQL only; to go back to SQLite, keep the SQLite file you migrated from ' +
  '(and its `firewatch backup` copy) and point DATABASE_URL at it again.';

/** A PostgreSQL URL with its password hidden, for printing. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

/** The parsed arguments, or a usage problem. */
function parseArgs(argv: string[]): { from: string; to: string } | { problem: string } {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^(--from|--to)(?:=(.*))?$/.exec(arg);
    if (!match) return { problem: `Unknown argument ${arg}.` };
    const value = match[2] ?? argv[++i];
    if (!value || value.startsWith('--')) return { problem: `${match[1]} needs a value.` };
    values[match[1]!] = value;
  }
  if (!values['--from'] || !values['--to']) return { problem: 'migrate-store needs --from and --to.' };
  return { from: values['--from'], to: values['--to'] };
}

/** The summary printed after a copy. */
export function formatSummary(from: string, to: string, schema: SourceSchema, report: CopyReport): string {
  const width = Math.max(
    ...report.tables.map((t) => t.table.length),
    ...Object.keys(SKIPPED_TABLES).map((t) => t.length),
  );
  const lines = [`Copied ${from} to ${redactUrl(to)} in ${(report.ms / 1000).toFixed(1)} s.`];
  if (schema.foundVersion !== schema.version) {
    lines.push(
      `The source had schema version ${schema.foundVersion}; its copy was brought to ${schema.version} first (the file itself is unchanged).`,
    );
  }
  for (const { table, rows } of report.tables) {
    const states =
      table === 'outbox' && rows > 0
        ? ` (${Object.entries(report.outbox)
            .map(([status, n]) => `${n} ${status}`)
            .join(', ')})`
        : '';
    lines.push(`  ${table.padEnd(width)}  ${String(rows).padStart(7)}${states}`);
  }
  for (const [table, why] of Object.entries(SKIPPED_TABLES)) {
    lines.push(`  ${table.padEnd(width)}  skipped: ${why}`);
  }
  const total = report.tables.reduce((sum, t) => sum + t.rows, 0);
  lines.push(`${total} rows in all. Next: set DATABASE_URL to the PostgreSQL URL and start Firewatch.`);
  return `${lines.join('\n')}\n`;
}

/**
 * `firewatch migrate-store --from <sqlite> --to <postgres-url>`: copies a whole SQLite database into
 * an empty PostgreSQL database. The source is read from a snapshot (SQLite's online backup into a
 * temporary file), so it is consistent even if a bot still writes to it; an older source schema is
 * upgraded in that snapshot, never in the file itself. Status 0 when copied, 1 on a failure (nothing
 * is left half-copied: the copy is one transaction), 2 on a usage error or a refusal.
 */
export async function runMigrateStoreCli(argv: string[]): Promise<number> {
  const refuse = (message: string) => {
    process.stderr.write(`${message}\n`);
    return 2;
  };
  const args = parseArgs(argv);
  if ('problem' in args) return refuse(`${args.problem}\n${USAGE}`);
  const { from, to } = args;
  if (isPostgresUrl(from)) return refuse(`--from is a PostgreSQL URL: ${ONE_WAY}`);
  if (!isPostgresUrl(to)) {
    return refuse(
      `--to must be a PostgreSQL URL (postgres://…): ${ONE_WAY} To copy a SQLite database to another file, use \`firewatch backup <file>\`.`,
    );
  }
  const file = databasePath(from);
  if (file === ':memory:' || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    return refuse(`No SQLite database at ${file} (--from).`);
  }

  const started = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-migrate-'));
  try {
    const snapshot = path.join(dir, 'snapshot.db');
    try {
      await backupDatabase(file, snapshot, false);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
        return refuse(`${file} is not a SQLite database (--from).`);
      }
      throw error;
    }
    const db = new Database(snapshot);
    try {
      const schema = checkSqliteSource(db, file);
      const report = await copySqliteToPostgres(db, to, { targetLabel: `${redactUrl(to)} (--to)` });
      // The time taken is the whole command's: snapshot, checks and copy.
      process.stdout.write(formatSummary(file, to, schema, { ...report, ms: performance.now() - started }));
      return 0;
    } finally {
      db.close();
    }
  } catch (error) {
    if (error instanceof CopyRefusal) return refuse(error.message);
    process.stderr.write(
      `migrate-store failed, nothing was copied: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
