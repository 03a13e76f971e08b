import fc from 'fast-check';
import {
  DEFAULT_UPDATE_INTERVALS,
  describeIntervals,
  dueReminders,
  isOverdue,
  lastUpdateAt,
  overdueFrom,
  parseUpdateIntervals,
  type ReminderInput,
} from '../../src/domain/reminders';
import type { ActionItem, Incident, RoleTerm, TimelineEvent } from '../../src/domain/types';
import { T0, testIncident } from './fixtures';

const MIN = 60_000;

const event = (kind: TimelineEvent['kind'], recordedAt: number, at = recordedAt): TimelineEvent => ({
  id: recordedAt,
  incidentId: 'INC-2026-001',
  kind,
  at,
  actor: 'UALICE',
  text: kind,
  ref: null,
  recordedAt,
});

const term = (role: RoleTerm['role'], userId: string, from = T0, to: number | null = null): RoleTerm => ({
  id: from,
  incidentId: 'INC-2026-001',
  role,
  userId,
  from,
  to,
  assignedBy: 'UALICE',
});

const item = (over: Partial<ActionItem> = {}): ActionItem => ({
  id: 1,
  incidentId: 'INC-2026-001',
  seq: 1,
  text: 'Add a pool alert',
  owner: 'UBOB',
  due: '2026-02-20',
  priority: 'P2',
  status: 'open',
  createdAt: T0,
  createdBy: 'UALICE',
  doneAt: null,
  sourceRef: null,
  ...over,
});

/** One open incident with the declaration on its timeline and Alice as IC. */
const input = (now: number, over: Partial<ReminderInput> = {}, incident: Incident = testIncident()) => ({
  now,
  timeZone: 'UTC',
  intervals: DEFAULT_UPDATE_INTERVALS,
  incidents: [{ incident, timeline: [event('declared', T0)], terms: [term('ic', 'UALICE')] }],
  actions: [],
  ...over,
});

const keys = (i: ReminderInput) => dueReminders(i).map((r) => r.key);

describe('update reminders', () => {
  it('nudges a P1 after 15 minutes without an update, once per interval number', () => {
    expect(keys(input(T0 + 14 * MIN + 59_999))).toEqual([]);
    expect(keys(input(T0 + 15 * MIN))).toEqual([`update:INC-2026-001:${T0}:15m:1`]);
    expect(keys(input(T0 + 29 * MIN))).toEqual([`update:INC-2026-001:${T0}:15m:1`]);
    expect(keys(input(T0 + 30 * MIN))).toEqual([`update:INC-2026-001:${T0}:15m:2`]);
  });

  it('after a long silence (the bot was down) names only the current interval', () => {
    expect(keys(input(T0 + 185 * MIN))).toEqual([`update:INC-2026-001:${T0}:15m:12`]);
  });

  it('uses each severity interval, and never reminds P4 by default', () => {
    const at = (severity: Incident['severity'], minutes: number) =>
      keys(input(T0 + minutes * MIN, {}, testIncident({ severity })));
    expect(at('P2', 29)).toEqual([]);
    expect(at('P2', 30)).toHaveLength(1);
    expect(at('P3', 59)).toEqual([]);
    expect(at('P3', 60)).toHaveLength(1);
    expect(at('P4', 60 * 24 * 30)).toEqual([]);
  });

  it('counts from the latest update, status change or reopening, as recorded (not a backdated time)', () => {
    const timeline = [
      event('declared', T0),
      event('update', T0 + 10 * MIN),
      // Backdated: said at T0+20 that the cause was found at T0+5.
      event('status', T0 + 20 * MIN, T0 + 5 * MIN),
      event('note', T0 + 30 * MIN),
      event('severity', T0 + 31 * MIN),
    ];
    expect(lastUpdateAt(testIncident(), timeline)).toBe(T0 + 20 * MIN);
    const withTimeline = (now: number) =>
      keys(
        input(now, { incidents: [{ incident: testIncident(), timeline, terms: [term('ic', 'UALICE')] }] }),
      );
    expect(withTimeline(T0 + 34 * MIN)).toEqual([]);
    expect(withTimeline(T0 + 35 * MIN)).toEqual([`update:INC-2026-001:${T0 + 20 * MIN}:15m:1`]);
    expect(lastUpdateAt(testIncident(), [])).toBe(T0);
  });

  it('nudges the current Incident Commander and Communications Lead, each once', () => {
    const nudgeOf = (terms: RoleTerm[]) => {
      const [first] = dueReminders(
        input(T0 + 15 * MIN, { incidents: [{ incident: testIncident(), timeline: [], terms }] }),
      );
      return first?.kind === 'update' ? first : null;
    };
    expect(
      nudgeOf([term('ic', 'UALICE', T0, T0 + MIN), term('ic', 'UBOB', T0 + MIN), term('comms', 'UCAROL')]),
    ).toMatchObject({
      kind: 'update',
      channelId: 'C1',
      intervalMinutes: 15,
      silentMinutes: 15,
      nudge: ['UBOB', 'UCAROL'],
    });
    expect(nudgeOf([term('ic', 'UBOB'), term('comms', 'UBOB')])?.nudge).toEqual(['UBOB']);
    // No IC on record: the declarer is the Incident Commander until someone else is.
    expect(nudgeOf([])?.nudge).toEqual(['UALICE']);
  });

  it('leaves resolved and closed incidents, and incidents without a channel, alone', () => {
    for (const over of [
      { status: 'resolved' as const },
      { status: 'closed' as const },
      { channelId: null },
    ]) {
      expect(keys(input(T0 + 60 * MIN, {}, testIncident(over)))).toEqual([]);
    }
  });

  it('a severity change starts counting in the new interval (a new key)', () => {
    const p3 = keys(input(T0 + 60 * MIN, {}, testIncident({ severity: 'P3' })));
    const p1 = keys(input(T0 + 60 * MIN, {}, testIncident({ severity: 'P1' })));
    expect(p3).toEqual([`update:INC-2026-001:${T0}:60m:1`]);
    expect(p1).toEqual([`update:INC-2026-001:${T0}:15m:4`]);
  });

  it('fires at most once per interval: over any sequence of checks, the n-th key comes after n intervals', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 * 60 }), { maxLength: 40 }), (minutes) => {
        const seen = new Set<string>();
        for (const m of [...minutes].sort((a, b) => a - b)) {
          for (const key of keys(input(T0 + m * MIN))) {
            const n = Number(key.split(':').at(-1));
            expect(n).toBe(Math.floor(m / 15));
            seen.add(key);
          }
        }
        // Never more distinct reminders than whole intervals passed.
        expect(seen.size).toBeLessThanOrEqual(Math.floor(Math.max(0, ...minutes) / 15));
      }),
    );
  });
});

