/**
 * Shared helpers of the benchmark scripts (not tests): an HTTP load generator sending signed requests
 * over keep-alive connections (through the emulator's signed request client), percentiles, plain-text
 * tables and a description of the machine.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SignedHttpSender } from '../src/emulator';

/** Signing secret shared by the load generator and the servers under test. */
export const BENCH_SIGNING_SECRET = 'bench-signing-secret-8f3a1c';

/** Rounds to `digits` decimals (for display and JSON). */
export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Nearest-rank percentile (`p` in 0‥100) of an ascending array; NaN when it is empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Median of unsorted values; NaN when there are none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Renders rows under a header as aligned columns. Columns are right-aligned where `align` says `r`;
 * without `align`, cells that look numeric are right-aligned.
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly ('l' | 'r')[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const numeric = /^[-+]?[\d.,]+( ?(ms|%|x|MB|KB))?$/;
  const right = (cell: string, i: number) => (align ? align[i] === 'r' : numeric.test(cell));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (right(cell, i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The machine the numbers were measured on. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGB: number;
  node: string;
  platform: string;
}

/** Describes this machine: CPU model, logical cores, total memory, Node version and OS. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

/** Creates a fresh temporary folder. */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** Removes a folder and everything in it; never throws. */
export function removeDir(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // Best effort: a leftover temp folder is not worth failing a benchmark for.
  }
}

/** A TCP port that was free a moment ago (bound to port 0, then released). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Parses a positive whole number given on the command line, or returns the fallback. */
export function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`--${name}: expected a positive whole number, got ${value}`);
  return n;
}

/** Parses an optional positive whole number given on the command line. */
export function optionalPositiveInt(value: string | undefined, name: string): number | undefined {
  return value === undefined ? undefined : positiveInt(value, name, 0);
}

/** Writes a progress line to stderr, so stdout stays clean for tables and JSON. */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** One signed POST to send. */
export interface SignedBody {
  body: string;
  contentType: string;
}

/** What a load run measured. */
export interface LoadResult {
  /** Requests sent. */
  requests: number;
  /** Requests answered 2xx. */
  ok: number;
  /** Requests answered otherwise or failed at the transport level. */
  failed: number;
  /** First few failures, for the report. */
  failures: string[];
  /** Wall time from the first send to the last full response. */
  elapsedMs: number;
  /** CPU time (user + system) this process used meanwhile: servers and generator alike. */
  cpuMs: number;
  /** Latency of each request, send to full response, ascending. */
  latenciesMs: number[];
}

/**
 * Sends every body to `url` from a pool of `concurrency` workers, each awaiting its reply before sending
 * the next, over keep-alive connections (one socket per worker). Given several URLs (replicas behind a
 * load balancer), request `i` goes to URL `i mod n`: round robin, so each gets an equal share.
 */
export async function runLoad(
  url: string | readonly string[],
  bodies: readonly SignedBody[],
  concurrency: number,
  secret: string,
): Promise<LoadResult> {
  const urls = typeof url === 'string' ? [url] : url;
  if (urls.length === 0) throw new Error('runLoad: no URL to send to');
  const senders = urls.map(
    (u) => new SignedHttpSender({ url: u, signingSecret: secret, keepAlive: concurrency }),
  );
  const latencies = new Array<number>(bodies.length);
  const failures: string[] = [];
  let ok = 0;
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const index = next++;
      try {
        const item = bodies[index]!;
        const reply = await senders[index % senders.length]!.post(item.body, item.contentType);
        latencies[index] = reply.ms;
        if (reply.status >= 200 && reply.status < 300) ok += 1;
        else {
          failed += 1;
          if (failures.length < 5) failures.push(`request ${index}: HTTP ${reply.status}`);
        }
      } catch (error) {
        latencies[index] = Number.NaN;
        failed += 1;
        if (failures.length < 5) {
          failures.push(`request ${index}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, worker));
  } finally {
    for (const sender of senders) sender.close();
  }
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: bodies.length,
    ok,
    failed,
    failures,
    elapsedMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    latenciesMs: latencies.filter((ms) => Number.isFinite(ms)).sort((a, b) => a - b),
  };
}
