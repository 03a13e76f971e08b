import type { Incident } from '../../src/domain/types';
import { CaptureService, type Self, type SlackMessagePayload } from '../../src/services/capture-service';
import { CatchUp, type CatchUpDeps } from '../../src/services/catch-up';
import type { HistoryQuery, Page } from '../../src/services/slack-gateway';
import type { StoredJob } from '../../src/storage';
import type { SqliteStore } from '../../src/storage/sqlite/sqlite-store';
import { FakeSlack, openTempStore, rateLimited, storedIncident } from './fakes';

const T0 = Date.UTC(2026, 1, 20, 10, 0);
const SELF: Self = { botUserId: 'UFIREWATCH', botId: 'BFIREWATCH' };

/** A Slack ts at `seconds` after T0. */
const ts = (seconds: number) => `${T0 / 1000 + seconds}.000100`;
const msg = (
  seconds: number,
  text: string,
  over: Partial<SlackMessagePayload> = {},
): SlackMessagePayload => ({
  ts: ts(seconds),
  user: 'UALICE',
  text,
  ...over,
});
const page = (messages: SlackMessagePayload[], nextCursor: string | null = null): Page => ({
  messages,
  nextCursor,
});
const stamp = (ms: number) => (ms / 1000).toFixed(6);

describe('CatchUp', () => {
  let opened: ReturnType<typeof openTempStore>;
  let store: SqliteStore;
  let now: number;
  let sleeps: number[];
  let logged: { message: string; fields: Record<string, unknown>; error: unknown }[];
  let first: Incident;
  let second: Incident;

  const catchUp = (slack: FakeSlack, over: Partial<CatchUpDeps> = {}) => {
    const capture = new CaptureService({
      store,
      clock: () => now,
      reactions: { timeline: ['pushpin'], lesson: ['bulb'], action: ['ballot_box_with_check'] },
      onQueued: () => undefined,
    });
    return new CatchUp({
      store,
      slack,
      capture,
      clock: () => now,
      self: async () => SELF,
      log: (message, fields, error) => logged.push({ message, fields, error }),
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
      ...over,
    });
  };

  /** History by channel: each channel's pages in order, chosen by the cursor asked for. */
  const histories =
    (pages: Record<string, Page[]>) =>
    async (channel: string, query: HistoryQuery): Promise<Page> => {
      const list = pages[channel] ?? [page([])];
      const index = query.cursor ? Number(query.cursor.replace('page', '')) : 0;
      return list[index]!;
    };

  const texts = async (incident: Incident) => (await store.messages(incident.id)).map((m) => m.text);

  beforeEach(async () => {
    opened = openTempStore();
    store = opened.store;
    now = T0 + 3 * 3600_000;
    sleeps = [];
    logged = [];
    first = await storedIncident(store, { channelId: 'CONE', declaredAt: T0 });
    second = await storedIncident(store, {
      channelId: 'CTWO',
      channelName: 'inc-2026-002-two',
      declaredAt: T0 + 3600_000,
    });
    const done = await storedIncident(store, { channelId: 'CDONE', declaredAt: T0 - 3600_000 });
    await store.applyChange(
      done.id,
      { incident: { ...done, status: 'closed', resolvedAt: T0, closedAt: T0 } },
      T0,
    );
  });

  afterEach(async () => {
    await opened.dispose();
  });

  describe('run', () => {
    it('reads every unclosed incident’s history, all pages, from a minute before the declaration', async () => {
      const slack = new FakeSlack({
        history: histories({
          CONE: [page([msg(10, 'one a'), msg(20, 'one b')], 'page1'), page([msg(30, 'one c')])],
          CTWO: [page([msg(3610, 'two a')])],
        }),
      });
      expect(await catchUp(slack).run()).toEqual({ incidents: 2, messages: 4, failed: 0 });
      // Newest incident first; the closed incident's channel is never read.
      expect(slack.argsOf('history')).toEqual([
        ['CTWO', { oldest: stamp(T0 + 3600_000 - 60_000), inclusive: true, limit: 200 }],
        ['CONE', { oldest: stamp(T0 - 60_000), inclusive: true, limit: 200 }],
        ['CONE', { oldest: stamp(T0 - 60_000), inclusive: true, limit: 200, cursor: 'page1' }],
      ]);
      expect(await texts(first)).toEqual(['one a', 'one b', 'one c']);
      expect(await texts(second)).toEqual(['two a']);
      expect(logged).toEqual([]);
    });

    it('starts from the newest message already captured', async () => {
      await store.applyCapture({
        eventId: null,
        now: T0,
        messages: [
          {
            incidentId: first.id,
            channelId: 'CONE',
            ts: ts(50),
            threadTs: null,
            userId: 'UALICE',
            botId: null,
            text: 'seen live',
            files: [],
            version: '',
            editedAt: null,
          },
        ],
      });
      const slack = new FakeSlack();
      await catchUp(slack).run();
      expect(slack.argsOf('history')).toContainEqual([
        'CONE',
        { oldest: ts(50), inclusive: true, limit: 200 },
      ]);
    });

    it('reads the threads of messages with replies, every page, without the parent twice', async () => {
      const slack = new FakeSlack({
        history: histories({
          CONE: [page([msg(10, 'parent', { thread_ts: ts(10), reply_count: 3 }), msg(20, 'alone')])],
        }),
        replies: async (_channel, _ts, cursor) =>
          cursor === 'r2'
            ? page([msg(40, 'reply 3', { thread_ts: ts(10) })])
            : page(
                [
                  msg(10, 'parent (from replies)', { thread_ts: ts(10), reply_count: 3 }),
                  msg(30, 'reply 1', { thread_ts: ts(10) }),
                  msg(35, 'reply 2', { thread_ts: ts(10) }),
                ],
                'r2',
              ),
      });
      expect(await catchUp(slack).run()).toEqual({ incidents: 2, messages: 5, failed: 0 });
      expect(slack.argsOf('replies')).toEqual([
        ['CONE', ts(10), undefined],
        ['CONE', ts(10), 'r2'],
      ]);
      expect((await store.messages(first.id)).map((m) => [m.text, m.threadTs])).toEqual([
        ['parent', null],
        ['alone', null],
        ['reply 1', ts(10)],
        ['reply 2', ts(10)],
        ['reply 3', ts(10)],
      ]);
    });

    it('waits out 429s for as long as Retry-After says, and stamps reactions with the time of the read that worked', async () => {
      let refusals = 2;
      const slack = new FakeSlack({
        history: async (channel) => {
          if (channel === 'CONE' && refusals-- > 0) throw rateLimited(3);
          now += 700; // Slack takes its time; the page shows the state when it was asked for.
          return channel === 'CONE'
            ? page([msg(10, 'pinned', { reactions: [{ name: 'pushpin', users: ['UBOB'], count: 1 }] })])
            : page([], null);
        },
      });
      const before = now;
      expect(await catchUp(slack).run()).toMatchObject({ messages: 1, failed: 0 });
      expect(sleeps).toEqual([3000, 3000]);
      expect(slack.argsOf('history').filter(([c]) => c === 'CONE')).toHaveLength(3);
      // CTWO was read first (700 ms), then CONE after two waits of 3 s.
      const readAt = before + 700 + 3000 + 3000;
      expect(await store.reactionsOn('CONE', ts(10))).toEqual([
        {
          channelId: 'CONE',
          ts: ts(10),
          userId: 'UBOB',
          emoji: 'pushpin',
          purpose: 'timeline',
          present: true,
          changedAt: stamp(readAt),
        },
      ]);
    });

    it('gives a channel up after the most rate-limit waits allowed, and carries on with the others', async () => {
      const slack = new FakeSlack({
        history: async (channel) => {
          if (channel === 'CTWO') throw rateLimited(1);
          return page([msg(10, 'one')]);
        },
      });
      expect(await catchUp(slack, { maxRateLimitWaits: 2 }).run()).toEqual({
        incidents: 2,
        messages: 1,
        failed: 1,
      });
      expect(sleeps).toEqual([1000, 1000]);
      expect(slack.argsOf('history').filter(([c]) => c === 'CTWO')).toHaveLength(3);
      expect(logged.map(({ message, fields }) => ({ message, fields }))).toEqual([
        { message: 'catch-up of a channel failed', fields: { incident: second.id, channel: 'CTWO' } },
      ]);
    });

    it('isolates a failing channel: logged with its error, not retried, the others read', async () => {
      const refusal = Object.assign(new Error('channel_not_found'), { code: 'slack_webapi_platform_error' });
      const slack = new FakeSlack({
        history: async (channel) => {
          if (channel === 'CTWO') throw refusal;
          return page([msg(10, 'one')]);
        },
      });
      expect(await catchUp(slack).run()).toEqual({ incidents: 2, messages: 1, failed: 1 });
      expect(logged).toEqual([
        {
          message: 'catch-up of a channel failed',
          fields: { incident: second.id, channel: 'CTWO' },
          error: refusal,
        },
      ]);
      expect(slack.argsOf('history').filter(([c]) => c === 'CTWO')).toHaveLength(1);
      expect(sleeps).toEqual([]);
      expect(await texts(first)).toEqual(['one']);
    });
  });

  describe('fetchMessage', () => {
    const job = (ts: string): StoredJob => ({
      id: 1,
      incidentId: first.id,
      job: { type: 'fetch_message', channel: 'CONE', ts, threadTs: null },
      attempts: 0,
      nextAttemptAt: 0,
      createdAt: 0,
      claims: 1,
    });

    it('reads the one message from history and adds its reactions without removing others', async () => {
      await store.applyCapture({
        eventId: null,
        now: T0,
        reactions: [
          {
            channelId: 'CONE',
            ts: ts(10),
            userId: 'UCAROL',
            emoji: 'bulb',
            purpose: 'lesson',
            present: true,
            changedAt: ts(100),
          },
        ],
      });
      const slack = new FakeSlack({
        history: async () =>
          page([msg(10, 'found', { reactions: [{ name: 'pushpin', users: ['UBOB'] }] }), msg(5, 'older')]),
      });
      expect(await catchUp(slack).fetchMessage(job(ts(10)))).toBeUndefined();
      expect(slack.calls).toEqual([
        { method: 'history', args: ['CONE', { latest: ts(10), inclusive: true, limit: 1 }] },
      ]);
      expect(await texts(first)).toEqual(['found']);
      expect((await store.reactionsOn('CONE', ts(10))).map((r) => r.emoji).sort()).toEqual([
        'bulb',
        'pushpin',
      ]);
    });

    it('looks in the thread when history does not have it', async () => {
      const slack = new FakeSlack({
        history: async () => page([msg(5, 'not it')]),
        replies: async () =>
          page([msg(5, 'parent', { reply_count: 1 }), msg(10, 'the reply', { thread_ts: ts(5) })]),
      });
      await catchUp(slack).fetchMessage(job(ts(10)));
      expect(slack.argsOf('replies')).toEqual([['CONE', ts(10), undefined]]);
      expect((await store.messages(first.id)).map((m) => [m.text, m.threadTs])).toEqual([
        ['the reply', ts(5)],
      ]);
    });

    it('finishes quietly when the thread cannot be read either', async () => {
      const slack = new FakeSlack({
        replies: async () => {
          throw Object.assign(new Error('thread_not_found'), { code: 'slack_webapi_platform_error' });
        },
      });
      await expect(catchUp(slack).fetchMessage(job(ts(10)))).resolves.toBeUndefined();
      expect(await texts(first)).toEqual([]);
    });

    it('waits out a 429 on the history read', async () => {
      let refusals = 1;
      const slack = new FakeSlack({
        history: async () => {
          if (refusals-- > 0) throw rateLimited(2);
          return page([msg(10, 'found')]);
        },
      });
      await catchUp(slack).fetchMessage(job(ts(10)));
      expect(sleeps).toEqual([2000]);
      expect(await texts(first)).toEqual(['found']);
    });

    it('ignores other jobs', async () => {
      const slack = new FakeSlack();
      await catchUp(slack).fetchMessage({ ...job(ts(1)), job: { type: 'refresh_card' } });
      expect(slack.calls).toEqual([]);
    });
  });
});