describe('overdue action items', () => {
  it('is overdue once its due day has ended in the configured zone', () => {
    // 2026-02-20 ends at 2026-02-20T23:00Z in Oslo (CET, UTC+1) and at midnight UTC.
    expect(overdueFrom('2026-02-20', 'Europe/Oslo')).toBe(Date.parse('2026-02-20T23:00:00Z'));
    expect(overdueFrom('2026-02-20', 'UTC')).toBe(Date.parse('2026-02-21T00:00:00Z'));
    expect(overdueFrom('2026-02-28', 'UTC')).toBe(Date.parse('2026-03-01T00:00:00Z'));
    expect(overdueFrom('someday', 'UTC')).toBeNull();
    expect(isOverdue(item(), 'UTC', Date.parse('2026-02-20T23:59:59Z'))).toBe(false);
    expect(isOverdue(item(), 'UTC', Date.parse('2026-02-21T00:00:00Z'))).toBe(true);
  });

  it('sends open, owned, overdue items to their owner, under a key naming the item and due date', () => {
    const now = Date.parse('2026-02-22T09:00:00Z');
    const items = [
      item(),
      item({ seq: 2, status: 'done', doneAt: now }),
      item({ seq: 3, owner: null }),
      item({ seq: 4, due: null }),
      item({ seq: 5, due: '2026-02-22' }),
      item({ seq: 6, due: '2026-02-21', owner: 'UCAROL' }),
    ];
    const closed = testIncident({ status: 'closed' });
    const due = dueReminders(input(now, { incidents: [], actions: [{ incident: closed, items }] }));
    expect(due.map((r) => (r.kind === 'overdue' ? [r.key, r.owner] : r.key))).toEqual([
      ['overdue:INC-2026-001:1:2026-02-20', 'UBOB'],
      ['overdue:INC-2026-001:6:2026-02-21', 'UCAROL'],
    ]);
  });
});

describe('FIREWATCH_UPDATE_REMINDERS', () => {
  it('reads severities with minutes or off; the rest keep their defaults', () => {
    expect(parseUpdateIntervals('P1=10, P4=240')).toEqual({
      ok: true,
      intervals: { P1: 10, P2: 30, P3: 60, P4: 240 },
    });
    expect(parseUpdateIntervals('P2=off')).toEqual({
      ok: true,
      intervals: { P1: 15, P2: null, P3: 60, P4: null },
    });
    expect(parseUpdateIntervals('P5=10')).toMatchObject({ ok: false });
    expect(parseUpdateIntervals('P1=10080').ok).toBe(true);
    expect(parseUpdateIntervals('P1=10081')).toMatchObject({ ok: false });
    expect(describeIntervals(DEFAULT_UPDATE_INTERVALS)).toBe(
      'P1 every 15 min, P2 every 30 min, P3 every 60 min, P4 never',
    );
  });
});
