/**
 * The bot as a child process, shared by the tests (test/support/child-bot.ts: crash and replica
 * tests) and the benchmarks (soak, events with several replicas): src/main.ts, the production entry
 * point, run with `node --import tsx` (not the tsx CLI, which would run the bot in a grandchild that
 * a SIGKILL of the child would not reach), with a minimal environment.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** Options of {@link startBotProcess}. */
export interface BotProcessOptions {
  /** SLACK_API_URL: the emulator's Web API. */
  slackApiUrl: string;
  /** PORT. */
  port: number;
  /** SLACK_SIGNING_SECRET. */
  signingSecret: string;
  /** SLACK_BOT_TOKEN (default `xoxb-child`). */
  token?: string;
  /** Added to the environment last (DATABASE_URL, POSTMORTEM_DIR, LOG_LEVEL…). */
  env?: Record<string, string>;
  /** `pipe`: kept for the error message when the bot does not start (default); `inherit`: shown. */
  stderr?: 'pipe' | 'inherit';
  /** How long to wait for /healthz (default 30 s). */
  timeoutMs?: number;
}

/** A running bot process. */
export interface BotProcess {
  child: ChildProcess;
  port: number;
  /** Where Slack requests go: `http://127.0.0.1:<port>/slack/events`. */
  eventsUrl: string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** What the bot wrote to stderr so far (empty when stderr is inherited). */
  stderr(): string;
}

/** Starts src/main.ts on `port`; resolves once /healthz answers 200, or kills it and throws. */
export async function startBotProcess(opts: BotProcessOptions): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SLACK_BOT_TOKEN: opts.token ?? 'xoxb-child',
      SLACK_SIGNING_SECRET: opts.signingSecret,
      SLACK_API_URL: opts.slackApiUrl,
      PORT: String(opts.port),
      ...opts.env,
    },
    stdio: ['ignore', 'ignore', opts.stderr ?? 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    const res = await fetch(`${base}/healthz`).catch(() => null);
    if (res?.ok)
      return { child, port: opts.port, eventsUrl: `${base}/slack/events`, exited, stderr: () => stderr };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the bot did not start: ${stderr || `no /healthz answer on port ${opts.port}`}`);
}
