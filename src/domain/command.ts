/**
 * The `/incident` slash command grammar: text in, a typed command or a precise error out.
 * Pure: no Slack calls, no storage, no clock (time and zone come in through `ctx`).
 *
 * Input is the command text as Slack sends it with `should_escape: true`: user mentions as
 * `<@U123|name>` or `<@U123>`, channels as `<#C123|name>`, links as `<https://…>`, and the user's own
 * `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;`. Free text in the result (titles, messages, notes, field
 * values, action text) is decoded: entities become characters again, links become their URL, and
 * mention/channel/broadcast tokens (`<@U…>`, `<#C…>`, `<!…>`) are kept as they are. Because a decoded
 * `<!channel>` typed by a person looks like a real one, free text must be rendered for Slack with
 * `slackSafe` (or `escapeSlack`), never posted raw.
 *
 * Error codes: `ParseErrorCode` in src/shared/errors.ts lists them, each with when it is given.
 */

import { z } from 'zod';
import type { CodedError, ParseErrorCode } from '../shared/errors';
import { decodeSlackEntities, escapeSlack, parseUserMention } from '../shared/slack-text';
import {
  DEFAULT_STATS_DAYS,
  MAX_STATS_DAYS,
  rangeProblem,
  type StatsPeriodSpec,
  todayIn,
} from './stats-period';
import { isCalendarDate, parseTimeInput, type TimeContext, timeFormatsHint } from './time';
import {
  ACTIVE_STATUSES,
  type ActionPriority,
  type ActiveStatus,
  POSTMORTEM_FIELDS,
  type PostmortemField,
  ROLE_LABELS,
  ROLES,
  type RoleName,
  SEVERITIES,
  type Severity,
} from './types';

/** A parsed `/incident` command. */
export type IncidentCommand =
  | { kind: 'help' }
  /**
   * `title: null` means: open the declare modal. `isPrivate` (set only when true): `declare private …`,
   * a private channel, and nothing about the incident said outside it.
   */
  | { kind: 'declare'; severity: Severity; title: string | null; isPrivate?: true }
  | { kind: 'list' }
  /** `stats [30d|90d|<from> <to>]`: insights over a period (default the last 30 days). */
  | { kind: 'stats'; period: StatsPeriodSpec }
  | { kind: 'show' }
  | { kind: 'role'; role: RoleName; userId: string }
  | { kind: 'severity'; severity: Severity }
  | { kind: 'status'; status: ActiveStatus; at: number | null; message: string | null }
  | { kind: 'update'; message: string }
  | { kind: 'note'; at: number | null; text: string }
  | { kind: 'started'; at: number }
  | { kind: 'detected'; at: number; by: string | null }
  | {
      kind: 'action';
      text: string;
      owner: string | null;
      due: string | null;
      priority: ActionPriority | null;
    }
  | { kind: 'actions' }
  | { kind: 'done'; n: number }
  | { kind: 'set'; field: PostmortemField; value: string }
  | { kind: 'resolve'; at: number | null; message: string | null }
  | { kind: 'close' }
  | { kind: 'reopen' };

/** The outcome of {@link parseIncidentCommand}. */
export type ParseResult =
  | { ok: true; command: IncidentCommand }
  | { ok: false; error: CodedError<ParseErrorCode> };

/** What the parser needs besides the text: the current instant (epoch ms) and the people's IANA zone. */
export type ParseContext = TimeContext;

/** Every subcommand word, in the order the help lists them (`sev` is an alias of `severity`). */
export const SUBCOMMANDS = [
  'help',
  'declare',
  'list',
  'stats',
  'show',
  'ic',
  'tech',
  'comms',
  'role',
  'severity',
  'sev',
  'status',
  'update',
  'note',
  'started',
  'detected',
  'action',
  'actions',
  'done',
  'set',
  'resolve',
  'close',
  'reopen',
] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

