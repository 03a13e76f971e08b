/**
 * Start-up on a bad day: Slack unreachable or failing keeps the bot up (retrying, /healthz alive
 * with `slack: unreachable`); a token Slack refuses, or a path that cannot be written, stops it
 * with exit status 1 and one line naming the variable; nothing hangs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFirewatch, type Firewatch, type FirewatchOptions } from '../../src/app';
import { loadConfig } from '../../src/config';
import { SlackEmulator, SlackRequestClient } from '../../src/emulator';
import { TokenRefusedError } from '../../src/slack/connection';
import { SIGNING_SECRET } from '../support/harness';
import { testLogger } from '../support/logged-errors';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-outage-'));
}

/** Firewatch over HTTP on a free port against `apiUrl`, retrying Slack every 20-100 ms. */
function httpFirewatch(apiUrl: string, dir: string, options: FirewatchOptions = {}): Firewatch {
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: apiUrl,
    PORT: '0',
    DATABASE_URL: path.join(dir, 'firewatch.db'),
    POSTMORTEM_DIR: path.join(dir, 'postmortems'),
  });
  return createFirewatch(config, {
    logger: testLogger(),
    webApiRetries: 0,
    outbox: { baseDelayMs: 20, maxDelayMs: 200 },
    slackBackoff: { baseMs: 20, maxMs: 100 },
    ...options,
  });
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function health(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, body: await res.json() };
}

