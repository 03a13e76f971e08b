/**
 * Small helpers for Block Kit text within Slack's limits.
 *
 * Text given to {@link mrkdwn}, {@link section}, {@link context}, {@link fieldsSection} and
 * {@link sectionsWithin} is escaped Slack text (user text through `slackSafe`); {@link header} takes
 * plain text and escapes it itself. Every cut goes through {@link clip}, which never splits a
 * surrogate pair, an `&…;` entity or a `<…>` token. The limits and the message budget are in
 * `src/shared/slack-limits`.
 */
import { type Budget, blocksTextLength, SLACK_LIMITS } from '../../shared/slack-limits';
import { escapeSlack, safeCut } from '../../shared/slack-text';

/**
 * Cuts escaped Slack text to at most `max` characters, marking the cut with an ellipsis; never inside a
 * surrogate pair, an entity (`&amp;`) or a `<…>` token (`<@U123>`, `<#C123>`).
 */
export function clip(text: string, max: number): string {
  return safeCut(text, max);
}

export interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  emoji?: boolean;
}

export type Block =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text: TextObject }
  | { type: 'section'; fields: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' };

export const mrkdwn = (text: string, max: number = SLACK_LIMITS.sectionText): TextObject => ({
  type: 'mrkdwn',
  text: clip(text, max),
});

export const section = (text: string): Block => ({ type: 'section', text: mrkdwn(text) });

/** A header from plain text: whitespace folded, `&`, `<`, `>` escaped, at most 150 characters. */
export const header = (text: string): Block => ({
  type: 'header',
  text: {
    type: 'plain_text',
    text: clip(escapeSlack(text.replace(/\s+/g, ' ').trim()), SLACK_LIMITS.headerText),
    emoji: true,
  },
});

export const context = (text: string): Block => ({
  type: 'context',
  elements: [mrkdwn(text, SLACK_LIMITS.contextText)],
});

export const divider = (): Block => ({ type: 'divider' });

export const fieldsSection = (fields: string[]): Block => ({
  type: 'section',
  fields: fields.slice(0, SLACK_LIMITS.fields).map((f) => mrkdwn(f, SLACK_LIMITS.fieldText)),
});

/** What `blocks` use of a budget. */
export function costOf(blocks: readonly unknown[]): Budget {
  return {
    blocks: blocks.length,
    text: blocksTextLength(blocks),
    // `[`, `]` and the commas: exact for a whole message, an over-estimate by one for each part.
    json: blocks.reduce<number>((sum, block) => sum + JSON.stringify(block).length + 1, 1),
  };
}

/** The budget left once `used` is spent (may go negative). */
export function remaining(budget: Readonly<Budget>, used: Readonly<Budget>): Budget {
  return {
    blocks: budget.blocks - used.blocks,
    text: budget.text - used.text,
    json: budget.json - used.json,
  };
}

const fits = (used: Budget, budget: Readonly<Budget>) =>
  used.blocks <= budget.blocks && used.text <= budget.text && used.json <= budget.json;

/** JSON characters of a string's content (without the quotes). */
const jsonLength = (text: string) => JSON.stringify(text).length - 2;

/** JSON characters of a section block with empty text, plus the comma after it. */
const SECTION_JSON = JSON.stringify(section('')).length + 1;

/** Packs the longest prefix of `lines` that fits `budget` into sections; returns them and how many lines. */
function pack(lines: readonly string[], budget: Readonly<Budget>): { blocks: Block[]; shown: number } {
  const blocks: Block[] = [];
  const used: Budget = { blocks: 0, text: 0, json: 0 };
  let current = '';
  let shown = 0;
  for (const line of lines) {
    const joins = current !== '' && current.length + 1 + line.length <= SLACK_LIMITS.sectionText;
    const next: Budget = joins
      ? { blocks: used.blocks, text: used.text + 1 + line.length, json: used.json + 2 + jsonLength(line) }
      : {
          blocks: used.blocks + 1,
          text: used.text + line.length,
          json: used.json + SECTION_JSON + jsonLength(line),
        };
    if (!fits(next, budget)) break;
    if (!joins && current !== '') blocks.push(section(current));
    current = joins ? `${current}\n${line}` : line;
    Object.assign(used, next);
    shown += 1;
  }
  if (current !== '') blocks.push(section(current));
  return { blocks, shown };
}

export interface LaidOut {
  /** Sections, then the "… and N more" context when lines were left out. */
  blocks: Block[];
  /** Lines shown. */
  shown: number;
  /** Lines left out (counted in the closing context line). */
  omitted: number;
}

export interface LayoutOptions {
  /** Longest line; longer ones are cut with {@link clip}. At most (and by default) 3,000. */
  maxLine?: number;
  /** The closing line when `omitted` lines did not fit; must start with `… and ${omitted} more`. */
  more?: (omitted: number) => string;
}

/**
 * Lays out lines of escaped mrkdwn, in order, into sections of at most 3,000 characters, using no more
 * than `budget` (blocks, text and JSON). When not every line fits, it stops at the first line that does
 * not and ends with a context line `… and N more`, itself counted in the budget. Empty lines are dropped.
 */
export function sectionsWithin(
  lines: readonly string[],
  budget: Readonly<Budget>,
  { maxLine = SLACK_LIMITS.sectionText, more = (n) => `… and ${n} more` }: LayoutOptions = {},
): LaidOut {
  const max = Math.min(maxLine, SLACK_LIMITS.sectionText);
  const items = lines.filter((line) => line !== '').map((line) => clip(line, max));
  const all = pack(items, budget);
  if (all.shown === items.length) return { blocks: all.blocks, shown: all.shown, omitted: 0 };
  // The closing line for every item costs at least as much as the one for those actually left out.
  const reserve = costOf([context(more(items.length))]);
  const room = remaining(budget, reserve);
  if (!fits({ blocks: 0, text: 0, json: 0 }, room)) return { blocks: [], shown: 0, omitted: items.length };
  const some = pack(items, room);
  const omitted = items.length - some.shown;
  return { blocks: [...some.blocks, context(more(omitted))], shown: some.shown, omitted };
}
