/**
 * Self-contained helpers for the postmortem: time rendering in a zone, and text conversion for
 * Markdown, Slack mrkdwn and Mermaid. Pure and deterministic.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { format } from 'date-fns';
import { NOT_RECORDED } from '../metrics';
import type { Party, Stamp } from './model';

export { NOT_RECORDED };

/** What an empty list of things the bot collects reads as. */
export const NONE_RECORDED = '_None recorded_';

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

/**
 * Formats `ms` in `timeZone` with a date-fns pattern, through TZDate. About 15 µs a call: fine
 * for a handful of values; bulk rendering goes through {@link createClock}, which agrees with it.
 */
export function formatInZone(ms: number, timeZone: string, pattern: string): string {
  return format(new TZDate(ms, timeZone), pattern);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function offsetLabel(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(offsetMinutes));
  return `UTC${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

function shortZoneName(timeZone: string, ms: number, locale: string): string | null {
  const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(ms);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? null;
}

/**
 * A readable zone abbreviation at an instant: a real abbreviation when the runtime knows one
 * (`CET`, `CEST`, `EST`, `BST`, `UTC`), else the offset (`UTC+09:00`).
 */
export function zoneAbbreviation(timeZone: string, ms: number): string {
  for (const locale of ['en-US', 'en-GB']) {
    const name = shortZoneName(timeZone, ms, locale);
    if (name && !/^(GMT|UTC)[+\-\u2212]/.test(name)) return name;
  }
  return offsetLabel(tzOffset(timeZone, new Date(ms)));
}

/** Renders instants of one document; caches zone offsets so that 100k stamps stay cheap. */
export interface Clock {
  timeZone: string;
  /** Zone label at the reference instant, e.g. `CET`. */
  zoneLabel: string;
  /** Local date (`yyyy-MM-dd`) of the reference instant. */
  referenceDay: string;
  stamp(ms: number): Stamp;
  /** `yyyy-MM-dd HH:mm:ss CET` */
  full(ms: number): string;
}

/**
 * Creates a clock for `timeZone`, with `reference` (normally the impact start) deciding which day
 * and zone label the compact table times leave out. Throws a RangeError for an unknown zone.
 *
 * Offsets come from @date-fns/tz's `tzOffset`, cached per UTC hour when the offset is the same at
 * both ends of the hour (otherwise, near a transition, computed for the exact instant).
 */
export function createClock(timeZone: string, reference: number): Clock {
  if (Number.isNaN(tzOffset(timeZone, new Date(reference)))) {
    throw new RangeError(`Unknown time zone: ${timeZone}`);
  }
  const hourOffsets = new Map<number, number>();
  const labels = new Map<number, string>();

  const offsetMs = (ms: number): number => {
    const hour = Math.floor(ms / MS_PER_HOUR);
    let cached = hourOffsets.get(hour);
    if (cached === undefined) {
      const start = tzOffset(timeZone, new Date(hour * MS_PER_HOUR));
      const end = tzOffset(timeZone, new Date(hour * MS_PER_HOUR + MS_PER_HOUR - 1));
      cached = start === end ? Math.round(start * 60_000) : Number.NaN;
      hourOffsets.set(hour, cached);
    }
    return Number.isNaN(cached) ? Math.round(tzOffset(timeZone, new Date(ms)) * 60_000) : cached;
  };
  const labelFor = (ms: number, offset: number): string => {
    let label = labels.get(offset);
    if (label === undefined) {
      label = zoneAbbreviation(timeZone, ms);
      labels.set(offset, label);
    }
    return label;
  };
  // Local dates by day number: one Date and one string per local day, however many stamps.
  const days = new Map<number, string>();
  const dateOf = (day: number): string => {
    let date = days.get(day);
    if (date === undefined) {
      const d = new Date(day * MS_PER_DAY);
      date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
      days.set(day, date);
    }
    return date;
  };
  const parts = (ms: number) => {
    const offset = offsetMs(ms);
    const local = ms + offset;
    const day = Math.floor(local / MS_PER_DAY);
    const seconds = Math.floor((local - day * MS_PER_DAY) / 1000);
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const time = `${pad2(h)}:${pad2(m)}:${pad2(seconds % 60)}`;
    return { date: dateOf(day), time, zone: labelFor(ms, offset) };
  };

  const ref = parts(reference);
  return {
    timeZone,
    zoneLabel: ref.zone,
    referenceDay: ref.date,
    stamp(ms: number): Stamp {
      const { date, time, zone } = parts(ms);
      let short = date === ref.date ? time : `${date} ${time}`;
      if (zone !== ref.zone) short = `${short} ${zone}`;
      return { at: ms, date, time, zone, short };
    },
    full(ms: number): string {
      const { date, time, zone } = parts(ms);
      return `${date} ${time} ${zone}`;
    },
  };
}

/** `2026-02-20 10:30:00 CET` */
export function fullStamp(stamp: Stamp): string {
  return `${stamp.date} ${stamp.time} ${stamp.zone}`;
}

/** `Europe/Oslo (CET)`, or just `UTC` when the label adds nothing. */
export function zoneDescription(timeZone: string, zoneLabel: string): string {
  return timeZone === zoneLabel ? timeZone : `${timeZone} (${zoneLabel})`;
}

const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** A Slack user id (rendered through `people`) or a free-text label. */
export function partyFromString(value: string, people: Record<string, string>): Party {
  const mention = /^<@([UW][A-Z0-9]+)(?:\|([^<>]*))?>$/.exec(value.trim());
  if (mention) {
    const id = mention[1]!;
    return { kind: 'person', id, name: people[id] ?? (mention[2] || id) };
  }
  if (USER_ID.test(value)) return { kind: 'person', id: value, name: people[value] ?? value };
  return { kind: 'system', label: value };
}

/** A Slack user (null: the bot itself). */
export function personOrBot(userId: string | null, people: Record<string, string>): Party {
  if (userId === null) return { kind: 'system', label: 'Firewatch' };
  return { kind: 'person', id: userId, name: people[userId] ?? userId };
}

// ---------------------------------------------------------------------------------------------
// Markdown

/**
 * Slack markup, a lone angle bracket, or an entity Slack encodes. Groups: 1 sigil (@ # !),
 * 2 target, 3 label, 4 URL, 5 URL label.
 */
const SLACK_MARKUP = String.raw`<([@#!])([^<>|]*)(?:\|([^<>]*))?>|<((?:https?|mailto):[^<>|\s]+)(?:\|([^<>]*))?>|[<>]|&gt;|&amp;`;
const SLACK_TOKEN = new RegExp(SLACK_MARKUP, 'g');
/** The same, plus what a table cell must escape: backslash, pipe, line break. */
const SLACK_CELL_TOKEN = new RegExp(`${SLACK_MARKUP}|\\\\|\\||\\r?\\n`, 'g');
const HAS_MARKUP = /[<>&]/;
const HAS_CELL_MARKUP = /[<>&\\|\r\n]/;

function escapeAngles(text: string): string {
  return text.includes('<') ? text.replace(/</g, '&lt;') : text;
}

function escapeCellText(text: string): string {
  return /[\\|]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|') : text;
}

/** One Slack token (or, in a cell, one character to escape) as Markdown. */
function convertToken(
  people: Record<string, string>,
  inCell: boolean,
  match: string,
  sigil?: string,
  target?: string,
  label?: string,
  url?: string,
  urlLabel?: string,
): string {
  if (url !== undefined) return urlLabel ? `[${labelText(urlLabel, inCell)}](${url})` : url;
  if (sigil === undefined) {
    switch (match) {
      case '<':
        return '&lt;';
      case '&gt;':
        return '>';
      case '&amp;':
        return '&';
      case '\\':
        return '\\\\';
      case '|':
        return '\\|';
      case '\n':
      case '\r\n':
        return '<br>';
      default:
        return match;
    }
  }
  const t = target ?? '';
  if (sigil === '@') return `@${labelText(label || people[t] || t, inCell)}`;
  if (sigil === '#') return `#${labelText(label || t, inCell)}`;
  // Special mentions (`<!here>`, `<!subteam^S1|@team>`, `<!date^…|fallback>`): print, never ping.
  if (label) return labelText(label, inCell);
  return `@${labelText(t.split('^')[0] ?? t, inCell)}`;
}

function labelText(value: string, inCell: boolean): string {
  return inCell ? escapeCellText(escapeAngles(value)) : escapeAngles(value);
}

type Replacer = (match: string, ...groups: string[]) => string;

/**
 * Replace callbacks per `people` map, made once (not once per string: cheaper, and tools that
 * wrap every closure creation, like tsx's name keeping, stay out of the hot path).
 */
const replacers = new WeakMap<Record<string, string>, { plain: Replacer; cell: Replacer }>();

function replacersFor(people: Record<string, string>): { plain: Replacer; cell: Replacer } {
  let pair = replacers.get(people);
  if (pair === undefined) {
    pair = {
      plain: (m, g1, g2, g3, g4, g5) => convertToken(people, false, m, g1, g2, g3, g4, g5),
      cell: (m, g1, g2, g3, g4, g5) => convertToken(people, true, m, g1, g2, g3, g4, g5),
    };
    replacers.set(people, pair);
  }
  return pair;
}

/**
 * Converts Slack markup in user text to Markdown: `<@U1|bob>` → `@bob`, `<@U1>` → `@name`
 * (through `people`, else the id), `<#C1|ops>` → `#ops`, `<!here>` → `@here`, links → Markdown
 * links. Any other `<` becomes `&lt;`, so user text can never inject HTML; Slack's own `&gt;` and
 * `&amp;` are decoded for readability (`&lt;` stays an entity, which Markdown shows as `<`).
 */
export function slackToMarkdown(text: string, people: Record<string, string>): string {
  if (!HAS_MARKUP.test(text)) return text;
  return text.replace(SLACK_TOKEN, replacersFor(people).plain);
}

/**
 * Markdown table cell: Slack markup converted, `\` and `|` escaped, line breaks as `<br>`, in one
 * pass; never empty (`—`).
 */
export function mdCell(text: string, people: Record<string, string>): string {
  const cell = HAS_CELL_MARKUP.test(text) ? text.replace(SLACK_CELL_TOKEN, replacersFor(people).cell) : text;
  const trimmed = cell.trim();
  return trimmed === '' ? '—' : trimmed;
}

/** Inline Markdown (headings, list labels): Slack markup converted, newlines folded to spaces. */
export function mdInline(text: string, people: Record<string, string>): string {
  return slackToMarkdown(text, people)
    .replace(/\s*\r?\n\s*/g, ' ')
    .trim();
}

/**
 * Block Markdown (paragraphs, list items): Slack markup converted; continuation lines indented
 * by `indent` so they stay inside a list item.
 */
export function mdBlock(text: string, people: Record<string, string>, indent = ''): string {
  const body = slackToMarkdown(text.trim(), people).replace(/\r\n/g, '\n');
  return indent ? body.replace(/\n/g, `\n${indent}`) : body;
}

/** A table row from already-escaped cells. */
export function mdRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A Party as plain text (a person's display name, or the label). */
export function partyName(party: Party): string {
  return party.kind === 'person' ? party.name : party.label;
}

// ---------------------------------------------------------------------------------------------
// Slack-encoded input

const ENTITY = /&(amp|lt|gt);/g;
const ENTITY_CHARS: Record<string, string> = { amp: '&', lt: '<', gt: '>' };

/** Slack-encoded text with its entities decoded, for pattern matching. */
export interface DecodedText {
  /** `&amp;`, `&lt;`, `&gt;` decoded in one pass (`&amp;gt;` becomes `&gt;`, not `>`). */
  text: string;
  /** The offset in the raw text of an offset (0 to `text.length`) in the decoded text. */
  rawIndex(index: number): number;
}

const identityIndex = (index: number): number => index;

/**
 * Decodes Slack's three entities so patterns (`->`, `why 2:`, `fix:`) match what people typed,
 * while slices can still be taken from the raw text through {@link DecodedText.rawIndex}: the
 * document keeps user text raw, so that `&lt;@U1&gt;` typed literally never turns into a mention.
 */
export function decodeSlackText(raw: string): DecodedText {
  if (!raw.includes('&')) return { text: raw, rawIndex: identityIndex };
  // For each entity: the decoded offset just after its character, and the raw offset shift so far.
  const after: number[] = [];
  const shifts: number[] = [];
  let text = '';
  let last = 0;
  let shift = 0;
  for (const m of raw.matchAll(ENTITY)) {
    const index = m.index ?? 0;
    text += raw.slice(last, index) + (ENTITY_CHARS[m[1] ?? ''] ?? '');
    shift += m[0].length - 1;
    after.push(text.length);
    shifts.push(shift);
    last = index + m[0].length;
  }
  text += raw.slice(last);
  if (after.length === 0) return { text, rawIndex: identityIndex };
  return {
    text,
    rawIndex(index) {
      let k = -1;
      while (k + 1 < after.length && (after[k + 1] ?? Number.POSITIVE_INFINITY) <= index) k += 1;
      return index + (k < 0 ? 0 : (shifts[k] ?? 0));
    },
  };
}

/** The raw text between two decoded offsets, trimmed. */
export function rawSlice(raw: string, decoded: DecodedText, from: number, to = decoded.text.length): string {
  return raw.slice(decoded.rawIndex(from), decoded.rawIndex(to)).trim();
}

/** Common Slack emoji codes as characters; other codes are dropped from plain text. */
const EMOJI: Record<string, string> = {
  rotating_light: '🚨',
  warning: '⚠️',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  ballot_box_with_check: '☑️',
  x: '❌',
  loudspeaker: '📢',
  mega: '📣',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  large_green_circle: '🟢',
  large_blue_circle: '🔵',
  fire: '🔥',
  tada: '🎉',
  eyes: '👀',
  mag: '🔍',
  memo: '📝',
  pushpin: '📌',
  bulb: '💡',
  hourglass: '⌛',
  stopwatch: '⏱️',
  busts_in_silhouette: '👥',
  page_facing_up: '📄',
  lock: '🔒',
  rocket: '🚀',
  construction: '🚧',
  information_source: 'ℹ️',
  '+1': '👍',
  thumbsup: '👍',
  '-1': '👎',
  thumbsdown: '👎',
};

/**
 * Slack control sequences (kept whole), or `:emoji_code:` (group 2, not inside a word or a time
 * like `10:30:00`), or emphasis `*bold*` / `_italic_` / `~strike~` (group 3 the marker, 4 the text).
 */
const MRKDWN_INLINE =
  /(<[^<>\n]*>)|(?<![\p{L}\p{N}:]):([a-z0-9_+'-]*[a-z][a-z0-9_+'-]*|[+-]1):(?![\p{L}\p{N}])|(?<![\p{L}\p{N}*_~])([*_~])(?=\S)([^\n]*?\S)\3(?![\p{L}\p{N}*_~])/gu;

function plainToken(match: string, token?: string, emoji?: string, _marker?: string, inner?: string): string {
  if (token !== undefined) return token;
  if (emoji !== undefined) return EMOJI[emoji] ?? '';
  return inner ?? match;
}

/**
 * Slack mrkdwn (a message the bot posted or relayed) as plain readable text on one line: quote
 * markers (`>`, `&gt;`) at line starts dropped, emphasis markers stripped, common emoji codes
 * turned into emoji and other codes dropped, lines joined with ` — `. Control sequences
 * (`<@U1>`, `<#C1|ops>`) and entities are left for the target's own converter.
 */
export function mrkdwnToPlain(text: string): string {
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    // Twice, for nested emphasis such as `*_both_*`.
    const body = line
      .replace(/^\s*(?:>|&gt;)+\s?/, '')
      .replace(MRKDWN_INLINE, plainToken)
      .replace(MRKDWN_INLINE, plainToken)
      .replace(/[ \t]{2,}/g, ' ')
      .trim();
    if (body !== '') lines.push(body);
  }
  return lines.join(' — ');
}

// ---------------------------------------------------------------------------------------------
// Slack mrkdwn

function decodeEntities(text: string): string {
  return text.includes('&') ? decodeSlackText(text).text : text;
}

function encodeEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Well-formed user mention, channel reference, or link. Groups: 1 user, 2 its label, 3 channel, 4 URL, 5 its label. */
const SLACK_REF =
  /<@([UW][A-Z0-9]+)(?:\|([^<>]*))?>|<#([CGD][A-Z0-9]+)(?:\|[^<>]*)?>|<((?:https?|mailto):[^<>|\s]+)(?:\|([^<>]*))?>/g;

/**
 * Escapes user text for Slack mrkdwn: `&`, `<`, `>` become entities, so `<!channel>` and
 * `<!here>` can never ping. User mentions are shown as `@name` (label, else `people`, else the id)
 * so that posting the summary notifies nobody; channel references stay live as `<#C123>`; links
 * are shown as `label (url)`. Text from Slack arrives with `&amp;`, `&lt;`, `&gt;` already
 * encoded: those are decoded first so they are not encoded twice.
 */
export function slackEscape(text: string, people: Record<string, string>): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(SLACK_REF)) {
    const index = m.index ?? 0;
    out += encodeEntities(decodeEntities(text.slice(last, index)));
    if (m[1]) out += `@${encodeEntities(m[2] ? decodeEntities(m[2]) : (people[m[1]] ?? m[1]))}`;
    else if (m[3]) out += `<#${m[3]}>`;
    else {
      const url = encodeEntities(decodeEntities(m[4] ?? ''));
      out += m[5] ? `${encodeEntities(decodeEntities(m[5]))} (${url})` : url;
    }
    last = index + m[0].length;
  }
  return out + encodeEntities(decodeEntities(text.slice(last)));
}

/**
 * Escapes user text for a Slack plain_text field (a header): mentions become `@name`, and
 * everything else is entity-encoded like {@link slackEscape}.
 */
export function slackPlain(text: string, people: Record<string, string>): string {
  const readable = text.replace(
    /<@([UW][A-Z0-9]+)(?:\|([^<>]*))?>|<#([CGD][A-Z0-9]+)(?:\|([^<>]*))?>/g,
    (_m, user?: string, userLabel?: string, channel?: string, channelLabel?: string) =>
      user ? `@${userLabel || people[user] || user}` : `#${channelLabel || channel}`,
  );
  return encodeEntities(decodeEntities(readable));
}

/** A Party for Slack as plain, escaped text (a person's name, never a live mention). */
export function slackParty(party: Party, people: Record<string, string>): string {
  if (party.kind === 'system') return slackEscape(party.label, people);
  return encodeEntities(party.name);
}

/** A Party for Slack as a live `<@U…>` mention (for people who should be notified), else {@link slackParty}. */
export function slackMention(party: Party, people: Record<string, string>): string {
  return party.kind === 'person' && /^[UW][A-Z0-9]+$/.test(party.id)
    ? `<@${party.id}>`
    : slackParty(party, people);
}

/**
 * Cuts escaped Slack text to at most `max` characters (ellipsis included), never inside an
 * entity (`&amp;`), a mention (`<@U1>`) or a surrogate pair.
 */
export function safeCut(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - ellipsis.length);
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && cut - amp < 8 && text.indexOf(';', amp) >= cut) cut = amp;
  const lt = text.lastIndexOf('<', cut - 1);
  if (lt >= 0 && text.lastIndexOf('>', cut - 1) < lt) cut = lt;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return text.slice(0, cut) + ellipsis;
}

// ---------------------------------------------------------------------------------------------
// Mermaid

/**
 * Makes text safe as a Mermaid gantt task or title: Slack markup resolved, characters that end a
 * task name or start a comment (`:`, `;`, `#`, `%`) and brackets removed, whitespace folded,
 * at most 60 characters.
 */
export function mermaidText(text: string, people: Record<string, string>): string {
  const plain = text.replace(
    /<([@#!])([^<>|]*)(?:\|([^<>]*))?>/g,
    (_m, sigil: string, target: string, label?: string) =>
      sigil === '@' ? label || people[target] || target : label || (target.split('^')[0] ?? ''),
  );
  const cleaned = decodeEntities(plain)
    .replace(/[:;#%<>{}[\]"`\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = cleaned.length > 60 ? `${cleaned.slice(0, 59).trimEnd()}…` : cleaned;
  return cut === '' ? 'untitled' : cut;
}
