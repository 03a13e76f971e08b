/**
 * The boundary in Socket Mode: unmatched and malformed envelopes are acknowledged at once (Bolt's
 * Socket Mode has no ack timeout: they would never be), and the socket comes back by itself after
 * Slack was unreachable, also when Slack is unreachable at start-up.
 */
import fs from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createFirewatch, type Firewatch } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { SEEDED_CHANNELS, SEEDED_USERS, SlackEmulator } from '../../../src/emulator';
import { expectLoggedError, testLogger } from '../../support/logged-errors';

const ALICE = SEEDED_USERS[0]?.id ?? '';
const FAST_MS = 1000;

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

/** Firewatch in Socket Mode against `emu`, retrying Slack every 20-100 ms. */
async function socketFirewatch(
  emu: SlackEmulator,
): Promise<{ firewatch: Firewatch; port: number; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-socket-boundary-'));
  const port = await freePort();
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_APP_TOKEN: 'xapp-1-test',
    SLACK_API_URL: emu.url,
    PORT: String(port),
    DATABASE_URL: path.join(dir, 'firewatch.db'),
    POSTMORTEM_DIR: path.join(dir, 'postmortems'),
  });
  const firewatch = createFirewatch(config, {
    logger: testLogger(),
    webApiRetries: 0,
    outbox: { baseDelayMs: 20, maxDelayMs: 200 },
    slackBackoff: { baseMs: 20, maxMs: 100 },
  });
  await firewatch.start();
  return { firewatch, port, dir };
}

async function stopAll(firewatch: Firewatch | undefined, emu: SlackEmulator | undefined, dir?: string) {
  await firewatch?.stop();
  if (emu) await until(() => emu.socketConnections() === 0, 'Firewatch to close its socket');
  await emu?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

const healthOf = async (port: number) => {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: 'close' } });
  return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
};

