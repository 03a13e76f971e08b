/**
 * Copies a Firewatch SQLite database into an empty PostgreSQL one (`firewatch migrate-store`).
 *
 * The two schemas have the same tables and column names (compare the numbered migrations of each
 * store); only the types differ: epoch milliseconds are INTEGER in SQLite and BIGINT in PostgreSQL,
 * booleans 0/1 in SQLite and BOOLEAN in PostgreSQL. The copy reads the columns of each table from
 * both databases, refuses to go on when they differ, converts booleans by the PostgreSQL column type,
 * and writes everything in one PostgreSQL transaction: all of it lands or none of it does.
 */
import type Database from 'better-sqlite3';
import pg from 'pg';
import { PostgresStore } from './postgres/postgres-store';
import { MIGRATIONS as SQLITE_MIGRATIONS } from './sqlite/migrations';
import { migrate as migrateSqlite } from './sqlite/sqlite-store';

/**
 * Every table migrate-store copies, parents before the tables that reference them. A migration that
 * adds a table must add it here (or to {@link SKIPPED_TABLES}): test/storage/copy-to-postgres.test.ts
 * compares this list with the tables of both schemas.
 */
export const COPIED_TABLES = [
  'incidents',
  'role_terms',
  'timeline_events',
  'comms_log',
  'action_items',
  'postmortem_fields',
  'messages',
  'reactions',
  'participants',
  'processed_events',
  'postmortems',
  'people',
  'outbox',
  'reminders',
] as const;

/** Tables left behind on purpose, and why (printed in the summary). */
export const SKIPPED_TABLES: Readonly<Record<string, string>> = {
  leases: 'named leases belonged to the stopped SQLite process',
};

/**
 * Columns written as a fixed value instead of the SQLite one: an outbox claim belonged to the SQLite
 * process, which is stopped, so every job is unclaimed in PostgreSQL (its `claims` count is kept, so
 * a job whose holder never reported back still looks for its post before posting again).
 */
const RESET_COLUMNS: Readonly<Record<string, Readonly<Record<string, null>>>> = {
  outbox: { claimed_by: null, lease_until: null },
};

/** Rows per INSERT unless told otherwise; PostgreSQL takes at most 65,535 parameters a statement. */
export const DEFAULT_BATCH_ROWS = 1000;
const MAX_PARAMETERS = 60_000;
/** A statement is sent once its text values reach about this many characters (long messages). */
const MAX_BATCH_CHARS = 8_000_000;

/** A reason not to copy, worth a usage-style exit (status 2): nothing was written. */
export class CopyRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefusal';
  }
}

/** What {@link checkSqliteSource} found and did. */
export interface SourceSchema {
  /** The source's schema version (`user_version`) as found. */
  foundVersion: number;
  /** The version it was brought to (this Firewatch's). */
  version: number;
}

/**
 * Checks that `db` (a private snapshot of the source: it may be changed) is a Firewatch SQLite
 * database, and brings an older one up to this Firewatch's schema by running the SQLite
 * migrations on it, as starting the bot on it would.
 * @throws CopyRefusal for something that is not a Firewatch database, or one written by a newer Firewatch
 */
export function checkSqliteSource(db: Database.Database, label: string): SourceSchema {
  let foundVersion: number;
  let hasIncidents: boolean;
  try {
    foundVersion = Number(db.pragma('user_version', { simple: true }));
    hasIncidents = Boolean(
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'incidents'").get(),
    );
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new CopyRefusal(`${label} is not a SQLite database.`);
    }
    throw error;
  }
  if (foundVersion === 0 || !hasIncidents) {
    throw new CopyRefusal(`${label} is not a Firewatch database (it has no Firewatch schema).`);
  }
  const known = SQLITE_MIGRATIONS.length;
  if (foundVersion > known) {
    throw new CopyRefusal(
      `${label} has schema version ${foundVersion}, newer than this Firewatch's (${known}): run migrate-store from the Firewatch version that wrote it.`,
    );
  }
  if (foundVersion < known) migrateSqlite(db);
  const unknown = sqliteTables(db).filter(
    (t) => !(COPIED_TABLES as readonly string[]).includes(t) && !(t in SKIPPED_TABLES),
  );
  if (unknown.length > 0) {
    throw new CopyRefusal(`${label} has tables this Firewatch does not know: ${unknown.join(', ')}.`);
  }
  return { foundVersion, version: known };
}