/** Plain-text syntax of each subcommand (not yet escaped for Slack). */
const SYNTAX: Record<Subcommand, string> = {
  help: '/incident help',
  declare: '/incident declare [P1-P4] <title>',
  list: '/incident list',
  stats: '/incident stats [30d|90d|<from> <to>]',
  show: '/incident show',
  ic: '/incident ic @user',
  tech: '/incident tech @user',
  comms: '/incident comms @user',
  role: '/incident role <ic|tech|comms> @user',
  severity: '/incident severity <P1-P4>',
  sev: '/incident sev <P1-P4>',
  status: '/incident status <investigating|identified|monitoring> [at <time>] [message]',
  update: '/incident update <message>',
  note: '/incident note [at <time>] <text>',
  started: '/incident started <time>',
  detected: '/incident detected <time> [by <who or what>]',
  action: '/incident action <text> [@owner] [due YYYY-MM-DD] [P1-P4]',
  actions: '/incident actions',
  done: '/incident done <n>',
  set: '/incident set <field> <text>',
  resolve: '/incident resolve [at <time>] [message]',
  close: '/incident close',
  reopen: '/incident reopen',
};

/** The usage line of a subcommand, as Slack mrkdwn (e.g. for error messages). */
export function usageOf(subcommand: Subcommand): string {
  return `Usage: \`${escapeSlack(SYNTAX[subcommand])}\``;
}

const line = (subcommand: Subcommand, what: string): string =>
  `• \`${escapeSlack(SYNTAX[subcommand])}\` — ${what}`;

/** The text of `/incident help` (Slack mrkdwn). */
export const USAGE: string = [
  '*Firewatch: `/incident` commands*',
  '',
  '*Anywhere*',
  line('declare', 'declare an incident (default P3; without a title a form opens)'),
  `• \`/incident declare private [P1-P4] ${escapeSlack('<title>')}\` — the same in a private channel; outside it only "a private incident was declared" is said`,
  line('list', 'open incidents, then recently closed ones'),
  line(
    'stats',
    'incidents by severity, response times against the previous period, action items and services (default `30d`; dates `YYYY-MM-DD`)',
  ),
  line('help', 'this help'),
  '',
  '*In an incident channel*',
  line('show', 'severity, status, roles, times and counts'),
  `• \`/incident ic @user\` · \`tech @user\` · \`comms @user\` (or \`${escapeSlack(SYNTAX.role)}\`) — assign a role`,
  `${line('severity', 'change the severity')} (alias \`sev\`)`,
  line('status', 'change the status, optionally backdated, with a status update'),
  line('update', 'post a status update here and to the announcement channel'),
  line('note', 'add a timeline entry, optionally backdated'),
  line('started', 'when impact began (may be before the declaration)'),
  line('detected', 'when and by whom or what the problem was detected'),
  line('action', 'add an action item'),
  line('actions', 'list the action items'),
  line('done', 'mark action item number n done'),
  line('set', `write a postmortem field: ${POSTMORTEM_FIELDS.map((f) => `\`${f}\``).join(', ')}`),
  line('resolve', 'mark the incident resolved'),
  line('close', 'resolve if needed and compile the postmortem'),
  line('reopen', 'back to investigating'),
  '',
  '*Times* are `HH:MM` or `HH:MM:SS` in the configured time zone (the most recent past occurrence) ' +
    'or ISO 8601 like `2026-02-20T10:30:00Z` or `2026-02-20 10:30`; times in the future are refused.',
].join('\n');

/** Whether the command only makes sense inside an incident channel (`help`, `declare`, `list`, `stats` do not). */
export function needsIncidentChannel(cmd: IncidentCommand): boolean {
  return cmd.kind !== 'help' && cmd.kind !== 'declare' && cmd.kind !== 'list' && cmd.kind !== 'stats';
}

// ---------------------------------------------------------------------------------------------
// Tokens and free text

/** A word of the raw (escaped) text with its position, so free text keeps its original spacing. */
interface Token {
  raw: string;
  start: number;
  end: number;
}

/** Words: runs of non-space characters, where a Slack `<…>` sequence counts as one character. */
function tokenize(text: string): Token[] {
  return [...text.matchAll(/(?:<[^<>]*>|<|[^\s<])+/g)].map((m) => ({
    raw: m[0],
    start: m.index ?? 0,
    end: (m.index ?? 0) + m[0].length,
  }));
}

/** The raw text spanning tokens[from..to), or '' when empty. */
function span(text: string, tokens: Token[], from: number, to = tokens.length): string {
  if (from >= to) return '';
  return text.slice(tokens[from]!.start, tokens[to - 1]!.end);
}

/**
 * Decodes escaped Slack text to what the person typed: entities become characters, links become their
 * URL (a mailto link its address), and `<@…>`, `<#…>`, `<!…>` tokens are kept as they are.
 */
