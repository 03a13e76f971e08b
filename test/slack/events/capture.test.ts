import { tsToMillis } from '../../../src/domain/types';
import { SlackEmulator } from '../../../src/emulator';
import { Harness } from '../../support/harness';
import { expectLoggedError } from '../../support/logged-errors';

const base = Math.floor(Date.now() / 1000) - 3600;
/** A Slack ts `n` seconds after `base`, with a micro-second part so that values never collide. */
const tsAt = (n: number, micro = 100) => `${base + n}.${String(micro).padStart(6, '0')}`;

const message = (channel: string, ts: string, text: string, extra: Record<string, unknown> = {}) => ({
  type: 'message',
  channel,
  user: 'UBOB',
  text,
  ts,
  event_ts: ts,
  channel_type: 'channel',
  ...extra,
});

const reaction = (
  type: 'reaction_added' | 'reaction_removed',
  channel: string,
  ts: string,
  user: string,
  name: string,
  eventTs: string,
) => ({
  type,
  user,
  reaction: name,
  item: { type: 'message', channel, ts },
  item_user: 'UBOB',
  event_ts: eventTs,
});

describe('timeline capture', () => {
  let h: Harness;
  let channel: string;
  let incidentId: string;
  beforeEach(async () => {
    h = await Harness.start();
    ({
      channel,
      incident: { id: incidentId },
    } = await h.declare('P1 Capture test'));
  });
  afterEach(() => h.stop());

  it('stores a message before acknowledging it', async () => {
    const reply = await h.event(message(channel, tsAt(1), 'db latency is 9s'));
    expect(reply.status).toBe(200);
    // No waiting: the 200 means it is committed.
    const stored = await h.store.getMessage(channel, tsAt(1));
    expect(stored).toMatchObject({ text: 'db latency is 9s', userId: 'UBOB', deleted: false });
  });

  it('Slack retries and duplicate deliveries create nothing new', async () => {
    const m = message(channel, tsAt(2), 'first');
    const pin = reaction('reaction_added', channel, tsAt(2), 'UBOB', 'pushpin', tsAt(3));
    for (const retryNum of [undefined, 1, 2, 3]) {
      await h.event(m, { eventId: 'EvMSG1', ...(retryNum ? { retryNum } : {}) });
      await h.event(pin, { eventId: 'EvPIN1', ...(retryNum ? { retryNum } : {}) });
    }
    // The same message delivered under another event id is still one message.
    await h.event(m, { eventId: 'EvMSG1-again' });
    await h.idle();
    expect(await h.store.messages(incidentId)).toHaveLength(1);
    const pins = (await h.store.timeline(incidentId)).filter((e) => e.kind === 'pin');
    expect(pins).toHaveLength(1);
    expect(pins[0]).toMatchObject({ text: 'first', at: tsToMillis(tsAt(2)), actor: 'UBOB' });
  });

  it('edits replace the text (an older edit never wins), deletions remove message and pin', async () => {
    await h.event(message(channel, tsAt(10), 'typo'));
    await h.event(reaction('reaction_added', channel, tsAt(10), 'UBOB', 'pushpin', tsAt(11)));
    const edit = (text: string, editTs: string) => ({
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel,
      ts: editTs,
      event_ts: editTs,
      message: { type: 'message', user: 'UBOB', text, ts: tsAt(10), edited: { user: 'UBOB', ts: editTs } },
      previous_message: { type: 'message', user: 'UBOB', text: 'typo', ts: tsAt(10) },
    });
    await h.event(edit('second edit', tsAt(13)));
    await h.event(edit('first edit', tsAt(12))); // arrives late
    let pin = (await h.store.timeline(incidentId)).find((e) => e.kind === 'pin');
    expect(pin?.text).toBe('second edit');
    expect((await h.store.getMessage(channel, tsAt(10)))?.editedAt).toBe(tsToMillis(tsAt(13)));

    await h.event({
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel,
      deleted_ts: tsAt(10),
      ts: tsAt(14),
      event_ts: tsAt(14),
      previous_message: { type: 'message', user: 'UBOB', text: 'second edit', ts: tsAt(10) },
    });
    expect(await h.store.messages(incidentId)).toHaveLength(0);
    pin = (await h.store.timeline(incidentId)).find((e) => e.kind === 'pin');
    expect(pin).toBeUndefined();
    // A late retry of the original message does not bring it back.
    await h.event(message(channel, tsAt(10), 'typo'));
    expect(await h.store.messages(incidentId)).toHaveLength(0);
  });

  it('keeps thread replies, file shares and other bots’ messages; skips our own and other channels', async () => {
    await h.event(message(channel, tsAt(20), 'parent'));
    await h.event(message(channel, tsAt(21), 'in the thread', { thread_ts: tsAt(20) }));
    await h.event(
      message(channel, tsAt(22), 'graph', {
        subtype: 'file_share',
        files: [{ name: 'p99.png', permalink: 'https://x/p99' }],
      }),
    );
    await h.event(
      message(channel, tsAt(23), 'CPU > 95%', { user: undefined, bot_id: 'BALERTS', subtype: 'bot_message' }),
    );
    await h.event(message(channel, tsAt(24), 'card', { user: h.slack.botUserId, bot_id: h.slack.botId }));
    await h.event(message('COTHER', tsAt(25), 'not an incident channel'));
    await h.event(message(channel, tsAt(26), '', { subtype: 'channel_join' }));

    const stored = await h.store.messages(incidentId);
    expect(stored.map((m) => m.text)).toEqual(['parent', 'in the thread', 'graph', 'CPU > 95%']);
    expect(stored[1]).toMatchObject({ threadTs: tsAt(20) });
    expect(stored[2]!.files).toEqual([{ name: 'p99.png', permalink: 'https://x/p99' }]);
    expect(stored[3]).toMatchObject({ botId: 'BALERTS', userId: null });
  });

  it('a pin by two users removed by one stays; removed by both it goes', async () => {
    await h.event(message(channel, tsAt(30), 'restarting pgbouncer'));
    await h.event(reaction('reaction_added', channel, tsAt(30), 'UBOB', 'pushpin', tsAt(31)));
    await h.event(reaction('reaction_added', channel, tsAt(30), 'UCAROL', 'pushpin', tsAt(32)));
    const pins = async () => (await h.store.timeline(incidentId)).filter((e) => e.kind === 'pin');
    expect(await pins()).toHaveLength(1);
    await h.event(reaction('reaction_removed', channel, tsAt(30), 'UBOB', 'pushpin', tsAt(33)));
    expect(await pins()).toHaveLength(1);
    await h.event(reaction('reaction_removed', channel, tsAt(30), 'UCAROL', 'pushpin', tsAt(34)));
    expect(await pins()).toHaveLength(0);
  });

  it('a remove that arrives before its add leaves no pin', async () => {
    await h.event(message(channel, tsAt(35), 'flaky'));
    await h.event(reaction('reaction_removed', channel, tsAt(35), 'UBOB', 'pushpin', tsAt(37)));
    await h.event(reaction('reaction_added', channel, tsAt(35), 'UBOB', 'pushpin', tsAt(36)));
    expect((await h.store.timeline(incidentId)).filter((e) => e.kind === 'pin')).toHaveLength(0);
  });

  it('a reaction on a message the bot never saw fetches it from history, or from its thread', async () => {
    const top = h.slack.seedMessage(channel, { user: 'UDAVE', text: 'rolled back v2.3', ts: tsAt(40) });
    const parent = h.slack.seedMessage(channel, { user: 'UDAVE', text: 'thread parent', ts: tsAt(41) });
    const reply = h.slack.seedMessage(channel, {
      user: 'UERIN',
      text: 'pool size was 10',
      ts: tsAt(42),
      thread_ts: parent.ts,
    });

    await h.event(reaction('reaction_added', channel, top.ts, 'UBOB', 'pushpin', tsAt(50)));
    await h.event(reaction('reaction_added', channel, reply.ts, 'UBOB', 'pushpin', tsAt(51)));
    await h.idle();

    const pins = (await h.store.timeline(incidentId)).filter((e) => e.kind === 'pin');
    expect(pins.map((p) => [p.text, p.at])).toEqual([
      ['rolled back v2.3', tsToMillis(tsAt(40))],
      ['pool size was 10', tsToMillis(tsAt(42))],
    ]);
    expect(h.slack.lastCall('conversations.history')!.args).toMatchObject({ latest: reply.ts, limit: '1' });
    expect(h.slack.callsTo('conversations.replies').length).toBeGreaterThan(0);
    // The message event arriving later changes nothing.
    await h.event(message(channel, top.ts, 'rolled back v2.3', { user: 'UDAVE' }));
    expect((await h.store.timeline(incidentId)).filter((e) => e.kind === 'pin')).toHaveLength(2);
  });

  it('bulb adds a lesson, ballot box makes an action item, joins are participants', async () => {
    await h.event(message(channel, tsAt(60), 'we need pool metrics'));
    await h.event(message(channel, tsAt(61), 'add an alarm on connections'));
    await h.event(reaction('reaction_added', channel, tsAt(60), 'UBOB', 'bulb', tsAt(62)));
    await h.event(reaction('reaction_added', channel, tsAt(61), 'UBOB', 'ballot_box_with_check', tsAt(63)));
    await h.event(reaction('reaction_added', channel, tsAt(61), 'UCAROL', 'ballot_box_with_check', tsAt(64)));
    await h.event({
      type: 'member_joined_channel',
      user: 'UFRANK',
      channel,
      channel_type: 'C',
      team: 'T0001',
      event_ts: tsAt(65),
    });

    const lessons = (await h.store.fields(incidentId)).filter((f) => f.field === 'lessons');
    expect(lessons.map((l) => l.value)).toEqual(['we need pool metrics']);
    const actions = await h.store.actions(incidentId);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      text: 'add an alarm on connections',
      seq: 1,
      status: 'open',
      sourceRef: tsAt(61),
    });
    expect(await h.store.participants(incidentId)).toEqual([
      { userId: 'UFRANK', joinedAt: tsToMillis(tsAt(65)) },
    ]);
  });

  it('a write that fails is not acknowledged, so Slack retries it', async () => {
    await h.event(message(channel, tsAt(70), 'stored'));
    await h.store.close(); // the database goes away (disk gone, file locked…)
    expectLoggedError(
      /Unhandled error in a listener.*The database connection is not open/,
      /An unhandled error occurred while Bolt processed/,
    );
    const reply = await h.event(message(channel, tsAt(71), 'not stored'));
    expect(reply.status).toBeGreaterThanOrEqual(500);
  });

  it('a deleted thread parent (a tombstone) is removed with its pin', async () => {
    await h.event(message(channel, tsAt(80), 'secret token abc'));
    await h.event(message(channel, tsAt(81), 'reply', { thread_ts: tsAt(80) }));
    await h.event(reaction('reaction_added', channel, tsAt(80), 'UBOB', 'pushpin', tsAt(82)));
    await h.event({
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel,
      ts: tsAt(83),
      event_ts: tsAt(83),
      message: {
        type: 'message',
        subtype: 'tombstone',
        text: 'This message was deleted.',
        ts: tsAt(80),
        thread_ts: tsAt(80),
      },
    });
    expect((await h.store.messages(incidentId)).map((m) => m.text)).toEqual(['reply']);
    expect((await h.store.timeline(incidentId)).filter((e) => e.kind === 'pin')).toHaveLength(0);
  });

  it('an action item from ☑️ follows its message: decoded text, edits, unreact and deletion', async () => {
    const ballot = (type: 'reaction_added' | 'reaction_removed', ts: string, at: number) =>
      reaction(type, channel, ts, 'UBOB', 'ballot_box_with_check', tsAt(at));
    await h.event(message(channel, tsAt(90), 'alert when p99 &gt; 2s &amp; errors'));
    await h.event(ballot('reaction_added', tsAt(90), 91));
    expect((await h.store.actions(incidentId)).map((a) => a.text)).toEqual(['alert when p99 > 2s & errors']);
    await h.event({
      type: 'message',
      subtype: 'message_changed',
      channel,
      ts: tsAt(92),
      event_ts: tsAt(92),
      message: {
        type: 'message',
        user: 'UBOB',
        text: 'alert when p99 &gt; 1s',
        ts: tsAt(90),
        edited: { user: 'UBOB', ts: tsAt(92) },
      },
    });
    expect((await h.store.actions(incidentId)).map((a) => a.text)).toEqual(['alert when p99 > 1s']);
    await h.event(ballot('reaction_removed', tsAt(90), 93));
    expect(await h.store.actions(incidentId)).toHaveLength(0);

    await h.event(message(channel, tsAt(94), 'rotate the keys'));
    await h.event(ballot('reaction_added', tsAt(94), 95));
    expect(await h.store.actions(incidentId)).toHaveLength(1);
    await h.event({
      type: 'message',
      subtype: 'message_deleted',
      channel,
      deleted_ts: tsAt(94),
      ts: tsAt(96),
      event_ts: tsAt(96),
    });
    expect(await h.store.actions(incidentId)).toHaveLength(0);
  });

  it('keeps the earliest join time whatever the delivery order', async () => {
    const join = (at: number) => ({
      type: 'member_joined_channel',
      user: 'UGINA',
      channel,
      channel_type: 'C',
      team: 'T0001',
      event_ts: tsAt(at),
    });
    await h.event(join(120));
    await h.event(join(110));
    expect(await h.store.participants(incidentId)).toEqual([
      { userId: 'UGINA', joinedAt: tsToMillis(tsAt(110)) },
    ]);
  });

  it('/incident note is on the timeline at its own (backdated) time', async () => {
    await h.slash('note Customer reports started', { channel });
    await h.slash('note at 2000-01-01T00:00:00Z impossible but early', { channel });
    const notes = (await h.store.timeline(incidentId)).filter((e) => e.kind === 'note');
    expect(notes.map((n) => n.text)).toEqual(['impossible but early', 'Customer reports started']);
    expect(notes[0]!.at).toBe(Date.parse('2000-01-01T00:00:00Z'));
  });
});

