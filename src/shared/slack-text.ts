/**
 * Slack text, in one place: escaping and decoding of Slack's escaped text format, the patterns of
 * its control sequences (user mentions, channel references, links, `<!…>` specials), and the
 * conversions to plain text, to Markdown and back to safe Slack text. Pure and deterministic.
 *
 * Slack text uses three entities (`&amp;`, `&lt;`, `&gt;`); a raw `<…>` is a control sequence
 * (mention, channel, `<!channel>` broadcast, link). Text a person typed must never reach Slack with
 * a raw `<` or it could ping a whole channel; {@link escapeSlack}, {@link slackSafe} and
 * {@link slackEscape} prevent that.
 *
 * Used by the Block Kit builders (`src/slack/blocks/`), the domain (commands, records, the
 * postmortem renderers) and the emulator's message renderer.
 */

// ---------------------------------------------------------------------------------------------
// Patterns: the one spelling of each control sequence

/** A user id: `U…`, or `W…` on Enterprise Grid. */
const USER_ID_SOURCE = '[UW][A-Z0-9]+';

/** A conversation id: `C…` channels, `G…` legacy private channels, `D…` direct messages. */
const CHANNEL_ID_SOURCE = '[CGD][A-Z0-9]+';

/** `<@U123>` or `<@U123|alice>`. Groups: 1 user id, 2 the optional label. */
const USER_MENTION_SOURCE = `<@(${USER_ID_SOURCE})(?:\\|([^<>]*))?>`;

/** `<#C123>` or `<#C123|ops>`. Groups: 1 channel id, 2 the optional name. */
const CHANNEL_REF_SOURCE = `<#(${CHANNEL_ID_SOURCE})(?:\\|([^<>]*))?>`;

/** `<https://x.io>`, `<https://x.io|label>`, `<mailto:a@b.c|a@b.c>`. Groups: 1 URL, 2 the optional label. */
const LINK_SOURCE = '<((?:https?|mailto):[^<>|\\s]+)(?:\\|([^<>]*))?>';

/**
 * Any `<@…>`, `<#…>` or `<!…>` control sequence, well-formed or not (`<!here>`,
 * `<!subteam^S1|@oncall>`, `<!date^…|fallback>`). Groups: 1 sigil (`@`, `#`, `!`), 2 target, 3 label.
 */
const CONTROL_SOURCE = '<([@#!])([^<>|]*)(?:\\|([^<>]*))?>';

const USER_MENTION_TOKEN = new RegExp(`^${USER_MENTION_SOURCE}$`);
const USER_ID = new RegExp(`^${USER_ID_SOURCE}$`);

/** Regular expression matching every user mention in a text (`g` flag; group 1 id, group 2 label). */
export function userMentionPattern(): RegExp {
  return new RegExp(USER_MENTION_SOURCE, 'g');
}

/** Regular expression matching every channel reference in a text (`g` flag; group 1 id, group 2 name). */
export function channelRefPattern(): RegExp {
  return new RegExp(CHANNEL_REF_SOURCE, 'g');
}

/** Regular expression matching every `http(s)`/`mailto` link in a text (`g` flag; group 1 URL, group 2 label). */
export function linkPattern(): RegExp {
  return new RegExp(LINK_SOURCE, 'g');
}

/**
 * Regular expression matching every `<@…>`, `<#…>` and `<!…>` control sequence in a text (`g` flag;
 * group 1 sigil, group 2 target, group 3 label).
 */
export function controlSequencePattern(): RegExp {
  return new RegExp(CONTROL_SOURCE, 'g');
}

/** True when `text` is exactly a user id (`U123`, `W42`), not a mention token. */
export function isUserId(text: string): boolean {
  return USER_ID.test(text);
}

/**
 * Reads a single token as a user mention, with its label.
 * @param token e.g. `<@U123|alice>` or `<@W42>` (surrounding whitespace is ignored)
 * @returns the user id and the label (`''` when there is none), or null when the token is not exactly
 *   one well-formed user mention
 */
