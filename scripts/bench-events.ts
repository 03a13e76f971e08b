/**
 * Benchmark of Events API ingestion (not a test): signed `message` callbacks sent over real HTTP to the
 * real Firewatch app (SQLite in a temp folder, Web API calls to an in-process Slack emulator), and the
 * same events sent to a bare Bolt app whose `message` listener does nothing, for comparison.
 *
 *   npm run bench:events [-- --events 2000 --concurrency 8 --warmup 2000 --rounds 4 --json]
 *
 * The servers and the load generator share this one process (and its event loop), on both sides alike,
 * so the ratio compares like with like; absolute numbers include the generator's own cost. The measured
 * events are sent in rounds that alternate which target goes first (A B B A …), because JIT warm-up and
 * other work on the machine otherwise favour whichever target runs second. The warm-up is long (2000
 * events each by default) because a bare Bolt app keeps getting faster for thousands of requests: with
 * a 200-event warm-up it is still far from its steady rate, which flatters the ratio.
 *
 * Targets: throughput Firewatch / bare Bolt >= 0.60, Firewatch ack p99 < 100 ms, every event stored.
 */
import crypto from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { createFirewatch, type Firewatch } from '../src/app';
import { loadConfig } from '../src/config';
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
  type LoadResult,
  makeTempDir,
  median,
  percentile,
  positiveInt,
  progress,
  removeDir,
  round,
  runLoad,
  type SignedBody,
} from './bench-lib';

/** Options of {@link runEventsBench}. */
export interface EventsBenchOptions {
  /** Measured events per target (default 2000). */
  events?: number;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** Unmeasured events sent to each target first, in alternating slices (default 2000). */
  warmup?: number;
  /** Measured rounds; the events are split between them and the order alternates (default 4). */
  rounds?: number;
  /** Where progress lines go (default: stderr). */
  log?: (line: string) => void;
}

/** What one target measured. */
export interface TargetResult {
  target: 'firewatch' | 'bare-bolt';
  events: number;
  seconds: number;
  eventsPerSecond: number;
  ackP50Ms: number;
  ackP99Ms: number;
  ackMaxMs: number;
  ackMeanMs: number;
  /** CPU time of the whole process (server and load generator) per event, in microseconds. */
  cpuUsPerEvent: number;
  /** Requests answered 2xx. */
  acked: number;
  /** Requests answered otherwise or lost. */
  failed: number;
  failures: string[];
  /** Measured events found in the store afterwards (null: the bare app stores nothing). */
  stored: number | null;
}

/** The result of {@link runEventsBench}. */
export interface EventsBenchResult {
  events: number;
  concurrency: number;
  warmup: number;
  rounds: number;
  /** Always true: servers and load generator run in the same Node process. */
  sameProcess: true;
  note: string;
  /** One-minute load average when the run ended: other work on the machine makes numbers noisy. */
  loadAverage: number;
  firewatch: TargetResult;
  bare: TargetResult;
  /** Throughput of Firewatch divided by that of the bare Bolt app (all measured events). */
  ratio: number;
  /** Median of the rounds' ratios: less sensitive to a stall in one short round. */
  medianRoundRatio: number;
  /** Bare Bolt's CPU time per event divided by Firewatch's: less sensitive to other work on the machine. */
  cpuRatio: number;
  perRound: RoundResult[];
  targets: { minRatio: number; maxP99Ms: number };
  checks: { ratio: boolean; p99: boolean; stored: boolean };
  pass: boolean;
}

/** Throughput Firewatch must keep relative to a bare Bolt app. */
export const MIN_RATIO = 0.6;
/** Firewatch's ack p99 must stay under this. */
export const MAX_P99_MS = 100;

const DEFAULTS = { events: 2000, concurrency: 8, warmup: 2000, rounds: 4 };
/** Warm-up is sent in slices of this many events, alternating between the targets. */
const WARMUP_SLICE = 500;
const SAME_PROCESS_NOTE =
  'Firewatch, the bare Bolt app and the load generator run in one Node process (same event loop, ' +
  'same conditions for both): absolute rates include the generator; the ratio is the fair comparison.';
/** Everything a generated event needs to know about the workspace. */
interface EventContext {
  slack: SlackEmulator;
  channel: string;
}

/** The ts of event `i` of a batch: one second apart, unique across batches by the microsecond part. */
function tsFor(base: number, batch: number, i: number): string {
  return `${base + i}.${String(batch * 100_000 + (i % 100_000)).padStart(6, '0')}`;
}