/** The tables of a SQLite database (without SQLite's own), sorted. */
export function sqliteTables(db: Database.Database): string[] {
  return (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
}

/** A table's column names in SQLite, in table order. */
function sqliteColumns(db: Database.Database, table: string): string[] {
  return (
    db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).all(table) as { name: string }[]
  ).map((r) => r.name);
}

/** Copied tables of `client`'s database that hold at least one row. */
async function nonEmptyTables(client: pg.ClientBase): Promise<string[]> {
  const present = new Set(
    (
      await client.query<{ name: string }>(
        'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ANY($1)',
        [[...COPIED_TABLES]],
      )
    ).rows.map((r) => r.name),
  );
  const full: string[] = [];
  for (const table of COPIED_TABLES) {
    if (!present.has(table)) continue;
    const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM ${table}) AS any`);
    if (rows[0].any) full.push(table);
  }
  return full;
}

/** The refusal for a target that already holds data. */
function notEmpty(label: string, tables: string[]): CopyRefusal {
  return new CopyRefusal(
    `${label} is not empty (rows in ${tables.join(', ')}): migrate-store only copies into an empty database.`,
  );
}

/** Rows copied into one table. */
export interface TableCount {
  table: string;
  rows: number;
}

/** What {@link copySqliteToPostgres} did. */
export interface CopyReport {
  tables: TableCount[];
  /** Outbox rows by status (pending, done, failed). */
  outbox: Record<string, number>;
  /** Every sequence moved past the copied ids: the value the next row gets. */
  sequences: { table: string; column: string; next: number }[];
  ms: number;
}

/** Options of {@link copySqliteToPostgres}. */
export interface CopyOptions {
  /** How the target is named in messages (default: "the target database"). */
  targetLabel?: string;
  /** Rows per INSERT statement (default {@link DEFAULT_BATCH_ROWS}). */
  batchRows?: number;
}

/**
 * Copies every table of {@link COPIED_TABLES} from `source` (checked by {@link checkSqliteSource})
 * into the PostgreSQL database at `url`, which must hold no rows in any of them. The target is opened
 * with {@link PostgresStore.open}, so its migrations run first; then, in one transaction that locks
 * the tables against writers, the rows are inserted in multi-row batches and every serial sequence is
 * set past the highest copied id.
 * @throws CopyRefusal when the target is not empty (nothing is written)
 */
export async function copySqliteToPostgres(
  source: Database.Database,
  url: string,
  options: CopyOptions = {},
): Promise<CopyReport> {
  const label = options.targetLabel ?? 'the target database';
  const started = performance.now();
  // A first look before the store opens (and runs its migrations), so a refused target is not touched.
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
  } catch (error) {
    await probe.end().catch(() => undefined);
    throw new Error(`cannot connect to ${label} (${reasonOf(error)})`);
  }
  try {
    const full = await nonEmptyTables(probe);
    if (full.length > 0) throw notEmpty(label, full);
  } finally {
    await probe.end();
  }
  const store = PostgresStore.open(url, { poolMax: 1 });
  try {
    await store.ready;
    const client = await store.connections.connect();
    try {
      await client.query('BEGIN');
      try {
        const report = await copyAll(source, client, label, options.batchRows ?? DEFAULT_BATCH_ROWS);
        await client.query('COMMIT');
        return { ...report, ms: performance.now() - started };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      client.release();
    }
  } finally {
    await store.close();
  }
}

/** A readable one-line reason for a driver error (a refused connection may carry an empty message). */
function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}

/** The copy itself, inside the caller's transaction. */
async function copyAll(
  source: Database.Database,
  client: pg.PoolClient,
  label: string,
  batchRows: number,
): Promise<Omit<CopyReport, 'ms'>> {
  // Writers wait until the copy commits; a process that wrote in between the first look and this
  // lock is caught by the second look.
  await client.query(`LOCK TABLE ${COPIED_TABLES.join(', ')} IN EXCLUSIVE MODE`);
  const full = await nonEmptyTables(client);
  if (full.length > 0) throw notEmpty(label, full);

  const targetTypes = await postgresColumnTypes(client);
  const tables: TableCount[] = [];
  for (const table of COPIED_TABLES) {
    const columns = sqliteColumns(source, table);
    const types = targetTypes.get(table) ?? new Map<string, string>();
    const onlySqlite = columns.filter((c) => !types.has(c));
    const onlyPostgres = [...types.keys()].filter((c) => !columns.includes(c));
    if (onlySqlite.length > 0 || onlyPostgres.length > 0) {
      throw new Error(
        `table ${table} differs between the stores (only in SQLite: ${onlySqlite.join(', ') || 'none'}; ` +
          `only in PostgreSQL: ${onlyPostgres.join(', ') || 'none'})`,
      );
    }
    tables.push({ table, rows: await copyTable(source, client, table, columns, types, batchRows) });
  }
  const outbox = Object.fromEntries(
    (
      source.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status ORDER BY status').all() as {
        status: string;
        n: number;
      }[]
    ).map((r) => [r.status, r.n]),
  );
  return { tables, outbox, sequences: await advanceSequences(client) };
}

/** Column name → data type of every copied table in the target. */
async function postgresColumnTypes(client: pg.PoolClient): Promise<Map<string, Map<string, string>>> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = ANY($1)`,
    [[...COPIED_TABLES]],
  );
  const out = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const table = out.get(r.table_name) ?? new Map<string, string>();
    table.set(r.column_name, r.data_type);
    out.set(r.table_name, table);
  }
  return out;
}

