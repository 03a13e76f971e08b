/**
 * `firewatch migrate-store`, end to end: a SQLite database written by the real bot (over HTTP,
 * against the Slack emulator) with a closed incident and its postmortem, a private incident with
 * thousands of messages, edits, deletions, reactions, members who came and went, action items and
 * outbox jobs pending and failed; copied into a real PostgreSQL by the command run as a child
 * process; then every Store read answers the same from both stores, the postmortem compiles to the
 * same Markdown, and the bot started on PostgreSQL carries on: the pending jobs are sent, a new
 * incident gets the next id and new rows get new ids.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { freshDatabase, stopPostgres } from '../../scripts/support/postgres';
import { runMigrateStoreCli } from '../../src/cli/migrate-store';
import { runPostmortemCli } from '../../src/cli/postmortem';
import { DEFAULT_TARGETS, type Incident } from '../../src/domain/types';
import { SlackEmulator } from '../../src/emulator';
import { PostmortemService } from '../../src/services/postmortem-service';
import { blockKitRenderer } from '../../src/slack/blocks/renderer';
import type { ReactionChange, Store, StoredMessage } from '../../src/storage';
import { COPIED_TABLES, SKIPPED_TABLES } from '../../src/storage/copy-to-postgres';
import { PostgresStore } from '../../src/storage/postgres/postgres-store';
import { MIGRATIONS as SQLITE_MIGRATIONS } from '../../src/storage/sqlite/migrations';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store';
import { captured } from '../support/captured';
import { Harness } from '../support/harness';
import { olderSqliteDatabase } from '../support/older-sqlite';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const BULK_MESSAGES = 3000;

/** Runs `firewatch <args>` as its own process (through tsx, as a clone runs it). */
function firewatch(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/firewatch.ts', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })));
}

/** One statement on a PostgreSQL database. */
async function pgQuery(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Row counts of every copied table, read straight from the SQLite file. */
function sqliteCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      COPIED_TABLES.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n]),
    );
  } finally {
    db.close();
  }
}

/** Keys the per-row read methods are asked about, from the SQLite file itself (deleted messages too). */
function sqliteKeys(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      incidents: db.prepare('SELECT id, channel_id FROM incidents ORDER BY id').all() as {
        id: string;
        channel_id: string | null;
      }[],
      messages: db.prepare('SELECT channel_id, ts FROM messages ORDER BY channel_id, ts').all() as {
        channel_id: string;
        ts: string;
      }[],
      members: db.prepare('SELECT incident_id, user_id FROM participants').all() as {
        incident_id: string;
        user_id: string;
      }[],
      people: (db.prepare('SELECT user_id FROM people').all() as { user_id: string }[]).map((r) => r.user_id),
    };
  } finally {
    db.close();
  }
}

const FAR_FUTURE = Date.parse('2100-01-01T00:00:00Z');

/** What every per-incident read method answers about one incident. */
async function readIncident(store: Store, id: string, channelId: string | null) {
  return {
    incident: await store.getIncident(id),
    byChannel: channelId ? await store.findIncidentByChannel(channelId) : null,
    revision: await store.incidentRevision(id),
    roleTerms: await store.roleTerms(id),
    timeline: await store.timeline(id),
    comms: await store.comms(id),
    actions: await store.actions(id),
    fields: await store.fields(id),
    messages: await store.messages(id),
    lastMessageTs: await store.lastMessageTs(id),
    participants: await store.participants(id),
    postmortems: await store.postmortems(id),
  };
}