/** A `message` Events API callback as Slack delivers it for a person writing in a public channel. */
function messageCallback(ctx: EventContext, batch: number, base: number, i: number): SignedBody {
  const ts = tsFor(base, batch, i);
  const user = SEEDED_USERS[i % SEEDED_USERS.length]!.id;
  const text = `checking replica lag on db-${i % 5}: ${100 + ((i * 37) % 900)} ms, rolling back deploy #${i}`;
  const event = {
    user,
    type: 'message',
    ts,
    client_msg_id: crypto.randomUUID(),
    text,
    team: ctx.slack.teamId,
    blocks: [
      {
        type: 'rich_text',
        block_id: crypto.randomBytes(3).toString('hex'),
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
      },
    ],
    channel: ctx.channel,
    event_ts: ts,
    channel_type: 'channel',
  };
  const payload = eventCallbackPayload(ctx.slack.state, event, {
    eventId: `Ev0B${batch}${String(i).padStart(8, '0')}`,
    eventTime: Math.floor(Number(ts)),
  });
  return { body: JSON.stringify(payload), contentType: 'application/json' };
}

function callbacks(ctx: EventContext, batch: number, count: number): SignedBody[] {
  // Ten days ago, so that even large runs stay in the past.
  const base = Math.floor(Date.now() / 1000) - 10 * 86_400;
  return Array.from({ length: count }, (_, i) => messageCallback(ctx, batch, base, i));
}

/** Declares `P1 Bench` through a signed slash command; resolves with the incident and its channel. */
async function declareIncident(
  firewatch: Firewatch,
  slack: SlackEmulator,
  url: string,
): Promise<{ incidentId: string; channel: string }> {
  const client = new SlackRequestClient({
    emulator: slack,
    http: { url, signingSecret: BENCH_SIGNING_SECRET },
  });
  const reply = await client.slashCommand({
    channel_id: SEEDED_CHANNELS.general,
    user_id: SEEDED_USERS[0]!.id,
    text: 'declare P1 Bench',
    response_url: slack.responseUrl(),
  });
  client.close();
  if (reply.status !== 200) throw new Error(`/incident declare answered HTTP ${reply.status}: ${reply.body}`);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    await firewatch.idle();
    const [incident] = await firewatch.store.listIncidents('all', 1);
    if (incident?.channelId) return { incidentId: incident.id, channel: incident.channelId };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the declared incident got no channel within 15 s (reply: ${reply.body})`);
}

function summarize(target: TargetResult['target'], load: LoadResult, stored: number | null): TargetResult {
  const lat = load.latenciesMs;
  const mean = lat.reduce((sum, ms) => sum + ms, 0) / Math.max(1, lat.length);
  return {
    target,
    events: load.requests,
    seconds: round(load.elapsedMs / 1000, 3),
    eventsPerSecond: round((load.requests / load.elapsedMs) * 1000, 0),
    ackP50Ms: round(percentile(lat, 50), 2),
    ackP99Ms: round(percentile(lat, 99), 2),
    ackMaxMs: round(lat[lat.length - 1] ?? Number.NaN, 2),
    ackMeanMs: round(mean, 2),
    cpuUsPerEvent: round((load.cpuMs / load.requests) * 1000, 0),
    acked: load.ok,
    failed: load.failed,
    failures: load.failures,
    stored,
  };
}

function requireClean(label: string, load: LoadResult): void {
  if (load.failed > 0)
    throw new Error(`${label}: ${load.failed} request(s) failed: ${load.failures.join('; ')}`);
}

/** Splits a list into consecutive slices of at most `size` items. */
function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A running server under test. */
interface Target {
  name: TargetResult['target'];
  url: string;
  loads: LoadResult[];
}

/** Measured rates of one round (each target got the same slice of the events). */
export interface RoundResult {
  round: number;
  events: number;
  order: string;
  firewatchEventsPerSecond: number;
  bareEventsPerSecond: number;
}

/** Merges the load runs of the rounds into one: the sum of the times and all latencies. */
function merge(loads: readonly LoadResult[]): LoadResult {
  return {
    requests: loads.reduce((n, l) => n + l.requests, 0),
    ok: loads.reduce((n, l) => n + l.ok, 0),
    failed: loads.reduce((n, l) => n + l.failed, 0),
    failures: loads.flatMap((l) => l.failures).slice(0, 5),
    elapsedMs: loads.reduce((ms, l) => ms + l.elapsedMs, 0),
    cpuMs: loads.reduce((ms, l) => ms + l.cpuMs, 0),
    latenciesMs: loads.flatMap((l) => l.latenciesMs).sort((a, b) => a - b),
  };
}

const rate = (load: LoadResult) => round((load.requests / load.elapsedMs) * 1000, 0);

/** Starts a bare Bolt app (no-op `message` listener) on an ephemeral port; resolves with it and its URL. */
async function startBareBolt(slack: SlackEmulator): Promise<{ app: App; url: string }> {
  const app = new App({
    token: 'xoxb-bench-token',
    // Given, so that authorize never calls auth.test (tokenVerificationEnabled is off).
    botId: slack.botId,
    botUserId: slack.botUserId,
    tokenVerificationEnabled: false,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: slack.url },
    receiver: new HTTPReceiver({
      signingSecret: BENCH_SIGNING_SECRET,
      processBeforeResponse: true,
      logLevel: LogLevel.ERROR,
    }),
  });
  app.event('message', async () => {});
  const server = (await app.start(0)) as Server;
  return { app, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events` };
}

