/**
 * Two Firewatch processes (src/main.ts) on different ports share one real PostgreSQL, as two
 * replicas behind a load balancer do. A driver spreads signed requests across both and delivers
 * every Events API event to each of them, while both run their outbox. Then the replica holding an
 * outbox job is SIGKILLed and the other finishes the incident, that job included.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freshDatabase, stopPostgres } from '../../scripts/support/postgres';
import { type RecordedCall, SEEDED_CHANNELS, SlackEmulator } from '../../src/emulator';
import {
  type ChildBot,
  killChildBot,
  randomPort,
  startChildBot,
  stopChildBot,
  until,
} from '../support/child-bot';
import { TEST_USERS } from '../support/harness';

jest.setTimeout(120_000);

afterAll(() => stopPostgres(), 60_000);

const LEASE_SECONDS = 3;

/** The value of a counter or gauge series in a /metrics text (0 when absent). */
async function metric(bot: ChildBot, series: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${bot.port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

const isPostIn = (channel: string) => (c: RecordedCall) =>
  c.method === 'chat.postMessage' && c.args.channel === channel;

describe('two replicas sharing one PostgreSQL', () => {
  let slack: SlackEmulator;
  let db: pg.Client;
  let url: string;
  const bots: ChildBot[] = [];
  let dir: string;

  beforeAll(async () => {
    slack = await SlackEmulator.start();
    for (const [id, name] of TEST_USERS) if (!slack.user(id)) slack.addUser(id, name);
    url = await freshDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-replicas-'));
    const env = {
      DATABASE_URL: url,
      DATABASE_POOL_MAX: '4',
      FIREWATCH_OUTBOX_LEASE_SECONDS: String(LEASE_SECONDS),
      // One folder for both, as a shared volume would be: one postmortem file, whoever writes it.
      POSTMORTEM_DIR: path.join(dir, 'postmortems'),
    };
    // Both start at once: both migrate the empty database (under the migration lock) and both try to catch up.
    bots.push(
      ...(await Promise.all([
        startChildBot(slack, randomPort(), env),
        startChildBot(slack, randomPort(), env),
      ])),
    );
    db = new pg.Client({ connectionString: url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    for (const bot of bots) if (bot.child.exitCode === null) await killChildBot(bot);
    await slack?.stop();
  });

  const [a, b] = [0, 1];
  const bot = (n: number) => bots[n]!;
  const rows = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;

  it('catches up once for the group, not once per replica', async () => {
    const runs = async (result: string) =>
      (await metric(bot(a), `firewatch_catch_up_runs_total{result="${result}"}`)) +
      (await metric(bot(b), `firewatch_catch_up_runs_total{result="${result}"}`));
    await until(
      'both replicas to have tried to catch up',
      async () => (await runs('ok')) + (await runs('skipped')) === 2,
    );
    expect(await runs('ok')).toBe(1);
    expect(await runs('skipped')).toBe(1);
  });

  it('reports its pool in /readyz and /metrics', async () => {
    const res = await fetch(`http://127.0.0.1:${bot(a).port}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { checks: unknown; pool: Record<string, number> };
    expect(body.checks).toEqual({ db: 'ok', slack: 'ok', shutdown: 'ok' });
    expect(body.pool).toEqual({ max: 4, open: expect.any(Number), idle: expect.any(Number), waiting: 0 });
    expect(body.pool.open).toBeLessThanOrEqual(4);
    expect(await metric(bot(b), 'firewatch_db_pool_connections{state="max"}')).toBe(4);
    expect(await metric(bot(b), 'firewatch_db_pool_waiting')).toBe(0);
  });

  let channel: string;
  let incidentId: string;

  it('gives declarations made at the same moment on both replicas different ids', async () => {
    const titles = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot'];
    const replies = await Promise.all(
      titles.map((title, i) =>
        bot(i % 2).client.slashCommand({
          channel_id: SEEDED_CHANNELS.general,
          user_id: 'UALICE',
          text: `declare P2 ${title}`,
          response_url: slack.responseUrl(),
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(titles.map(() => 200));
    const incidents = await until('six incidents with channels', async () => {
      const found = await rows(
        'SELECT id, channel_id FROM incidents WHERE channel_id IS NOT NULL ORDER BY id',
      );
      return found.length === titles.length ? found : null;
    });
    const year = new Date().getUTCFullYear();
    expect(incidents.map((r) => r.id)).toEqual(titles.map((_, i) => `INC-${year}-00${i + 1}`));
    expect(new Set(incidents.map((r) => r.channel_id)).size).toBe(titles.length);
    // Each card is posted and pinned once, by whichever replica ran the job.
    for (const row of incidents) {
      await until(`the card of ${row.id}`, () => slack.pinned(String(row.channel_id)).length === 1);
    }
    incidentId = String(incidents[0]!.id);
    channel = String(incidents[0]!.channel_id);
  });

  it('applies every event once although each replica receives it, and lands changes made on both', async () => {
    const base = Math.floor(Date.now() / 1000) - 600;
    type Delivery = { id: string; event: Record<string, unknown> };
    const deliveries: Delivery[] = [];
    for (let i = 0; i < 80; i += 1) {
      const ts = `${base + i}.${String(i).padStart(6, '0')}`;
      const text = `replica stream ${i}`;
      slack.seedMessage(channel, { user: 'UBOB', text, ts });
      deliveries.push({
        id: `EvRM${i}`,
        event: { type: 'message', channel, user: 'UBOB', text, ts, event_ts: ts, channel_type: 'channel' },
      });
      if (i % 10 === 3) {
        for (const reaction of ['pushpin', 'ballot_box_with_check']) {
          deliveries.push({
            id: `EvRR${reaction}${i}`,
            event: {
              type: 'reaction_added',
              user: 'UCAROL',
              reaction,
              item: { type: 'message', channel, ts },
              event_ts: `${base + i}.9${i}`,
            },
          });
        }
      }
    }
    // People change the incident on both replicas meanwhile.
    const commands = [
      'tech <@UBOB>',
      'note checking the pool',
      'severity P1',
      'comms <@UCAROL>',
      'status identified the pool is exhausted',
      'action raise the pool limit <@UBOB>',
      'update mitigation under way',
      'note pool raised',
      'status monitoring',
      'action add a pool alert',
    ];
    const sendCommands = async () => {
      for (const [i, text] of commands.entries()) {
        const reply = await bot(i % 2).client.slashCommand({
          channel_id: channel,
          user_id: 'UALICE',
          text,
          response_url: slack.responseUrl(),
        });
        expect(reply.status).toBe(200);
      }
    };
    // Every event goes to both replicas at once (the second copy as Slack's retry of it, half of the time).
    const sendEvents = async () => {
      for (const [i, d] of deliveries.entries()) {
        const replies = await Promise.all([
          bot(a).client.event(d.event, { eventId: d.id }),
          bot(b).client.event(d.event, { eventId: d.id, ...(i % 2 === 0 ? { retryNum: 1 } : {}) }),
        ]);
        expect(replies.map((r) => r.status)).toEqual([200, 200]);
      }
    };
    await Promise.all([sendEvents(), sendCommands()]);

    const messages = await rows(
      "SELECT text FROM messages WHERE incident_id = $1 AND version = '' AND text LIKE 'replica stream %'",
      [incidentId],
    );
    expect(messages).toHaveLength(80);
    expect(new Set(messages.map((m) => m.text)).size).toBe(80);
    const actions = await rows('SELECT seq, text FROM action_items WHERE incident_id = $1 ORDER BY seq', [
      incidentId,
    ]);
    // 8 from ☑️ reactions and 2 typed; numbered 1–10 with no gap or repeat.
    expect(actions.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const incident = (await rows('SELECT * FROM incidents WHERE id = $1', [incidentId]))[0]!;
    expect({ status: incident.status, severity: incident.severity }).toEqual({
      status: 'monitoring',
      severity: 'P1',
    });
    const timeline = await rows('SELECT kind, text FROM timeline_events WHERE incident_id = $1 ORDER BY id', [
      incidentId,
    ]);
    const statuses = timeline.filter((e) => e.kind === 'status').map((e) => String(e.text));
    expect(statuses).toHaveLength(2);
    expect(statuses[0]).toMatch(/identified/);
    expect(statuses[1]).toMatch(/monitoring/);
    expect(timeline.filter((e) => e.kind === 'note').map((e) => e.text)).toEqual([
      'checking the pool',
      'pool raised',
    ]);
    const roles = await rows(
      'SELECT role, user_id FROM role_terms WHERE incident_id = $1 AND to_at IS NULL ORDER BY role',
      [incidentId],
    );
    expect(roles.map((r) => `${r.role}:${r.user_id}`)).toEqual(['comms:UCAROL', 'ic:UALICE', 'tech:UBOB']);

    // Each notice reaches the channel once, however the jobs were shared out.
    await until(
      'the outbox to drain',
      async () =>
        Number((await rows("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'"))[0]!.n) === 0,
    );
    const posted = slack.messages(channel).map((m) => m.text);
    expect(new Set(posted).size).toBe(posted.length);
    expect(posted.filter((t) => t.includes('mitigation under way'))).toHaveLength(1);
    expect(slack.pinned(channel)).toHaveLength(1);
    expect(Number((await rows("SELECT COUNT(*) AS n FROM outbox WHERE status = 'failed'"))[0]!.n)).toBe(0);
  });

  it('finishes the incident on the survivor when the replica holding a job is SIGKILLed', async () => {
    // Slack takes the next post but never answers: the replica that claimed the job holds it.
    const since = slack.calls.length;
    slack.failNext('chat.postMessage', { hang: true });
    const reply = await bot(a).client.slashCommand({
      channel_id: channel,
      user_id: 'UALICE',
      text: 'update rolling back the release',
      response_url: slack.responseUrl(),
    });
    expect(reply.status).toBe(200);
    const hung = await slack.waitFor(isPostIn(channel), { since, timeoutMs: 15_000 });
    expect(hung.status).toBe(0);
    const [held] = await until('the hanging job to be held', async () => {
      const found = await rows(
        "SELECT claimed_by FROM outbox WHERE status = 'pending' AND claimed_by IS NOT NULL",
      );
      return found.length > 0 ? found : null;
    });
    const holder = String(held!.claimed_by);
    const victim = bots.find((bot) => holder.includes(`/${bot.child.pid}/`));
    expect(victim).toBeDefined();
    const survivor = bots.find((bot) => bot !== victim)!;
    await killChildBot(victim!);
    slack.clearFailures();

    // The survivor closes the incident; the dead replica's job runs once its lease is out.
    const closing = await survivor.client.slashCommand({
      channel_id: channel,
      user_id: 'UALICE',
      text: 'close',
      response_url: slack.responseUrl(),
    });
    expect(closing.status).toBe(200);
    await until(
      'the postmortem posted and shared',
      () =>
        slack.messages(channel).some((m) => m.text.startsWith('Postmortem ')) &&
        slack.messages(channel).some((m) => m.subtype === 'file_share'),
      LEASE_SECONDS * 1000 + 30_000,
    );
    await until(
      'the outbox to drain',
      async () =>
        Number((await rows("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'"))[0]!.n) === 0,
      LEASE_SECONDS * 1000 + 30_000,
    );
    const posted = slack.messages(channel).map((m) => m.text);
    expect(posted.filter((t) => t.includes('rolling back the release'))).toHaveLength(1);
    expect(posted.filter((t) => t.startsWith('Postmortem '))).toHaveLength(1);
    expect(slack.messages(channel).filter((m) => m.subtype === 'file_share')).toHaveLength(1);
    expect(new Set(posted).size).toBe(posted.length);
    expect(await rows('SELECT version FROM postmortems WHERE incident_id = $1', [incidentId])).toHaveLength(
      1,
    );
    expect(fs.readdirSync(path.join(dir, 'postmortems')).sort()).toEqual([
      `${incidentId}.json`,
      `${incidentId}.md`,
    ]);
    expect(Number((await rows("SELECT COUNT(*) AS n FROM outbox WHERE status = 'failed'"))[0]!.n)).toBe(0);
    await stopChildBot(survivor);
  });
});
