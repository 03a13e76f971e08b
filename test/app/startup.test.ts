import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SlackEmulator } from '../../src/emulator';
import { Harness, SIGNING_SECRET } from '../support/harness';
import { slackSignature } from '../support/signing';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

function runMain(env: Record<string, string>): ChildProcess {
  return spawn(tsx, ['src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('start-up', () => {
  it('without tokens exits 1 with one line per problem and no stack trace', async () => {
    const { code, stderr } = await collect(runMain({ PORT: 'eighty', FIREWATCH_TIMEZONE: 'Mars/Olympus' }));
    expect(code).toBe(1);
    expect(stderr).toContain('SLACK_BOT_TOKEN: is required');
    expect(stderr).toContain('SLACK_SIGNING_SECRET: is required');
    expect(stderr).toContain('PORT: expected a port number');
    expect(stderr).toContain('FIREWATCH_TIMEZONE: expected an IANA time zone');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('starts from src/main.ts against a fake Slack: /healthz answers and a signed declare creates the channel', async () => {
    const slack = await SlackEmulator.start();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-main-'));
    const port = 30000 + Math.floor(Math.random() * 20000);
    const child = runMain({
      SLACK_BOT_TOKEN: 'xoxb-main',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      PORT: String(port),
      DATABASE_URL: `file:${path.join(dir, 'nested', 'fw.db')}`,
    });
    const exited = collect(child);
    try {
      // Listening comes first, auth.test right after: wait until the slack check has an answer.
      let health: { status: number; body: { checks?: { slack?: string } } } | null = null;
      for (let i = 0; i < 100 && !(health && health.body.checks?.slack !== 'unknown'); i++) {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
        health = res
          ? { status: res.status, body: (await res.json()) as { checks?: { slack?: string } } }
          : null;
        if (!health || health.body.checks?.slack === 'unknown') await new Promise((r) => setTimeout(r, 100));
      }
      expect(health?.status).toBe(200);
      expect(health?.body).toEqual({ status: 'ok', checks: { db: 'ok', outbox: 'ok', slack: 'ok' } });
      expect(fs.existsSync(path.join(dir, 'nested', 'fw.db'))).toBe(true);

      const body = new URLSearchParams({
        command: '/incident',
        text: 'declare P1 Database down',
        user_id: 'UALICE',
        channel_id: 'CGENERAL',
        team_id: 'T1',
        response_url: slack.responseUrl(),
        trigger_id: 't',
      }).toString();
      const ts = Math.floor(Date.now() / 1000);
      const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': slackSignature(SIGNING_SECRET, ts, body),
        },
        body,
      });
      expect(res.status).toBe(200);
      const year = new Date().getUTCFullYear();
      const post = await slack.waitFor((c) => c.method === 'chat.postMessage', { timeoutMs: 10_000 });
      const channel = slack.channelByName(`inc-${year}-001-database-down`);
      expect(channel).toBeTruthy();
      expect(post.args.channel).toBe(channel!.id);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await slack.stop();
    }
  });
});

describe('GET /healthz', () => {
  it('answers 200 with the db check, and 503 "down" when the database fails', async () => {
    const h = await Harness.start();
    try {
      const ok = await fetch(`${h.baseUrl}/healthz`);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ status: 'ok', checks: { db: 'ok', outbox: 'ok', slack: 'ok' } });

      await h.idle(); // start-up's catch-up is done with the database before it goes away
      await h.store.close();
      const down = await fetch(`${h.baseUrl}/healthz`);
      expect(down.status).toBe(503);
      const body = (await down.json()) as { status: string; checks: { db: string } };
      expect(body.status).toBe('down');
      expect(body.checks.db).toMatch(/^fail/);
    } finally {
      await h.stop();
    }
  });
});
