import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, isValidSlackRequest, LogLevel, SocketModeReceiver } from '@slack/bolt';
import {
  SEEDED_CHANNELS,
  SEEDED_USERS,
  SlackEmulator,
  SlackRequestClient,
  signingHeaders,
  slackSignature,
} from '../../src/emulator';
import { silentLogger } from '../support/silent-logger';

const SECRET = 'client-test-signing-secret';
const ALICE = SEEDED_USERS[0]!;
const GENERAL = SEEDED_CHANNELS.general;

// Slack's published example (docs: "Verifying requests from Slack").
const VECTOR = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&' +
    'channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&' +
    'response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&' +
    'trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

describe('signing', () => {
  it('reproduces Slack’s published test vector', () => {
    expect(slackSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
    expect(signingHeaders(VECTOR.secret, VECTOR.body, { timestamp: VECTOR.timestamp })).toEqual({
      'x-slack-request-timestamp': String(VECTOR.timestamp),
      'x-slack-signature': VECTOR.signature,
    });
  });

  it('signs with the current time by default, and a bad signature fails Bolt’s verifier', () => {
    const before = Math.floor(Date.now() / 1000);
    const good = signingHeaders(SECRET, 'body');
    expect(Number(good['x-slack-request-timestamp'])).toBeGreaterThanOrEqual(before);
    const verify = (headers: Record<string, string>) =>
      isValidSlackRequest({
        signingSecret: SECRET,
        body: 'body',
        headers: {
          'x-slack-signature': headers['x-slack-signature']!,
          'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
        },
      });
    expect(verify(good)).toBe(true);
    const bad = signingHeaders(SECRET, 'body', { badSignature: true, timestamp: before });
    expect(bad['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(bad['x-slack-signature']).not.toBe(slackSignature(SECRET, before, 'body'));
    expect(verify(bad)).toBe(false);
    expect(verify(signingHeaders(SECRET, 'body', { secret: 'another-secret' }))).toBe(false);
  });
});

/** What the Bolt app's listeners saw. */
interface Seen {
  commands: Record<string, string>[];
  events: { eventId: string; type: string; retryNum?: number; retryReason?: string }[];
  interactions: string[];
}

/** Listeners for every kind of request the client sends; each records what it got and acks. */
function listen(app: App, seen: Seen): void {
  app.command('/incident', async ({ command, ack }) => {
    seen.commands.push({ ...command });
    await ack({ response_type: 'ephemeral', text: `got ${command.text}` });
  });
  app.event('reaction_added', async ({ body, context }) => {
    seen.events.push({
      eventId: body.event_id,
      type: body.event.type,
      ...(context.retryNum === undefined ? {} : { retryNum: context.retryNum }),
      ...(context.retryReason === undefined ? {} : { retryReason: context.retryReason }),
    });
  });
  app.action('press', async ({ ack }) => {
    seen.interactions.push('block_actions');
    await ack();
  });
  app.view('declare', async ({ ack }) => {
    seen.interactions.push('view_submission');
    await ack({ response_action: 'errors', errors: { title: 'Give a title' } });
  });
  app.view({ type: 'view_closed', callback_id: 'declare' }, async ({ ack }) => {
    seen.interactions.push('view_closed');
    await ack();
  });
  app.shortcut('global', async ({ ack }) => {
    seen.interactions.push('shortcut');
    await ack();
  });
  app.shortcut('on-message', async ({ ack }) => {
    seen.interactions.push('message_action');
    await ack();
  });
  app.options('pick', async ({ ack }) => {
    seen.interactions.push('block_suggestion');
    await ack({ options: [{ text: { type: 'plain_text', text: 'P1' }, value: 'P1' }] });
  });
}

const user = { id: ALICE.id, name: ALICE.name, team_id: 'T0TEAM0001' };
const team = { id: 'T0TEAM0001', domain: 'firewatch-test' };
const view = { id: 'V0001', callback_id: 'declare', type: 'modal', state: { values: {} }, hash: 'h' };

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Starts a bare Bolt app on the transport; resolves with it and a client that reaches it. */
async function startApp(
  emu: SlackEmulator,
  transport: 'http' | 'socket',
  seen: Seen,
): Promise<{ app: App; client: SlackRequestClient; url: string; server?: Server }> {
  const common = {
    token: 'xoxb-client-test',
    botId: emu.botId,
    botUserId: emu.botUserId,
    tokenVerificationEnabled: false,
    logger: silentLogger,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: emu.url },
  };
  if (transport === 'http') {
    const app = new App({
      ...common,
      receiver: new HTTPReceiver({
        signingSecret: SECRET,
        processBeforeResponse: true,
        logger: silentLogger,
      }),
    });
    listen(app, seen);
    const server = (await app.start(0)) as Server;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    return {
      app,
      url,
      server,
      client: new SlackRequestClient({ emulator: emu, http: { url, signingSecret: SECRET } }),
    };
  }
  const app = new App({
    ...common,
    receiver: new SocketModeReceiver({
      appToken: 'xapp-1-client-test',
      logger: silentLogger,
      installerOptions: { clientOptions: { slackApiUrl: emu.url } },
    }),
  });
  listen(app, seen);
  await app.start();
  await until(() => emu.socketConnections() === 1, 'the app to connect');
  return { app, url: '', client: new SlackRequestClient({ emulator: emu }) };
}

describe.each(['http', 'socket'] as const)(
  'SlackRequestClient over %s reaching a real Bolt app',
  (transport) => {
    let emu: SlackEmulator;
    let app: App;
    let client: SlackRequestClient;
    let url: string;
    let server: Server | undefined;
    let seen: Seen;

    beforeAll(async () => {
      emu = await SlackEmulator.start();
      seen = { commands: [], events: [], interactions: [] };
      ({ app, client, url, server } = await startApp(emu, transport, seen));
    });
    afterAll(async () => {
      client.close();
      await app.stop();
      await until(() => emu.socketConnections() === 0, 'the app to disconnect');
      await emu.stop();
    });
    beforeEach(() => {
      seen.commands.length = 0;
      seen.events.length = 0;
      seen.interactions.length = 0;
    });

    it('says which transport it uses', () => {
      expect(client.transport).toBe(transport);
    });

    it('sends a slash command with the workspace, a response_url and a trigger_id, and returns the reply', async () => {
      const reply = await client.slashCommand({ text: 'status', user_id: ALICE.id, channel_id: GENERAL });
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ response_type: 'ephemeral', text: 'got status' });
      expect(reply.ms).toBeGreaterThanOrEqual(0);
      expect(seen.commands).toEqual([
        expect.objectContaining({
          command: '/incident',
          text: 'status',
          user_id: ALICE.id,
          user_name: ALICE.name,
          channel_id: GENERAL,
          channel_name: 'general',
          team_id: emu.teamId,
          api_app_id: 'A0APP00001',
          response_url: reply.responseUrl,
          trigger_id: reply.triggerId,
        }),
      ]);
      expect(reply.triggerId).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
      // The response_url is the emulator's, bound to the command's channel and user.
      await fetch(reply.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', text: 'later' }),
      });
      expect(emu.ephemerals(GENERAL)).toEqual([expect.objectContaining({ user: ALICE.id, text: 'later' })]);
    });

    it('sends Events API callbacks with their event_id, first deliveries and retries', async () => {
      const event = {
        type: 'reaction_added',
        user: ALICE.id,
        reaction: 'pushpin',
        item: { type: 'message' },
      };
      const first = await client.event(event, { eventId: 'Ev0CLIENT01' });
      const retry = await client.event(event, {
        eventId: 'Ev0CLIENT01',
        retryNum: 2,
        retryReason: 'timeout',
      });
      expect([first.status, retry.status]).toEqual([200, 200]);
      // Bolt acks an event before its listeners run.
      await until(() => seen.events.length === 2, 'both deliveries');
      const firstSeen = seen.events[0]!;
      expect(firstSeen).toMatchObject({ eventId: 'Ev0CLIENT01', type: 'reaction_added' });
      // HTTP has no retry headers on a first delivery; Socket Mode says retry_attempt 0.
      expect(firstSeen.retryNum ?? 0).toBe(0);
      expect(seen.events[1]).toEqual({
        eventId: 'Ev0CLIENT01',
        type: 'reaction_added',
        retryNum: 2,
        retryReason: 'timeout',
      });
    });

    it('sends every kind of interactivity payload', async () => {
      const actions = await client.interaction({
        type: 'block_actions',
        user,
        team,
        api_app_id: 'A0APP00001',
        trigger_id: '1.2.abc',
        container: { type: 'message' },
        actions: [{ type: 'button', action_id: 'press', block_id: 'b', value: 'v', action_ts: '1.2' }],
      });
      const submission = await client.interaction({ type: 'view_submission', user, team, view });
      const closed = await client.interaction({ type: 'view_closed', user, team, view, is_cleared: false });
      const shortcut = await client.interaction({ type: 'shortcut', callback_id: 'global', user, team });
      const messageAction = await client.interaction({
        type: 'message_action',
        callback_id: 'on-message',
        user,
        team,
        channel: { id: GENERAL },
        message: { ts: '1.2', text: 'hi' },
      });
      const suggestion = await client.interaction({
        type: 'block_suggestion',
        action_id: 'pick',
        block_id: 'b',
        value: 'P',
        user,
        team,
        view,
      });
      expect(seen.interactions).toEqual([
        'block_actions',
        'view_submission',
        'view_closed',
        'shortcut',
        'message_action',
        'block_suggestion',
      ]);
      for (const reply of [actions, submission, closed, shortcut, messageAction, suggestion]) {
        expect(reply.status).toBe(200);
      }
      expect(submission.json).toEqual({ response_action: 'errors', errors: { title: 'Give a title' } });
      expect(suggestion.json).toEqual({
        options: [{ text: { type: 'plain_text', text: 'P1' }, value: 'P1' }],
      });
    });

    if (transport === 'http') {
      it('sends a chosen timestamp, and forged or stale requests get 401', async () => {
        const now = Math.floor(Date.now() / 1000);
        expect((await client.slashCommand({ text: 'a' }, { timestamp: now - 60 })).status).toBe(200);
        expect((await client.slashCommand({ text: 'b' }, { badSignature: true })).status).toBe(401);
        expect((await client.slashCommand({ text: 'c' }, { timestamp: now - 6 * 60 })).status).toBe(401);
        expect(
          (await client.event({ type: 'reaction_added' }, { signing: { badSignature: true } })).status,
        ).toBe(401);
        expect(seen.commands.map((c) => c.text)).toEqual(['a']);
        expect(seen.events).toEqual([]);
      });

      it('keeps connections alive when asked (benchmarks)', async () => {
        const keepAlive = new SlackRequestClient({
          emulator: emu,
          http: { url, signingSecret: SECRET, keepAlive: 2 },
        });
        let connections = 0;
        const count = () => {
          connections += 1;
        };
        server?.on('connection', count);
        const send = (c: SlackRequestClient, prefix: string) =>
          Promise.all(Array.from({ length: 6 }, (_, i) => c.slashCommand({ text: `${prefix}${i}` })));
        try {
          const replies = await send(keepAlive, 'k');
          expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
          expect(seen.commands.map((c) => c.text).sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
          expect(connections).toBeLessThanOrEqual(2);
          // Without keep-alive, every request has a connection of its own.
          connections = 0;
          await send(client, 'n');
          expect(connections).toBe(6);
        } finally {
          server?.off('connection', count);
          keepAlive.close();
        }
      });
    } else {
      it('waits for the ack, and rejects when none comes in time', async () => {
        const impatient = new SlackRequestClient({ emulator: emu, ackTimeoutMs: 200 });
        // No listener acks this command, so the envelope stays unanswered.
        await expect(impatient.slashCommand({ command: '/nobody-listens' })).rejects.toThrow(
          /Timed out after 200 ms/,
        );
        const reply = await impatient.slashCommand({ text: 'still here' });
        expect(reply).toMatchObject({
          status: 200,
          json: { text: 'got still here' },
          envelopeId: expect.any(String),
        });
      });
    }
  },
);
