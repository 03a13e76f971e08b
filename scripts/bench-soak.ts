/**
 * Soak benchmark (not a test): pushes 100,000 signed Events API callbacks through the real bot, run as a
 * child process (`node --import tsx src/main.ts`, SQLite in a temp folder, Web API calls to an
 * in-process Slack emulator), and prints the bot's resident memory (RSS, read from /proc) and the ack
 * p99 of each slice of 10,000 events.
 *
 *   npm run bench:soak [-- --events 100000 --every 10000 --concurrency 8 --json]
 *
 * The bot runs in its own process so that its RSS is its own: the emulator and the load generator (whose
 * memory grows with what they record) live in this one. The events are `message` callbacks in the channel
 * of one open incident (so every one is captured and stored), one in ten a thread reply.
 *
 * Target: flat memory after warm-up, under 20 % RSS growth between the 20,000th and the last event.
 */
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  eventCallbackPayload,
  SEEDED_CHANNELS,
  SEEDED_USERS,
  SlackEmulator,
  SlackRequestClient,
} from '../src/emulator';
import {
  BENCH_SIGNING_SECRET,
  formatTable,
  freePort,
  machineInfo,
  makeTempDir,
  percentile,
  positiveInt,
  progress,
  removeDir,
  round,
  runLoad,
  type SignedBody,
} from './bench-lib';
import { startBotProcess } from './support/bot-process';

/** Growth of RSS allowed between the reference checkpoint (20,000 events) and the end. */
export const MAX_GROWTH = 0.2;
/** The checkpoint after which memory should be flat (JIT, caches and SQLite's page cache warmed up). */
const REFERENCE_EVENTS = 20_000;

/** One printed checkpoint. */
export interface SoakCheckpoint {
  events: number;
  rssMB: number;
  ackP99Ms: number;
  ackMaxMs: number;
  eventsPerSecond: number;
}

/** The resident set size of a process in bytes (Linux /proc; `ps` elsewhere). */
function rssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // Not Linux: fall through to ps.
  }
  const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
  return (
    Number(
      execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
        .toString()
        .trim(),
    ) * 1024
  );
}

/** Starts the bot from src/main.ts against the emulator; resolves once /healthz answers. */
async function startBot(slack: SlackEmulator, dir: string): Promise<{ child: ChildProcess; url: string }> {
  const bot = await startBotProcess({
    slackApiUrl: slack.url,
    port: await freePort(),
    signingSecret: BENCH_SIGNING_SECRET,
    token: 'xoxb-soak-token',
    env: { DATABASE_URL: path.join(dir, 'firewatch.db'), POSTMORTEM_DIR: path.join(dir, 'postmortems') },
    stderr: 'inherit',
  });
  return { child: bot.child, url: bot.eventsUrl };
}

/** A `message` callback in `channel`: event `i` of the run, one in ten a reply in the thread of an earlier one. */
function messageBody(slack: SlackEmulator, channel: string, base: number, i: number): SignedBody {
  const ts = `${base + i}.${String(i % 1_000_000).padStart(6, '0')}`;
  const user = SEEDED_USERS[i % SEEDED_USERS.length]!.id;
  const text = `soak ${i}: p95 on api-${i % 7} is ${100 + ((i * 37) % 900)} ms, retrying deploy #${i}`;
  const parent = i % 10 === 9 ? `${base + i - 9}.${String((i - 9) % 1_000_000).padStart(6, '0')}` : null;
  const event = {
    type: 'message',
    user,
    ts,
    client_msg_id: crypto.randomUUID(),
    text,
    team: slack.teamId,
    channel,
    event_ts: ts,
    channel_type: 'channel',
    ...(parent ? { thread_ts: parent, parent_user_id: user } : {}),
  };
  const payload = eventCallbackPayload(slack.state, event, {
    eventId: `Ev0SOAK${String(i).padStart(8, '0')}`,
    eventTime: base + i,
  });
  return { body: JSON.stringify(payload), contentType: 'application/json' };
}

