/**
 * src/main.ts as a child process: its runtime lines are JSON on stdout (stdout is not a terminal),
 * at the level LOG_LEVEL names, and its token never appears in them.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SlackEmulator } from '../../src/emulator';
import { SIGNING_SECRET } from '../support/harness';

const root = path.resolve(__dirname, '../..');
const TOKEN = 'xoxb-777-777-MAINFAKETOKEN';

/** A port nobody listens on. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs main (`node --import tsx`, so the signal reaches the bot itself) until /healthz answers,
 * then stops it with SIGTERM; resolves with what it wrote.
 */
async function runUntilHealthy(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    for (let i = 0; i < 200 && child.exitCode === null; i += 1) {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
      if (res?.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The start-up line comes right after the first health answer can be given.
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGTERM');
    const code = await exited;
    return { code, stdout, stderr };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe('the logs of src/main.ts', () => {
  let slack: SlackEmulator;
  let dir: string;
  beforeAll(async () => {
    slack = await SlackEmulator.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-logs-'));
  });
  afterAll(async () => {
    await slack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const env = (n: number, extra: Record<string, string> = {}) => ({
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    DATABASE_URL: path.join(dir, `fw-${n}.db`),
    POSTMORTEM_DIR: path.join(dir, 'postmortems'),
    ...extra,
  });

  it('writes JSON lines to stdout, nothing to stderr, and never the token', async () => {
    const { code, stdout, stderr } = await runUntilHealthy(env(1, { LOG_LEVEL: 'debug' }));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'info',
          component: 'firewatch',
          msg: 'Firewatch is running in HTTP mode (POST /slack/events)',
          mode: 'http',
          slack: 'ok',
          port: expect.any(Number),
        }),
        expect.objectContaining({ level: 'info', msg: 'shutting down', signal: 'SIGTERM' }),
        expect.objectContaining({ level: 'debug', component: 'web-api' }),
      ]),
    );
    for (const line of lines) expect(line).toEqual(expect.objectContaining({ time: expect.any(String) }));
    expect(stdout).not.toContain('MAINFAKETOKEN');
    expect(stdout).not.toContain(SIGNING_SECRET);
  }, 20_000);

  it('LOG_LEVEL=warn: the info lines are not written', async () => {
    const { code, stdout, stderr } = await runUntilHealthy(env(2, { LOG_LEVEL: 'warn' }));
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
  }, 20_000);
});
