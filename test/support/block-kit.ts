/** Block Kit assertions and fixtures shared by the builder tests under test/slack/blocks/. */
import { draftIncident } from '../../src/domain/lifecycle';
import type { ActionItem, Incident, RoleTerm } from '../../src/domain/types';
import {
  MAX_BLOCKS_JSON,
  MAX_BLOCKS_TEXT,
  messageBlocksRejection,
  viewRejection,
} from '../../src/emulator/validate';
import { blocksTextLength, MESSAGE_BUDGET, SLACK_LIMITS } from '../../src/shared/slack-limits';

export const NOW = Date.UTC(2026, 1, 20, 12, 0);
export const TZ = 'Europe/Oslo';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** An `&` that does not start one of Slack's three entities. */
export const BROKEN_ENTITY = /&(?!(?:amp|lt|gt);)/;
/** The `<…>` tokens the builders may emit: user mentions and channel references. */
export const TOKEN = /<[@#][UWCG][A-Z0-9]+(?:\|[a-z0-9_-]+)?>/g;

/** Every string under a `text` key, with the kind of object it belongs to. */
export function texts(node: unknown, kind = 'root', out: { kind: string; text: string }[] = []) {
  if (Array.isArray(node)) {
    for (const item of node) texts(item, kind, out);
  } else if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    const type = typeof obj.type === 'string' ? obj.type : kind;
    for (const [key, value] of Object.entries(obj)) {
      if (key === 'text' && typeof value === 'string') out.push({ kind: type, text: value });
      else texts(value, type, out);
    }
  }
  return out;
}

export interface AnyBlock {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { text: string }[];
}

/** Asserts everything this module promises about a message's blocks. */
export function expectWithinLimits(blocks: unknown[]) {
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
  expect(messageBlocksRejection(blocks)).toBeUndefined();
  expect(blocksTextLength(blocks)).toBeLessThanOrEqual(MESSAGE_BUDGET.text);
  expect(blocksTextLength(blocks)).toBeLessThan(MAX_BLOCKS_TEXT);
  expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(MESSAGE_BUDGET.json);
  expect(JSON.stringify(blocks).length).toBeLessThan(MAX_BLOCKS_JSON);
  for (const block of blocks as AnyBlock[]) {
    if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (block.type === 'section' && block.text) {
      expect(block.text.text.length).toBeGreaterThan(0);
      expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
    if (block.type === 'section' && block.fields) {
      expect(block.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of block.fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (block.type === 'context') {
      for (const e of block.elements!) expect(e.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
    }
  }
  for (const { kind, text } of texts(blocks)) {
    expect(text).not.toMatch(LONE_SURROGATE);
    expect(text).not.toMatch(BROKEN_ENTITY);
    expect(text).not.toContain('<!channel>');
    // Once the well-formed tokens are gone, no angle bracket may be left (nothing cut in half).
    const rest = kind === 'mrkdwn' ? text.replace(TOKEN, '') : text;
    expect(rest).not.toMatch(/[<>]/);
  }
  expect(JSON.stringify(blocks)).not.toContain('<!channel>');
}

/** The `N` of a closing "… and N more" line, or null when there is none. */
export function moreCount(blocks: unknown[]): number | null {
  const last = texts(blocks.at(-1)).map((t) => t.text);
  const match = /^… and (\d+) more/.exec(last[0] ?? '');
  return match ? Number(match[1]) : null;
}

// Nasty text: entities to escape, a broadcast, mentions, and emoji of one, two and several code units
// (a ZWJ sequence, a flag, a skin tone) so that cuts land everywhere.
const NASTY = Array.from('R&D <!channel> 🔥 ops & <@U0ALICE> "db" 👩🏽‍💻 <b>x</b> 🇳🇴 a<b&c>d 😀😀 ');

/** `length` code points of nasty text, starting `shift` code points in (never a broken surrogate). */
export function nasty(length: number, shift: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += NASTY[(i + shift) % NASTY.length];
  return out;
}

export function incident(n: number, title: string, overrides: Partial<Incident> = {}): Incident {
  return {
    ...draftIncident({
      title,
      severity: (['P1', 'P2', 'P3', 'P4'] as const)[n % 4]!,
      declaredBy: 'UALICE',
      originChannelId: null,
      declaredAt: NOW - n * 60_000,
    }),
    id: `INC-2026-${String(n).padStart(3, '0')}`,
    year: 2026,
    seq: n,
    channelId: `C${String(n).padStart(8, '0')}`,
    channelName: `inc-2026-${n}`,
    ...overrides,
  };
}

export function action(seq: number, text: string): ActionItem {
  return {
    id: seq,
    incidentId: 'INC-2026-001',
    seq,
    text,
    owner: seq % 3 === 0 ? null : 'UBOB',
    due: seq % 2 === 0 ? '2026-03-01' : null,
    priority: 'P2',
    status: seq % 5 === 0 ? 'done' : 'open',
    createdAt: NOW,
    createdBy: 'UALICE',
    doneAt: null,
    sourceRef: null,
  };
}

export const terms: RoleTerm[] = [
  {
    id: 1,
    incidentId: 'INC-2026-001',
    role: 'ic',
    userId: 'UALICE',
    from: NOW - 1,
    to: null,
    assignedBy: 'UALICE',
  },
];

/**
 * Asserts a modal (or home) view is one Slack takes (the emulator's views.open checks: 100 blocks,
 * labels, options, initial values, private_metadata) and that its text is safe: no broadcast, no
 * cut surrogate or entity, no stray angle bracket in plain text.
 */
export function expectViewWithinLimits(view: Record<string, unknown>) {
  expect(viewRejection(view)).toBeUndefined();
  const blocks = view.blocks as unknown[];
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerView);
  expect(String(view.private_metadata ?? '').length).toBeLessThanOrEqual(SLACK_LIMITS.privateMetadata);
  for (const { kind, text } of texts(blocks)) {
    expect(text).not.toMatch(LONE_SURROGATE);
    expect(text).not.toMatch(BROKEN_ENTITY);
    expect(text).not.toContain('<!channel>');
    const rest = kind === 'mrkdwn' ? text.replace(TOKEN, '') : text;
    expect(rest).not.toMatch(/[<>]/);
  }
  for (const block of blocks as AnyBlock[]) {
    if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (block.type === 'section' && block.text) {
      expect(block.text.text.length).toBeGreaterThan(0);
      expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
    if (block.type === 'context') {
      for (const e of block.elements!) expect(e.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
    }
  }
}