describe('Socket Mode boundary', () => {
  let emu: SlackEmulator;
  let firewatch: Firewatch;
  let dir: string;
  let port: number;
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    emu = await SlackEmulator.start();
    ({ firewatch, dir, port } = await socketFirewatch(emu));
  });
  afterAll(() => stopAll(firewatch, emu, dir));
  beforeEach(() => {
    warn = jest.spyOn(firewatch.app.logger, 'warn');
  });
  afterEach(() => warn.mockRestore());

  const user = { id: ALICE };
  const team = { id: 'T1' };

  it.each([
    [
      'an unknown action_id',
      { type: 'block_actions', user, team, actions: [{ action_id: 'nobody' }] },
      undefined,
    ],
    [
      'an unknown view',
      { type: 'view_submission', user, team, view: { id: 'V1', callback_id: 'other' } },
      undefined,
    ],
    [
      'view_closed',
      { type: 'view_closed', user, team, view: { id: 'V1', callback_id: 'firewatch_declare' } },
      undefined,
    ],
    ['a shortcut', { type: 'shortcut', callback_id: 'sc', user, team, trigger_id: 't' }, undefined],
    [
      'a block_suggestion',
      { type: 'block_suggestion', action_id: 'a', value: 'x', user, team },
      { options: [] },
    ],
  ])('%s is acknowledged at once', async (_name, payload, answer) => {
    const started = Date.now();
    const ack = await emu.socketSendInteractive(payload, { timeoutMs: 2000 });
    expect(Date.now() - started).toBeLessThan(FAST_MS);
    if (answer) expect(ack.payload).toEqual(answer);
    expect(warn).not.toHaveBeenCalled();
  });

  it('a slash command other than /incident is acknowledged at once', async () => {
    const ack = await emu.socketSendSlashCommand(
      { command: '/other', text: 'x', channel_id: SEEDED_CHANNELS.general, user_id: ALICE },
      { timeoutMs: 2000 },
    );
    expect(ack.envelope_id).toEqual(expect.any(String));
  });

  it('a malformed event or interaction is acknowledged with one warning', async () => {
    const event = await emu.socketSendEvent(
      { type: 'message', channel: 'C1', user: { id: 'U1' }, ts: 'abc' },
      { timeoutMs: 2000 },
    );
    expect(event.envelope_id).toEqual(expect.any(String));
    const interaction = await emu.socketSendInteractive(
      { type: 'block_actions', actions: [] },
      { timeoutMs: 2000 },
    );
    expect(interaction.envelope_id).toEqual(expect.any(String));
    expect(warn.mock.calls.map((args) => String(args[0]))).toEqual([
      expect.stringMatching(/^Ignored a malformed Slack request: message event: event\.ts/),
      expect.stringMatching(/^Ignored a malformed Slack request: action payload: user/),
    ]);
  });

  it.each([
    ['payload null', null, /events_api envelope: payload is not an object/],
    ['payload a string', 'x', /events_api envelope: payload is not an object/],
    [
      'event null',
      { type: 'event_callback', event_id: 'Ev1', event: null },
      /payload\.event is not an object/,
    ],
    [
      'event a number',
      { type: 'event_callback', event_id: 'Ev2', event: 5 },
      /payload\.event is not an object/,
    ],
  ])(
    'an events_api envelope with %s is acknowledged with one warning (the client would throw)',
    async (_name, payload, reason) => {
      const ack = await emu.socketSendMalformed('events_api', payload, { timeoutMs: 2000 });
      expect(ack.envelope_id).toEqual(expect.any(String));
      expect(warn.mock.calls.map((args) => String(args[0]))).toEqual([expect.stringMatching(reason)]);
    },
  );

  it('an interactive envelope whose payload is null is acknowledged with one warning', async () => {
    const ack = await emu.socketSendMalformed('interactive', null, { timeoutMs: 2000 });
    expect(ack.envelope_id).toEqual(expect.any(String));
    expect(warn.mock.calls.map((args) => String(args[0]))).toEqual([
      expect.stringMatching(/^Ignored a malformed Slack request: the body is null, not a JSON object/),
    ]);
  });

  it('reconnects by itself after Slack was unreachable, and /healthz says so meanwhile', async () => {
    expectLoggedError(/Failed to retrieve a new WSS URL/, /WebSocket error/);
    emu.failAlways('apps.connections.open', { network: true });
    emu.socketDisconnect();
    await until(() => firewatch.slackStatus() === 'unreachable', 'the slack check to go down');
    const during = await healthOf(port);
    expect(during).toEqual({
      status: 200,
      body: { status: 'degraded', checks: { db: 'ok', outbox: 'ok', slack: 'unreachable' } },
    });
    await new Promise((resolve) => setTimeout(resolve, 150)); // several failed attempts
    expect(emu.socketConnections()).toBe(0);
    emu.clearFailures();
    await until(
      () => emu.socketConnections() === 1 && firewatch.slackStatus() === 'ok',
      'the socket to come back',
    );
    expect((await healthOf(port)).body.checks.slack).toBe('ok');
    const ack = await emu.socketSendSlashCommand(
      { command: '/incident', text: 'help', channel_id: SEEDED_CHANNELS.general, user_id: ALICE },
      { timeoutMs: 2000 },
    );
    expect(ack.envelope_id).toEqual(expect.any(String));
  });
});

describe('Socket Mode with Slack unreachable at start-up', () => {
  it('starts anyway, serves /healthz, and connects once Slack answers', async () => {
    const emu = await SlackEmulator.start();
    expectLoggedError(/Failed to retrieve a new WSS URL/, /WebSocket error/);
    emu.failAlways('apps.connections.open', { status: 503 });
    let firewatch: Firewatch | undefined;
    let dir: string | undefined;
    try {
      let port: number;
      ({ firewatch, port, dir } = await socketFirewatch(emu));
      expect(firewatch.slackStatus()).toBe('unreachable');
      expect(await healthOf(port)).toEqual({
        status: 200,
        body: { status: 'degraded', checks: { db: 'ok', outbox: 'ok', slack: 'unreachable' } },
      });
      emu.clearFailures();
      const started = firewatch;
      await until(
        () => emu.socketConnections() === 1 && started.slackStatus() === 'ok',
        'the socket to connect',
      );
      expect((await healthOf(port)).body.checks.slack).toBe('ok');
    } finally {
      await stopAll(firewatch, emu, dir);
    }
  });
});