describe('a 200-event conversation', () => {
  /** Builds messages, thread replies, edits, deletions and pins (with removals) for one channel. */
  function conversation(channel: string) {
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < 120; i++) {
      const extra = i % 5 === 4 ? { thread_ts: tsAt(100 + i - (i % 5)) } : {};
      events.push(message(channel, tsAt(100 + i), `message ${i}`, { user: `U${i % 7}`, ...extra }));
    }
    for (let i = 0; i < 30; i++) {
      const target = tsAt(100 + i * 3);
      const editTs = tsAt(400 + i);
      events.push({
        type: 'message',
        subtype: 'message_changed',
        channel,
        ts: editTs,
        event_ts: editTs,
        message: {
          type: 'message',
          user: `U${(i * 3) % 7}`,
          text: `message ${i * 3} (edited)`,
          ts: target,
          edited: { user: 'U0', ts: editTs },
        },
      });
    }
    for (let i = 0; i < 10; i++) {
      const delTs = tsAt(500 + i);
      events.push({
        type: 'message',
        subtype: 'message_deleted',
        channel,
        deleted_ts: tsAt(101 + i * 11),
        ts: delTs,
        event_ts: delTs,
      });
    }
    for (let i = 0; i < 30; i++) {
      events.push(reaction('reaction_added', channel, tsAt(100 + i * 4), 'UPIN', 'pushpin', tsAt(600 + i)));
    }
    for (let i = 0; i < 10; i++) {
      events.push(reaction('reaction_removed', channel, tsAt(100 + i * 8), 'UPIN', 'pushpin', tsAt(700 + i)));
    }
    return events;
  }

  /** A seeded shuffle, so a failure can be replayed. */
  function shuffle<T>(items: T[], seed: number): T[] {
    const out = [...items];
    let s = seed;
    for (let i = out.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      const j = s % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  async function play(order: 'ordered' | 'shuffled') {
    const h = await Harness.start();
    try {
      const { channel, incident } = await h.declare('P2 Ordering');
      const events = conversation(channel);
      expect(events).toHaveLength(200);
      const delivery = order === 'ordered' ? events : shuffle(events, 42);
      for (const [i, e] of delivery.entries()) await h.event(e, { eventId: `Ev${i}-${order}` });
      await h.idle();
      const timeline = (await h.store.timeline(incident.id)).map((e) => [e.kind, e.at, e.text]);
      const messages = (await h.store.messages(incident.id)).map((m) => [m.ts, m.text, m.threadTs]);
      return { timeline: timeline.filter(([kind]) => kind === 'pin'), messages };
    } finally {
      await h.stop();
    }
  }

  it('gives the same timeline delivered shuffled as delivered in order', async () => {
    const ordered = await play('ordered');
    const shuffled = await play('shuffled');
    expect(ordered.messages).toHaveLength(110);
    expect(ordered.timeline.length).toBeGreaterThan(10);
    expect(shuffled).toEqual(ordered);
    // And the timeline is sorted by when things were said.
    const times = ordered.timeline.map(([, at]) => at as number);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('catch-up after downtime', () => {
  it('recovers messages, thread replies, edits and pins that exist only in Slack’s history', async () => {
    const slack = await SlackEmulator.start();
    const first = await Harness.start({ emulator: slack });
    const { channel, incident } = await first.declare('P1 Downtime');
    await first.event(message(channel, tsAt(1000), 'seen live'));
    await first.stop();

    // While the bot is down…
    h2Seed(slack, channel);
    slack.failNext('conversations.history', { status: 429, retryAfter: 1 });

    const second = await Harness.start({ emulator: slack, dataDir: first.dataDir });
    try {
      await second.idle();
      const texts = (await second.store.messages(incident.id)).map((m) => m.text);
      expect(texts).toEqual(
        expect.arrayContaining(['seen live', 'missed 1 (edited)', 'missed 2', 'missed reply']),
      );
      expect(texts).toHaveLength(4);
      const pins = (await second.store.timeline(incident.id)).filter((e) => e.kind === 'pin');
      expect(pins.map((p) => p.text)).toEqual(['missed 2']);
      // The 429 was waited out and retried.
      expect(slack.callsTo('conversations.history').length).toBeGreaterThanOrEqual(2);
    } finally {
      await second.stop();
      await slack.stop();
    }
  });

  it('follows next_cursor through every page of history', async () => {
    const slack = await SlackEmulator.start();
    const first = await Harness.start({ emulator: slack });
    const { channel, incident } = await first.declare('P2 Long downtime');
    await first.stop();
    for (let i = 0; i < 450; i++) slack.seedMessage(channel, { user: 'UBOB', text: `missed ${i}` });

    const second = await Harness.start({ emulator: slack, dataDir: first.dataDir });
    try {
      await second.idle();
      expect(await second.store.messages(incident.id)).toHaveLength(450);
      const pages = slack.callsTo('conversations.history');
      expect(pages.length).toBeGreaterThanOrEqual(3);
      expect(pages.filter((c) => c.args.cursor).length).toBeGreaterThanOrEqual(2);
    } finally {
      await second.stop();
      await slack.stop();
    }
  });

  it('remembers delivered event ids across a restart', async () => {
    const slack = await SlackEmulator.start();
    const first = await Harness.start({ emulator: slack });
    const { channel, incident } = await first.declare('P3 Restart dedupe');
    await first.event(reaction('reaction_added', channel, tsAt(3000), 'UBOB', 'pushpin', tsAt(3001)), {
      eventId: 'EvPIN',
    });
    await first.event(message(channel, tsAt(3000), 'pinned before the restart'));
    await first.event(reaction('reaction_removed', channel, tsAt(3000), 'UBOB', 'pushpin', tsAt(3002)), {
      eventId: 'EvUNPIN',
    });
    await first.stop();
    const second = await Harness.start({ emulator: slack, dataDir: first.dataDir });
    try {
      // Slack's late retry of the first delivery, with a newer stamp than the removal: skipped by its id.
      const late = reaction('reaction_added', channel, tsAt(3000), 'UBOB', 'pushpin', tsAt(3003));
      await second.event(late, { eventId: 'EvPIN', retryNum: 3 });
      await second.idle();
      expect((await second.store.timeline(incident.id)).filter((e) => e.kind === 'pin')).toHaveLength(0);
    } finally {
      await second.stop();
      await slack.stop();
    }
  });

  it('one channel failing does not stop catch-up of the others', async () => {
    const slack = await SlackEmulator.start();
    const first = await Harness.start({ emulator: slack });
    const a = await first.declare('P2 First');
    const b = await first.declare('P2 Second');
    await first.stop();
    slack.seedMessage(a.channel, { user: 'UBOB', text: 'in a' });
    slack.seedMessage(b.channel, { user: 'UBOB', text: 'in b' });
    // Whichever channel is read first is refused.
    slack.failNext('conversations.history', { error: 'not_in_channel' });
    const second = await Harness.start({ emulator: slack, dataDir: first.dataDir });
    try {
      await second.idle();
      const counts = [
        (await second.store.messages(a.incident.id)).length,
        (await second.store.messages(b.incident.id)).length,
      ];
      expect(counts.sort()).toEqual([0, 1]);
    } finally {
      await second.stop();
      await slack.stop();
    }
  });

  function h2Seed(slack: SlackEmulator, channel: string) {
    const m1 = slack.seedMessage(channel, { user: 'UBOB', text: 'missed 1', ts: tsAt(1001) });
    slack.editMessage(channel, m1.ts, 'missed 1 (edited)');
    const m2 = slack.seedMessage(channel, { user: 'UBOB', text: 'missed 2', ts: tsAt(1002) });
    slack.addReaction(channel, m2.ts, 'pushpin', 'UCAROL');
    slack.seedMessage(channel, { user: 'UCAROL', text: 'missed reply', ts: tsAt(1003), thread_ts: m2.ts });
  }
});