/** Everything every Store read method answers about the database (per incident, message, member…). */
async function readEverything(store: Store, keys: ReturnType<typeof sqliteKeys>) {
  const byIncident: Record<string, Awaited<ReturnType<typeof readIncident>>> = {};
  for (const { id, channel_id } of keys.incidents) byIncident[id] = await readIncident(store, id, channel_id);
  const messages: { message: StoredMessage | null; reactions: ReactionChange[] }[] = [];
  for (const { channel_id, ts } of keys.messages) {
    messages.push({
      message: await store.getMessage(channel_id, ts),
      reactions: await store.reactionsOn(channel_id, ts),
    });
  }
  const members: unknown[] = [];
  for (const { incident_id, user_id } of keys.members) {
    members.push([incident_id, user_id, await store.isMember(incident_id, user_id)]);
  }
  const due = await store.dueJobs(FAR_FUTURE, 10_000);
  const superseded: unknown[] = [];
  for (const job of due) superseded.push([job.id, await store.supersededBy(job)]);
  const byPair = (a: { status: string; severity: string }, b: { status: string; severity: string }) =>
    `${a.status}${a.severity}`.localeCompare(`${b.status}${b.severity}`);
  return {
    byIncident,
    messages,
    members,
    people: await store.people(keys.people),
    lists: {
      open: await store.listIncidents('open', 100),
      closed: await store.listIncidents('closed', 100),
      unclosed: await store.listIncidents('unclosed', 100),
      all: await store.listIncidents('all', 100),
    },
    due,
    superseded,
    nextJobAt: await store.nextJobAt(),
    pendingJobs: await store.pendingJobs(),
    failedJobs: await store.failedJobs(0),
    outboxStats: await store.outboxStats(),
    incidentCounts: (await store.incidentCounts()).sort(byPair),
  };
}

/** The postmortem as the compiler makes it from `store`, at a fixed compile time, with no Slack. */
function previewFrom(store: Store, incidentId: string): Promise<string> {
  const service = new PostmortemService({
    store,
    slack: null,
    clock: () => Date.parse('2030-01-01T12:00:00Z'),
    renderer: blockKitRenderer,
    settings: {
      timeZone: 'Europe/Oslo',
      targets: DEFAULT_TARGETS,
      postmortemDir: '/nonexistent',
      announceChannel: null,
    },
  });
  return service.preview(incidentId).then((p) => p.markdown);
}

let slack: SlackEmulator;
let dataDir: string;
let sqliteFile: string;
let closed: Incident;
let busy: { incident: Incident; channel: string };

/**
 * Plays incidents through the real bot on SQLite, then stops it (as an operator stops the bot before
 * migrating). Leaves outbox jobs pending (Slack answered 503: retried later) and failed (refused).
 */