/** Copies one table in batches of multi-row INSERTs, in SQLite's row order; returns the row count. */
async function copyTable(
  source: Database.Database,
  client: pg.PoolClient,
  table: string,
  columns: string[],
  types: Map<string, string>,
  batchRows: number,
): Promise<number> {
  const reset = RESET_COLUMNS[table] ?? {};
  const convert = columns.map((column): ((v: unknown) => unknown) => {
    if (column in reset) return () => reset[column];
    if (types.get(column) === 'boolean') return (v) => (v === null ? null : v === 1 || v === true);
    return (v) => v;
  });
  const perStatement = Math.max(1, Math.min(batchRows, Math.floor(MAX_PARAMETERS / columns.length)));
  const insert = (rows: number) => {
    const tuples: string[] = [];
    for (let r = 0; r < rows; r++) {
      tuples.push(`(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
    }
    return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`;
  };
  const read = source.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY rowid`).raw(true);
  let copied = 0;
  let batch: unknown[] = [];
  let inBatch = 0;
  let chars = 0;
  const flush = async () => {
    if (inBatch === 0) return;
    await client.query(insert(inBatch), batch);
    copied += inBatch;
    batch = [];
    inBatch = 0;
    chars = 0;
  };
  for (const row of read.iterate() as Iterable<unknown[]>) {
    for (let c = 0; c < columns.length; c++) {
      const value = convert[c]!(row[c]);
      if (typeof value === 'string') chars += value.length;
      batch.push(value);
    }
    inBatch += 1;
    if (inBatch === perStatement || chars >= MAX_BATCH_CHARS) await flush();
  }
  await flush();
  return copied;
}

/**
 * Moves every serial (or identity) sequence of the copied tables past the highest copied value, so
 * the next row PostgreSQL numbers does not collide with a copied one.
 */
async function advanceSequences(client: pg.PoolClient): Promise<CopyReport['sequences']> {
  const { rows } = await client.query<{ table_name: string; column_name: string; seq: string }>(
    `SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq
     FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = ANY($1)
       AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL
     ORDER BY table_name, column_name`,
    [[...COPIED_TABLES]],
  );
  const out: CopyReport['sequences'] = [];
  for (const r of rows) {
    const { rows: set } = await client.query<{ next: string }>(
      `SELECT setval($1, COALESCE((SELECT MAX(${r.column_name}) FROM ${r.table_name}), 0) + 1, false) AS next`,
      [r.seq],
    );
    out.push({ table: r.table_name, column: r.column_name, next: Number(set[0]!.next) });
  }
  return out;
}
