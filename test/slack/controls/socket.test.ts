/** The controls in Socket Mode: the same listeners, acknowledged over the socket. */
import fs from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createFirewatch, type Firewatch } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { SEEDED_USERS, SlackEmulator, SlackRequestClient } from '../../../src/emulator';
import { IDS } from '../../../src/slack/ids';
import { testLogger } from '../../support/logged-errors';

const ALICE = SEEDED_USERS[0]!.id;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('controls over Socket Mode', () => {
  let emu: SlackEmulator;
  let firewatch: Firewatch;
  let dir: string;
  beforeEach(async () => {
    emu = await SlackEmulator.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-socket-controls-'));
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_APP_TOKEN: 'xapp-1-test',
      SLACK_API_URL: emu.url,
      PORT: String(await freePort()),
      DATABASE_URL: path.join(dir, 'firewatch.db'),
      POSTMORTEM_DIR: path.join(dir, 'postmortems'),
    });
    firewatch = createFirewatch(config, {
      logger: testLogger(),
      webApiRetries: 0,
      outbox: { baseDelayMs: 20, maxDelayMs: 200 },
      slackBackoff: { baseMs: 20, maxMs: 100 },
    });
    await firewatch.start();
    await until(() => emu.socketConnections() === 1, 'the socket');
  });
  afterEach(async () => {
    await firewatch.stop();
    await until(() => emu.socketConnections() === 0, 'Firewatch to close its socket');
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('declares from the shortcut, and posts an update from the card', async () => {
    const client = new SlackRequestClient({ emulator: emu });
    const shortcut = await client.globalShortcut(IDS.shortcuts.declare, ALICE);
    expect(shortcut.envelopeId).toBeDefined();
    await firewatch.idle();
    const declareForm = emu.views().at(-1)!;
    const declared = await client.submitView(declareForm, {
      user: ALICE,
      entries: { [IDS.declareModal.titleBlock]: 'Search is slow' },
    });
    expect(declared.json?.response_action).toBeUndefined();
    await firewatch.idle();
    const [incident] = await firewatch.store.listIncidents('all', 1);
    expect(incident?.title).toBe('Search is slow');

    const stored = (await firewatch.store.getIncident(incident!.id))!;
    const card = emu.message(stored.channelId!, stored.cardTs!)!;
    await client.blockAction({
      channel: stored.channelId!,
      message: card,
      actionId: IDS.card.updateAction,
      user: ALICE,
    });
    await firewatch.idle();
    const bad = await client.submitView(emu.views().at(-1)!, {
      user: ALICE,
      entries: { [IDS.updateModal.messageBlock]: '' },
    });
    expect(bad.json).toMatchObject({ response_action: 'errors' });
    await client.submitView(emu.views().at(-1)!, {
      user: ALICE,
      entries: { [IDS.updateModal.messageBlock]: 'Reindex running' },
    });
    await firewatch.idle();
    expect(emu.callsTo('chat.postMessage').some((c) => /Reindex running/.test(String(c.args.text)))).toBe(
      true,
    );
  });
});
