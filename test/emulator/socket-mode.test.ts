import { request } from 'node:http';
import { SocketModeClient } from '@slack/socket-mode';
import { ErrorCode, WebClient } from '@slack/web-api';
import { SEEDED_CHANNELS, SEEDED_USERS, SlackEmulator, type SocketAck } from '../../src/emulator';
import { silentLogger } from '../support/silent-logger';

const ALICE = SEEDED_USERS[0]?.id ?? '';
const BOB = SEEDED_USERS[1]?.id ?? '';
const GENERAL = SEEDED_CHANNELS.general;
const APP_TOKEN = 'xapp-1-A0APP00001-1-secret';

/** What a SocketModeClient listener receives. */
interface Delivery {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  envelope_id: string;
  body: Record<string, unknown>;
  event?: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
  accepts_response_payload?: boolean;
}

let emu: SlackEmulator;
const clients: SocketModeClient[] = [];

function socketClient(opts: { clientPingTimeout?: number; autoReconnectEnabled?: boolean } = {}) {
  const client = new SocketModeClient({
    appToken: APP_TOKEN,
    logger: silentLogger,
    autoReconnectEnabled: opts.autoReconnectEnabled ?? false,
    clientPingTimeout: opts.clientPingTimeout ?? 5000,
    clientOptions: { slackApiUrl: emu.url, retryConfig: { retries: 0 } },
  });
  clients.push(client);
  return client;
}

/** Starts a client and returns the messages it received (the first one is `hello`). */
async function connect(client: SocketModeClient): Promise<unknown[]> {
  const received: unknown[] = [];
  client.on('ws_message', (data: string | ArrayBuffer) => {
    received.push(JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data)));
  });
  await client.start();
  return received;
}

