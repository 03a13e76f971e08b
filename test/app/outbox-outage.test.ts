/**
 * Slack answering 429 with Retry-After, 500, or not at all (a hang, ended by the WebClient's time-out)
 * for every call the bot makes, while people keep working in an incident and close it: acks stay fast,
 * nothing is lost, and the queued work drains once Slack is back, also after a restart in the middle
 * of the outage.
 */
import { type Failure, FILE_UPLOAD, RESPONSE_URL, SlackEmulator } from '../../src/emulator';
import { Harness } from '../support/harness';
import { expectLoggedError } from '../support/logged-errors';

jest.setTimeout(30_000);

/** Slack must have an answer within 3 s; the bot's acks must not wait for Slack at all. */
const MAX_ACK_MS = 1500;

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Every call the bot makes after start-up. `auth.test` is left working: Bolt authorizes each incoming
 * request with it after a restart, and answers 401 while it fails (start-up during an outage is the
 * subject of the start-up tests).
 */
const METHODS = [
  'chat.postMessage',
  'chat.update',
  'chat.postEphemeral',
  'pins.add',
  'conversations.create',
  'conversations.invite',
  'conversations.history',
  'conversations.replies',
  'users.info',
  'views.open',
  'views.publish',
  'files.getUploadURLExternal',
  FILE_UPLOAD,
  'files.completeUploadExternal',
  RESPONSE_URL,
];

const outages: [string, Failure][] = [
  ['429 with Retry-After: 1', { status: 429, retryAfter: 1 }],
  ['HTTP 500', { status: 500 }],
  ['a hang (no answer)', { hang: true }],
];

describe.each(outages)('Slack answering every call with %s', (_label, failure) => {
  it('acks at once, loses nothing, and drains the outbox once Slack is back, across a restart', async () => {
    // Notices to the closer go through a response_url that fails too: the bot logs that it could not tell.
    // and catch-up at the restart cannot read the channel history.
    expectLoggedError(/tell about a failed job failed/, /catch-up failed/);
    const slack = await SlackEmulator.start();
    const start = (dataDir?: string) =>
      Harness.start({ emulator: slack, webApiTimeoutMs: 300, ...(dataDir ? { dataDir } : {}) });
    let h = await start();
    try {
      const { channel, incident } = await h.declare('P1 Checkout down');
      const before = slack.calls.length;
      for (const method of METHODS) slack.failAlways(method, failure);

      const acks: number[] = [];
      const slash = async (text: string) => {
        const reply = await h.slash(text, { channel });
        expect(reply.status).toBe(200);
        acks.push(reply.ms);
      };
      const base = Math.floor(Date.now() / 1000) - 600;
      const message = async (i: number, harness: Harness) => {
        const ts = `${base + i}.${String(i).padStart(6, '0')}`;
        slack.seedMessage(channel, { user: 'UBOB', text: `outage note ${i}`, ts });
        const reply = await harness.event({
          type: 'message',
          channel,
          user: 'UBOB',
          text: `outage note ${i}`,
          ts,
          event_ts: ts,
        });
        expect(reply.status).toBe(200);
        acks.push(reply.ms);
      };

      await slash('status identified Payment provider timing out');
      await slash('severity P2');
      for (let i = 0; i < 5; i += 1) await message(i, h);
      await slash('update Failing over to the second provider');
      // Restart in the middle of the outage: the queued jobs are in the database.
      await h.stop();
      h = await start(h.dataDir);
      for (let i = 5; i < 10; i += 1) await message(i, h);
      await slash('note Provider confirmed the incident');
      await slash('close');
      expect(Math.max(...acks)).toBeLessThan(MAX_ACK_MS);
      expect(await h.store.pendingJobs()).toBeGreaterThan(0);
      // Slack took nothing meanwhile.
      expect(slack.calls.slice(before).every((c) => c.status !== 200 || c.method === 'auth.test')).toBe(true);

      slack.clearFailures();
      await until('the outbox to drain', async () => {
        await h.idle();
        return (await h.store.pendingJobs()) === 0;
      });

      // Nothing lost: every message stored, every command applied, everything posted once.
      const stored = (await h.store.messages(incident.id)).filter((m) => m.text.startsWith('outage note'));
      expect(stored).toHaveLength(10);
      const now = await h.store.getIncident(incident.id);
      expect(now).toMatchObject({ status: 'closed', severity: 'P2' });
      const messages = slack.messages(channel);
      expect(messages.filter((m) => m.text.startsWith('Postmortem '))).toHaveLength(1);
      expect(messages.filter((m) => m.subtype === 'file_share')).toHaveLength(1);
      expect(messages.filter((m) => m.text.includes('Failing over to the second provider'))).toHaveLength(1);
      expect(messages.filter((m) => m.text.includes(' closed* by '))).toHaveLength(1);
      const card = slack.pinned(channel)[0];
      expect(card?.text).toContain('(P2, closed)');
      expect(await h.store.failedJobs(0)).toBe(0);
      const health = await fetch(`${h.baseUrl}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', checks: { db: 'ok', outbox: 'ok', slack: 'ok' } });
    } finally {
      await h.stop();
      await slack.stop();
    }
  });
});
