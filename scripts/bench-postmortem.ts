/**
 * Benchmark of the postmortem pipeline (compile + Markdown + Slack blocks + JSON) on synthetic incidents
 * of 1k, 10k and 100k timeline entries. Not a test.
 *
 *   npx tsx scripts/bench-postmortem.ts [--json]
 *
 * Memory figures are taken from a collected heap (global.gc, enabled at run time if not exposed).
 *
 * Target: 10k entries in under 250 ms, growing about linearly.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { compilePostmortem } from '../src/domain/postmortem/compile';
import { renderJson } from '../src/domain/postmortem/json';
import { renderMarkdown } from '../src/domain/postmortem/markdown';
import type { PostmortemInput } from '../src/domain/postmortem/model';
import {
  type ActionItem,
  type CapturedMessage,
  type CommsEntry,
  DEFAULT_TARGETS,
  type FieldEntry,
  type RoleTerm,
  type TimelineEvent,
} from '../src/domain/types';
import { renderSummaryBlocks } from '../src/slack/blocks/postmortem';

/** One measured size. */
export interface Result {
  entries: number;
  messages: number;
  comms: number;
  actions: number;
  /** Median of the measured runs, whole pipeline. */
  ms: number;
  compileMs: number;
  markdownMs: number;
  blocksMs: number;
  /** The JSON file written beside the Markdown. */
  jsonMs: number;
  msPer1k: number;
  /** Peak heap growth over a collected baseline while the document, Markdown and blocks are held. */
  heapMB: number;
  /** Peak RSS growth over the same baseline (RSS rarely shrinks: small after larger earlier runs). */
  rssMB: number;
  /** Peak RSS of the whole process so far (cumulative across sizes). */
  peakRssMB: number;
  markdownKB: number;
  jsonKB: number;
  blocks: number;
  runs: number;
}

const SIZES = [1_000, 10_000, 100_000];
const WARMUP_RUNS = 2;
const MEASURED_RUNS = 5;
const INC = 'INC-2026-042';
const USERS = ['U01ALICE', 'U02BOB', 'U03CAROL', 'U04DAN'];
const START = Date.UTC(2026, 1, 20, 9, 30);

