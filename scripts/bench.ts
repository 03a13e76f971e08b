/**
 * Runs every benchmark (not tests) and prints one combined table with the machine it ran on:
 * Events API ingestion against a bare Bolt app (Firewatch on SQLite, on PostgreSQL, and two replicas
 * on PostgreSQL), the postmortem pipeline, insights across incidents (`/incident stats` and
 * `firewatch report`), start-up time and the demo.
 *
 *   npm run bench [-- --json] [-- --events 2000 --concurrency 8 --warmup 2000 --rounds 4 --runs 5
 *                     --store sqlite|postgres|all --replicas 1,2 --processes]
 *
 * With --json, stdout carries only the JSON document (progress goes to stderr). The exit status is 0
 * when a target is missed (the verdict says FAIL) and non-zero only when a benchmark could not run.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  type EventsBenchResult,
  MAX_P99_MS,
  MIN_RATIO,
  parseReplicas,
  parseStores,
  runEventsBench,
  type StoreKind,
} from './bench-events';
import {
  formatTable,
  type MachineInfo,
  machineInfo,
  optionalPositiveInt,
  progress,
  round,
} from './bench-lib';
import { type Result as PostmortemResult, runPostmortemBench } from './bench-postmortem';
import { runStartupBench, type StartupBenchResult } from './bench-startup';
import { runStatsBench, STATS_ACK_MAX_MS, type StatsBenchResult } from './bench-stats';

/** Verdict of one row: a target met or missed, or a figure given for information. */
export type Verdict = 'PASS' | 'FAIL' | 'info';

/** One row of the combined table. */
export interface BenchRow {
  benchmark: string;
  metric: string;
  value: string;
  target: string;
  verdict: Verdict;
}

/** Everything `npm run bench` measured. */
export interface CombinedResult {
  machine: MachineInfo & { loadAverage: number[] };
  rows: BenchRow[];
  /** True when no row failed. */
  pass: boolean;
  events: EventsBenchResult;
  postmortem: PostmortemResult[];
  stats: StatsBenchResult;
  startup: StartupBenchResult;
  demo: DemoBenchResult;
}

/** `npm run demo` as a newcomer runs it: the whole command, wall time. */
export interface DemoBenchResult {
  wallMs: number;
  exitCode: number | null;
}

/** The issue's bound for the demo. */
const DEMO_MAX_MS = 15_000;