export function readUserMention(token: string): { id: string; label: string } | null {
  const match = USER_MENTION_TOKEN.exec(token.trim());
  return match ? { id: match[1]!, label: match[2] ?? '' } : null;
}

/**
 * Reads a single token as a user mention.
 * @param token e.g. `<@U123|alice>` or `<@W42>` (surrounding whitespace is ignored)
 * @returns the user id (`U123`), or null when the token is not exactly one well-formed user mention
 */
export function parseUserMention(token: string): string | null {
  return readUserMention(token)?.id ?? null;
}

/**
 * Finds the users mentioned in a text.
 * @returns the distinct user ids, in order of first appearance
 */
export function findMentions(text: string): string[] {
  const ids: string[] = [];
  for (const match of text.matchAll(userMentionPattern())) {
    const id = match[1]!;
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * The names Slack hands us inside mentions: `<@U1|alice>` → `{ U1: 'alice' }`. Mentions without a
 * label are skipped; a later label for the same user wins.
 */
export function mentionLabels(text: string): Record<string, string> {
  const names: Record<string, string> = {};
  for (const match of text.matchAll(userMentionPattern())) {
    if (match[2]) names[match[1]!] = match[2];
  }
  return names;
}

/** The canonical mention token for a user id: `U123` → `<@U123>`. */
export function formatUserMention(userId: string): string {
  return `<@${userId}>`;
}

// ---------------------------------------------------------------------------------------------
// Escaping and decoding

const SLACK_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };
const ENTITY = /&(?:amp|lt|gt);/g;

/**
 * Escapes `&`, `<` and `>` so the text is shown literally by Slack (no mention, broadcast or link
 * can be smuggled through).
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Turns Slack's entities back into characters (`&amp;` → `&`, `&lt;` → `<`, `&gt;` → `>`).
 * Decodes in one pass, so `&amp;lt;` becomes `&lt;`, not `<`.
 */
export function decodeSlackEntities(text: string): string {
  return text.includes('&') ? text.replace(ENTITY, (entity) => SLACK_ENTITIES[entity]!) : text;
}

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
 * postmortem keeps user text raw, so that `&lt;@U1&gt;` typed literally never turns into a mention.
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
    text += raw.slice(last, index) + (SLACK_ENTITIES[m[0]] ?? '');
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

/** Channel names Slack shows as such (lowercase letters, digits, `_`, `-`). */
const PLAIN_CHANNEL_NAME = /^[a-z0-9_-]+$/;

/**
 * Makes plain (decoded) text safe to post in Slack mrkdwn while keeping people and channel links:
 * well-formed user mentions (`<@U123>`, `<@U123|bob>`, re-emitted as `<@U123>`) and channel
 * references (`<#C123>`, `<#C123|ops>`) are kept; everything else is escaped like {@link escapeSlack},
 * including `<!channel>`, `<!here>`, `<!everyone>`, `<!subteam^…>` and links.
 */
export function slackSafe(text: string): string {
  const keep = new RegExp(`${USER_MENTION_SOURCE}|${CHANNEL_REF_SOURCE}`, 'g');
  let out = '';
  let last = 0;
  for (const match of text.matchAll(keep)) {
    const index = match.index ?? 0;
    out += escapeSlack(text.slice(last, index));
    const [, userId, , channelId, channelName] = match;
    if (userId) {
      out += formatUserMention(userId);
    } else {
      out +=
        channelName && PLAIN_CHANNEL_NAME.test(channelName)
          ? `<#${channelId}|${channelName}>`
          : `<#${channelId}>`;
    }
    last = index + match[0].length;
  }
  return out + escapeSlack(text.slice(last));
}

/** Re-escapes Slack-encoded text: entities decoded first so they are not encoded twice. */
function reescape(text: string): string {
  return escapeSlack(decodeSlackEntities(text));
}

/** Well-formed user mention, channel reference, or link. Groups: 1 user, 2 its label, 3 channel, 4 its name, 5 URL, 6 its label. */
const SLACK_REF = new RegExp(`${USER_MENTION_SOURCE}|${CHANNEL_REF_SOURCE}|${LINK_SOURCE}`, 'g');

/**
 * Escapes Slack-encoded user text for Slack mrkdwn that must notify nobody: `&`, `<`, `>` become
 * entities, so `<!channel>` and `<!here>` can never ping. User mentions are shown as `@name` (the full
 * name from `people`, else the mention's label, which is a handle, else the id); channel references stay live as `<#C123>`; links are shown as
 * `label (url)`. Text from Slack arrives with `&amp;`, `&lt;`, `&gt;` already encoded: those are
 * decoded first so they are not encoded twice.
 */
export function slackEscape(text: string, people: Record<string, string>): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(SLACK_REF)) {
    const index = m.index ?? 0;
    out += reescape(text.slice(last, index));
    if (m[1]) out += `@${escapeSlack(people[m[1]] ?? (m[2] ? decodeSlackEntities(m[2]) : m[1]))}`;
    else if (m[3]) out += `<#${m[3]}>`;
    else {
      const url = reescape(m[5] ?? '');
      out += m[6] ? `${reescape(m[6])} (${url})` : url;
    }
    last = index + m[0].length;
  }
  return out + reescape(text.slice(last));
}

