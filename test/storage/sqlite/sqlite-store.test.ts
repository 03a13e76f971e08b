import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { draftIncident } from '../../../src/domain/lifecycle';
import { OutboxWorker, PermanentJobError } from '../../../src/services/outbox';
import type { NewIncident } from '../../../src/storage';
import { MIGRATIONS } from '../../../src/storage/sqlite/migrations';
import { SqliteStore } from '../../../src/storage/sqlite/sqlite-store';
import { describeStoreContract } from '../store-contract';

const draft = (declaredAt: number, title = 'Something broke'): NewIncident =>
  draftIncident({ title, severity: 'P2', declaredBy: 'UALICE', originChannelId: 'CGENERAL', declaredAt });

// The whole Store contract, on a real SQLite file in a fresh temporary folder per test.
describeStoreContract('SqliteStore', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-contract-'));
  const store = SqliteStore.open(path.join(dir, 'fw.db'));
  return {
    store,
    dispose: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteStore (SQLite specifics)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-store-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates file and folder, runs numbered migrations once, uses WAL and STRICT tables', async () => {
    const file = path.join(dir, 'deep', 'fw.db');
    const store = SqliteStore.open(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = store.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
      sql: string;
    }[];
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'incidents',
        'role_terms',
        'timeline_events',
        'comms_log',
        'outbox',
        'messages',
        'postmortems',
      ]),
    );
    for (const t of tables) expect(t.sql).toMatch(/\) STRICT$/);
    await store.close();

    const reopened = SqliteStore.open(file);
    expect(reopened.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    await reopened.close();
  });

  it('migration 007 adds the reminders table and forgets names remembered before it (handles, not full names)', async () => {
    const file = path.join(dir, 'fw.db');
    const store = SqliteStore.open(file);
    await store.savePeople({ UALICE: 'alice' }, 1000);
    // As a database written before migration 007: people remembered, no reminders table.
    store.db.exec('DROP TABLE reminders');
    store.db.pragma('user_version = 6');
    await store.close();
    const upgraded = SqliteStore.open(file);
    expect(upgraded.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(await upgraded.people(['UALICE'])).toEqual({});
    const incident = await upgraded.createIncident(draft(1000), 2026);
    expect(await upgraded.recordReminder('k', incident.id, { type: 'refresh_card' }, 2000)).toBe(true);
    await upgraded.close();
  });

  it('at start-up wakes every pending job and releases the claims and leases of the process before', async () => {
    // One process owns a SQLite file: whatever it held when it stopped is nobody's now.
    const store = SqliteStore.open(path.join(dir, 'fw.db'));
    const incident = await store.createIncident(draft(1000), 2026);
    const post = (text: string) => ({ type: 'post_message' as const, channel: 'C1', text });
    await store.applyChange(incident.id, { outbox: [post('a'), post('b'), post('c')] }, 2000);
    const [a, b, c] = await store.dueJobs(2000, 10);
    await store.retryJob(a!.id, 90_000, 'later');
    await store.failJob(c!.id, 'gone', 2500);
    await store.claimJobs(3000, 1, { holder: 'gone', until: 60_000 });
    expect(await store.holdLease('catch-up', 'gone', 3000, 60_000)).toBe(true);
    expect(await store.dueJobs(3000, 10)).toEqual([]);
    await store.wakeJobs(3000);
    // a (backing off until 90 s) is due now; b (claimed, due since 2 s) is free again.
    expect(await store.nextJobAt()).toBe(2000);
    expect((await store.dueJobs(3000, 10)).map((j) => j.id).sort()).toEqual([a!.id, b!.id].sort());
    expect(await store.pendingJobs()).toBe(2);
    expect(await store.holdLease('catch-up', 'new', 3000, 60_000)).toBe(true);
    await store.close();
  });

  it('refuses a database written by a newer Firewatch', async () => {
    const file = path.join(dir, 'fw.db');
    const store = SqliteStore.open(file);
    store.db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    await store.close();
    expect(() => SqliteStore.open(file)).toThrow(/newer than this Firewatch/);
  });

  it('refuses a change set that breaks a CHECK constraint with the SQLite error code, writing nothing', async () => {
    const store = SqliteStore.open(path.join(dir, 'fw.db'));
    const incident = await store.createIncident(draft(Date.now()), 2026);
    await expect(
      store.applyChange(
        incident.id,
        {
          timeline: [{ kind: 'note', at: 1, actor: 'U1', text: 'kept?', ref: null, recordedAt: 1 }],
          // An invalid role violates the CHECK constraint.
          newRoleTerms: [{ role: 'boss' as never, userId: 'U1', from: 1, to: null, assignedBy: 'U1' }],
        },
        Date.now(),
      ),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_CHECK' });
    expect(await store.timeline(incident.id)).toHaveLength(0);
    await store.close();
  });

  it('keeps the error of an outbox job the worker gave up on, and of one it retries', async () => {
    const store = SqliteStore.open(path.join(dir, 'fw.db'));
    let now = 1_000_000;
    const incident = await store.createIncident(draft(now), 1970);
    let failuresLeft = 1;
    const worker = new OutboxWorker(
      store,
      () => now,
      () => undefined,
      { baseDelayMs: 1000, maxDelayMs: 10_000, maxAttempts: 5 },
    );
    worker.handleWith(async (job) => {
      if (job.job.type !== 'post_message') return undefined;
      if (job.job.text === 'flaky' && failuresLeft-- > 0) throw new Error('socket hang up');
      if (job.job.text === 'doomed') throw new PermanentJobError('channel is gone');
      return undefined;
    });
    await store.applyChange(
      incident.id,
      {
        outbox: ['flaky', 'doomed'].map((text) => ({ type: 'post_message' as const, channel: 'C1', text })),
      },
      now,
    );
    worker.kick();
    await worker.idle();
    const rows = () => store.db.prepare('SELECT status, attempts, last_error FROM outbox ORDER BY id').all();
    expect(rows()).toEqual([
      { status: 'pending', attempts: 1, last_error: 'socket hang up' },
      { status: 'failed', attempts: 1, last_error: 'channel is gone' },
    ]);
    now += 1000;
    await worker.idle();
    const failed = store.db.prepare("SELECT last_error FROM outbox WHERE status = 'failed'").all();
    expect(failed).toEqual([{ last_error: 'channel is gone' }]);
    expect(rows()[0]).toMatchObject({ status: 'done' });
    await worker.stop();
    await store.close();
  });

  it('closes twice without error, writing capture batches still queued', async () => {
    const file = path.join(dir, 'fw.db');
    const store = SqliteStore.open(file);
    const incident = await store.createIncident(draft(Date.now()), 2026);
    const pending = store.applyCapture({
      eventId: 'Ev1',
      now: 1,
      messages: [
        {
          incidentId: incident.id,
          channelId: 'C1',
          ts: '1.000001',
          threadTs: null,
          userId: 'U1',
          botId: null,
          text: 'queued',
          files: [],
          version: '',
          editedAt: null,
        },
      ],
    });
    await store.close();
    await store.close();
    await expect(pending).resolves.toBe(true);
    const reopened = SqliteStore.open(file);
    expect((await reopened.messages(incident.id)).map((m) => m.text)).toEqual(['queued']);
    await reopened.close();
  });
});
