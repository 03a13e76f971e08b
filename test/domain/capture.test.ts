import {
  type CaptureMessage,
  fieldsWithLessons,
  messagesToReconcile,
  nextActionSeq,
  numberActions,
  type ReactionActionState,
  reconcileReactionAction,
  timelineWithPins,
} from '../../src/domain/capture';
import type { NewActionItem } from '../../src/domain/changes';
import { DEFAULT_ACTION_PRIORITY } from '../../src/domain/records';
import type { FieldEntry, TimelineEvent } from '../../src/domain/types';

const NOW = Date.parse('2026-06-01T12:00:00Z');

const message = (over: Partial<CaptureMessage> = {}): CaptureMessage => ({
  incidentId: 'INC-2026-001',
  ts: '1780000000.000100',
  at: 1780000000000,
  userId: 'UALICE',
  botId: null,
  text: 'Rotate the keys',
  deleted: false,
  ...over,
});

const state = (over: Partial<ReactionActionState> = {}): ReactionActionState => ({
  message: message(),
  actionReacted: true,
  existing: null,
  maxSeq: null,
  ...over,
});

const newAction = (text: string): NewActionItem => ({
  text,
  owner: null,
  due: null,
  priority: 'P2',
  status: 'open',
  createdAt: NOW,
  createdBy: 'UBOB',
  doneAt: null,
  sourceRef: null,
});

describe('nextActionSeq', () => {
  it('starts at 1 and follows the highest number so far', () => {
    expect(nextActionSeq(null)).toBe(1);
    expect(nextActionSeq(0)).toBe(1);
    expect(nextActionSeq(7)).toBe(8);
  });

  it.each([-1, 1.5, Number.NaN])('refuses %p as the highest number', (max) => {
    expect(() => nextActionSeq(max)).toThrow(RangeError);
  });
});

describe('numberActions', () => {
  it('numbers new items in order after the existing ones, keeping their fields', () => {
    const numbered = numberActions(3, [newAction('a'), newAction('b')]);
    expect(numbered).toEqual([
      { ...newAction('a'), seq: 4 },
      { ...newAction('b'), seq: 5 },
    ]);
  });

  it('numbers from 1 for an incident without items, and returns nothing for nothing', () => {
    expect(numberActions(null, [newAction('a')]).map((a) => a.seq)).toEqual([1]);
    expect(numberActions(2, [])).toEqual([]);
  });
});

describe('reconcileReactionAction', () => {
  it('creates an open item, numbered after the highest, once message and ☑️ reaction are both there', () => {
    const step = reconcileReactionAction(state({ maxSeq: 2 }), NOW);
    expect(step).toEqual({
      kind: 'create',
      incidentId: 'INC-2026-001',
      item: {
        seq: 3,
        text: 'Rotate the keys',
        owner: null,
        due: null,
        priority: DEFAULT_ACTION_PRIORITY,
        status: 'open',
        createdAt: NOW,
        createdBy: 'UALICE',
        doneAt: null,
        sourceRef: '1780000000.000100',
      },
    });
    expect(DEFAULT_ACTION_PRIORITY).toBe('P3');
  });

  it('does nothing while the message has not been captured, whichever arrives first', () => {
    // Reaction first: no message yet.
    expect(reconcileReactionAction(state({ message: null }), NOW)).toEqual({ kind: 'none' });
    // Message first: no reaction yet.
    expect(reconcileReactionAction(state({ actionReacted: false }), NOW)).toEqual({ kind: 'none' });
    // Then the other one arrives: created.
    expect(reconcileReactionAction(state(), NOW).kind).toBe('create');
  });

  it('decodes Slack entities in the item text', () => {
    const step = reconcileReactionAction(
      state({ message: message({ text: 'Fix &lt;db&gt; &amp;&amp; retry' }) }),
      NOW,
    );
    expect(step).toMatchObject({ kind: 'create', item: { text: 'Fix <db> && retry' } });
  });

  it('keeps an open item in step with an edited message, and leaves an unchanged one alone', () => {
    const existing = { id: 9, status: 'open' as const, text: 'Rotate the keys' };
    const edited = message({ text: 'Rotate the keys &amp; tokens' });
    expect(reconcileReactionAction(state({ message: edited, existing }), NOW)).toEqual({
      kind: 'update_text',
      id: 9,
      text: 'Rotate the keys & tokens',
    });
    expect(reconcileReactionAction(state({ existing }), NOW)).toEqual({ kind: 'none' });
  });

  it('removes an open item when the last ☑️ goes or the message is deleted', () => {
    const existing = { id: 9, status: 'open' as const, text: 'Rotate the keys' };
    expect(reconcileReactionAction(state({ actionReacted: false, existing }), NOW)).toEqual({
      kind: 'delete',
      id: 9,
    });
    const tombstone = message({ deleted: true, text: '' });
    expect(reconcileReactionAction(state({ message: tombstone, existing }), NOW)).toEqual({
      kind: 'delete',
      id: 9,
    });
  });

  it('never creates an item for a deleted message', () => {
    expect(reconcileReactionAction(state({ message: message({ deleted: true }) }), NOW)).toEqual({
      kind: 'none',
    });
  });

  it('leaves a done item as it is: no edit, no removal, no second item', () => {
    const done = { id: 9, status: 'done' as const, text: 'Rotate the keys' };
    expect(
      reconcileReactionAction(state({ existing: done, message: message({ text: 'new' }) }), NOW),
    ).toEqual({
      kind: 'none',
    });
    expect(reconcileReactionAction(state({ existing: done, actionReacted: false }), NOW)).toEqual({
      kind: 'none',
    });
    expect(
      reconcileReactionAction(state({ existing: done, message: message({ deleted: true }) }), NOW),
    ).toEqual({ kind: 'none' });
  });
});