/** A deterministic incident: `entries` timeline entries in shuffled arrival order, and proportional extras. */
export function syntheticInput(entries: number): PostmortemInput {
  const kinds: TimelineEvent['kind'][] = ['note', 'pin', 'update', 'status', 'role', 'note', 'field'];
  const statuses = ['identified', 'monitoring', 'investigating'];
  const timeline: TimelineEvent[] = new Array(entries);
  for (let i = 0; i < entries; i += 1) {
    const j = (i * 7919) % entries; // arrival order differs from time order
    const kind = kinds[j % kinds.length]!;
    timeline[i] = {
      id: i + 1,
      incidentId: INC,
      kind,
      at: START + j * 1000,
      actor: j % 6 === 0 ? null : USERS[j % USERS.length]!,
      text: `${j % 13 === 0 ? 'fix: ' : ''}Entry ${j}: checked <@U02BOB> dashboard &amp; logs | p99 ${j % 900} ms -&gt; next step`,
      ref: kind === 'status' ? statuses[j % 3]! : null,
      recordedAt: START + j * 1000 + 250,
    };
  }
  const messages: CapturedMessage[] = Array.from({ length: Math.ceil(entries / 2) }, (_, i) => {
    const secs = Math.floor(START / 1000) + i * 2;
    return {
      channelId: 'C0INC042',
      ts: `${secs}.${String(i % 1_000_000).padStart(6, '0')}`,
      threadTs: i % 5 === 4 ? `${secs - 2}.${String((i - 1) % 1_000_000).padStart(6, '0')}` : null,
      userId: USERS[i % USERS.length]!,
      botId: null,
      text: `Message ${i} for <@U01ALICE>: graph in <#C0OPS|ops> & logs`,
      editedAt: i % 10 === 0 ? START + i * 2000 + 500 : null,
      files: [],
    };
  });
  const comms: CommsEntry[] = Array.from({ length: Math.ceil(entries / 50) }, (_, i) => ({
    id: i + 1,
    incidentId: INC,
    at: START + i * 50_000,
    channelId: 'C0ANN',
    channelLabel: '#announcements',
    summary: `:loudspeaker: *Update* from <@U03CAROL>\n&gt;Update ${i}: still investigating`,
    audience: 'Company',
    sentBy: USERS[2]!,
    status: 'investigating',
  }));
  const actions: ActionItem[] = Array.from({ length: Math.ceil(entries / 100) }, (_, i) => ({
    id: i + 1,
    incidentId: INC,
    seq: i + 1,
    text: `Follow-up ${i + 1}`,
    owner: i % 3 ? USERS[i % USERS.length]! : null,
    due: i % 2 ? '2026-03-15' : null,
    priority: 'P2',
    status: i % 4 === 0 ? 'done' : 'open',
    createdAt: START + i,
    createdBy: USERS[0]!,
    doneAt: i % 4 === 0 ? START + i + 60_000 : null,
    sourceRef: null,
  }));
  const fieldNames = [
    'summary',
    'impact',
    'root-cause',
    'contributing',
    'went-well',
    'went-wrong',
    'lessons',
    'users-affected',
    'permanent-fix',
    'why',
    'approver',
  ] as const;
  const fields: FieldEntry[] = fieldNames.map((field, i) => ({
    id: i + 1,
    incidentId: INC,
    field,
    value: `${field} written by a human`,
    at: START + i,
    author: USERS[0]!,
    sourceRef: null,
  }));
  const roles: RoleTerm[] = USERS.map((userId, i) => ({
    id: i + 1,
    incidentId: INC,
    role: (['ic', 'tech', 'comms', 'ic'] as const)[i]!,
    userId,
    from: START + 60_000 * (i + 1),
    to: null,
    assignedBy: USERS[0]!,
  }));
  const end = START + entries * 1000;
  return {
    incident: {
      id: INC,
      year: 2026,
      seq: 42,
      title: 'Synthetic incident for the benchmark',
      severity: 'P2',
      status: 'closed',
      channelId: 'C0INC042',
      channelName: 'inc-2026-042-synthetic',
      cardTs: null,
      declaredBy: USERS[0]!,
      originChannelId: null,
      declaredAt: START + 60_000,
      startedAt: START,
      detectedAt: START + 30_000,
      detectedBy: 'synthetic monitor',
      identifiedAt: START + 600_000,
      mitigatedAt: null,
      resolvedAt: end,
      closedAt: end + 60_000,
      isPrivate: false,
    },
    roles,
    timeline,
    comms,
    actions,
    fields,
    messages,
    related: [],
    people: { U01ALICE: 'Alice', U02BOB: 'Bob', U03CAROL: 'Carol', U04DAN: 'Dan' },
    history: [],
    current: { version: 1, changes: 'First compile on close', author: USERS[0]! },
    compiledAt: end + 120_000,
    config: { timeZone: 'Europe/Oslo', targets: DEFAULT_TARGETS },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `global.gc` when node runs with --expose-gc; otherwise the flag is switched on at run time. */
function findGc(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

const gc = findGc();
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const MB = 1024 * 1024;

function runOnce(input: PostmortemInput) {
  const t0 = performance.now();
  const doc = compilePostmortem(input);
  const t1 = performance.now();
  const markdown = renderMarkdown(doc);
  const t2 = performance.now();
  const blocks = renderSummaryBlocks(doc, { markdownFileName: `${doc.incidentId}.md` });
  const t3 = performance.now();
  const json = renderJson(doc);
  const t4 = performance.now();
  return {
    doc,
    markdown,
    blocks,
    json,
    compile: t1 - t0,
    markdownMs: t2 - t1,
    blocksMs: t3 - t2,
    jsonMs: t4 - t3,
  };
}

function measure(entries: number): Result {
  const input = syntheticInput(entries);
  for (let i = 0; i < WARMUP_RUNS; i += 1) runOnce(input);
  const totals: number[] = [];
  const compile: number[] = [];
  const markdown: number[] = [];
  const blocks: number[] = [];
  const json: number[] = [];
  for (let i = 0; i < MEASURED_RUNS; i += 1) {
    const r = runOnce(input);
    totals.push(r.compile + r.markdownMs + r.blocksMs + r.jsonMs);
    json.push(r.jsonMs);
    compile.push(r.compile);
    markdown.push(r.markdownMs);
    blocks.push(r.blocksMs);
  }
  // Memory: one more run from a collected heap, sampling after each stage while its output is held.
  gc?.();
  const before = process.memoryUsage();
  let heapPeak = before.heapUsed;
  let rssPeak = before.rss;
  const sample = () => {
    const now = process.memoryUsage();
    heapPeak = Math.max(heapPeak, now.heapUsed);
    rssPeak = Math.max(rssPeak, now.rss);
  };
  const doc = compilePostmortem(input);
  sample();
  const markdownText = renderMarkdown(doc);
  sample();
  const summary = renderSummaryBlocks(doc);
  sample();
  const jsonText = renderJson(doc);
  sample();
  const ms = median(totals);
  return {
    entries,
    messages: input.messages.length,
    comms: input.comms.length,
    actions: input.actions.length,
    ms: round(ms),
    compileMs: round(median(compile)),
    markdownMs: round(median(markdown)),
    blocksMs: round(median(blocks), 2),
    jsonMs: round(median(json)),
    msPer1k: round((ms / entries) * 1000, 2),
    heapMB: round((heapPeak - before.heapUsed) / MB),
    rssMB: round((rssPeak - before.rss) / MB),
    peakRssMB: round(process.resourceUsage().maxRSS / 1024),
    markdownKB: round(markdownText.length / 1024),
    jsonKB: round(jsonText.length / 1024),
    blocks: summary.blocks.length,
    runs: MEASURED_RUNS,
  };
}

/** Runs the benchmark for 1k, 10k and 100k timeline entries. */
export async function runPostmortemBench(): Promise<Result[]> {
  return SIZES.map(measure);
}

function table(results: readonly Result[]): string {
  const header = [
    'entries',
    'ms',
    'compile',
    'markdown',
    'blocks',
    'json',
    'ms/1k',
    'heap MB',
    'rss MB',
    'peak rss MB',
    'md KB',
    'json KB',
  ];
  const rows = results.map((r) => [
    String(r.entries),
    String(r.ms),
    String(r.compileMs),
    String(r.markdownMs),
    String(r.blocksMs),
    String(r.jsonMs),
    String(r.msPer1k),
    String(r.heapMB),
    String(r.rssMB),
    String(r.peakRssMB),
    String(r.markdownKB),
    String(r.jsonKB),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const results = await runPostmortemBench();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `Postmortem pipeline (compile + Markdown + blocks), median of ${MEASURED_RUNS} runs after ${WARMUP_RUNS} warm-ups` +
      `${gc ? '' : ' (no gc available: memory figures are rough)'}\n\n${table(results)}\n`,
  );
  const tenK = results.find((r) => r.entries === 10_000);
  if (tenK) process.stdout.write(`\n10k entries: ${tenK.ms} ms (target < 250 ms)\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
}