async function playIncidents(): Promise<void> {
  slack = await SlackEmulator.start();
  const h = await Harness.start({ emulator: slack, outboxBaseDelayMs: 60_000 });
  dataDir = h.dataDir;
  sqliteFile = path.join(dataDir, 'firewatch.db');
  try {
    const base = Math.floor(Date.now() / 1000) - 900;
    const tsAt = (n: number) => `${base + n}.${String(100 + n).padStart(6, '0')}`;
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const say = (channel: string, n: number, text: string, extra: Record<string, unknown> = {}) =>
      h.event({
        type: 'message',
        channel,
        user: 'UBOB',
        text,
        ts: tsAt(n),
        event_ts: tsAt(n),
        channel_type: 'channel',
        ...extra,
      });
    const react = (type: string, channel: string, n: number, reaction: string, at: number, user = 'UALICE') =>
      h.event({
        type,
        user,
        reaction,
        item: { type: 'message', channel, ts: tsAt(n) },
        item_user: 'UBOB',
        event_ts: tsAt(at),
      });
    const member = (type: string, channel: string, user: string, at: number) =>
      h.event({ type, user, channel, channel_type: 'C', team: 'T0001', event_ts: tsAt(at) });

    const first = await h.declare('P1 Database connection pool exhausted');
    const run = async (text: string, user = 'UALICE', channel = first.channel) => {
      const reply = await h.slash(text, { channel, user });
      expect(reply.json.text ?? '').not.toContain(':warning:');
      await h.idle();
    };
    await run(`started ${ago(20)}`);
    await run(`detected ${ago(19)} by BetterStack monitor`);
    await run('tech <@UBOB|bob>');
    await run('comms <@UCAROL>');
    await member('member_joined_channel', first.channel, 'UBOB', 1);
    await member('member_joined_channel', first.channel, 'UCAROL', 2);
    await member('member_joined_channel', first.channel, 'UDAVE', 3);
    await member('member_left_channel', first.channel, 'UDAVE', 4);
    await say(first.channel, 10, '/api/health returns 503, db check failing');
    await say(first.channel, 11, 'CloudWatch shows connection refused to RDS', { user: 'UCAROL' });
    await say(first.channel, 12, 'in a thread: pool max is 20', { thread_ts: tsAt(11) });
    await say(first.channel, 13, 'graph', {
      subtype: 'file_share',
      files: [{ name: 'p99.png', permalink: 'https://x/p99' }],
    });
    await say(first.channel, 14, 'tpyo here');
    await say(first.channel, 15, 'this one goes away');
    await say(first.channel, 16, 'we need an alarm on DatabaseConnections');
    await say(first.channel, 17, 'marketing campaigns need a capacity check');
    await h.event({
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel: first.channel,
      ts: tsAt(30),
      event_ts: tsAt(30),
      message: {
        type: 'message',
        user: 'UBOB',
        text: 'typo fixed here',
        ts: tsAt(14),
        edited: { user: 'UBOB', ts: tsAt(30) },
      },
      previous_message: { type: 'message', user: 'UBOB', text: 'tpyo here', ts: tsAt(14) },
    });
    await h.event({
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel: first.channel,
      deleted_ts: tsAt(15),
      ts: tsAt(31),
      event_ts: tsAt(31),
      previous_message: { type: 'message', user: 'UBOB', text: 'this one goes away', ts: tsAt(15) },
    });
    await react('reaction_added', first.channel, 10, 'pushpin', 40);
    await react('reaction_added', first.channel, 11, 'pushpin', 41);
    await react('reaction_added', first.channel, 14, 'pushpin', 42);
    await react('reaction_removed', first.channel, 14, 'pushpin', 43);
    await react('reaction_added', first.channel, 17, 'bulb', 44);
    await react('reaction_added', first.channel, 16, 'ballot_box_with_check', 45, 'UBOB');
    await h.idle();
    await run('status identified Pool exhaustion after a login burst', 'UBOB');
    await run('update Restarting the app servers; payments failing meanwhile', 'UCAROL');
    await run('status monitoring Health check green', 'UBOB');
    await run('resolve Stable for 15 minutes');
    await run('set summary A login burst exhausted the database pool.');
    await run('set root-cause RDS connection pool exhausted by concurrent logins');
    await run('set services drop-api');
    await run('set went-well BetterStack alerted within 30 seconds');
    await run('action Configure PgBouncer or RDS Proxy <@UALICE> due 2030-03-01 P1');
    await run('done 1');
    await run('close');
    await run('reopen');
    await run('set lessons Recompiles keep what people wrote');
    await run('close');
    closed = first.incident;

    const other = await h.declare('P4 Office wifi flaky', { user: 'UERIN' });
    await run('set services drop-api', 'UERIN', other.channel);
    await run('resolve', 'UERIN', other.channel);

    busy = await h.declare('private P2 Queue backlog', { user: 'UFRANK' });
    await say(busy.channel, 50, 'consumers are stuck', { user: 'UFRANK' });
    await react('reaction_added', busy.channel, 50, 'pushpin', 51, 'UFRANK');
    // Thousands of messages, through the store's capture path in bulk.
    await h.store.applyCapture({
      eventId: null,
      now: Date.now(),
      messages: Array.from({ length: BULK_MESSAGES }, (_, i) => ({
        incidentId: busy.incident.id,
        channelId: busy.channel,
        ts: `${base - 5000 + i}.000001`,
        threadTs: null,
        userId: i % 2 ? 'UFRANK' : 'UGINA',
        botId: null,
        text: `lag report ${i}: ${'x'.repeat(i % 50)} ‘quoted’ <!channel> 🔥`,
        files: [],
        version: '',
        editedAt: null,
      })),
    });
    // Slack refuses a post for good; then it has an outage: that update is kept for later.
    slack.failAlways('chat.postMessage', { error: 'is_archived' });
    await run('update Posted while the channel looked archived', 'UFRANK', busy.channel);
    slack.failAlways('chat.postMessage', { status: 503 });
    await run('update Draining the queue by hand', 'UFRANK', busy.channel);
    slack.clearFailures();
    expect(await h.store.pendingJobs()).toBeGreaterThan(0);
    expect(await h.store.failedJobs(0)).toBeGreaterThan(0);
  } finally {
    await h.stop();
  }
}

beforeAll(async () => {
  await playIncidents();
});

