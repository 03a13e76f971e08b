import type { ReactionMap } from '../../src/config';
import { CaptureService, type Self } from '../../src/services/capture-service';
import type { SqliteStore } from '../../src/storage/sqlite/sqlite-store';
import { openTempStore, storedIncident } from './fakes';

const NOW = Date.UTC(2026, 1, 20, 10, 30);
const CH = 'CINC';
const REACTIONS: ReactionMap = {
  timeline: ['pushpin', 'star'],
  lesson: ['bulb'],
  action: ['ballot_box_with_check'],
};
const SELF: Self = { botUserId: 'UFIREWATCH', botId: 'BFIREWATCH' };

/** A Slack ts at `seconds` after 2026-02-20 10:00 UTC. */
const ts = (seconds: number) => `${Date.UTC(2026, 1, 20, 10, 0) / 1000 + seconds}.000100`;

describe('CaptureService', () => {
  let opened: ReturnType<typeof openTempStore>;
  let store: SqliteStore;
  let capture: CaptureService;
  let queuedCalls: number;
  let incidentId: string;

  beforeEach(async () => {
    opened = openTempStore();
    store = opened.store;
    queuedCalls = 0;
    capture = new CaptureService({
      store,
      clock: () => NOW,
      reactions: REACTIONS,
      onQueued: () => {
        queuedCalls += 1;
      },
    });
    incidentId = (await storedIncident(store, { channelId: CH })).id;
  });

  afterEach(async () => {
    await opened.dispose();
  });

  const say = (seconds: number, text: string, over: Record<string, unknown> = {}) =>
    capture.message({ channel: CH, ts: ts(seconds), user: 'UALICE', text, ...over }, null, SELF);
  const texts = async () => (await store.messages(incidentId)).map((m) => m.text);
  const jobs = async () =>
    (await store.dueJobs(Number.MAX_SAFE_INTEGER, 100)).map(({ incidentId, job }) => ({ incidentId, job }));

  describe('purposeOf', () => {
    it('reads the configured emoji map, ignoring skin tones', () => {
      expect(capture.purposeOf('pushpin')).toBe('timeline');
      expect(capture.purposeOf('star')).toBe('timeline');
      expect(capture.purposeOf('bulb')).toBe('lesson');
      expect(capture.purposeOf('ballot_box_with_check')).toBe('action');
      expect(capture.purposeOf('bulb::skin-tone-3')).toBe('lesson');
      expect(capture.purposeOf('thumbsup')).toBeNull();
      const other = new CaptureService({
        store,
        clock: () => NOW,
        reactions: { timeline: ['round_pushpin'], lesson: [], action: [] },
        onQueued: () => undefined,
      });
      expect(other.purposeOf('round_pushpin')).toBe('timeline');
      expect(other.purposeOf('pushpin')).toBeNull();
      expect(other.purposeOf('bulb')).toBeNull();
    });
  });

  describe('messages', () => {
    it('stores a message of an incident channel with every field mapped', async () => {
      await say(10, 'pool is at 100%', {
        subtype: 'file_share',
        files: [{ name: 'graph.png', permalink: 'https://files/graph' }, { title: 'Untitled' }, {}],
      });
      expect(await store.getMessage(CH, ts(10))).toEqual({
        incidentId,
        channelId: CH,
        ts: ts(10),
        at: Date.UTC(2026, 1, 20, 10, 0, 10),
        threadTs: null,
        userId: 'UALICE',
        botId: null,
        text: 'pool is at 100%',
        files: [
          { name: 'graph.png', permalink: 'https://files/graph' },
          { name: 'Untitled' },
          { name: 'file' },
        ],
        editedAt: null,
        deleted: false,
        version: '',
      });
    });

    it('ignores other channels and events without a channel', async () => {
      await capture.message({ channel: 'CRANDOM', ts: ts(1), user: 'UALICE', text: 'elsewhere' }, null, SELF);
      await capture.message({ ts: ts(2), user: 'UALICE', text: 'nowhere' }, null, SELF);
      expect(await store.getMessage('CRANDOM', ts(1))).toBeNull();
      expect(await texts()).toEqual([]);
    });

    it('looks a channel up again until it belongs to an incident', async () => {
      await capture.message({ channel: 'CLATER', ts: ts(1), user: 'UALICE', text: 'too early' }, null, SELF);
      const later = await storedIncident(store, { channelId: 'CLATER', channelName: 'inc-2026-002-later' });
      await capture.message({ channel: 'CLATER', ts: ts(2), user: 'UALICE', text: 'in time' }, null, SELF);
      expect(await capture.incidentFor('CLATER')).toBe(later.id);
      expect((await store.messages(later.id)).map((m) => m.text)).toEqual(['in time']);
    });

    it('keeps thread replies with their parent ts; a parent (thread_ts = ts) has none', async () => {
      await say(10, 'parent', { thread_ts: ts(10), reply_count: 1 });
      await say(20, 'reply', { thread_ts: ts(10) });
      await say(30, 'broadcast', { subtype: 'thread_broadcast', thread_ts: ts(10) });
      expect((await store.messages(incidentId)).map((m) => [m.text, m.threadTs])).toEqual([
        ['parent', null],
        ['reply', ts(10)],
        ['broadcast', ts(10)],
      ]);
    });

    it('keeps other bots’ messages and /me messages; skips our own posts and channel noise', async () => {
      await say(10, 'deploy bot says hi', { subtype: 'bot_message', user: undefined, bot_id: 'BDEPLOY' });
      await say(11, 'waves', { subtype: 'me_message' });
      await say(12, 'our card', { user: 'UFIREWATCH' });
      await say(13, 'our bot post', { subtype: 'bot_message', user: undefined, bot_id: 'BFIREWATCH' });
      await say(14, '<@UBOB> has joined the channel', { subtype: 'channel_join', user: 'UBOB' });
      await say(15, 'topic', { subtype: 'channel_topic' });
      expect((await store.messages(incidentId)).map((m) => [m.text, m.userId, m.botId])).toEqual([
        ['deploy bot says hi', null, 'BDEPLOY'],
        ['waves', 'UALICE', null],
      ]);
    });

    it('applies an edit as a new version of the message', async () => {
      await say(10, 'pool at 90%');
      await capture.message(
        {
          channel: CH,
          subtype: 'message_changed',
          message: {
            ts: ts(10),
            user: 'UALICE',
            text: 'pool at 100%',
            edited: { user: 'UALICE', ts: ts(40) },
          },
        },
        'EvEdit',
        SELF,
      );
      expect(await store.getMessage(CH, ts(10))).toMatchObject({
        text: 'pool at 100%',
        version: ts(40),
        editedAt: Date.UTC(2026, 1, 20, 10, 0, 40),
      });
    });

    it('applies a deletion, and a tombstoned thread parent as a deletion', async () => {
      await say(10, 'oops');
      await say(20, 'parent', { thread_ts: ts(20), reply_count: 2 });
      await say(30, 'stays');
      await capture.message({ channel: CH, subtype: 'message_deleted', deleted_ts: ts(10) }, null, SELF);
      await capture.message(
        {
          channel: CH,
          subtype: 'message_changed',
          message: { subtype: 'tombstone', ts: ts(20), text: 'This message was deleted.' },
        },
        null,
        SELF,
      );
      expect(await texts()).toEqual(['stays']);
      expect(await store.getMessage(CH, ts(10))).toMatchObject({ deleted: true });
      expect(await store.getMessage(CH, ts(20))).toMatchObject({ deleted: true });
    });

    it('passes the delivery’s event id on, so a redelivery changes nothing', async () => {
      await capture.message({ channel: CH, ts: ts(10), user: 'UALICE', text: 'first' }, 'Ev1', SELF);
      await capture.message(
        {
          channel: CH,
          subtype: 'message_changed',
          message: { ts: ts(10), text: 'x', edited: { ts: ts(11) } },
        },
        'Ev1',
        SELF,
      );
      expect(await texts()).toEqual(['first']);
    });
  });

  describe('reactions', () => {
    const react = (reaction: string, added: boolean, over: Record<string, unknown> = {}) =>
      capture.reaction(
        {
          user: 'UBOB',
          reaction,
          item: { type: 'message', channel: CH, ts: ts(10) },
          event_ts: ts(60),
          ...over,
        },
        added,
        null,
      );

    it('records a reaction by its purpose at its event time', async () => {
      await say(10, 'root cause: pool size');
      await react('pushpin', true);
      await react('bulb', true, { user: 'UCAROL' });
      await react('thumbsup', true);
      expect(await store.reactionsOn(CH, ts(10))).toEqual([
        {
          channelId: CH,
          ts: ts(10),
          userId: 'UBOB',
          emoji: 'pushpin',
          purpose: 'timeline',
          present: true,
          changedAt: ts(60),
        },
        {
          channelId: CH,
          ts: ts(10),
          userId: 'UCAROL',
          emoji: 'bulb',
          purpose: 'lesson',
          present: true,
          changedAt: ts(60),
        },
      ]);
      expect((await store.timeline(incidentId)).filter((e) => e.kind === 'pin').map((e) => e.text)).toEqual([
        'root cause: pool size',
      ]);
      expect(await jobs()).toEqual([]);
      expect(queuedCalls).toBe(0);
    });

    it('stamps a reaction without event_ts with now', async () => {
      await say(10, 'x');
      await react('pushpin', true, { event_ts: undefined });
      expect((await store.reactionsOn(CH, ts(10)))[0]?.changedAt).toBe((NOW / 1000).toFixed(6));
    });

    it('makes an action item from ☑️ and removes it with the reaction', async () => {
      await say(10, 'add a pool alarm');
      await react('ballot_box_with_check', true);
      expect((await store.actions(incidentId)).map((a) => [a.seq, a.text, a.sourceRef])).toEqual([
        [1, 'add a pool alarm', ts(10)],
      ]);
      await react('ballot_box_with_check', false, { event_ts: ts(61) });
      expect(await store.actions(incidentId)).toEqual([]);
      expect(await store.reactionsOn(CH, ts(10))).toEqual([]);
    });

    it('ignores reactions on files, other channels, unknown emoji and events missing a part', async () => {
      await say(10, 'x');
      await react('pushpin', true, { item: { type: 'file', channel: CH, ts: ts(10) } });
      await react('pushpin', true, { item: { type: 'message', channel: 'CRANDOM', ts: ts(10) } });
      await react('heart', true);
      await react('pushpin', true, { user: undefined });
      expect(await store.reactionsOn(CH, ts(10))).toEqual([]);
      expect(await store.reactionsOn('CRANDOM', ts(10))).toEqual([]);
      expect(await jobs()).toEqual([]);
    });

    it('an added reaction on a message never seen queues a fetch_message job and kicks the outbox', async () => {
      await react('pushpin', true, { item: { type: 'message', channel: CH, ts: ts(5) } });
      expect(await jobs()).toEqual([
        { incidentId, job: { type: 'fetch_message', channel: CH, ts: ts(5), threadTs: null } },
      ]);
      expect(queuedCalls).toBe(1);
      expect(await store.reactionsOn(CH, ts(5))).toMatchObject([{ emoji: 'pushpin', present: true }]);
    });

    it('a removed reaction on a message never seen fetches nothing', async () => {
      await react('pushpin', false, { item: { type: 'message', channel: CH, ts: ts(5) } });
      expect(await jobs()).toEqual([]);
      expect(queuedCalls).toBe(0);
    });
  });

  describe('member joins', () => {
    it('records participants at the join’s event time, or now without one', async () => {
      await capture.memberJoined({ user: 'UBOB', channel: CH, event_ts: ts(30) }, 'EvJ1');
      await capture.memberJoined({ user: 'UCAROL', channel: CH }, 'EvJ2');
      await capture.memberJoined({ user: 'UDAVE', channel: 'CRANDOM', event_ts: ts(30) }, 'EvJ3');
      await capture.memberJoined({ channel: CH, event_ts: ts(30) }, 'EvJ4');
      expect(await store.participants(incidentId)).toEqual(
        expect.arrayContaining([
          { userId: 'UBOB', joinedAt: Date.UTC(2026, 1, 20, 10, 0, 30) },
          { userId: 'UCAROL', joinedAt: NOW },
        ]),
      );
      expect(await store.participants(incidentId)).toHaveLength(2);
    });
  });

  describe('applyFetched', () => {
    const readAt = NOW - 5_000;

    it('stores a page of messages, counting those kept, with the page’s reactions stamped with the read time', async () => {
      const count = await capture.applyFetched(
        CH,
        [
          {
            ts: ts(10),
            user: 'UALICE',
            text: 'kept',
            reactions: [
              { name: 'pushpin', users: ['UBOB', 'UCAROL'], count: 2 },
              { name: 'heart', users: ['UBOB'] },
            ],
          },
          { ts: ts(11), user: 'UFIREWATCH', text: 'our own' },
          { ts: ts(12), subtype: 'channel_join', user: 'UBOB', text: 'joined' },
          { ts: ts(13), bot_id: 'BDEPLOY', subtype: 'bot_message', text: 'deployed' },
        ],
        SELF,
        readAt,
      );
      expect(count).toBe(2);
      expect(await texts()).toEqual(['kept', 'deployed']);
      expect(await store.reactionsOn(CH, ts(10))).toEqual(
        ['UBOB', 'UCAROL'].map((userId) => ({
          channelId: CH,
          ts: ts(10),
          userId,
          emoji: 'pushpin',
          purpose: 'timeline',
          present: true,
          changedAt: (readAt / 1000).toFixed(6),
        })),
      );
    });

    it('takes the page as the truth for reactions (catch-up), but a single fetch only adds', async () => {
      await say(10, 'x');
      await capture.reaction(
        {
          user: 'UBOB',
          reaction: 'pushpin',
          item: { type: 'message', channel: CH, ts: ts(10) },
          event_ts: ts(60),
        },
        true,
        null,
      );
      const page = [{ ts: ts(10), user: 'UALICE', text: 'x', reactions: [] }];
      const later = Date.UTC(2026, 1, 20, 10, 2);
      await capture.applyFetched(CH, page, SELF, later, false);
      expect(await store.reactionsOn(CH, ts(10))).toHaveLength(1);
      await capture.applyFetched(CH, page, SELF, later);
      expect(await store.reactionsOn(CH, ts(10))).toEqual([]);
    });

    it('a live reaction newer than the page’s read time survives the page', async () => {
      await say(10, 'x');
      await capture.reaction(
        {
          user: 'UBOB',
          reaction: 'pushpin',
          item: { type: 'message', channel: CH, ts: ts(10) },
          event_ts: ts(60),
        },
        true,
        null,
      );
      // The page was requested before the reaction happened (ts(60) is 10:01:00).
      await capture.applyFetched(
        CH,
        [{ ts: ts(10), user: 'UALICE', text: 'x' }],
        SELF,
        Date.UTC(2026, 1, 20, 10, 0, 59),
      );
      expect(await store.reactionsOn(CH, ts(10))).toMatchObject([{ userId: 'UBOB', present: true }]);
    });

    it('applies tombstones as deletions, and does nothing outside incident channels or for an empty page', async () => {
      await say(10, 'parent');
      expect(
        await capture.applyFetched(CH, [{ ts: ts(10), subtype: 'tombstone', text: '' }], SELF, readAt),
      ).toBe(0);
      expect(await texts()).toEqual([]);
      expect(
        await capture.applyFetched('CRANDOM', [{ ts: ts(1), user: 'U1', text: 'x' }], SELF, readAt),
      ).toBe(0);
      expect(await store.getMessage('CRANDOM', ts(1))).toBeNull();
      expect(await capture.applyFetched(CH, [], SELF, readAt)).toBe(0);
    });
  });
});
