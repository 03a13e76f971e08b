import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { draftIncident } from '../../src/domain/lifecycle';
import type { NewIncident } from '../../src/storage';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store';

const draft = (declaredAt: number, title = 'Something broke'): NewIncident =>
  draftIncident({ title, severity: 'P2', declaredBy: 'UALICE', originChannelId: 'CGENERAL', declaredAt });

describe('SqliteStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-store-'));
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

  it('refuses a database written by a newer Firewatch', async () => {
    const file = path.join(dir, 'fw.db');
    const store = SqliteStore.open(file);
    store.db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    await store.close();
    expect(() => SqliteStore.open(file)).toThrow(/newer than this Firewatch/);
  });

  it('numbers incidents per year, and declarations in the same millisecond never share an id', async () => {
    const store = SqliteStore.open(path.join(dir, 'fw.db'));
    const at = Date.parse('2026-06-01T12:00:00Z');
    const ids = (
      await Promise.all(Array.from({ length: 20 }, () => store.createIncident(draft(at), 2026)))
    ).map((i) => i.id);
    expect(new Set(ids).size).toBe(20);
    expect(ids).toContain('INC-2026-001');
    expect(ids).toContain('INC-2026-020');
    const nextYear = await store.createIncident(draft(Date.parse('2027-01-01T00:00:00Z')), 2027);
    expect(nextYear.id).toBe('INC-2027-001');
    await store.close();
  });

  it('sweeps drafts left by an interrupted declaration, and only old ones', async () => {
    const store = SqliteStore.open(path.join(dir, 'fw.db'));
    const old = await store.createIncident(draft(1000), 1970);
    const fresh = await store.createIncident(draft(5000), 1970);
    expect(await store.sweepDrafts(2000)).toBe(1);
    expect(await store.getIncident(old.id)).toBeNull();
    expect(await store.getIncident(fresh.id)).not.toBeNull();
    await store.close();
  });

  it('discards only an incident that never got a channel', async () => {
    const store = SqliteStore.open(path.join(dir, 'fw.db'));
    const a = await store.createIncident(draft(Date.now()), 2026);
    await store.discardIncident(a.id);
    expect(await store.getIncident(a.id)).toBeNull();
    const b = await store.createIncident(draft(Date.now()), 2026);
    await store.applyChange(b.id, { incident: { ...b, channelId: 'C1', channelName: 'inc' } }, Date.now());
    await store.discardIncident(b.id);
    expect(await store.getIncident(b.id)).not.toBeNull();
    await store.close();
  });

  it('applies a change set atomically: nothing is written when one part fails', async () => {
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

  it('keeps the card ts when a change set rewrites the incident', async () => {
    const store = SqliteStore.open(path.join(dir, 'fw.db'));
    const incident = await store.createIncident(draft(Date.now()), 2026);
    await store.setCardTs(incident.id, '123.456');
    await store.applyChange(incident.id, { incident: { ...incident, severity: 'P1' } }, Date.now());
    expect(await store.getIncident(incident.id)).toMatchObject({ severity: 'P1', cardTs: '123.456' });
    await store.close();
  });

  it('remembers delivered event ids until they are pruned', async () => {
    const store = SqliteStore.open(path.join(dir, 'fw.db'));
    expect(await store.applyCapture({ eventId: 'Ev1', now: 1000 })).toBe(true);
    expect(await store.applyCapture({ eventId: 'Ev1', now: 2000 })).toBe(false);
    expect(await store.pruneProcessedEvents(1500)).toBe(1);
    expect(await store.applyCapture({ eventId: 'Ev1', now: 3000 })).toBe(true);
    await store.close();
  });

  it('group-commits batches of one event-loop turn, and one bad batch rolls back alone', async () => {
    const store = SqliteStore.open(path.join(dir, 'fw.db'));
    const incident = await store.createIncident(draft(Date.now()), 2026);
    const message = (ts: string) => ({
      incidentId: incident.id,
      channelId: 'C1',
      ts,
      threadTs: null,
      userId: 'U1',
      botId: null,
      text: `m ${ts}`,
      files: [],
      version: '',
      editedAt: null,
    });
    const results = await Promise.allSettled([
      store.applyCapture({ eventId: 'A', now: 1, messages: [message('1.000001')] }),
      store.applyCapture({
        eventId: 'B',
        now: 1,
        messages: [message('2.000001')],
        // An unknown purpose violates a CHECK constraint: this batch must vanish whole.
        reactions: [
          {
            channelId: 'C1',
            ts: '2.000001',
            userId: 'U1',
            emoji: 'x',
            purpose: 'nope' as never,
            present: true,
            changedAt: '1',
          },
        ],
      }),
      store.applyCapture({ eventId: 'C', now: 1, messages: [message('3.000001')] }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store.messages(incident.id)).map((m) => m.ts)).toEqual(['1.000001', '3.000001']);
    // B's event id was rolled back with it, so a retry of B can still apply.
    expect(await store.applyCapture({ eventId: 'B', now: 2, messages: [message('2.000001')] })).toBe(true);
    await store.close();
  });
});
