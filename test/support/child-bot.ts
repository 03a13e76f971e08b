/**
 * The bot as a child process (src/main.ts, started by scripts/support/bot-process.ts, which the
 * benchmarks share) against an emulator in the test process, with a signed request client. Used by
 * the crash and replica tests.
 */
import type { ChildProcess } from 'node:child_process';
import { startBotProcess } from '../../scripts/support/bot-process';
import { type SlackEmulator, SlackRequestClient } from '../../src/emulator';
import { SIGNING_SECRET } from './harness';

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
  const bot = await startBotProcess({
    slackApiUrl: slack.url,
    port,
    signingSecret: SIGNING_SECRET,
    env,
    timeoutMs: 20_000,
  });
  const client = new SlackRequestClient({
    emulator: slack,
    http: { url: bot.eventsUrl, signingSecret: SIGNING_SECRET },
  });
  return { child: bot.child, port, client, exited: bot.exited };
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