describe('Slack unreachable or failing at start-up', () => {
  it('with Slack down the bot starts, answers /healthz (slack: unreachable) and requests, and becomes ok when Slack returns', async () => {
    const gone = await SlackEmulator.start();
    const apiUrl = gone.url;
    const slackPort = Number(new URL(apiUrl).port);
    await gone.stop(); // nothing listens there now: ECONNREFUSED
    const dir = tmpDir();
    const firewatch = httpFirewatch(apiUrl, dir);
    let slack: SlackEmulator | undefined;
    try {
      const { port } = await firewatch.start();
      expect(firewatch.slackStatus()).toBe('unreachable');
      expect(await health(port)).toEqual({
        status: 200,
        body: { status: 'degraded', checks: { db: 'ok', outbox: 'ok', slack: 'unreachable' } },
      });

      slack = await SlackEmulator.start({ port: slackPort });
      const client = new SlackRequestClient({
        emulator: slack,
        http: { url: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET },
      });
      const help = await client.slashCommand({ text: 'help', user_id: 'UALICE', channel_id: 'CGENERAL' });
      expect(help.status).toBe(200);

      const back = slack;
      await until(() => firewatch.slackStatus() === 'ok', 'auth.test to succeed');
      expect(back.callsTo('auth.test').length).toBeGreaterThanOrEqual(1);
      expect((await health(port)).body).toEqual({
        status: 'ok',
        checks: { db: 'ok', outbox: 'ok', slack: 'ok' },
      });

      // The bot's own ids reached Bolt (ignoreSelf) and capture: its own message is not captured.
      await client.slashCommand({
        text: 'declare P2 After the outage',
        user_id: 'UALICE',
        channel_id: 'CGENERAL',
      });
      await firewatch.idle();
      const [incident] = await firewatch.store.listIncidents('all', 1);
      const channel = incident?.channelId ?? '';
      expect(channel).not.toBe('');
      const ts = (n: number) => `${Math.floor(Date.now() / 1000) - 60 + n}.000100`;
      await client.event({
        type: 'message',
        channel,
        user: back.botUserId,
        bot_id: back.botId,
        text: 'mine',
        ts: ts(1),
      });
      await client.event({ type: 'message', channel, user: 'UBOB', text: 'theirs', ts: ts(2) });
      const texts = (await firewatch.store.messages(incident?.id ?? '')).map((m) => m.text);
      expect(texts).toContain('theirs');
      expect(texts).not.toContain('mine');
      client.close();
    } finally {
      await firewatch.stop();
      await slack?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('retries auth.test through 500, 503, 429 and a dropped connection, then is ok', async () => {
    const slack = await SlackEmulator.start();
    slack.failNext('auth.test', { status: 500 });
    slack.failNext('auth.test', { status: 503 });
    slack.failNext('auth.test', { status: 429, retryAfter: 0 });
    slack.failNext('auth.test', { network: true });
    slack.failNext('auth.test', { error: 'internal_error' });
    const dir = tmpDir();
    const firewatch = httpFirewatch(slack.url, dir);
    try {
      const { port } = await firewatch.start();
      expect(firewatch.slackStatus()).toBe('unreachable');
      expect((await health(port)).status).toBe(200);
      await until(() => firewatch.slackStatus() === 'ok', 'auth.test to succeed');
      expect(slack.callsTo('auth.test')).toHaveLength(6);
    } finally {
      await firewatch.stop();
      await slack.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(['invalid_auth', 'token_revoked', 'account_inactive', 'not_authed'])(
    'a bot token refused with %s makes start() reject naming SLACK_BOT_TOKEN',
    async (code) => {
      const slack = await SlackEmulator.start();
      slack.failAlways('auth.test', { error: code });
      const dir = tmpDir();
      const firewatch = httpFirewatch(slack.url, dir);
      try {
        const started = firewatch.start();
        await expect(started).rejects.toBeInstanceOf(TokenRefusedError);
        await expect(started).rejects.toThrow(`SLACK_BOT_TOKEN: Slack refused the bot token (${code})`);
      } finally {
        await firewatch.stop();
        await slack.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('a refusal found while retrying in the background is reported once, and retrying stops', async () => {
    const slack = await SlackEmulator.start();
    slack.failNext('auth.test', { status: 503 });
    slack.failAlways('auth.test', { error: 'token_revoked' });
    const dir = tmpDir();
    const refusals: string[] = [];
    const firewatch = httpFirewatch(slack.url, dir, { onTokenRefused: (e) => refusals.push(e.message) });
    try {
      await firewatch.start();
      await until(() => refusals.length > 0, 'the refusal');
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(refusals).toEqual(['SLACK_BOT_TOKEN: Slack refused the bot token (token_revoked)']);
      expect(slack.callsTo('auth.test')).toHaveLength(2);
    } finally {
      await firewatch.stop();
      await slack.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function runMain(env: Record<string, string>): ChildProcess {
  return spawn(tsx, ['src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs src/main.ts to its exit (killed after 15 s: nothing may hang). */
function exitOf(env: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = runMain(env);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.resume();
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr, ms: Date.now() - started });
    }),
  );
}

describe('start-up from src/main.ts', () => {
  let slack: SlackEmulator;
  let dir: string;
  beforeAll(async () => {
    slack = await SlackEmulator.start();
    dir = tmpDir();
  });
  afterAll(async () => {
    await slack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The environment of run `n` (each run its own database: they run side by side). */
  const env = (n: number, extra: Record<string, string>) => ({
    SLACK_BOT_TOKEN: 'xoxb-main',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    PORT: '0',
    DATABASE_URL: path.join(dir, `fw-${n}.db`),
    POSTMORTEM_DIR: path.join(dir, 'postmortems'),
    ...extra,
  });

  it('exits 1 with one line for a refused bot token, a refused app token, and each unusable path', async () => {
    const aFile = path.join(dir, 'a-file');
    fs.writeFileSync(aFile, 'not a folder');
    const refusingSlack = await SlackEmulator.start();
    refusingSlack.failAlways('auth.test', { error: 'invalid_auth' });
    const refusingSocket = await SlackEmulator.start();
    refusingSocket.failAlways('apps.connections.open', { error: 'invalid_auth' });
    try {
      const cases: [Record<string, string>, RegExp][] = [
        [
          { SLACK_API_URL: refusingSlack.url },
          /^Firewatch cannot start: SLACK_BOT_TOKEN: Slack refused the bot token \(invalid_auth\)\n$/,
        ],
        [
          { SLACK_API_URL: refusingSocket.url, SLACK_APP_TOKEN: 'xapp-1-main', SLACK_SIGNING_SECRET: '' },
          /^Firewatch cannot start: SLACK_APP_TOKEN: Slack refused the app-level token \(invalid_auth\)\n$/,
        ],
        // Node's recursive mkdir spins forever on procfs: this one used to hang at 100 % CPU.
        [
          { DATABASE_URL: '/proc/x/y.db' },
          /\nDATABASE_URL: cannot create \/proc\/x \((ENOENT|EACCES|EPERM)\)\n$/,
        ],
        [{ DATABASE_URL: `file:${aFile}/fw.db` }, /\nDATABASE_URL: .*a-file is not a folder\n$/],
        [{ DATABASE_URL: '/sys/fw.db' }, /\nDATABASE_URL: cannot write in \/sys \((EACCES|EPERM|EROFS)\)\n$/],
        [
          { POSTMORTEM_DIR: '/sys/firewatch-postmortems' },
          /\nPOSTMORTEM_DIR: cannot create \/sys\/firewatch-postmortems \((EACCES|EPERM|EROFS)\)\n$/,
        ],
        [
          { POSTMORTEM_DIR: path.join(aFile, 'pm') },
          /\nPOSTMORTEM_DIR: cannot create .*a-file\/pm \(ENOTDIR\)\n$/,
        ],
      ];
      const results = await Promise.all(cases.map(([extra], n) => exitOf(env(n, extra))));
      results.forEach(({ code, stderr, ms }, i) => {
        expect({ case: cases[i]?.[0], code }).toEqual({ case: cases[i]?.[0], code: 1 });
        expect(stderr).toMatch(cases[i]![1]);
        expect(stderr).not.toMatch(/\n\s+at /);
        expect(ms).toBeLessThan(15_000);
      });
      // Path problems are configuration problems: the usual heading, one line each.
      expect(results[2]?.stderr.split('\n')[0]).toBe('Firewatch cannot start: invalid configuration');
    } finally {
      await refusingSlack.stop();
      await refusingSocket.stop();
    }
  }, 30_000);
});