afterAll(async () => {
  await slack?.stop();
  await stopPostgres();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('firewatch migrate-store', () => {
  let target: string;
  let copiedCounts: Record<string, number>;
  /** Every copied table of `target` holds as many rows as the SQLite source had. */
  const expectCopiedRows = async (target: string) => {
    for (const table of COPIED_TABLES) {
      const rows = (await pgQuery(target, `SELECT COUNT(*)::int AS n FROM ${table}`))[0]!.n;
      expect({ table, rows }).toEqual({ table, rows: copiedCounts[table] });
    }
  };

  it('copies everything from SQLite (run as its own process) and prints rows per table and the time taken', async () => {
    target = await freshDatabase();
    copiedCounts = sqliteCounts(sqliteFile);
    expect(copiedCounts.messages).toBeGreaterThan(BULK_MESSAGES);
    const before = fs.readFileSync(sqliteFile);

    const run = await firewatch(['migrate-store', '--from', `file:${sqliteFile}`, '--to', target]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const lines = run.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^Copied ${sqliteFile} to postgres://firewatch:\\*\\*\\*@127\\.0\\.0\\.1:\\d+/\\w+ in \\d+\\.\\d s\\.$`,
      ),
    );
    for (const table of COPIED_TABLES) {
      const line = lines.find((l) => l.trimStart().startsWith(`${table} `));
      expect({ table, rows: line?.trim().split(/\s+/)[1] }).toEqual({
        table,
        rows: String(copiedCounts[table]),
      });
    }
    expect(lines.find((l) => l.trimStart().startsWith('outbox '))).toMatch(
      /\(\d+ done, \d+ failed, \d+ pending\)$/,
    );
    for (const table of Object.keys(SKIPPED_TABLES)) {
      expect(lines.some((l) => l.trimStart().startsWith(`${table} `) && l.includes('skipped'))).toBe(true);
    }
    expect(lines.at(-1)).toContain('Next: set DATABASE_URL to the PostgreSQL URL');
    // The source is read, never written.
    expect(fs.readFileSync(sqliteFile).equals(before)).toBe(true);
    await expectCopiedRows(target);
  });

  it('answers every Store read the same from both stores, and compiles the same postmortem', async () => {
    const keys = sqliteKeys(sqliteFile);
    expect(keys.incidents.length).toBe(3);
    const sqlite = SqliteStore.open(sqliteFile);
    const postgres = PostgresStore.open(target);
    try {
      const fromSqlite = await readEverything(sqlite, keys);
      const fromPostgres = await readEverything(postgres, keys);
      expect(fromPostgres).toEqual(fromSqlite);
      // Not vacuous: the reads hold what the incidents were made of.
      const first = fromSqlite.byIncident[closed.id]!;
      expect(first.postmortems).toHaveLength(2);
      expect(first.roleTerms.length).toBeGreaterThanOrEqual(3);
      expect(first.actions).toHaveLength(2);
      expect(first.timeline.some((e) => e.kind === 'pin')).toBe(true);
      expect(first.fields.some((f) => f.field === 'lessons')).toBe(true);
      expect(first.comms.length).toBeGreaterThan(0);
      expect(fromSqlite.members).toContainEqual([closed.id, 'UDAVE', false]);
      expect(fromSqlite.messages.some((m) => m.message?.deleted)).toBe(true);
      expect(fromSqlite.messages.some((m) => m.reactions.length > 0)).toBe(true);
      expect((fromSqlite.byIncident[busy.incident.id] as { incident: Incident }).incident.isPrivate).toBe(
        true,
      );
      expect(fromSqlite.outboxStats.pending).toBeGreaterThan(0);
      expect(fromSqlite.outboxStats.failed).toBeGreaterThan(0);

      for (const { id } of keys.incidents) {
        const markdown = await previewFrom(sqlite, id);
        expect(await previewFrom(postgres, id)).toBe(markdown);
      }
      const markdown = await previewFrom(postgres, closed.id);
      expect(markdown).toContain('CloudWatch shows connection refused to RDS');
      expect(markdown).toContain('Recompiles keep what people wrote');
      expect(markdown).toContain('Configure PgBouncer or RDS Proxy');
    } finally {
      await sqlite.close();
      await postgres.close();
    }

    // The postmortem command, pointed at each database in turn (only its compile time differs).
    const cli = async (databaseUrl: string, name: string) => {
      const out = path.join(dataDir, name);
      const run = await captured(() =>
        runPostmortemCli([closed.id, '--out', out], { DATABASE_URL: databaseUrl, FIREWATCH_TIMEZONE: 'UTC' }),
      );
      expect(run.code).toBe(0);
      return fs.readFileSync(out, 'utf8').replace(/^\| Compiled at \|.*$/m, '| Compiled at | (now) |');
    };
    const fromFile = await cli(sqliteFile, 'from-sqlite.md');
    expect(fromFile).toContain('| Compiled at | (now) |');
    expect(await cli(target, 'from-postgres.md')).toBe(fromFile);
  });

  it('refuses to copy into a database that is not empty, writing nothing (status 2)', async () => {
    const again = await captured(() => runMigrateStoreCli(['--from', sqliteFile, '--to', target]));
    expect(again.code).toBe(2);
    expect(again.out).toBe('');
    expect(again.err).toMatch(
      /^postgres:\/\/firewatch:\*\*\*@[^ ]+ \(--to\) is not empty \(rows in incidents, .*\): migrate-store only copies into an empty database\.\n$/,
    );
    await expectCopiedRows(target);
  });

  it('the bot started on the copy sends what was pending, numbers a new incident next and adds rows without collisions', async () => {
    const maxIds = async () =>
      Object.fromEntries(
        await Promise.all(
          ['timeline_events', 'outbox', 'action_items', 'comms_log', 'role_terms', 'postmortem_fields'].map(
            async (t) => [
              t,
              Number((await pgQuery(target, `SELECT COALESCE(MAX(id), 0) AS m FROM ${t}`))[0]!.m),
            ],
          ),
        ),
      ) as Record<string, number>;
    const copied = await maxIds();
    const pending = Number(
      (await pgQuery(target, "SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'"))[0]!.n,
    );
    expect(pending).toBeGreaterThan(0);
    const posted = slack.callsTo('chat.postMessage').length;

    const h = await Harness.start({ emulator: slack, env: { DATABASE_URL: target } });
    try {
      expect(h.store).toBeInstanceOf(PostgresStore);
      await h.idle();
      expect(await h.store.pendingJobs()).toBe(0);
      // The update queued during the outage reached the private incident's channel once.
      const draining = slack
        .callsTo('chat.postMessage')
        .slice(posted)
        .filter((c) => c.status === 200 && String(c.args.text).includes('Draining the queue by hand'));
      expect(draining.map((c) => c.args.channel)).toContain(busy.channel);

      const year = closed.year;
      const { incident, channel } = await h.declare('P3 First incident on PostgreSQL', { user: 'UGINA' });
      expect(incident.id).toBe(`INC-${year}-${String(4).padStart(3, '0')}`);
      for (const text of [
        'note recorded after the move',
        'action Write the runbook <@UGINA>',
        'tech <@UBOB>',
      ]) {
        const reply = await h.slash(text, { channel, user: 'UGINA' });
        expect(reply.json.text ?? '').not.toContain(':warning:');
      }
      const old = await h.slash('note still going after the move', { channel: busy.channel, user: 'UFRANK' });
      expect(old.json.text ?? '').not.toContain(':warning:');
      await h.idle();
      const after = await maxIds();
      for (const table of ['timeline_events', 'outbox', 'action_items', 'role_terms']) {
        expect({ table, grew: after[table]! > copied[table]! }).toEqual({ table, grew: true });
      }
      const newest = await pgQuery(
        target,
        `SELECT incident_id, MIN(id)::int AS first FROM timeline_events WHERE recorded_at > ${Date.now() - 60_000} AND incident_id = '${incident.id}' GROUP BY incident_id`,
      );
      expect(Number(newest[0]!.first)).toBeGreaterThan(copied.timeline_events!);
      expect((await h.store.actions(incident.id)).map((a) => a.seq)).toEqual([1]);
      expect((await h.store.timeline(busy.incident.id)).map((e) => e.text)).toContain(
        'still going after the move',
      );
    } finally {
      await h.stop();
    }
  });
});

describe('firewatch migrate-store with a source from an older Firewatch', () => {
  it('upgrades its snapshot, not the file, and says so', async () => {
    const file = path.join(dataDir, 'older.db');
    const old = olderSqliteDatabase(file, 3);
    old
      .prepare(
        `INSERT INTO incidents (id, year, seq, title, severity, status, channel_id, declared_by, declared_at)
         VALUES ('INC-2024-012', 2024, 12, 'Before private incidents existed', 'P2', 'closed', 'COLD', 'UALICE', 1700000000000)`,
      )
      .run();
    old.close();
    const target = await freshDatabase();
    const run = await captured(() => runMigrateStoreCli([`--from=${file}`, `--to=${target}`]));
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain(
      `The source had schema version 3; its copy was brought to ${SQLITE_MIGRATIONS.length} first (the file itself is unchanged).`,
    );
    expect(run.out).toMatch(/^ {2}incidents +1$/m);
    const reopened = new Database(file, { readonly: true });
    expect(reopened.pragma('user_version', { simple: true })).toBe(3);
    reopened.close();
    const store = PostgresStore.open(target);
    try {
      expect(await store.getIncident('INC-2024-012')).toMatchObject({ isPrivate: false, status: 'closed' });
    } finally {
      await store.close();
    }
  });
});

describe('firewatch migrate-store refuses what it cannot do (status 2, one line)', () => {
  const refusal = async (args: string[], pattern: RegExp) => {
    const run = await captured(() => runMigrateStoreCli(args));
    expect({ code: run.code, out: run.out }).toEqual({ code: 2, out: '' });
    expect(run.err).toMatch(pattern);
    return run.err;
  };

  it('needs --from and --to, and nothing else', async () => {
    await refusal([], /^migrate-store needs --from and --to\.\nUsage: firewatch migrate-store /);
    await refusal(['--from', 'a.db'], /^migrate-store needs --from and --to\./);
    await refusal(['--from', 'a.db', '--to'], /^--to needs a value\./);
    await refusal(['--from', 'a.db', '--to', 'postgres://h/db', '--force'], /^Unknown argument --force\./);
  });

  it('goes from SQLite to PostgreSQL only, and says how to go back', async () => {
    const backwards = await refusal(
      ['--from', 'postgres://u:p@h/db', '--to', 'data/firewatch.db'],
      /^--from is a PostgreSQL URL: migrate-store copies SQLite → PostgreSQL only; to go back to SQLite, keep the SQLite file/,
    );
    expect(backwards.trimEnd().split('\n')).toHaveLength(1);
    const sideways = await refusal(
      ['--from', 'data/firewatch.db', '--to', 'file:other.db'],
      /^--to must be a PostgreSQL URL \(postgres:\/\/…\): migrate-store copies SQLite → PostgreSQL only.*firewatch backup <file>/,
    );
    expect(sideways.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses a source that is missing, not SQLite, not Firewatch or newer than this Firewatch', async () => {
    const dir = fs.mkdtempSync(path.join(dataDir, 'sources-'));
    const to = 'postgres://firewatch:secret@127.0.0.1:1/never';
    await refusal(
      ['--from', path.join(dir, 'none.db'), '--to', to],
      /^No SQLite database at .*none\.db \(--from\)\.\n$/,
    );
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'plain text, not SQLite at all\n'.repeat(100));
    await refusal(
      ['--from', path.join(dir, 'notes.txt'), '--to', to],
      /notes\.txt is not a SQLite database \(--from\)\.\n$/,
    );
    const other = new Database(path.join(dir, 'other.db'));
    other.exec('CREATE TABLE recipes (name TEXT)');
    other.close();
    await refusal(
      ['--from', path.join(dir, 'other.db'), '--to', to],
      /other\.db is not a Firewatch database/,
    );
    const newer = SqliteStore.open(path.join(dir, 'newer.db'));
    newer.db.pragma('user_version = 999');
    await newer.close();
    await refusal(
      ['--from', path.join(dir, 'newer.db'), '--to', to],
      /schema version 999, newer than this Firewatch/,
    );
    // Nothing is left behind by the refusals: no snapshot beside the sources.
    expect(fs.readdirSync(dir).sort()).toEqual(['newer.db', 'notes.txt', 'other.db']);
  });

  it('fails with status 1, naming the target, when PostgreSQL cannot be reached', async () => {
    const run = await captured(() =>
      runMigrateStoreCli(['--from', sqliteFile, '--to', 'postgres://firewatch:secret@127.0.0.1:1/never']),
    );
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /^migrate-store failed, nothing was copied: cannot connect to postgres:\/\/firewatch:\*\*\*@127\.0\.0\.1:1\/never \(--to\) \(.+\)\n$/,
    );
    expect(run.err).not.toContain('secret');
  });
});
