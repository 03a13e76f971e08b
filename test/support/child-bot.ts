/**
 * The bot as a child process: src/main.ts, the production entry point, run with `node --import tsx`
 * (not the tsx CLI, which would run the bot in a grandchild that a SIGKILL of the child would not
 * reach), against an emulator in the test process. Used by the crash and replica tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { type SlackEmulator, SlackRequestClient } from '../../src/emulator';
import { SIGNING_SECRET } from './harness';

const root = path.resolve(__dirname, '../..');

export interface ChildBot {
  child: ChildProcess;
  port: number;
  client: SlackRequestClient;
  exited: Promise<number | null>;
}

/** Starts a bot on `port` with `env` added to a minimal environment; resolves once /healthz answers. */
export async function startChildBot(
  slack: SlackEmulator,
  port: number,
  env: Record<string, string>,
): Promise<ChildBot> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SLACK_BOT_TOKEN: 'xoxb-child',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 400; i += 1) {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
    if (res?.ok) {
      const client = new SlackRequestClient({
        emulator: slack,
        http: { url: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET },
      });
      return { child, port, client, exited };
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the bot did not start: ${stderr}`);
}

/** SIGKILL: no shutdown hook runs, whatever was in flight is lost. */
export async function killChildBot(bot: ChildBot): Promise<void> {
  bot.child.kill('SIGKILL');
  bot.client.close();
  await bot.exited;
}

/** SIGTERM: the bot's graceful shutdown. */
export async function stopChildBot(bot: ChildBot): Promise<void> {
  bot.child.kill('SIGTERM');
  bot.client.close();
  await bot.exited;
}

/** Polls `probe` (which may be async) until it returns something truthy. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | null | Promise<T | undefined | null>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const randomPort = () => 30000 + Math.floor(Math.random() * 20000);
