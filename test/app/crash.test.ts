/**
 * SIGKILL at eight moments: three while events stream in, five while postmortems publish. The bot runs
 * as a child process (src/main.ts, the production entry point) on a temp SQLite file, against an
 * emulator in this process; after each kill it is restarted on the same database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RecordedCall, SEEDED_CHANNELS, SlackEmulator } from '../../src/emulator';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store';
import {
  type ChildBot,
  killChildBot,
  randomPort,
  startChildBot,
  stopChildBot,
  until,
} from '../support/child-bot';

jest.setTimeout(60_000);

type Bot = ChildBot;

const startBot = (slack: SlackEmulator, dir: string, port: number): Promise<Bot> =>
  startChildBot(slack, port, {
    SLACK_BOT_TOKEN: 'xoxb-crash',
    DATABASE_URL: path.join(dir, 'fw.db'),
    POSTMORTEM_DIR: path.join(dir, 'postmortems'),
  });
const kill = killChildBot;
const stop = stopChildBot;

async function declare(bot: Bot, slack: SlackEmulator, title: string, n: number): Promise<string> {
  const reply = await bot.client.slashCommand({
    channel_id: SEEDED_CHANNELS.general,
    user_id: 'UALICE',
    text: `declare P2 ${title}`,
    response_url: slack.responseUrl(),
  });
  expect(reply.status).toBe(200);
  const name = `inc-${new Date().getUTCFullYear()}-${String(n).padStart(3, '0')}-${title.toLowerCase().replace(/ /g, '-')}`;
  return until(`channel ${name}`, () => slack.channelByName(name)?.id);
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-crash-'));

describe('SIGKILL while events stream in', () => {
  it('keeps every acknowledged event, applies none twice, across three kills', async () => {
    const slack = await SlackEmulator.start();
    const dir = tmp();
    const port = randomPort();
    let bot = await startBot(slack, dir, port);
    try {
      const channel = await declare(bot, slack, 'Stream', 1);
      // The stream: 150 messages; every 10th message gets a 📌 (timeline) and a ☑️ (action item) a
      // little later. Each event has its own id, as Slack's deliveries do.
      const base = Math.floor(Date.now() / 1000) - 3600;
      type Delivery = { id: string; event: Record<string, unknown> };
      const deliveries: Delivery[] = [];
      const pinned: number[] = [];
      for (let i = 0; i < 150; i += 1) {
        const ts = `${base + i}.${String(i).padStart(6, '0')}`;
        const text = `stream ${i}: step ${i} of the rollback`;
        // Slack has the message whatever the bot heard: catch-up and reaction look-ups read it.
        slack.seedMessage(channel, { user: 'UBOB', text, ts });
        deliveries.push({
          id: `EvMSG${i}`,
          event: { type: 'message', channel, user: 'UBOB', text, ts, event_ts: ts, channel_type: 'channel' },
        });
        if (i % 10 === 5) {
          const target = i - 5;
          pinned.push(target);
          const item = {
            type: 'message',
            channel,
            ts: `${base + target}.${String(target).padStart(6, '0')}`,
          };
          for (const reaction of ['pushpin', 'ballot_box_with_check']) {
            deliveries.push({
              id: `EvR${reaction}${target}`,
              event: { type: 'reaction_added', user: 'UBOB', reaction, item, event_ts: `${base + i}.9${i}` },
            });
          }
        }
      }

      const acked = new Set<string>();
      let retries = 0;
      /** Sends deliveries four at a time; after `killAfter` acks in this run the bot is SIGKILLed. */
      const stream = async (todo: Delivery[], killAfter: number | null) => {
        let next = 0;
        let acks = 0;
        let killed = false;
        const worker = async () => {
          while (next < todo.length && !killed) {
            const d = todo[next++]!;
            const retryNum = acked.has(d.id) || d.id.includes('#') ? 1 : undefined;
            const reply = await bot.client
              .event(d.event, { eventId: d.id, ...(retryNum ? { retryNum } : {}) })
              .catch(() => null);
            if (reply?.status !== 200) continue;
            acked.add(d.id);
            acks += 1;
            if (killAfter !== null && acks === killAfter && !killed) {
              killed = true;
              bot.child.kill('SIGKILL');
            }
          }
        };
        await Promise.all([worker(), worker(), worker(), worker()]);
        if (killed) await kill(bot);
        expect(killed).toBe(killAfter !== null);
      };
      const restart = async () => {
        bot = await startBot(slack, dir, port);
      };
      // Slack redelivers what got no 200; it may also redeliver an event whose 200 it never saw.
      const redeliveries = () => {
        const lost = deliveries.filter((d) => !acked.has(d.id));
        const doubts = deliveries.filter((d) => acked.has(d.id)).slice(-6);
        retries += lost.length + doubts.length;
        return [...lost, ...doubts];
      };

      await stream(deliveries.slice(0, 60), 35);
      await restart();
      await stream([...redeliveries(), ...deliveries.slice(60, 120)], 40);
      await restart();
      await stream([...redeliveries(), ...deliveries.slice(120)], 30);
      await restart();
      await stream(redeliveries(), null);
      expect(deliveries.filter((d) => !acked.has(d.id))).toEqual([]);
      expect(retries).toBeGreaterThan(0);
      await stop(bot);

      const store = SqliteStore.open(path.join(dir, 'fw.db'));
      try {
        const [incident] = await store.listIncidents('all', 1);
        const messages = await store.messages(incident!.id);
        const texts = messages.map((m) => m.text).filter((t) => t.startsWith('stream '));
        expect(texts).toHaveLength(150);
        expect(new Set(texts).size).toBe(150);
        const timeline = await store.timeline(incident!.id);
        const actions = await store.actions(incident!.id);
        for (const target of pinned) {
          const prefix = `stream ${target}:`;
          expect(timeline.filter((e) => e.text.includes(prefix))).toHaveLength(1);
          expect(actions.filter((a) => a.text.includes(prefix))).toHaveLength(1);
        }
        expect(actions).toHaveLength(pinned.length);
      } finally {
        await store.close();
      }
    } finally {
      if (bot.child.exitCode === null) await kill(bot);
      await slack.stop();
    }
  });
});

