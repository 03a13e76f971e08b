/**
 * The SQLite → PostgreSQL copy behind `firewatch migrate-store`, against real SQLite files and a
 * real PostgreSQL server: the table list follows both schemas (a migration adding a table or a
 * column fails here until the copy knows it), an older source is upgraded in its snapshot only,
 * the copy is all or nothing, outbox claims are released and booleans converted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { freshDatabase, stopPostgres } from '../../scripts/support/postgres';
import { draftIncident } from '../../src/domain/lifecycle';
import {
  COPIED_TABLES,
  CopyRefusal,
  checkSqliteSource,
  copySqliteToPostgres,
  SKIPPED_TABLES,
  sqliteTables,
} from '../../src/storage/copy-to-postgres';
import { PostgresStore } from '../../src/storage/postgres/postgres-store';
import { MIGRATIONS as SQLITE_MIGRATIONS } from '../../src/storage/sqlite/migrations';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store';
import { olderSqliteDatabase } from '../support/older-sqlite';

jest.setTimeout(60_000);

afterAll(async () => {
  await stopPostgres();
});

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-copy-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const DAY = Date.parse('2026-03-02T09:00:00Z');
const draft = (title: string, isPrivate = false) =>
  draftIncident({
    title,
    severity: 'P2',
    declaredBy: 'UALICE',
    originChannelId: 'CGENERAL',
    declaredAt: DAY,
    isPrivate,
  });

/** A SQLite store file with this Firewatch's schema. */
function sqliteFile(name = 'source.db'): { file: string; store: SqliteStore } {
  const file = path.join(dir, name);
  return { file, store: SqliteStore.open(file) };
}