/** Runs the soak; everything it starts is stopped and its temp folder removed. */
export async function runSoak(opts: { events: number; every: number; concurrency: number }) {
  const dir = makeTempDir('firewatch-soak');
  const slack = await SlackEmulator.start();
  let child: ChildProcess | null = null;
  try {
    const bot = await startBot(slack, dir);
    child = bot.child;
    const pid = child.pid!;
    const client = new SlackRequestClient({
      emulator: slack,
      http: { url: bot.url, signingSecret: BENCH_SIGNING_SECRET },
    });
    const declared = await client.slashCommand({
      channel_id: SEEDED_CHANNELS.general,
      user_id: SEEDED_USERS[0]!.id,
      text: 'declare P2 Soak',
      response_url: slack.responseUrl(),
    });
    client.close();
    if (declared.status !== 200) throw new Error(`declare answered HTTP ${declared.status}`);
    const year = new Date().getUTCFullYear();
    let channel: string | undefined;
    for (let i = 0; i < 150 && !channel; i += 1) {
      channel = slack.channelByName(`inc-${year}-001-soak`)?.id;
      if (!channel) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!channel) throw new Error('the declared incident got no channel');
    progress(
      `soak: bot pid ${pid}, incident channel ${channel}, RSS at start ${round(rssOf(pid) / 2 ** 20)} MB`,
    );

    // Twelve days ago, so that even long runs stay in the past.
    const base = Math.floor(Date.now() / 1000) - 12 * 86_400;
    const checkpoints: SoakCheckpoint[] = [];
    let failed = 0;
    for (let start = 0; start < opts.events; start += opts.every) {
      const count = Math.min(opts.every, opts.events - start);
      const bodies = Array.from({ length: count }, (_, k) => messageBody(slack, channel!, base, start + k));
      const load = await runLoad(bot.url, bodies, opts.concurrency, BENCH_SIGNING_SECRET);
      failed += load.failed;
      const lat = load.latenciesMs;
      const point: SoakCheckpoint = {
        events: start + count,
        rssMB: round(rssOf(pid) / 2 ** 20),
        ackP99Ms: round(percentile(lat, 99), 2),
        ackMaxMs: round(lat[lat.length - 1] ?? Number.NaN, 2),
        eventsPerSecond: round((count / load.elapsedMs) * 1000, 0),
      };
      checkpoints.push(point);
      progress(
        `soak: ${point.events} events, RSS ${point.rssMB} MB, ack p99 ${point.ackP99Ms} ms` +
          (load.failed ? `, ${load.failed} failed: ${load.failures.join('; ')}` : ''),
      );
    }
    const reference = checkpoints.find((c) => c.events >= REFERENCE_EVENTS) ?? checkpoints[0]!;
    const last = checkpoints[checkpoints.length - 1]!;
    const growth = (last.rssMB - reference.rssMB) / reference.rssMB;
    return { checkpoints, reference, last, growth, failed, pass: growth < MAX_GROWTH && failed === 0 };
  } finally {
    child?.kill('SIGKILL');
    await slack.stop();
    removeDir(dir);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      every: { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const events = positiveInt(values.events, 'events', 100_000);
  const every = positiveInt(values.every, 'every', 10_000);
  const concurrency = positiveInt(values.concurrency, 'concurrency', 8);
  const result = await runSoak({ events, every, concurrency });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ machine: machineInfo(), ...result }, null, 2)}\n`);
  } else {
    const rows = result.checkpoints.map((c) => [
      String(c.events),
      `${c.rssMB} MB`,
      `${c.ackP99Ms} ms`,
      `${c.ackMaxMs} ms`,
      String(c.eventsPerSecond),
    ]);
    process.stdout.write(
      `${formatTable(['events', 'RSS', 'ack p99', 'ack max', 'events/s'], rows)}\n\n` +
        `RSS growth from ${result.reference.events} to ${result.last.events} events: ` +
        `${round(result.growth * 100)} % (target < ${MAX_GROWTH * 100} %); failed requests: ${result.failed}; ` +
        `${result.pass ? 'PASS' : 'FAIL'}\n`,
    );
  }
  if (!result.pass) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:soak failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