export function decodeFreeText(escaped: string): string {
  return escaped.replace(/<([^<>]*)>|&(?:amp|lt|gt);/g, (whole, inner: string | undefined) => {
    if (inner === undefined) return decodeSlackEntities(whole);
    if (/^[@#!]/.test(inner)) return whole;
    const bar = inner.indexOf('|');
    const target = decodeSlackEntities(bar < 0 ? inner : inner.slice(0, bar));
    if (/^mailto:/i.test(target)) return target.slice('mailto:'.length);
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return target;
    return decodeSlackEntities(whole);
  });
}

/** Quotes user input (escaped Slack text) in an error message: decoded, ≤ 100 chars, re-escaped. */
function quote(raw: string): string {
  const chars = [...decodeSlackEntities(raw)];
  const short = chars.length > 100 ? `${chars.slice(0, 100).join('')}…` : chars.join('');
  return `\`${escapeSlack(short.replace(/`/g, "'").replace(/\s+/g, ' '))}\``;
}

// ---------------------------------------------------------------------------------------------
// Results

function fail(code: ParseErrorCode, message: string, subcommand?: Subcommand): ParseResult {
  return { ok: false, error: { code, message: subcommand ? `${message}\n${usageOf(subcommand)}` : message } };
}

function ok(command: IncidentCommand): ParseResult {
  return { ok: true, command };
}

