import fs from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createFirewatch, type Firewatch } from '../../src/app';
import { loadConfig } from '../../src/config';
import { SEEDED_CHANNELS, SEEDED_USERS, SlackEmulator } from '../../src/emulator';
import { expectLoggedError, testLogger } from '../support/logged-errors';

const ALICE = SEEDED_USERS[0]?.id ?? '';
const BOB = SEEDED_USERS[1]?.id ?? '';

/** A port nobody listens on right now: bind port 0, read the port, let it go. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Firewatch in Socket Mode', () => {
  let emu: SlackEmulator;
  let firewatch: Firewatch;
  let dataDir: string;
  let port: number;

  beforeAll(async () => {
    emu = await SlackEmulator.start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-socket-'));
    port = await freePort();
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_APP_TOKEN: 'xapp-1-test',
      SLACK_API_URL: emu.url,
      PORT: String(port),
      DATABASE_URL: path.join(dataDir, 'firewatch.db'),
      POSTMORTEM_DIR: path.join(dataDir, 'postmortems'),
    });
    expect(config.signingSecret).toBeNull();
    firewatch = createFirewatch(config, {
      logger: testLogger(),
      webApiRetries: 0,
      outbox: { baseDelayMs: 20, maxDelayMs: 200 },
    });
    await firewatch.start();
  });

  afterAll(async () => {
    await firewatch?.stop();
    // Bolt's stop() starts the close handshake without waiting for it.
    if (emu) await until(() => emu.socketConnections() === 0, 'Firewatch to close its socket');
    await emu?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('connects through apps.connections.open with the app-level token', () => {
    expect(emu.callsTo('apps.connections.open')).toEqual([
      expect.objectContaining({ token: 'xapp-1-test', response: expect.objectContaining({ ok: true }) }),
    ]);
    expect(emu.socketConnections()).toBe(1);
  });

  it('serves /healthz on PORT', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: 'close' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"status":"ok","checks":{"db":"ok","outbox":"ok","slack":"ok"}}');
  });

  it('serves /readyz and /metrics on PORT, with the ack latency measured by the socket receiver', async () => {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`, { headers: { connection: 'close' } });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { db: 'ok', slack: 'ok', shutdown: 'ok' } });
    const ts = `${Math.floor(Date.now() / 1000)}.000050`;
    await emu.socketSendEvent({
      type: 'message',
      channel: SEEDED_CHANNELS.general,
      channel_type: 'channel',
      user: BOB,
      text: 'not an incident channel',
      ts,
      event_ts: ts,
    });
    const scrape = async () =>
      (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { connection: 'close' } })).text();
    let text = await scrape();
    for (let i = 0; i < 50 && !/^firewatch_ack_duration_seconds_count\{kind="events"\} 1$/m.test(text); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      text = await scrape();
    }
    expect(text).toMatch(/^firewatch_ack_duration_seconds_count\{kind="events"\} 1$/m);
    expect(text).toMatch(/^firewatch_events_received_total\{type="message"\} 1$/m);
    expect(text).toMatch(/^firewatch_events_ignored_total\{type="message",reason="not_incident"\} 1$/m);
    expect(text).toMatch(/^firewatch_slack_api_calls_total\{method="auth\.test",outcome="ok"\} 1$/m);
  });

  it('declares an incident from a slash command and captures messages from events', async () => {
    const ack = await emu.socketSendSlashCommand({
      command: '/incident',
      text: 'declare P1 Socket mode works',
      channel_id: SEEDED_CHANNELS.general,
      user_id: ALICE,
    });
    expect(ack.payload).toMatchObject({
      response_type: 'ephemeral',
      text: 'Declaring a P1 incident: Socket mode works…',
    });
    await firewatch.idle();

    const year = new Date().getUTCFullYear();
    const channel = emu.channelByName(`inc-${year}-001-socket-mode-works`);
    expect(channel).toBeDefined();
    const channelId = channel?.id ?? '';
    const [incident] = await firewatch.store.listIncidents('all', 1);
    expect(incident).toMatchObject({ id: `INC-${year}-001`, channelId, severity: 'P1' });
    const incidentId = incident?.id ?? '';
    // The incident card is posted in the new channel and pinned there.
    const card = emu
      .messages(channelId)
      .find((m) => m.bot_id === emu.botId && (m.blocks?.length ?? 0) > 0 && m.text.includes(incidentId));
    expect(card).toBeDefined();
    expect(emu.channel(channelId)?.pins).toContain(card?.ts);

    const ts = `${Math.floor(Date.now() / 1000)}.000100`;
    const eventAck = await emu.socketSendEvent({
      type: 'message',
      channel: channelId,
      channel_type: 'channel',
      user: BOB,
      text: 'connection pool is exhausted',
      ts,
      event_ts: ts,
    });
    expect(eventAck.envelope_id).toEqual(expect.any(String));
    // The ack comes back only after the message is stored: no waiting needed.
    const messages = await firewatch.store.messages(incidentId);
    expect(messages).toEqual([
      expect.objectContaining({ channelId, ts, userId: BOB, text: 'connection pool is exhausted' }),
    ]);

    // A write that fails is never acknowledged, so Slack delivers the envelope again.
    await firewatch.store.close();
    expectLoggedError(
      /Unhandled error in a listener.*The database connection is not open/,
      /An unhandled error occurred while Bolt processed/,
    );
    const later = `${Math.floor(Date.now() / 1000)}.000200`;
    await expect(
      emu.socketSendEvent(
        {
          type: 'message',
          channel: channelId,
          channel_type: 'channel',
          user: BOB,
          text: 'lost?',
          ts: later,
          event_ts: later,
        },
        { timeoutMs: 1500 },
      ),
    ).rejects.toThrow();
  });
});