/** Rows of a PostgreSQL table, ordered. */
async function pgRows(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('the table list', () => {
  it('names every table of the SQLite schema, copied or skipped on purpose', () => {
    const { store } = sqliteFile();
    try {
      expect(sqliteTables(store.db)).toEqual([...COPIED_TABLES, ...Object.keys(SKIPPED_TABLES)].sort());
    } finally {
      void store.close();
    }
  });

  it('matches the PostgreSQL schema table for table and column for column', async () => {
    const { store: sqlite } = sqliteFile();
    const url = await freshDatabase();
    const target = PostgresStore.open(url);
    await target.ready;
    try {
      const { rows } = await target.connections.query<{
        table_name: string;
        column_name: string;
        data_type: string;
      }>(
        `SELECT table_name, column_name, data_type FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'`,
      );
      const pgTables = [...new Set(rows.map((r) => r.table_name))].sort();
      expect(pgTables).toEqual(sqliteTables(sqlite.db));
      for (const table of pgTables) {
        const sqliteColumns = sqlite.db.prepare('SELECT name, type FROM pragma_table_info(?)').all(table) as {
          name: string;
          type: string;
        }[];
        const pgColumns = rows.filter((r) => r.table_name === table);
        expect({ table, columns: pgColumns.map((r) => r.column_name).sort() }).toEqual({
          table,
          columns: sqliteColumns.map((c) => c.name).sort(),
        });
        // Booleans are the only type the copy converts: 0/1 INTEGER in SQLite.
        for (const column of pgColumns.filter((r) => r.data_type === 'boolean')) {
          expect(sqliteColumns.find((c) => c.name === column.column_name)?.type).toBe('INTEGER');
        }
      }
    } finally {
      await target.close();
      await sqlite.close();
    }
  });

  it('copies parents before the tables whose foreign keys point at them', () => {
    const { store } = sqliteFile();
    try {
      const order = COPIED_TABLES as readonly string[];
      let checked = 0;
      for (const table of order) {
        const parents = store.db
          .prepare('SELECT "table" AS parent FROM pragma_foreign_key_list(?)')
          .all(table) as {
          parent: string;
        }[];
        for (const { parent } of parents) {
          expect({ table, parentFirst: order.indexOf(parent) < order.indexOf(table) }).toEqual({
            table,
            parentFirst: true,
          });
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(5);
    } finally {
      void store.close();
    }
  });
});

describe('copySqliteToPostgres', () => {
  it('releases outbox claims (keeping how often a job was taken), converts booleans, and numbers new rows after the copied ones', async () => {
    const { store } = sqliteFile();
    const secret = await store.createIncident({ ...draft('Private one', true), channelId: 'GPRIV' }, 2026);
    const open = await store.createIncident({ ...draft('Public one'), channelId: 'CPUB' }, 2026);
    await store.applyChange(
      open.id,
      {
        timeline: [
          {
            kind: 'note',
            at: DAY + 1000,
            actor: 'UALICE',
            text: 'a note',
            ref: null,
            recordedAt: DAY + 1000,
          },
        ],
        outbox: [
          { type: 'post_message', channel: 'CPUB', text: 'one' },
          { type: 'post_message', channel: 'CPUB', text: 'two' },
        ],
      },
      DAY + 1000,
    );
    await store.applyCapture({
      eventId: 'Ev1',
      now: DAY + 2000,
      messages: [
        {
          incidentId: open.id,
          channelId: 'CPUB',
          ts: '1772442000.000100',
          threadTs: null,
          userId: 'UBOB',
          botId: null,
          text: 'gone',
          files: [],
          version: '',
          editedAt: null,
        },
      ],
      deletions: [{ incidentId: open.id, channelId: 'CPUB', ts: '1772442000.000100' }],
    });
    // The SQLite process "stopped" while holding a job and a named lease.
    const [held] = await store.claimJobs(DAY + 3000, 1, { holder: 'sqlite-process', until: DAY + 600_000 });
    expect(await store.holdLease('catch-up', 'sqlite-process', DAY + 3000, DAY + 600_000)).toBe(true);
    await store.close();

    const source = new Database(path.join(dir, 'source.db'));
    const url = await freshDatabase();
    try {
      expect(checkSqliteSource(source, 'source.db')).toEqual({
        foundVersion: SQLITE_MIGRATIONS.length,
        version: SQLITE_MIGRATIONS.length,
      });
      const report = await copySqliteToPostgres(source, url, { batchRows: 1 });
      expect(report.tables.find((t) => t.table === 'outbox')?.rows).toBe(2);
      expect(report.outbox).toEqual({ pending: 2 });
      expect(report.sequences.map((s) => s.table)).toEqual(
        expect.arrayContaining(['outbox', 'timeline_events', 'role_terms', 'action_items']),
      );
    } finally {
      source.close();
    }

    const target = PostgresStore.open(url);
    try {
      // Claims released (the job is due again at once), how often it was taken kept.
      const due = await target.dueJobs(DAY + 3000, 10);
      expect(due.map((j) => [j.id, j.claims])).toEqual([
        [held!.id, 1],
        [held!.id + 1, 0],
      ]);
      expect(await pgRows(url, 'SELECT COUNT(*)::int AS n FROM leases')).toEqual([{ n: 0 }]);
      expect((await target.getIncident(secret.id))?.isPrivate).toBe(true);
      expect((await target.getIncident(open.id))?.isPrivate).toBe(false);
      expect((await target.getMessage('CPUB', '1772442000.000100'))?.deleted).toBe(true);
      expect(await target.messages(open.id)).toEqual([]);
      // New rows get the next numbers.
      const third = await target.createIncident(draft('After the move'), 2026);
      expect(third.id).toBe('INC-2026-003');
      await target.applyChange(
        open.id,
        {
          timeline: [
            { kind: 'note', at: DAY + 5000, actor: 'UBOB', text: 'later', ref: null, recordedAt: DAY + 5000 },
          ],
          outbox: [{ type: 'post_message', channel: 'CPUB', text: 'three' }],
        },
        DAY + 5000,
      );
      const jobs = await target.dueJobs(DAY + 10_000, 10);
      expect(jobs.map((j) => j.id)).toEqual([held!.id, held!.id + 1, held!.id + 2]);
      const notes = (await target.timeline(open.id)).filter((e) => e.kind === 'note');
      expect(notes.map((n) => n.text)).toEqual(['a note', 'later']);
      expect(notes[1]!.id).toBeGreaterThan(notes[0]!.id);
    } finally {
      await target.close();
    }
  });

  it('brings an older source up to date in the snapshot it reads, and copies it', async () => {
    const file = path.join(dir, 'old.db');
    const old = olderSqliteDatabase(file, 4);
    old
      .prepare(
        `INSERT INTO incidents (id, year, seq, title, severity, status, channel_id, declared_by, declared_at)
         VALUES ('INC-2025-007', 2025, 7, 'From long ago', 'P3', 'closed', 'COLD', 'UALICE', ?)`,
      )
      .run(DAY);
    old
      .prepare(
        `INSERT INTO participants (incident_id, user_id, joined_at) VALUES ('INC-2025-007', 'UBOB', ?)`,
      )
      .run(DAY);
    expect(checkSqliteSource(old, 'old.db')).toEqual({ foundVersion: 4, version: SQLITE_MIGRATIONS.length });
    const url = await freshDatabase();
    try {
      await copySqliteToPostgres(old, url);
    } finally {
      old.close();
    }
    const target = PostgresStore.open(url);
    try {
      expect(await target.getIncident('INC-2025-007')).toMatchObject({
        title: 'From long ago',
        isPrivate: false,
      });
      expect(await target.isMember('INC-2025-007', 'UBOB')).toBe(true);
    } finally {
      await target.close();
    }
  });

  it('refuses a file that is not a Firewatch database, or one from a newer Firewatch', () => {
    const other = new Database(path.join(dir, 'other.db'));
    other.exec('CREATE TABLE notes (body TEXT)');
    expect(() => checkSqliteSource(other, 'other.db')).toThrow(
      new CopyRefusal('other.db is not a Firewatch database (it has no Firewatch schema).'),
    );
    other.close();

    const { store } = sqliteFile('newer.db');
    store.db.pragma(`user_version = ${SQLITE_MIGRATIONS.length + 1}`);
    expect(() => checkSqliteSource(store.db, 'newer.db')).toThrow(CopyRefusal);
    expect(() => checkSqliteSource(store.db, 'newer.db')).toThrow(
      /schema version \d+, newer than this Firewatch/,
    );
    void store.close();

    fs.writeFileSync(path.join(dir, 'text.db'), 'just some text, not a database at all'.repeat(200));
    const text = new Database(path.join(dir, 'text.db'));
    expect(() => checkSqliteSource(text, 'text.db')).toThrow(
      new CopyRefusal('text.db is not a SQLite database.'),
    );
    text.close();
  });

  it('is all or nothing: a row PostgreSQL refuses leaves the target empty', async () => {
    const { file, store } = sqliteFile();
    const incident = await store.createIncident({ ...draft('Fine'), channelId: 'CFINE' }, 2026);
    await store.applyChange(
      incident.id,
      { timeline: [{ kind: 'note', at: DAY, actor: null, text: 'fine', ref: null, recordedAt: DAY }] },
      DAY,
    );
    await store.close();
    // A row whose incident does not exist (SQLite checks foreign keys only when asked to).
    const source = new Database(file);
    source.pragma('foreign_keys = OFF');
    source
      .prepare(
        `INSERT INTO postmortems (incident_id, version, compiled_at, author, changes, markdown)
         VALUES ('INC-1999-001', 1, 0, NULL, 'x', 'x')`,
      )
      .run();
    const url = await freshDatabase();
    try {
      await expect(copySqliteToPostgres(source, url)).rejects.toThrow(/foreign key/);
    } finally {
      source.close();
    }
    for (const table of ['incidents', 'timeline_events', 'postmortems']) {
      expect(await pgRows(url, `SELECT COUNT(*)::int AS n FROM ${table}`)).toEqual([{ n: 0 }]);
    }
  });

  it('refuses a target holding any row, before writing anything', async () => {
    const { file, store } = sqliteFile();
    await store.createIncident({ ...draft('Source'), channelId: 'CSRC' }, 2026);
    await store.close();
    const url = await freshDatabase();
    const target = PostgresStore.open(url);
    await target.savePeople({ UZED: 'zed' }, DAY);
    await target.close();
    const source = new Database(file);
    try {
      await expect(copySqliteToPostgres(source, url, { targetLabel: 'the new one' })).rejects.toThrow(
        new CopyRefusal(
          'the new one is not empty (rows in people): migrate-store only copies into an empty database.',
        ),
      );
    } finally {
      source.close();
    }
    expect(await pgRows(url, 'SELECT COUNT(*)::int AS n FROM incidents')).toEqual([{ n: 0 }]);
  });
});
