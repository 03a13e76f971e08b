/**
 * Benchmark of start-up time (not a test): from spawning Firewatch with a valid configuration (an
 * in-process Slack emulator, a fresh SQLite file, a free port) to the first `200` from `GET /healthz`.
 * Measures `tsx src/main.ts` and, when it has been built (`npm run build`), `node dist/main.js`.
 *
 *   npm run bench:startup [-- --runs 5 --json]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SlackEmulator } from '../src/emulator';
import {
  BENCH_SIGNING_SECRET,
  formatTable,
  freePort,
  makeTempDir,
  median,
  positiveInt,
  progress,
  removeDir,
  round,
} from './bench-lib';

/** Options of {@link runStartupBench}. */
export interface StartupBenchOptions {
  /** Runs per command (default 5). */
  runs?: number;
  /** Give up on one start after this long (default 30 s). */
  timeoutMs?: number;
  /** Where progress lines go (default: stderr). */
  log?: (line: string) => void;
}

/** Start-up times of one way of starting Firewatch. */
export interface StartupTargetResult {
  name: string;
  command: string;
  /** Spawn to first healthy answer, one per run, in run order. */
  runsMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** The result of {@link runStartupBench}. */
export interface StartupBenchResult {
  runs: number;
  results: StartupTargetResult[];
  /** Commands not measured, with the reason (e.g. no `dist/main.js`). */
  skipped: { name: string; reason: string }[];
}

const ROOT = path.resolve(__dirname, '..');
const DEFAULTS = { runs: 5, timeoutMs: 30_000 };
const POLL_MS = 5;

interface Candidate {
  name: string;
  file: string;
  args: string[];
}

/** The child's environment: ours without any Firewatch setting, plus a valid HTTP-mode configuration. */
function childEnv(slackUrl: string, port: number, dataDir: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !/^(SLACK_|FIREWATCH_)/.test(key) &&
        !['PORT', 'DATABASE_URL', 'POSTMORTEM_DIR', 'ANNOUNCE_CHANNEL'].includes(key),
    ),
  );
  return {
    ...inherited,
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
    SLACK_API_URL: slackUrl,
    PORT: String(port),
    DATABASE_URL: path.join(dataDir, 'firewatch.db'),
    POSTMORTEM_DIR: path.join(dataDir, 'postmortems'),
  };
}

/** Resolves with the HTTP status of `GET url`, or null when nothing answers yet. */
function probe(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? null));
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

/** Stops the child's whole process group (tsx runs the app in a grandchild) and waits for it to exit. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Spawns one start and resolves with the milliseconds until `/healthz` first answered 200. */
async function timeOneStart(candidate: Candidate, slackUrl: string, timeoutMs: number): Promise<number> {
  const dataDir = makeTempDir('firewatch-startup');
  const port = await freePort();
  const health = `http://127.0.0.1:${port}/healthz`;
  // Filled in by the child's listeners.
  const seen: { output: string; exit: string | null } = { output: '', exit: null };
  const started = performance.now();
  const child = spawn(candidate.file, candidate.args, {
    cwd: ROOT,
    env: childEnv(slackUrl, port, dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    seen.output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    seen.output += chunk.toString();
  });
  child.once('exit', (code, signal) => {
    seen.exit = `exited with ${signal ?? `status ${code}`}`;
  });
  child.once('error', (error) => {
    seen.exit = `could not start: ${error.message}`;
  });
  try {
    while (performance.now() - started < timeoutMs) {
      if (seen.exit)
        throw new Error(`${candidate.name} ${seen.exit} before it was healthy:\n${seen.output.trim()}`);
      if ((await probe(health)) === 200) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new Error(`${candidate.name} was not healthy within ${timeoutMs} ms:\n${seen.output.trim()}`);
  } finally {
    await stopChild(child);
    removeDir(dataDir);
  }
}

/**
 * Measures start-up (spawn → first 200 from /healthz) of `tsx src/main.ts`, and of `node dist/main.js`
 * when that file exists; the median of `runs` starts each. The Slack emulator runs in this process.
 */
export async function runStartupBench(opts: StartupBenchOptions = {}): Promise<StartupBenchResult> {
  const runs = opts.runs ?? DEFAULTS.runs;
  const timeoutMs = opts.timeoutMs ?? DEFAULTS.timeoutMs;
  const log = opts.log ?? progress;
  const candidates: Candidate[] = [
    { name: 'tsx src/main.ts', file: path.join(ROOT, 'node_modules/.bin/tsx'), args: ['src/main.ts'] },
  ];
  const skipped: StartupBenchResult['skipped'] = [];
  if (fs.existsSync(path.join(ROOT, 'dist/main.js'))) {
    candidates.push({ name: 'node dist/main.js', file: process.execPath, args: ['dist/main.js'] });
  } else {
    skipped.push({ name: 'node dist/main.js', reason: 'no dist/main.js (run `npm run build` first)' });
  }
  const slack = await SlackEmulator.start();
  try {
    const results: StartupTargetResult[] = [];
    for (const candidate of candidates) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const ms = await timeOneStart(candidate, slack.url, timeoutMs);
        log(`startup: ${candidate.name} run ${i + 1}/${runs}: ${round(ms, 0)} ms`);
        times.push(round(ms, 1));
      }
      results.push({
        name: candidate.name,
        command: [path.relative(ROOT, candidate.file) || candidate.file, ...candidate.args].join(' '),
        runsMs: times,
        medianMs: round(median(times), 1),
        minMs: Math.min(...times),
        maxMs: Math.max(...times),
      });
    }
    return { runs, results, skipped };
  } finally {
    await slack.stop();
  }
}

/** The human-readable report of a start-up run. */
export function formatStartupReport(r: StartupBenchResult): string {
  const table = formatTable(
    ['command', 'median ms', 'min ms', 'max ms', 'runs ms'],
    r.results.map((t) => [
      t.name,
      String(t.medianMs),
      String(t.minMs),
      String(t.maxMs),
      t.runsMs.map((ms) => round(ms, 0)).join(' '),
    ]),
    ['l', 'r', 'r', 'r', 'l'],
  );
  return [
    `Start-up: spawn to first 200 from GET /healthz (fresh SQLite file, emulator in this process), ` +
      `median of ${r.runs} runs`,
    '',
    table,
    ...r.skipped.map((s) => `skipped ${s.name}: ${s.reason}`),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const result = await runStartupBench({ runs: positiveInt(values.runs, 'runs', DEFAULTS.runs) });
  process.stdout.write(
    values.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatStartupReport(result)}\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `bench:startup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