const isSummary = (channel: string) => (c: RecordedCall) =>
  c.method === 'chat.postMessage' &&
  c.args.channel === channel &&
  String(c.args.text).startsWith('Postmortem ');

describe('SIGKILL while a postmortem publishes', () => {
  it('posts each summary and file once, whichever moment the bot dies', async () => {
    const slack = await SlackEmulator.start();
    const dir = tmp();
    const port = randomPort();
    let bot = await startBot(slack, dir, port);
    try {
      const moments: { name: string; arm: (channel: string, since: number) => Promise<unknown> }[] = [
        // Slack has taken the summary; the outbox has not marked the job done.
        {
          name: 'summary accepted',
          arm: (c, since) => slack.waitFor(isSummary(c), { since, timeoutMs: 15_000 }),
        },
        // The upload has started: an upload URL was handed out, no bytes sent.
        {
          name: 'upload URL handed out',
          arm: (_c, since) => slack.waitFor('files.getUploadURLExternal', { since, timeoutMs: 15_000 }),
        },
        // The bytes went to the upload URL; the file is not shared yet.
        {
          name: 'bytes uploaded',
          arm: (_c, since) => slack.waitFor('file_upload', { since, timeoutMs: 15_000 }),
        },
        // The file is shared in the channel; the outbox has not marked the job done.
        {
          name: 'file shared',
          arm: (_c, since) => slack.waitFor('files.completeUploadExternal', { since, timeoutMs: 15_000 }),
        },
        // Slack hangs on the summary post: the request is open when the bot dies.
        {
          name: 'summary post hanging',
          arm: async (c, since) => {
            // The close notice is the post before the summary: the next post after it hangs.
            const closed = (call: RecordedCall) =>
              call.method === 'chat.postMessage' &&
              call.args.channel === c &&
              String(call.args.text).includes(' closed* by ');
            await slack.waitFor(closed, { since, timeoutMs: 15_000 });
            slack.failNext('chat.postMessage', { hang: true });
            const hung = await slack.waitFor(isSummary(c), { since, timeoutMs: 15_000 });
            expect(hung.status).toBe(0);
          },
        },
      ];
      const channels: string[] = [];
      for (const [i, moment] of moments.entries()) {
        channels.push(await declare(bot, slack, `Publish ${i + 1}`, i + 1));
        await until('the card', () => slack.pinned(channels[i]!).length > 0);
        const since = slack.calls.length;
        const armed = moment.arm(channels[i]!, since);
        const reply = await bot.client.slashCommand({
          channel_id: channels[i]!,
          user_id: 'UALICE',
          text: 'close',
          response_url: slack.responseUrl(),
        });
        expect(reply.status).toBe(200);
        await armed;
        await kill(bot);
        slack.clearFailures();
        expect(slack.calls.length).toBeGreaterThan(since);
        bot = await startBot(slack, dir, port);
        await until(
          `the postmortem of ${channels[i]} (${moment.name}) posted and shared`,
          () =>
            slack.messages(channels[i]!).some((m) => m.text.startsWith('Postmortem ')) &&
            slack.messages(channels[i]!).some((m) => m.subtype === 'file_share'),
        );
      }
      // Let every outbox job drain, then look at what Slack holds.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await stop(bot);
      for (const [i, channel] of channels.entries()) {
        const messages = slack.messages(channel);
        const name = moments[i]!.name;
        expect({ name, summaries: messages.filter((m) => m.text.startsWith('Postmortem ')).length }).toEqual({
          name,
          summaries: 1,
        });
        expect({ name, files: messages.filter((m) => m.subtype === 'file_share').length }).toEqual({
          name,
          files: 1,
        });
        expect({ name, closed: messages.filter((m) => m.text.includes(' closed* by ')).length }).toEqual({
          name,
          closed: 1,
        });
      }
      const store = SqliteStore.open(path.join(dir, 'fw.db'));
      try {
        expect(await store.pendingJobs()).toBe(0);
        expect(await store.failedJobs(0)).toBe(0);
        for (const incident of await store.listIncidents('all', 10)) {
          expect(await store.postmortems(incident.id)).toHaveLength(1);
        }
      } finally {
        await store.close();
      }
    } finally {
      if (bot.child.exitCode === null) await kill(bot);
      await slack.stop();
    }
  });
});