/** Runs the demo command once as a child process and times it from spawn to exit. */
export async function runDemoBench(): Promise<DemoBenchResult> {
  const root = path.resolve(__dirname, '..');
  const started = performance.now();
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['src/demo/cli.ts'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { wallMs: Math.round(performance.now() - started), exitCode };
}

function demoRows(d: DemoBenchResult): BenchRow[] {
  return [
    {
      benchmark: 'demo',
      metric: 'npm run demo, spawn to exit (whole story)',
      value: `${d.wallMs} ms${d.exitCode === 0 ? '' : ` (exit ${d.exitCode})`}`,
      target: `< ${DEMO_MAX_MS / 1000} s, exit 0`,
      verdict: check(d.exitCode === 0 && d.wallMs < DEMO_MAX_MS),
    },
  ];
}

/** The postmortem pipeline's target for 10k timeline entries (from scripts/bench-postmortem.ts). */
const POSTMORTEM_10K_MAX_MS = 250;
/** "Growing about linearly": ms per 1k entries at 100k at most this multiple of the figure at 10k. */
const POSTMORTEM_MAX_GROWTH = 2;

const check = (ok: boolean): Verdict => (ok ? 'PASS' : 'FAIL');

function eventRows(e: EventsBenchResult): BenchRow[] {
  const b = 'events';
  const bare = e.bare;
  const rows: BenchRow[] = [
    {
      benchmark: b,
      metric: 'bare Bolt events/s',
      value: String(bare.eventsPerSecond),
      target: '-',
      verdict: 'info',
    },
    {
      benchmark: b,
      metric: 'bare Bolt ack p50 / p99',
      value: `${bare.ackP50Ms} / ${bare.ackP99Ms} ms`,
      target: '-',
      verdict: 'info',
    },
  ];
  for (const f of e.firewatch) {
    rows.push(
      {
        benchmark: b,
        metric: `${f.id} events/s (ratio to bare)`,
        value: `${f.eventsPerSecond} (${f.ratio})`,
        target: f.checks.ratio === null ? '-' : `ratio >= ${MIN_RATIO}`,
        verdict: f.checks.ratio === null ? 'info' : check(f.checks.ratio),
      },
      {
        benchmark: b,
        metric: `${f.id} median of round ratios`,
        value: String(f.medianRoundRatio),
        target: '-',
        verdict: 'info',
      },
    );
    if (f.cpuUsPerEvent !== null && bare.cpuUsPerEvent !== null) {
      rows.push({
        benchmark: b,
        metric: `CPU us/event ${f.id} vs bare`,
        value: `${f.cpuUsPerEvent} vs ${bare.cpuUsPerEvent}`,
        target: '-',
        verdict: 'info',
      });
    }
    rows.push(
      {
        benchmark: b,
        metric: `${f.id} ack p50 / p99 / max`,
        value: `${f.ackP50Ms} / ${f.ackP99Ms} / ${f.ackMaxMs} ms`,
        target: `p99 < ${MAX_P99_MS} ms`,
        verdict: check(f.checks.p99),
      },
      {
        benchmark: b,
        metric: `${f.id} events stored once`,
        value: `${f.stored}/${e.events}`,
        target: 'all',
        verdict: check(f.checks.stored),
      },
    );
  }
  return rows;
}

function postmortemRows(results: readonly PostmortemResult[]): BenchRow[] {
  const b = 'postmortem';
  const rows: BenchRow[] = results.map((r) => {
    const tenK = r.entries === 10_000;
    return {
      benchmark: b,
      metric: `${r.entries / 1000}k entries (compile+md+blocks)`,
      value: `${r.ms} ms`,
      target: tenK ? `< ${POSTMORTEM_10K_MAX_MS} ms` : '-',
      verdict: tenK ? check(r.ms < POSTMORTEM_10K_MAX_MS) : 'info',
    };
  });
  const tenK = results.find((r) => r.entries === 10_000);
  const hundredK = results.find((r) => r.entries === 100_000);
  if (tenK && hundredK) {
    const growth = round(hundredK.msPer1k / tenK.msPer1k, 2);
    rows.push({
      benchmark: b,
      metric: 'ms per 1k entries, 100k vs 10k',
      value: `${growth}x`,
      target: `<= ${POSTMORTEM_MAX_GROWTH}x (about linear)`,
      verdict: check(growth <= POSTMORTEM_MAX_GROWTH),
    });
  }
  if (hundredK) {
    rows.push({
      benchmark: b,
      metric: '100k heap growth',
      value: `${hundredK.heapMB} MB`,
      target: '-',
      verdict: 'info',
    });
  }
  return rows;
}

function statsRows(s: StatsBenchResult): BenchRow[] {
  return s.timings.map((t): BenchRow => {
    const ack = t.operation.startsWith('/incident stats');
    return {
      benchmark: 'stats',
      metric: `${t.incidents} incidents: ${t.operation}, median / p95`,
      value: `${t.medianMs} / ${t.p95Ms} ms`,
      target: ack ? `p95 < ${STATS_ACK_MAX_MS} ms (ack)` : '-',
      verdict: ack ? check(t.p95Ms < STATS_ACK_MAX_MS) : 'info',
    };
  });
}

function startupRows(s: StartupBenchResult): BenchRow[] {
  return [
    ...s.results.map(
      (r): BenchRow => ({
        benchmark: 'startup',
        metric: `${r.name} to healthy (median of ${r.runsMs.length})`,
        value: `${r.medianMs} ms`,
        target: '-',
        verdict: 'info',
      }),
    ),
    ...s.skipped.map(
      (k): BenchRow => ({
        benchmark: 'startup',
        metric: k.name,
        value: 'skipped',
        target: '-',
        verdict: 'info',
      }),
    ),
  ];
}

/** Options of {@link runAllBenchmarks}. */
export interface CombinedOptions {
  events?: number;
  concurrency?: number;
  warmup?: number;
  rounds?: number;
  stores?: StoreKind[];
  replicas?: number[];
  processes?: boolean;
  startupRuns?: number;
}

/** Runs every benchmark one after the other (events, postmortem, start-up, demo). */
export async function runAllBenchmarks(opts: CombinedOptions = {}): Promise<CombinedResult> {
  const machine = { ...machineInfo(), loadAverage: os.loadavg().map((l) => round(l, 2)) };
  progress('bench: events…');
  const events = await runEventsBench({
    events: opts.events,
    concurrency: opts.concurrency,
    warmup: opts.warmup,
    rounds: opts.rounds,
    stores: opts.stores,
    replicas: opts.replicas,
    processes: opts.processes,
  });
  progress('bench: postmortem…');
  const postmortem = await runPostmortemBench();
  progress('bench: stats…');
  const stats = await runStatsBench();
  progress('bench: startup…');
  const startup = await runStartupBench({ runs: opts.startupRuns });
  progress('bench: demo…');
  const demo = await runDemoBench();
  const rows = [
    ...eventRows(events),
    ...postmortemRows(postmortem),
    ...statsRows(stats),
    ...startupRows(startup),
    ...demoRows(demo),
  ];
  return {
    machine,
    rows,
    pass: rows.every((r) => r.verdict !== 'FAIL'),
    events,
    postmortem,
    stats,
    startup,
    demo,
  };
}

/** The combined table with the machine description. */
export function formatCombinedReport(r: CombinedResult): string {
  const m = r.machine;
  const table = formatTable(
    ['benchmark', 'metric', 'value', 'target', 'verdict'],
    r.rows.map((row) => [row.benchmark, row.metric, row.value, row.target, row.verdict]),
    ['l', 'l', 'r', 'l', 'l'],
  );
  return [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, Node ${m.node}, ${m.platform}`,
    `Load average at start: ${m.loadAverage.join(' ')}`,
    `Events: ${r.events.events} per target, concurrency ${r.events.concurrency}, ${r.events.rounds} rotating ` +
      `rounds; ${r.events.note}`,
    `Event targets: ${[r.events.bare, ...r.events.firewatch].map((t) => `${t.id} = ${t.label}`).join('; ')}`,
    '',
    table,
    '',
    `overall: ${r.pass ? 'PASS' : 'FAIL'}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      events: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      runs: { type: 'string' },
      store: { type: 'string' },
      replicas: { type: 'string' },
      processes: { type: 'boolean', default: false },
    },
  });
  const result = await runAllBenchmarks({
    events: optionalPositiveInt(values.events, 'events'),
    concurrency: optionalPositiveInt(values.concurrency, 'concurrency'),
    warmup: optionalPositiveInt(values.warmup, 'warmup'),
    rounds: optionalPositiveInt(values.rounds, 'rounds'),
    stores: parseStores(values.store),
    replicas: parseReplicas(values.replicas),
    processes: values.processes,
    startupRuns: optionalPositiveInt(values.runs, 'runs'),
  });
  process.stdout.write(
    values.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatCombinedReport(result)}\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