/**
 * Escapes Slack-encoded user text for a Slack plain_text field (a header): mentions become `@name`
 * and channels `#name`, and everything else is entity-encoded like {@link slackEscape}.
 */
export function slackPlain(text: string, people: Record<string, string>): string {
  const readable = text.replace(
    new RegExp(`${USER_MENTION_SOURCE}|${CHANNEL_REF_SOURCE}`, 'g'),
    (_m, user?: string, userLabel?: string, channel?: string, channelLabel?: string) =>
      user ? `@${people[user] || userLabel || user}` : `#${channelLabel || channel}`,
  );
  return reescape(readable);
}

/**
 * Cuts escaped Slack text to at most `max` characters (ellipsis included), never inside an
 * entity (`&amp;`), a `<…>` token (`<@U1>`) or a surrogate pair.
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
// Plain text

/** `https://example.com` → `example.com`, `mailto:a@b.c` → `a@b.c`. */
function withoutScheme(url: string): string {
  return url.replace(/^[a-z][a-z0-9+.-]*:(?:\/\/)?/i, '');
}

const USER_TARGET = new RegExp(`^@(${USER_ID_SOURCE})$`);
const CHANNEL_TARGET = new RegExp(`^#(${CHANNEL_ID_SOURCE})$`);

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

/** Renders the inside of one `<…>` control sequence as plain text; null when it is not one. */
function controlToPlain(inner: string, names: Record<string, string>): string | null {
  const [target = '', label] = splitOnce(inner, '|');
  const user = USER_TARGET.exec(target);
  if (user) return `@${names[user[1]!] ?? (label || user[1])}`;
  const channel = CHANNEL_TARGET.exec(target);
  if (channel) return `#${names[channel[1]!] ?? (label || channel[1])}`;
  if (target.startsWith('!')) {
    const special = target.slice(1);
    if (special.startsWith('subteam^')) {
      const id = special.slice('subteam^'.length);
      const name = label || names[id] || id;
      return name.startsWith('@') ? name : `@${name}`;
    }
    if (special.startsWith('date^')) return label ?? null;
    return label || `@${special}`;
  }
  if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(target)) {
    if (!label || label === target || label === withoutScheme(target)) {
      return target.toLowerCase().startsWith('mailto:') ? withoutScheme(target) : target;
    }
    return `${label} (${target})`;
  }
  return null;
}

/**
 * Renders Slack control sequences in plain (decoded) text as readable text, for Markdown files and
 * plain-text fallbacks: `<@U123|bob>` → `@bob`, `<@U123>` → `@` + (`names.U123` ?? `U123`),
 * `<#C1|ops>` → `#ops`, `<!here>` → `@here`, `<!subteam^S1|@oncall>` → `@oncall`,
 * `<https://x.io|x.io>` → `https://x.io`. A name in `names` wins over the label inside the token,
 * so a person is called the same everywhere in a document. Anything else is left as it is.
 */