/**
 * Runs the events benchmark. Both servers are started and warmed up, then the measured events are sent
 * in rounds, alternating which target goes first (A B B A …), so that JIT warm-up and machine noise do
 * not favour one side; each target receives every measured event exactly once. Everything it starts is
 * stopped and its temp folder removed.
 */
export async function runEventsBench(opts: EventsBenchOptions = {}): Promise<EventsBenchResult> {
  const events = opts.events ?? DEFAULTS.events;
  const concurrency = opts.concurrency ?? DEFAULTS.concurrency;
  const warmup = opts.warmup ?? DEFAULTS.warmup;
  const rounds = Math.min(opts.rounds ?? DEFAULTS.rounds, events);
  const log = opts.log ?? progress;
  const dataDir = makeTempDir('firewatch-bench');
  let slack: SlackEmulator | null = null;
  let firewatch: Firewatch | null = null;
  let bare: App | null = null;
  try {
    slack = await SlackEmulator.start();
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-bench-token',
      SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      PORT: '0',
      DATABASE_URL: path.join(dataDir, 'firewatch.db'),
      POSTMORTEM_DIR: path.join(dataDir, 'postmortems'),
    });
    firewatch = createFirewatch(config, { logLevel: LogLevel.ERROR });
    const { port } = await firewatch.start();
    const fw: Target = { name: 'firewatch', url: `http://127.0.0.1:${port}/slack/events`, loads: [] };
    const { incidentId, channel } = await declareIncident(firewatch, slack, fw.url);
    const started = await startBareBolt(slack);
    bare = started.app;
    const bareTarget: Target = { name: 'bare-bolt', url: started.url, loads: [] };
    log(`events: Firewatch ${fw.url} (incident ${incidentId}, ${channel}); bare Bolt ${bareTarget.url}`);

    const ctx: EventContext = { slack, channel };
    const warmupBodies = callbacks(ctx, 1, warmup);
    const measuredBodies = callbacks(ctx, 2, events);

    // Warm up in alternating slices too: both apps share Bolt's and Node's code, and the JIT keeps
    // improving it for thousands of requests.
    log(`events: warm-up, ${warmup} events each, alternating`);
    for (const [i, slice] of slices(warmupBodies, WARMUP_SLICE).entries()) {
      for (const target of i % 2 === 0 ? [fw, bareTarget] : [bareTarget, fw]) {
        requireClean(
          `${target.name} warm-up`,
          await runLoad(target.url, slice, concurrency, BENCH_SIGNING_SECRET),
        );
      }
    }
    const before = (await firewatch.store.messages(incidentId)).length;
    const perRound: RoundResult[] = [];
    for (const [r, slice] of slices(measuredBodies, Math.ceil(events / rounds)).entries()) {
      const order = r % 2 === 0 ? [fw, bareTarget] : [bareTarget, fw];
      log(
        `events: round ${r + 1}/${rounds}: ${slice.length} events each, ${order.map((t) => t.name).join(' then ')}`,
      );
      for (const target of order) {
        target.loads.push(await runLoad(target.url, slice, concurrency, BENCH_SIGNING_SECRET));
      }
      perRound.push({
        round: r + 1,
        events: slice.length,
        order: order.map((t) => t.name).join(','),
        firewatchEventsPerSecond: rate(fw.loads[fw.loads.length - 1]!),
        bareEventsPerSecond: rate(bareTarget.loads[bareTarget.loads.length - 1]!),
      });
    }
    const after = (await firewatch.store.messages(incidentId)).length;
    const firewatchResult = summarize('firewatch', merge(fw.loads), after - before);
    const bareResult = summarize('bare-bolt', merge(bareTarget.loads), null);

    const ratio = round(firewatchResult.eventsPerSecond / bareResult.eventsPerSecond, 3);
    const medianRoundRatio = round(
      median(perRound.map((p) => p.firewatchEventsPerSecond / p.bareEventsPerSecond)),
      3,
    );
    const cpuRatio = round(bareResult.cpuUsPerEvent / firewatchResult.cpuUsPerEvent, 3);
    const checks = {
      ratio: ratio >= MIN_RATIO,
      p99: firewatchResult.ackP99Ms < MAX_P99_MS,
      stored: firewatchResult.stored === events && firewatchResult.failed === 0,
    };
    return {
      events,
      concurrency,
      warmup,
      rounds: perRound.length,
      sameProcess: true,
      note: SAME_PROCESS_NOTE,
      loadAverage: round(os.loadavg()[0] ?? 0, 2),
      firewatch: firewatchResult,
      bare: bareResult,
      ratio,
      medianRoundRatio,
      cpuRatio,
      perRound,
      targets: { minRatio: MIN_RATIO, maxP99Ms: MAX_P99_MS },
      checks,
      pass: checks.ratio && checks.p99 && checks.stored,
    };
  } finally {
    if (bare) await bare.stop().catch(() => undefined);
    if (firewatch) await firewatch.stop().catch(() => undefined);
    if (slack) await slack.stop().catch(() => undefined);
    removeDir(dataDir);
  }
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** The human-readable report of an events run. */
export function formatEventsReport(r: EventsBenchResult): string {
  const row = (t: TargetResult) => [
    t.target,
    String(t.eventsPerSecond),
    String(t.ackP50Ms),
    String(t.ackP99Ms),
    String(t.ackMaxMs),
    String(t.cpuUsPerEvent),
    t.stored === null ? '-' : `${t.stored}/${t.events}`,
  ];
  const table = formatTable(
    ['target', 'events/s', 'ack p50 ms', 'p99 ms', 'max ms', 'CPU us/event', 'stored'],
    [row(r.firewatch), row(r.bare)],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  const failures = [r.firewatch, r.bare]
    .filter((t) => t.failed > 0)
    .map((t) => `${t.target}: ${t.failed} failed request(s): ${t.failures.join('; ')}`);
  const spread = r.perRound.map((p) => round(p.firewatchEventsPerSecond / p.bareEventsPerSecond, 2));
  return [
    `Events API ingestion: ${r.events} signed message events per target, concurrency ${r.concurrency}, ` +
      `${r.warmup} warm-up events each, ${r.rounds} alternating rounds, keep-alive HTTP`,
    `Note: ${r.note}`,
    `Load average at the end: ${r.loadAverage}`,
    '',
    table,
    '',
    `per-round ratios: ${spread.join(', ')} (median ${r.medianRoundRatio}); ` +
      `CPU-time ratio bare/firewatch: ${r.cpuRatio}`,
    `throughput ratio firewatch/bare: ${r.ratio} (target >= ${r.targets.minRatio})  ${verdict(r.checks.ratio)}`,
    `firewatch ack p99: ${r.firewatch.ackP99Ms} ms (target < ${r.targets.maxP99Ms} ms)  ${verdict(r.checks.p99)}`,
    `all events stored: ${r.firewatch.stored}/${r.events}  ${verdict(r.checks.stored)}`,
    ...failures,
    `overall: ${verdict(r.pass)}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const result = await runEventsBench({
    events: positiveInt(values.events, 'events', DEFAULTS.events),
    concurrency: positiveInt(values.concurrency, 'concurrency', DEFAULTS.concurrency),
    warmup: positiveInt(values.warmup, 'warmup', DEFAULTS.warmup),
    rounds: positiveInt(values.rounds, 'rounds', DEFAULTS.rounds),
  });
  process.stdout.write(
    values.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatEventsReport(result)}\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `bench:events failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