/** `[a, b, c]` → `a, b or c`, each in backticks. */
function orList(words: readonly string[]): string {
  const quoted = words.map((w) => `\`${w}\``);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

const severitySchema = z.enum(SEVERITIES);
const statusSchema = z.enum(ACTIVE_STATUSES);
const roleSchema = z.enum(ROLES);
const fieldSchema = z.enum(POSTMORTEM_FIELDS);

/** Looks like a severity (`P1`, `p7`, `P12`), valid or not. */
const SEVERITY_LIKE = /^p\d+$/i;

function parseSeverity(raw: string): Severity | null {
  const parsed = severitySchema.safeParse(raw.toUpperCase());
  return parsed.success ? parsed.data : null;
}

function invalidSeverity(raw: string, subcommand: Subcommand, what = 'Severity'): ParseResult {
  return fail(
    what === 'Severity' ? 'invalid_severity' : 'invalid_priority',
    `${what} must be one of ${SEVERITIES.join(', ')} (got ${quote(raw)}).`,
    subcommand,
  );
}

/** No further words allowed from index `from`. */
function noMore(
  tokens: Token[],
  from: number,
  subcommand: Subcommand,
  command: IncidentCommand,
): ParseResult {
  const extra = tokens[from];
  if (!extra) return ok(command);
  const takes = from <= 1 ? 'takes no arguments' : 'takes nothing more';
  return fail(
    'unexpected_argument',
    `\`/incident ${subcommand}\` ${takes} (got ${quote(extra.raw)}).`,
    subcommand,
  );
}

// ---------------------------------------------------------------------------------------------
// Times

/** A date token that may be followed by a separate time token (`2026-02-20 10:30`). */
const DATE_TOKEN = /^\d{4}-\d{2}-\d{2}$/;
const TIME_TOKEN = /^\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** After `at`: does this word look like an attempt at a time (then a bad one is an error)? */
function looksLikeTime(raw: string): boolean {
  return (
    /^\d{1,2}[:.h]\d/i.test(raw) || /^\d{4}-\d{1,2}/.test(raw) || /^\d{1,2}(?::\d{2})?\s*[ap]m$/i.test(raw)
  );
}

type TimeRead = { ok: true; at: number; next: number } | { ok: false; result: ParseResult };

/** Reads the time starting at tokens[i]: one token, or a date token and a time token. */
function readTime(
  text: string,
  tokens: Token[],
  i: number,
  ctx: ParseContext,
  subcommand: Subcommand,
): TimeRead {
  const first = tokens[i];
  if (!first) {
    return {
      ok: false,
      result: fail('missing_time', `A time is missing. ${timeFormatsHint(ctx.timeZone)}`, subcommand),
    };
  }
  const second = tokens[i + 1];
  const twoTokens = DATE_TOKEN.test(first.raw) && second !== undefined && TIME_TOKEN.test(second.raw);
  const count = twoTokens ? 2 : 1;
  const parsed = parseTimeInput(decodeSlackEntities(span(text, tokens, i, i + count)), ctx);
  if (!parsed.ok) return { ok: false, result: fail(parsed.error.code, parsed.error.message, subcommand) };
  return { ok: true, at: parsed.at, next: i + count };
}

/**
 * An optional `at <time>` at tokens[i]. `at` followed by a word that does not look like a time
 * (`note at least two hosts…`) is not a clause: it is the start of the text.
 */
function readOptionalAt(
  text: string,
  tokens: Token[],
  i: number,
  ctx: ParseContext,
  subcommand: Subcommand,
): { ok: true; at: number | null; next: number } | { ok: false; result: ParseResult } {
  if (tokens[i]?.raw.toLowerCase() !== 'at') return { ok: true, at: null, next: i };
  const after = tokens[i + 1];
  if (after === undefined) return readTime(text, tokens, i + 1, ctx, subcommand);
  if (!looksLikeTime(after.raw)) return { ok: true, at: null, next: i };
  return readTime(text, tokens, i + 1, ctx, subcommand);
}

// ---------------------------------------------------------------------------------------------
// Subcommands

type Parser = (text: string, tokens: Token[], ctx: ParseContext, word: Subcommand) => ParseResult;

/** `declare [private] [P1-P4] [title]`: `private` first (any case), then the severity. */
const parseDeclare: Parser = (text, tokens) => {
  let i = 1;
  let severity: Severity = 'P3';
  const isPrivate = tokens[i]?.raw.toLowerCase() === 'private';
  if (isPrivate) i += 1;
  const first = tokens[i];
  if (first && SEVERITY_LIKE.test(first.raw)) {
    const parsed = parseSeverity(first.raw);
    if (!parsed) return invalidSeverity(first.raw, 'declare');
    severity = parsed;
    i += 1;
  }
  const title = decodeFreeText(span(text, tokens, i))
    .replace(/\s+/g, ' ')
    .trim();
  return ok({
    kind: 'declare',
    severity,
    title: title === '' ? null : title,
    ...(isPrivate ? { isPrivate: true as const } : {}),
  });
};

function parseRoleAssignment(
  tokens: Token[],
  role: RoleName,
  userIndex: number,
  subcommand: Subcommand,
): ParseResult {
  const who = tokens[userIndex];
  if (!who) {
    return fail(
      'missing_mention',
      `Who should be ${ROLE_LABELS[role]}? Expected a user mention like @alice (pick the person from Slack's suggestions).`,
      subcommand,
    );
  }
  const userId = parseUserMention(who.raw);
  if (!userId) {
    return fail(
      'invalid_mention',
      `Expected a user mention like @alice (got ${quote(who.raw)}); pick the person from Slack's suggestions so it becomes a mention.`,
      subcommand,
    );
  }
  return noMore(tokens, userIndex + 1, subcommand, { kind: 'role', role, userId });
}

const parseDirectRole: Parser = (_text, tokens, _ctx, word) =>
  parseRoleAssignment(tokens, word as RoleName, 1, word);

const parseRole: Parser = (_text, tokens) => {
  const name = tokens[1];
  if (!name) return fail('missing_role', `Which role? Expected one of ${orList(ROLES)}.`, 'role');
  const role = roleSchema.safeParse(name.raw.toLowerCase());
  if (!role.success) {
    return fail('invalid_role', `Role must be one of ${orList(ROLES)} (got ${quote(name.raw)}).`, 'role');
  }
  return parseRoleAssignment(tokens, role.data, 2, 'role');
};

const parseSeverityCommand: Parser = (_text, tokens, _ctx, word) => {
  const level = tokens[1];
  if (!level) {
    return fail('missing_severity', `Which severity? Expected one of ${SEVERITIES.join(', ')}.`, word);
  }
  const severity = parseSeverity(level.raw);
  if (!severity) return invalidSeverity(level.raw, word);
  return noMore(tokens, 2, word, { kind: 'severity', severity });
};

const parseStatus: Parser = (text, tokens, ctx) => {
  const word = tokens[1];
  if (!word) return fail('missing_status', `Which status? Expected ${orList(ACTIVE_STATUSES)}.`, 'status');
  const status = statusSchema.safeParse(word.raw.toLowerCase());
  if (!status.success) {
    const lower = word.raw.toLowerCase();
    const hint =
      lower === 'resolved' || lower === 'resolve'
        ? ' To resolve the incident use `/incident resolve`.'
        : lower === 'closed' || lower === 'close'
          ? ' To close the incident use `/incident close`.'
          : '';
    return fail(
      'invalid_status',
      `Status must be ${orList(ACTIVE_STATUSES)} (got ${quote(word.raw)}).${hint}`,
      'status',
    );
  }
  const at = readOptionalAt(text, tokens, 2, ctx, 'status');
  if (!at.ok) return at.result;
  const message = decodeFreeText(span(text, tokens, at.next));
  return ok({ kind: 'status', status: status.data, at: at.at, message: message === '' ? null : message });
};

const parseUpdate: Parser = (text, tokens) => {
  const message = decodeFreeText(span(text, tokens, 1));
  if (message === '') return fail('missing_message', 'A status update needs a message.', 'update');
  return ok({ kind: 'update', message });
};

const parseNote: Parser = (text, tokens, ctx) => {
  const at = readOptionalAt(text, tokens, 1, ctx, 'note');
  if (!at.ok) return at.result;
  const note = decodeFreeText(span(text, tokens, at.next));
  if (note === '') return fail('missing_text', 'A note needs text: what happened?', 'note');
  return ok({ kind: 'note', at: at.at, text: note });
};

/** `started`/`detected` accept an optional `at` before their time (`started at 10:30`). */
function timeStart(tokens: Token[]): number {
  return tokens[1]?.raw.toLowerCase() === 'at' && tokens.length > 2 ? 2 : 1;
}

const parseStarted: Parser = (text, tokens, ctx) => {
  const time = readTime(text, tokens, timeStart(tokens), ctx, 'started');
  if (!time.ok) return time.result;
  return noMore(tokens, time.next, 'started', { kind: 'started', at: time.at });
};

const parseDetected: Parser = (text, tokens, ctx) => {
  const time = readTime(text, tokens, timeStart(tokens), ctx, 'detected');
  if (!time.ok) return time.result;
  const next = tokens[time.next];
  if (!next) return ok({ kind: 'detected', at: time.at, by: null });
  if (next.raw.toLowerCase() !== 'by') {
    return fail(
      'unexpected_argument',
      `After the time, expected \`by &lt;who or what&gt;\` (got ${quote(next.raw)}).`,
      'detected',
    );
  }
  const whoTokens = tokens.slice(time.next + 1);
  if (whoTokens.length === 0) {
    return fail(
      'missing_detector',
      'Who or what detected it? Expected a mention like @alice or a name like `Datadog`.',
      'detected',
    );
  }
  const sole = whoTokens.length === 1 ? parseUserMention(whoTokens[0]!.raw) : null;
  const by = sole ? `<@${sole}>` : decodeFreeText(span(text, tokens, time.next + 1));
  return ok({ kind: 'detected', at: time.at, by });
};

const parseAction: Parser = (text, tokens) => {
  let end = tokens.length;
  let owner: string | null = null;
  let due: string | null = null;
  let priority: ActionPriority | null = null;
  const duplicate = (what: string) =>
    fail('duplicate_option', `An action item takes one ${what}; two were given.`, 'action');
  while (end > 1) {
    const last = tokens[end - 1]!.raw;
    const mention = parseUserMention(last);
    if (mention) {
      if (owner) return duplicate('owner');
      owner = mention;
      end -= 1;
    } else if (SEVERITY_LIKE.test(last)) {
      const parsed = parseSeverity(last);
      if (!parsed) return invalidSeverity(last, 'action', 'Priority');
      if (priority) return duplicate('priority');
      priority = parsed;
      end -= 1;
    } else if (end > 2 && tokens[end - 2]!.raw.toLowerCase() === 'due') {
      if (!isCalendarDate(last)) {
        return fail(
          'invalid_due_date',
          `The due date must be a real calendar date written YYYY-MM-DD, e.g. \`2026-03-31\` (got ${quote(last)}).`,
          'action',
        );
      }
      if (due) return duplicate('due date');
      due = last;
      end -= 2;
    } else if (last.toLowerCase() === 'due') {
      return fail(
        'missing_due_date',
        '`due` must be followed by a date written YYYY-MM-DD, e.g. `2026-03-31`.',
        'action',
      );
    } else {
      break;
    }
  }
  const actionText = decodeFreeText(span(text, tokens, 1, end));
  if (actionText === '')
    return fail('missing_text', 'An action item needs text: what should be done?', 'action');
  return ok({ kind: 'action', text: actionText, owner, due, priority });
};

const parseDone: Parser = (_text, tokens) => {
  const raw = tokens[1]?.raw;
  if (raw === undefined) {
    return fail('missing_number', 'Which action item? Expected its number, e.g. `/incident done 2`.', 'done');
  }
  const digits = raw.replace(/^#/, '');
  const n = Number(digits);
  if (!/^\d+$/.test(digits) || !Number.isSafeInteger(n) || n < 1) {
    return fail(
      'invalid_number',
      `Expected the number of an action item, a whole number from 1 (got ${quote(raw)}); \`/incident actions\` lists them.`,
      'done',
    );
  }
  return noMore(tokens, 2, 'done', { kind: 'done', n });
};

const parseSet: Parser = (text, tokens) => {
  const name = tokens[1];
  const fields = orList(POSTMORTEM_FIELDS);
  if (!name) return fail('missing_field', `Which field? Expected one of ${fields}.`, 'set');
  const field = fieldSchema.safeParse(name.raw.toLowerCase().replace(/_/g, '-'));
  if (!field.success) {
    return fail('invalid_field', `Unknown field ${quote(name.raw)}. Fields: ${fields}.`, 'set');
  }
  const value = decodeFreeText(span(text, tokens, 2));
  if (value === '')
    return fail('missing_text', `What should \`${field.data}\` say? The text is missing.`, 'set');
  return ok({ kind: 'set', field: field.data, value });
};

const parseResolve: Parser = (text, tokens, ctx) => {
  const at = readOptionalAt(text, tokens, 1, ctx, 'resolve');
  if (!at.ok) return at.result;
  const message = decodeFreeText(span(text, tokens, at.next));
  return ok({ kind: 'resolve', at: at.at, message: message === '' ? null : message });
};

/** `30d`, `90days`: a count of days. */
const DAYS_TOKEN = /^(\d{1,6})(?:d|days?)$/i;
/** Something meant as a date (`2026-1-5` too, so that it gets a precise error). */
const DATE_LIKE = /^\d{4}-\d{1,2}-\d{1,2}$/;
/** Words people use for a period, and the count of days that says it. */
const PERIOD_WORDS: Record<string, string> = {
  day: '1d',
  today: '1d',
  week: '7d',
  weekly: '7d',
  month: '30d',
  monthly: '30d',
  quarter: '90d',
  quarterly: '90d',
  year: '365d',
  yearly: '365d',
};

const PERIOD_FORMS = '`30d`, `90d` (any number of days up to 730) or two dates like `2026-01-01 2026-01-31`';

function statsDays(tokens: Token[], next: number, n: number, raw: string): ParseResult {
  if (n < 1 || n > MAX_STATS_DAYS) {
    return fail('invalid_range', `A period is 1 to ${MAX_STATS_DAYS} days (got ${quote(raw)}).`, 'stats');
  }
  return noMore(tokens, next, 'stats', { kind: 'stats', period: { kind: 'days', days: n } });
}

/**
 * `stats [[last] <n>d | <from> [to] <to>]`: the last n days (today included; default 30), or from
 * one calendar day to another in the configured zone (both included, `YYYY-MM-DD`, also written
 * `<from>..<to>`). The range must be in order, end today at the latest and span at most
 * {@link MAX_STATS_DAYS} days.
 */
const parseStats: Parser = (_text, tokens, ctx) => {
  let i = 1;
  const lead = tokens[i]?.raw.toLowerCase();
  if ((lead === 'last' || lead === 'past') && tokens[i + 1]) i += 1;
  const first = tokens[i];
  if (!first) return ok({ kind: 'stats', period: { kind: 'days', days: DEFAULT_STATS_DAYS } });
  const word = decodeSlackEntities(first.raw).toLowerCase();
  const days = DAYS_TOKEN.exec(word);
  if (days) return statsDays(tokens, i + 1, Number(days[1]), first.raw);
  if (/^\d{1,6}$/.test(word)) {
    const unit = tokens[i + 1]?.raw.toLowerCase();
    if (unit === 'd' || unit === 'day' || unit === 'days') {
      return statsDays(tokens, i + 2, Number(word), first.raw);
    }
    return fail(
      'invalid_period',
      `A period needs its unit: did you mean \`${word}d\` (${word} days)?`,
      'stats',
    );
  }
  const joined = /^(\S+?)(?:\.\.|…)(\S+)$/.exec(word);
  if (DATE_LIKE.test(word) || (joined && DATE_LIKE.test(joined[1]!))) {
    let from = word;
    let to: string | undefined;
    let next = i + 1;
    if (joined) {
      from = joined[1]!;
      to = joined[2]!;
    } else {
      if (tokens[next]?.raw.toLowerCase() === 'to') next += 1;
      to = tokens[next]?.raw;
      next += 1;
    }
    if (to === undefined) {
      return fail(
        'missing_date',
        `The period needs an end date too: \`/incident stats ${escapeSlack(from)} YYYY-MM-DD\`.`,
        'stats',
      );
    }
    for (const day of [from, to]) {
      if (!isCalendarDate(day)) {
        return fail(
          'invalid_date',
          `Dates are real calendar days written YYYY-MM-DD, e.g. \`2026-01-31\` (got ${quote(day)}).`,
          'stats',
        );
      }
    }
    const problem = rangeProblem(from, to, todayIn(ctx.now, ctx.timeZone));
    if (problem) return fail('invalid_range', escapeSlack(problem), 'stats');
    return noMore(tokens, next, 'stats', { kind: 'stats', period: { kind: 'range', from, to } });
  }
  const suggestion = PERIOD_WORDS[word.replace(/^(last|past|this)[-_]?/, '')];
  const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : '';
  return fail(
    'invalid_period',
    `Unknown period ${quote(first.raw)}.${hint} Expected ${PERIOD_FORMS}.`,
    'stats',
  );
};

const bare =
  (command: IncidentCommand): Parser =>
  (_text, tokens, _ctx, word) =>
    noMore(tokens, 1, word, command);

const PARSERS: Record<Subcommand, Parser> = {
  help: () => ok({ kind: 'help' }),
  declare: parseDeclare,
  list: bare({ kind: 'list' }),
  stats: parseStats,
  show: bare({ kind: 'show' }),
  ic: parseDirectRole,
  tech: parseDirectRole,
  comms: parseDirectRole,
  role: parseRole,
  severity: parseSeverityCommand,
  sev: parseSeverityCommand,
  status: parseStatus,
  update: parseUpdate,
  note: parseNote,
  started: parseStarted,
  detected: parseDetected,
  action: parseAction,
  actions: bare({ kind: 'actions' }),
  done: parseDone,
  set: parseSet,
  resolve: parseResolve,
  close: bare({ kind: 'close' }),
  reopen: bare({ kind: 'reopen' }),
};

/** Edit distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

function isSubcommand(word: string): word is Subcommand {
  return (SUBCOMMANDS as readonly string[]).includes(word);
}

/** The longest subcommand word: a word longer by more than 2 cannot be 2 edits from any. */
const LONGEST_SUBCOMMAND = Math.max(...SUBCOMMANDS.map((s) => s.length));

function unknownSubcommand(raw: string): ParseResult {
  const lower = decodeSlackEntities(raw).toLowerCase();
  const closest =
    lower.length > 2 && lower.length <= LONGEST_SUBCOMMAND + 2
      ? SUBCOMMANDS.map((s) => ({ s, d: distance(lower, s) })).sort((a, b) => a.d - b.d)[0]!
      : null;
  const suggestion = closest && closest.d <= 2 ? ` Did you mean \`${closest.s}\`?` : '';
  return fail(
    'unknown_subcommand',
    `Unknown subcommand ${quote(raw)}.${suggestion} Valid subcommands: ${SUBCOMMANDS.join(', ')}. ` +
      'Try `/incident help`.',
  );
}

/** The longest command text taken (escaped characters), far above any field a person writes by hand. */
export const MAX_COMMAND_TEXT = 10_000;

/**
 * Parses the text of an `/incident` slash command (as Slack sends it with `should_escape: true`).
 * Subcommands and keywords are case-insensitive. Empty text is `help`.
 * @param text the command text, e.g. `declare P1 Checkout &amp; payments down`
 * @param ctx the current instant (epoch ms) and the IANA zone in which `HH:MM` times are read
 * @returns the command, or an error whose message (Slack mrkdwn) says what was expected and ends with
 *   the usage line of the subcommand
 */
export function parseIncidentCommand(text: string, ctx: ParseContext): ParseResult {
  if (text.length > MAX_COMMAND_TEXT) {
    return fail(
      'text_too_long',
      `That command is ${text.length.toLocaleString('en-US')} characters long; Firewatch takes at most ` +
        `${MAX_COMMAND_TEXT.toLocaleString('en-US')}. Post the long text in the incident channel and pin it ` +
        'with :pushpin: to put it on the timeline.',
    );
  }
  const tokens = tokenize(text);
  const first = tokens[0];
  if (!first) return ok({ kind: 'help' });
  const word = first.raw.toLowerCase();
  if (!isSubcommand(word)) return unknownSubcommand(first.raw);
  return PARSERS[word](text, tokens, ctx, word);
}
