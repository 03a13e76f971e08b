/**
 * Benchmark of insights across incidents on a SQLite file of 200 and 2,000 generated incidents
 * (spread over the last year, with timelines, IC terms, services, action items, private ones):
 * `/incident stats` as Slack sends it (a signed slash command over HTTP to the real app, answered
 * in the HTTP response, which Slack wants within 3 s), and `firewatch report` in process. Not a test.
 *
 *   npm run bench:stats [-- --json] [-- --sizes 200,2000 --runs 15]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LogLevel } from '@slack/bolt';
import { createFirewatch, type Firewatch } from '../src/app';
import { runReportCli } from '../src/cli/report';
import { loadConfig } from '../src/config';
import { addDays, todayIn } from '../src/domain/stats-period';
import { SEEDED_CHANNELS, SEEDED_USERS, SlackEmulator, SlackRequestClient } from '../src/emulator';
import { generateIncidents } from '../test/support/generated-incidents';
import {
  BENCH_SIGNING_SECRET,
  formatTable,
  machineInfo,
  makeTempDir,
  median,
  percentile,
  positiveInt,
  progress,
  removeDir,
  round,
} from './bench-lib';

/** Slack's deadline for acknowledging a slash command; `/incident stats` answers in its ack. */
export const STATS_ACK_MAX_MS = 3000;

const DEFAULT_SIZES = [200, 2000];
const DEFAULT_RUNS = 15;
const WARMUP_RUNS = 3;
/** The generated history spans this many days before now. */
const HISTORY_DAYS = 365;

/** One timed operation at one size. */
export interface StatsTiming {
  incidents: number;
  operation: string;
  runs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

export interface StatsBenchResult {
  timings: StatsTiming[];
  /** How long writing the generated incidents took, per size (not a product figure). */
  generateMs: Record<number, number>;
}

function timing(incidents: number, operation: string, samples: number[]): StatsTiming {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    incidents,
    operation,
    runs: samples.length,
    medianMs: round(median(sorted)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
  };
}

/** Times `fn` `runs` times after the warm-ups; milliseconds each. */
async function sample(runs: number, fn: () => Promise<number | undefined>): Promise<number[]> {
  for (let i = 0; i < WARMUP_RUNS; i += 1) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const reported = await fn();
    out.push(reported ?? performance.now() - started);
  }
  return out;
}

/** Runs the report CLI in process with stderr quiet (it says where it wrote). */
async function quietReport(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const write = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const code = await runReportCli(argv, env);
    if (code !== 0) throw new Error(`firewatch report exited ${code}`);
  } finally {
    process.stderr.write = write;
  }
}

async function measureSize(size: number, runs: number, log: (line: string) => void) {
  const dataDir = makeTempDir('firewatch-bench-stats');
  let slack: SlackEmulator | null = null;
  let firewatch: Firewatch | null = null;
  try {
    slack = await SlackEmulator.start();
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-bench-token',
      SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      PORT: '0',
      DATABASE_URL: path.join(dataDir, 'firewatch.db'),
      POSTMORTEM_DIR: path.join(dataDir, 'postmortems'),
      FIREWATCH_TIMEZONE: 'Europe/Oslo',
    };
    firewatch = createFirewatch(loadConfig(env), { logLevel: LogLevel.ERROR });
    const { port } = await firewatch.start();
    log(`stats: writing ${size} generated incidents…`);
    const genStarted = performance.now();
    const now = Date.now();
    await generateIncidents(firewatch.store, { count: size, now, days: HISTORY_DAYS, privateEvery: 10 });
    const generateMs = round(performance.now() - genStarted);

    const client = new SlackRequestClient({
      emulator: slack,
      http: { url: `http://127.0.0.1:${port}/slack/events`, signingSecret: BENCH_SIGNING_SECRET },
    });
    const timings: StatsTiming[] = [];
    try {
      for (const period of ['30d', '90d', '365d']) {
        log(`stats: ${size} incidents, /incident stats ${period} ×${runs}`);
        const samples = await sample(runs, async () => {
          const reply = await client.slashCommand({
            channel_id: SEEDED_CHANNELS.general,
            user_id: SEEDED_USERS[0]!.id,
            text: `stats ${period}`,
            response_url: slack!.responseUrl(),
          });
          if (reply.status !== 200 || !String(reply.body).includes('Incident stats')) {
            throw new Error(
              `/incident stats ${period} answered HTTP ${reply.status}: ${reply.body.slice(0, 200)}`,
            );
          }
          return reply.ms;
        });
        timings.push(timing(size, `/incident stats ${period} (HTTP ack)`, samples));
      }
    } finally {
      client.close();
    }
    const today = todayIn(now, env.FIREWATCH_TIMEZONE);
    const out = path.join(dataDir, 'report.md');
    for (const days of [90, 365]) {
      log(`stats: ${size} incidents, firewatch report (${days} days) ×${runs}`);
      const argv = ['--from', addDays(today, -(days - 1)), '--to', today, '--out', out];
      const samples = await sample(runs, async () => {
        await quietReport(argv, env);
        return undefined;
      });
      timings.push(timing(size, `firewatch report, ${days} days`, samples));
    }
    if (!fs.readFileSync(out, 'utf8').includes('xychart-beta')) throw new Error('the report has no chart');
    return { timings, generateMs };
  } finally {
    await firewatch?.stop();
    await slack?.stop();
    removeDir(dataDir);
  }
}

/** Runs the benchmark at each size (default 200 and 2,000 incidents). */
export async function runStatsBench(
  opts: { sizes?: number[]; runs?: number; log?: (line: string) => void } = {},
): Promise<StatsBenchResult> {
  const log = opts.log ?? progress;
  const result: StatsBenchResult = { timings: [], generateMs: {} };
  for (const size of opts.sizes ?? DEFAULT_SIZES) {
    const { timings, generateMs } = await measureSize(size, opts.runs ?? DEFAULT_RUNS, log);
    result.timings.push(...timings);
    result.generateMs[size] = generateMs;
  }
  return result;
}

/** The results as a plain-text table. */
export function formatStatsTable(result: StatsBenchResult): string {
  return formatTable(
    ['incidents', 'operation', 'runs', 'median', 'p95', 'max'],
    result.timings.map((t) => [
      String(t.incidents),
      t.operation,
      String(t.runs),
      `${t.medianMs} ms`,
      `${t.p95Ms} ms`,
      `${t.maxMs} ms`,
    ]),
    ['r', 'l', 'r', 'r', 'r', 'r'],
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      runs: { type: 'string' },
    },
  });
  const sizes = values.sizes?.split(',').map((s) => positiveInt(s.trim(), 'sizes', 0));
  const result = await runStatsBench({ sizes, runs: positiveInt(values.runs, 'runs', DEFAULT_RUNS) });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const m = machineInfo();
  const slowest = Math.max(
    ...result.timings.filter((t) => t.operation.startsWith('/incident stats')).map((t) => t.p95Ms),
  );
  process.stdout.write(
    [
      `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, Node ${m.node}, ${m.platform}`,
      `Generated incidents over ${HISTORY_DAYS} days, SQLite; ${WARMUP_RUNS} warm-up runs before each row.`,
      '',
      formatStatsTable(result),
      '',
      `slowest /incident stats p95: ${slowest} ms (Slack's ack deadline ${STATS_ACK_MAX_MS} ms): ${
        slowest < STATS_ACK_MAX_MS ? 'PASS' : 'FAIL'
      }`,
      '',
    ].join('\n'),
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `bench:stats failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