/** Resolves with the next delivery of `name` on `client`, acking it with `response`. */
function nextDelivery(
  client: SocketModeClient,
  name: string,
  response?: Record<string, unknown>,
): Promise<Delivery> {
  return new Promise((resolve) => {
    client.once(name, async (delivery: Delivery) => {
      await delivery.ack(response);
      resolve(delivery);
    });
  });
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The HTTP status a WebSocket handshake to `url` gets (101 when accepted). */
function handshakeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url.replace(/^ws/, 'http'), {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from('0123456789abcdef').toString('base64'),
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeEach(async () => {
  emu = await SlackEmulator.start();
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.disconnect();
  await emu.stop();
});

describe('apps.connections.open', () => {
  const web = (token?: string) =>
    new WebClient(token, { slackApiUrl: emu.url, retryConfig: { retries: 0 }, logger: silentLogger });

  it('hands an app-level token a WebSocket URL on the emulator', async () => {
    const result = await web(APP_TOKEN).apps.connections.open();
    const port = new URL(emu.url).port;
    expect(result.ok).toBe(true);
    expect(result.url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${port}/socket\\?ticket=[\\w-]+&app_id=A`));
    expect(emu.lastCall('apps.connections.open')).toMatchObject({ token: APP_TOKEN, status: 200 });
  });

  it.each([
    ['a bot token', 'xoxb-test-token', 'not_allowed_token_type'],
    ['a user token', 'xoxp-U0ALICE001-1', 'not_allowed_token_type'],
    ['a malformed token', 'nonsense', 'invalid_auth'],
    ['no token', undefined, 'not_authed'],
  ])('refuses %s', async (_label, token, error) => {
    await expect(web(token).apps.connections.open()).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error },
    });
  });

  it('answers injected failures like any method', async () => {
    emu.failNext('apps.connections.open', { error: 'ratelimited' });
    await expect(web(APP_TOKEN).apps.connections.open()).rejects.toMatchObject({
      data: { error: 'ratelimited' },
    });
  });

  it('issues single-use tickets and refuses unknown ones', async () => {
    const { url } = await web(APP_TOKEN).apps.connections.open();
    expect(await handshakeStatus(url ?? '')).toBe(101);
    expect(await handshakeStatus(url ?? '')).toBe(401);
    const base = new URL(emu.url).origin.replace('http', 'ws');
    expect(await handshakeStatus(`${base}/socket?ticket=forged`)).toBe(401);
    expect(await handshakeStatus(`${base}/elsewhere`)).toBe(404);
  });
});

describe('Socket Mode connection', () => {
  it('greets a SocketModeClient with hello', async () => {
    expect(emu.socketConnections()).toBe(0);
    const client = socketClient();
    const received = await connect(client);
    expect(emu.socketConnections()).toBe(1);
    expect(received[0]).toEqual({
      type: 'hello',
      num_connections: 1,
      debug_info: expect.objectContaining({ host: expect.any(String), approximate_connection_time: 18060 }),
      connection_info: { app_id: 'A0APP00001' },
    });
  });

  it('delivers an events_api envelope and resolves with the ack', async () => {
    const client = socketClient();
    await connect(client);
    const delivered = nextDelivery(client, 'message');
    const event = {
      type: 'message',
      channel: GENERAL,
      user: BOB,
      text: 'hello over the socket',
      ts: '1.000100',
    };
    const ack = await emu.socketSendEvent(event, { eventId: 'Ev0SOCKET01', eventTime: 1_700_000_000 });
    const got = await delivered;
    expect(ack).toEqual({ envelope_id: got.envelope_id, payload: {} });
    expect(got.envelope_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.event).toEqual(event);
    expect(got.body).toMatchObject({
      type: 'event_callback',
      event_id: 'Ev0SOCKET01',
      event_time: 1_700_000_000,
      team_id: emu.teamId,
      api_app_id: 'A0APP00001',
      authorizations: [{ team_id: emu.teamId, user_id: emu.botUserId, is_bot: true }],
      event,
    });
    expect(got).toMatchObject({ retry_num: 0, retry_reason: '', accepts_response_payload: false });
  });

  it('marks redeliveries with retry_attempt and retry_reason', async () => {
    const client = socketClient();
    await connect(client);
    const delivered = nextDelivery(client, 'reaction_added');
    await emu.socketSendEvent(
      {
        type: 'reaction_added',
        user: ALICE,
        reaction: 'pushpin',
        item: { type: 'message', channel: GENERAL },
      },
      { eventId: 'Ev0SOCKET02', retryAttempt: 2, retryReason: 'timeout' },
    );
    expect(await delivered).toMatchObject({
      retry_num: 2,
      retry_reason: 'timeout',
      body: { event_id: 'Ev0SOCKET02' },
    });
  });

  it('delivers a slash command with Slack fields and returns the response payload', async () => {
    const client = socketClient();
    await connect(client);
    const delivered = nextDelivery(client, 'slash_commands', { response_type: 'ephemeral', text: 'on it' });
    const ack = await emu.socketSendSlashCommand({ command: '/incident', text: 'list', user_id: BOB });
    const got = await delivered;
    expect(ack).toEqual({
      envelope_id: got.envelope_id,
      payload: { response_type: 'ephemeral', text: 'on it' },
    });
    expect(got.accepts_response_payload).toBe(true);
    expect(got.body).toMatchObject({
      command: '/incident',
      text: 'list',
      user_id: BOB,
      user_name: 'bob',
      channel_id: GENERAL,
      channel_name: 'general',
      team_id: emu.teamId,
      api_app_id: 'A0APP00001',
      is_enterprise_install: 'false',
      trigger_id: expect.stringMatching(/^\d+\.\d+\.[0-9a-f]+$/),
    });
    // The minted response_url acts in the command's channel, for its user.
    const responseUrl = got.body.response_url as string;
    expect(responseUrl.startsWith(new URL(emu.url).origin)).toBe(true);
    await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'just for bob' }),
    });
    expect(emu.ephemerals(GENERAL)).toEqual([expect.objectContaining({ user: BOB, text: 'just for bob' })]);
  });

  it('delivers interactive payloads as given', async () => {
    const client = socketClient();
    await connect(client);
    const errors = { response_action: 'errors', errors: { title: 'Give a title' } };
    const delivered = nextDelivery(client, 'interactive', errors);
    const payload = { type: 'view_submission', user: { id: ALICE }, view: { callback_id: 'declare' } };
    const ack = await emu.socketSendInteractive(payload);
    const got = await delivered;
    expect(got.body).toEqual(payload);
    expect(got.accepts_response_payload).toBe(true);
    expect(ack.payload).toEqual(errors);
  });

  it('carries messages of every frame size both ways', async () => {
    const client = socketClient();
    await connect(client);
    for (const size of [10, 200, 70_000, 1_100_000]) {
      const text = 'x'.repeat(size);
      const delivered = nextDelivery(client, 'slash_commands', { text: `${text}!` });
      const ack = await emu.socketSendSlashCommand({ command: '/incident', text });
      expect((await delivered).body.text).toHaveLength(size);
      expect(String(ack.payload?.text ?? '')).toHaveLength(size + 1);
    }
  });

  it('rejects when the app does not ack in time, and when no app is connected', async () => {
    await expect(emu.socketSendEvent({ type: 'message' })).rejects.toThrow(/no Socket Mode connection/);
    const client = socketClient();
    await connect(client);
    // Nobody listens for member_joined_channel: the client never acks.
    await expect(
      emu.socketSendEvent({ type: 'member_joined_channel', user: BOB }, { timeoutMs: 150 }),
    ).rejects.toThrow(/Timed out after 150 ms waiting for the ack of the events_api envelope/);
  });

  it('answers pings, so the client keeps the connection', async () => {
    // The client pings every clientPingTimeout / 3 and drops the connection when pongs stop coming.
    const client = socketClient({ clientPingTimeout: 150 });
    await connect(client);
    const closed = jest.fn();
    client.on('close', closed);
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(closed).not.toHaveBeenCalled();
    expect(emu.socketConnections()).toBe(1);
  });

  it('tells the app to reconnect with disconnect; the app reconnects with a fresh URL', async () => {
    const client = socketClient({ clientPingTimeout: 100, autoReconnectEnabled: true });
    await connect(client);
    const reconnected = new Promise((resolve) => client.once('connected', resolve));
    expect(emu.socketDisconnect('refresh_requested')).toBe(1);
    await reconnected;
    expect(emu.callsTo('apps.connections.open')).toHaveLength(2);
    expect(emu.socketConnections()).toBe(1);
    const delivered = nextDelivery(client, 'message');
    await emu.socketSendEvent({
      type: 'message',
      channel: GENERAL,
      user: BOB,
      text: 'after',
      ts: '2.000100',
    });
    expect((await delivered).event?.text).toBe('after');
  });

  it('counts connections and completes the close handshake when the app disconnects', async () => {
    const first = socketClient();
    const second = socketClient();
    await connect(first);
    const received = await connect(second);
    expect(received[0]).toMatchObject({ type: 'hello', num_connections: 2 });
    expect(emu.socketConnections()).toBe(2);
    await first.disconnect();
    await until(() => emu.socketConnections() === 1, 'one connection left');
    await second.disconnect();
    await until(() => emu.socketConnections() === 0, 'no connection left');
  });

  it('spreads envelopes over the open connections', async () => {
    const first = socketClient();
    const second = socketClient();
    await connect(first);
    await connect(second);
    const seen: string[] = [];
    first.on('message', async ({ ack }: Delivery) => {
      seen.push('first');
      await ack();
    });
    second.on('message', async ({ ack }: Delivery) => {
      seen.push('second');
      await ack();
    });
    const acks: SocketAck[] = [];
    for (let i = 0; i < 4; i++) acks.push(await emu.socketSendEvent({ type: 'message', text: `m${i}` }));
    expect(acks).toHaveLength(4);
    expect(seen.filter((s) => s === 'first')).toHaveLength(2);
    expect(seen.filter((s) => s === 'second')).toHaveLength(2);
  });

  it('closes connections and fails pending acks when it stops', async () => {
    const client = socketClient();
    await connect(client);
    const disconnected = new Promise((resolve) => client.once('disconnected', resolve));
    const pending = expect(
      emu.socketSendEvent({ type: 'member_joined_channel', user: BOB }, { timeoutMs: 5000 }),
    ).rejects.toThrow(/stopped before the ack/);
    await emu.stop();
    await pending;
    await disconnected;
    expect(emu.socketConnections()).toBe(0);
  });
});