export function mentionsToPlain(text: string, names: Record<string, string> = {}): string {
  return text.replace(/<([^<>\s][^<>]*)>/g, (whole, inner: string) => controlToPlain(inner, names) ?? whole);
}

// ---------------------------------------------------------------------------------------------
// mrkdwn rules

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
// Markdown

/**
 * Makes plain (decoded) text safe inside one cell of a Markdown (GFM) table: trims it, escapes `\`
 * and `|`, escapes `<`/`>` (so only the line breaks the function adds are HTML) and `&` starting an
 * entity, and turns line breaks into `<br>`. For Slack-encoded text with markup use {@link mdCell}.
 */
export function escapeMarkdownCell(text: string): string {
  return text
    .trim()
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/&(?=#?[a-z0-9]+;)/gi, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .join('<br>');
}

/**
 * Slack markup, a lone angle bracket, or an entity Slack encodes. Groups: 1 sigil (@ # !),
 * 2 target, 3 label, 4 URL, 5 URL label.
 */
const SLACK_MARKUP = `${CONTROL_SOURCE}|${LINK_SOURCE}|[<>]|&gt;|&amp;`;
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

function labelText(value: string, inCell: boolean): string {
  return inCell ? escapeCellText(escapeAngles(value)) : escapeAngles(value);
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
  if (sigil === '@') return `@${labelText(people[t] || label || t, inCell)}`;
  if (sigil === '#') return `#${labelText(label || t, inCell)}`;
  // Special mentions (`<!here>`, `<!subteam^S1|@team>`, `<!date^…|fallback>`): print, never ping.
  if (label) return labelText(label, inCell);
  return `@${labelText(t.split('^')[0] ?? t, inCell)}`;
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
 * Converts Slack markup in Slack-encoded user text to Markdown: `<@U1>` and `<@U1|bob>` → `@name`
 * (the full name from `people`, else the label, else the id), `<#C1|ops>` → `#ops`, `<!here>` → `@here`, links →
 * Markdown links. Any other `<` becomes `&lt;`, so user text can never inject HTML; Slack's own
 * `&gt;` and `&amp;` are decoded for readability (`&lt;` stays an entity, which Markdown shows as `<`).
 */
export function slackToMarkdown(text: string, people: Record<string, string>): string {
  if (!HAS_MARKUP.test(text)) return text;
  return text.replace(SLACK_TOKEN, replacersFor(people).plain);
}

/**
 * Markdown table cell from Slack-encoded text: Slack markup converted, `\` and `|` escaped, line
 * breaks as `<br>`, in one pass; never empty (`—`).
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
  const body = keepOutline(slackToMarkdown(text.trim(), people).replace(/\r\n/g, '\n'));
  return indent ? body.replace(/\n/g, `\n${indent}`) : body;
}

/**
 * A line of user text that would start a heading (`# x`), or turn the line above into one or
 * draw a rule (`---`, `===`, `***`, `___`): Slack shows these as plain text.
 */
const OUTLINE_LINE = /^( {0,3})(?:(#{1,6})(?=[ \t]|$)|([-=*_])(?=[ \t]*(?:[-=*_][ \t]*)*$))/gm;
/** A line opening or closing a fenced code block. */
const FENCE_LINE = /^( {0,3})(`{3,}|~{3,})/gm;

/**
 * Keeps user text from changing the document's outline: headings, setext underlines and rules are
 * escaped, and a code fence left open (which would swallow every section after it) is escaped too;
 * closed fences stay code blocks, as Slack shows them.
 */
function keepOutline(markdown: string): string {
  let out = markdown.replace(
    OUTLINE_LINE,
    (_m, lead: string, hashes?: string, rule?: string) => `${lead}\\${hashes ?? rule ?? ''}`,
  );
  const fences = [...out.matchAll(FENCE_LINE)];
  for (const char of ['`', '~']) {
    const own = fences.filter((f) => f[2]!.startsWith(char));
    const open = own.length % 2 === 1 ? own[own.length - 1] : undefined;
    if (open?.index !== undefined) {
      const at = open.index + open[1]!.length;
      out = `${out.slice(0, at)}\\${out.slice(at)}`;
    }
  }
  return out;
}
