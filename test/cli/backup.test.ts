/**
 * `firewatch backup <file>`: a consistent copy of the SQLite database taken while the running bot
 * (the real app over HTTP against the emulator) keeps writing to it; the copy is opened as a store
 * and every incident, with its timeline, messages and postmortems, is read back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { backupDatabase, runBackupCli } from '../../src/cli/backup';
import { databasePath } from '../../src/config';
import type { Incident } from '../../src/domain/types';
import type { Store } from '../../src/storage';
import { openStore } from '../../src/storage';
import { captured } from '../support/captured';
import { Harness } from '../support/harness';

jest.setTimeout(60_000);

/** Everything the store knows about one incident. */
async function snapshot(store: Store, incident: Incident) {
  return {
    incident: await store.getIncident(incident.id),
    timeline: await store.timeline(incident.id),
    messages: await store.messages(incident.id),
    postmortems: await store.postmortems(incident.id),
    roles: await store.roleTerms(incident.id),
    comms: await store.comms(incident.id),
    actions: await store.actions(incident.id),
    fields: await store.fields(incident.id),
  };
}

describe('firewatch backup', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  let seq = 0;
  /** A human message in a channel, with a fresh ts (oldest first). */
  const say = (channel: string, text: string) => {
    seq += 1;
    const ts = `${Math.floor(Date.now() / 1000) - 600}.${String(seq).padStart(6, '0')}`;
    return h.event({
      type: 'message',
      channel,
      user: 'UBOB',
      text,
      ts,
      event_ts: ts,
      channel_type: 'channel',
    });
  };

  it('copies a database the bot is writing to; the copy reads back every incident', async () => {
    const closed: Incident[] = [];
    for (const title of ['Database down', 'Queue backlog']) {
      const { incident, channel } = await h.declare(`P2 ${title}`);
      // Enough text that the backup takes several steps while the writer below goes on.
      for (let i = 0; i < 60; i += 1) await say(channel, `${title} finding ${i} ${'x'.repeat(400)}`);
      await h.slash('note the pool is exhausted', { channel });
      await h.slash('close', { channel });
      await h.idle();
      closed.push(incident);
    }
    const busy = await h.declare('P1 Still burning');
    for (let i = 0; i < 20; i += 1) await say(busy.channel, `before the backup ${i}`);
    const before = await h.store.messages(busy.incident.id);

    // The bot keeps capturing messages while the backup runs.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await say(busy.channel, `during the backup ${written}`);
        written += 1;
      }
    })();
    const target = path.join(h.dataDir, 'backup', 'firewatch-copy.db');
    fs.mkdirSync(path.dirname(target));
    const result = await backupDatabase(databasePath(h.config.databaseUrl), target, false);
    writing = false;
    await writer;
    await h.idle();
    expect(written).toBeGreaterThan(0);
    expect(result.target).toBe(target);
    expect(result.pages).toBeGreaterThan(10);
    expect(result.bytes).toBe(fs.statSync(target).size);
    // One self-contained file: no WAL left beside it.
    expect(fs.existsSync(`${target}-wal`)).toBe(false);

    const copy = openStore(target);
    try {
      const all = await copy.listIncidents('all', 100);
      expect(all.map((i) => i.id).sort()).toEqual([...closed.map((i) => i.id), busy.incident.id].sort());
      for (const incident of closed) {
        const restored = await snapshot(copy, incident);
        expect(restored).toEqual(await snapshot(h.store, incident));
        expect(restored.messages).toHaveLength(60);
        expect(restored.postmortems.length).toBeGreaterThan(0);
        expect(restored.timeline.length).toBeGreaterThan(0);
      }
      // The busy incident: a consistent moment, i.e. a prefix of what the bot has now, holding at
      // least what was there before the backup began.
      const copied = await copy.messages(busy.incident.id);
      const now = await h.store.messages(busy.incident.id);
      expect(copied.length).toBeGreaterThanOrEqual(before.length);
      expect(copied).toEqual(now.slice(0, copied.length));
      expect(await copy.getIncident(busy.incident.id)).toEqual(await h.store.getIncident(busy.incident.id));
      expect((await copy.timeline(busy.incident.id)).length).toBeGreaterThan(0);
    } finally {
      await copy.close();
    }
  });

  it('refuses to overwrite a file unless --force, and says what it wrote', async () => {
    await h.declare('P3 Backed up twice');
    const target = path.join(h.dataDir, 'twice.db');
    const env = { DATABASE_URL: h.config.databaseUrl };

    const first = await captured(() => runBackupCli([target], env));
    expect(first.code).toBe(0);
    expect(first.out).toMatch(
      new RegExp(`^Backed up .*firewatch\\.db to ${target} \\(\\d+ pages, \\d+ bytes\\)\\.\\n$`),
    );
    const written = fs.readFileSync(target);

    const again = await captured(() => runBackupCli([target], env));
    expect(again.code).toBe(1);
    expect(again.err).toContain(`${target} exists; pass --force to overwrite it.`);
    expect(fs.readFileSync(target).equals(written)).toBe(true);
    const itself = await captured(() => runBackupCli([h.config.databaseUrl, '--force'], env));
    expect(itself.code).toBe(1);
    expect(itself.err).toContain('is the database itself');

    await h.declare('P3 After the first backup');
    const forced = await captured(() => runBackupCli([target, '--force'], env));
    expect(forced.code).toBe(0);
    const copy = openStore(target);
    try {
      expect(await copy.listIncidents('all', 10)).toHaveLength(2);
    } finally {
      await copy.close();
    }
  });

  it('needs exactly one file and an existing database', async () => {
    expect((await captured(() => runBackupCli([], {}))).code).toBe(2);
    expect((await captured(() => runBackupCli(['a.db', 'b.db'], {}))).code).toBe(2);
    const missing = await captured(() =>
      runBackupCli([path.join(h.dataDir, 'x.db')], { DATABASE_URL: path.join(h.dataDir, 'none.db') }),
    );
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('No database at');
    expect(fs.existsSync(path.join(h.dataDir, 'none.db'))).toBe(false);
  });

  it('refuses a PostgreSQL DATABASE_URL in one line that points to pg_dump (status 2), writing no file', async () => {
    const target = path.join(h.dataDir, 'pg-copy.db');
    for (const url of [
      'postgres://firewatch:secret@db.internal:5432/firewatch',
      'postgresql://db/firewatch',
    ]) {
      const run = await captured(() => runBackupCli([target], { DATABASE_URL: url }));
      expect(run.code).toBe(2);
      expect(run.out).toBe('');
      expect(run.err).toBe(
        'backup copies a SQLite database, and DATABASE_URL is PostgreSQL: use pg_dump instead (e.g. pg_dump --format=custom --file=firewatch.dump "$DATABASE_URL").\n',
      );
      expect(run.err).not.toContain('secret');
    }
    expect(fs.existsSync(target)).toBe(false);
  });
});