const event = (id: number, at: number, recordedAt = at): TimelineEvent => ({
  id,
  incidentId: 'INC-2026-001',
  kind: 'note',
  at,
  actor: 'UBOB',
  text: `event ${id}`,
  ref: null,
  recordedAt,
});

describe('timelineWithPins', () => {
  it('returns the recorded events sorted by time, then recording time, then id, when nothing is pinned', () => {
    const events = [event(3, 200), event(1, 100, 150), event(2, 100, 120)];
    expect(timelineWithPins('INC-2026-001', events, []).map((e) => e.id)).toEqual([2, 1, 3]);
  });

  it('adds a pin entry at the message time, by its writer (or bot), with its ts as ref', () => {
    const pinned = [
      message({ ts: '300.000000', at: 300_000, text: 'pinned text' }),
      message({ ts: '100.000000', at: 100_000, userId: null, botId: 'BWATCH', text: 'bot said' }),
    ];
    const timeline = timelineWithPins('INC-2026-001', [event(1, 200_000)], pinned);
    expect(timeline).toEqual([
      {
        id: -2,
        incidentId: 'INC-2026-001',
        kind: 'pin',
        at: 100_000,
        actor: 'BWATCH',
        text: 'bot said',
        ref: '100.000000',
        recordedAt: 100_000,
      },
      event(1, 200_000),
      {
        id: -1,
        incidentId: 'INC-2026-001',
        kind: 'pin',
        at: 300_000,
        actor: 'UALICE',
        text: 'pinned text',
        ref: '300.000000',
        recordedAt: 300_000,
      },
    ]);
  });

  it('orders pins of the same millisecond by ts, before a recorded event of that time', () => {
    const pinned = [
      message({ ts: '100.000900', at: 100_000, text: 'second' }),
      message({ ts: '100.000100', at: 100_000, text: 'first' }),
    ];
    const timeline = timelineWithPins('INC-2026-001', [event(5, 100_000)], pinned);
    expect(timeline.map((e) => e.text)).toEqual(['first', 'second', 'event 5']);
    expect(timeline.map((e) => e.id)).toEqual([-2, -1, 5]);
  });

  it('leaves deleted messages out', () => {
    const pinned = [message({ deleted: true })];
    expect(timelineWithPins('INC-2026-001', [], pinned)).toEqual([]);
  });
});

const field = (id: number, at: number, value: string): FieldEntry => ({
  id,
  incidentId: 'INC-2026-001',
  field: 'went-well',
  value,
  at,
  author: 'UBOB',
  sourceRef: null,
});

describe('fieldsWithLessons', () => {
  it('returns written fields by time then id when no message carries a lesson reaction', () => {
    const written = [field(2, 100, 'b'), field(1, 100, 'a'), field(3, 50, 'c')];
    expect(fieldsWithLessons('INC-2026-001', written, []).map((f) => f.value)).toEqual(['c', 'a', 'b']);
  });

  it('adds a lessons bullet per reacted message, at its time, by its writer, with its ts as source', () => {
    const lessons = [
      message({ ts: '200.000000', at: 200_000, text: 'Alert on pool size' }),
      message({ ts: '50.000000', at: 50_000, userId: 'UCAROL', text: 'Check &amp; verify' }),
    ];
    const fields = fieldsWithLessons('INC-2026-001', [field(1, 100_000, 'a')], lessons);
    expect(fields).toEqual([
      {
        id: -2,
        incidentId: 'INC-2026-001',
        field: 'lessons',
        // Stored text as captured (not decoded), like the pins.
        value: 'Check &amp; verify',
        at: 50_000,
        author: 'UCAROL',
        sourceRef: '50.000000',
      },
      field(1, 100_000, 'a'),
      {
        id: -1,
        incidentId: 'INC-2026-001',
        field: 'lessons',
        value: 'Alert on pool size',
        at: 200_000,
        author: 'UALICE',
        sourceRef: '200.000000',
      },
    ]);
  });

  it('keeps same-millisecond lessons in ts order ahead of a written field of that time, and skips deleted ones', () => {
    const lessons = [
      message({ ts: '100.000500', at: 100_000, text: 'later' }),
      message({ ts: '100.000200', at: 100_000, text: 'earlier' }),
      message({ ts: '100.000300', at: 100_000, text: 'gone', deleted: true }),
    ];
    const fields = fieldsWithLessons('INC-2026-001', [field(4, 100_000, 'written')], lessons);
    expect(fields.map((f) => f.value)).toEqual(['earlier', 'later', 'written']);
  });
});

describe('messagesToReconcile', () => {
  const key = (ts: string, channelId = 'C1') => ({ channelId, ts });

  it('names written messages, then those whose action reaction changed, then deleted ones, each once', () => {
    const touched = messagesToReconcile({
      messages: [key('1.0'), key('2.0')],
      reactions: [
        { ...key('3.0'), purpose: 'action' },
        { ...key('1.0'), purpose: 'action' },
        { ...key('4.0'), purpose: 'timeline' },
        { ...key('5.0'), purpose: 'lesson' },
      ],
      deletions: [key('6.0'), key('2.0'), key('1.0', 'C2')],
    });
    expect(touched).toEqual([key('1.0'), key('2.0'), key('3.0'), key('6.0'), key('1.0', 'C2')]);
  });

  it('names nothing for a batch without messages, action reactions or deletions', () => {
    expect(messagesToReconcile({})).toEqual([]);
    expect(messagesToReconcile({ reactions: [{ ...key('1.0'), purpose: 'timeline' }] })).toEqual([]);
  });
});
