/**
 * Times people type (`10:30`, `10:30:15`, `2026-02-20T10:30:00Z`) and times people read.
 * Pure: "now" and the time zone are always arguments.
 */

import { TZDate, tzOffset } from '@date-fns/tz';
import { format } from 'date-fns';
import type { CodedError, ParseErrorCode } from '../shared/errors';
import { escapeSlack } from '../shared/slack-text';
import { formatZoneName, isValidTimeZone } from '../shared/time-zone';

/** What time parsing needs to know: the current instant (epoch ms) and the IANA zone of the people. */
export interface TimeContext {
  now: number;
  timeZone: string;
}

/** The outcome of {@link parseTimeInput}. */
export type TimeParseResult = { ok: true; at: number } | { ok: false; error: CodedError<ParseErrorCode> };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `H:MM` / `HH:MM` / `HH:MM:SS`. */
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** ISO 8601 date-time (extended format), `T` or a space between date and time, optional fraction and offset. */
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** `YYYY-MM-DD`. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `YYYY-MM-DD` names a real calendar day (`2026-02-29` does not, `2028-02-29` does). */
export function isCalendarDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  return match !== null && isRealDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(2000, 0, 1));
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCDate() === day && date.getUTCMonth() === month - 1;
}

/** Wall-clock fields of a local time. `month` is 1-based. */
interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** The wall time as if it were UTC (epoch ms); the starting point for zone arithmetic. */
function wallAsUtc(wall: WallTime): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, wall.ms);
  return date.getTime();
}

/**
 * Every instant at which the zone's clocks showed this wall time, ascending: one normally, two when
 * clocks were turned back (the hour repeats), and, when clocks jumped forward over it (it never
 * existed), the one instant it would have been on the clock before the jump (02:30 → 03:30 DST).
 */
function instantsOfWallTime(wall: WallTime, timeZone: string): number[] {
  const asUtc = wallAsUtc(wall);
  const offsetAround = [asUtc - DAY, asUtc, asUtc + DAY].map((t) => tzOffset(timeZone, new Date(t)));
  const found = new Set<number>();
  for (const offset of offsetAround) {
    const candidate = asUtc - offset * MINUTE;
    if (tzOffset(timeZone, new Date(candidate)) === offset) found.add(candidate);
  }
  if (found.size === 0) found.add(asUtc - offsetAround[0]! * MINUTE);
  return [...found].sort((a, b) => a - b);
}

/** The latest instant not after `now`, else the earliest (which is then in the future). */
function latestNotAfter(instants: number[], now: number): number {
  const past = instants.filter((t) => t <= now);
  return past.length > 0 ? past[past.length - 1]! : instants[0]!;
}

/** Quotes user input for an error message: at most 100 characters, escaped for Slack, in backticks. */
function quoteInput(input: string): string {
  const chars = [...input];
  const short = chars.length > 100 ? `${chars.slice(0, 100).join('')}…` : input;
  return `\`${escapeSlack(short.replace(/`/g, "'"))}\``;
}

/** How times may be written, for error messages. */
export function timeFormatsHint(timeZone: string): string {
  return (
    `Times are \`HH:MM\` or \`HH:MM:SS\` (in ${escapeSlack(timeZone)}, the most recent past occurrence) ` +
    'or ISO 8601 like `2026-02-20T10:30:00Z`, `2026-02-20T11:30+01:00` or `2026-02-20 10:30`.'
  );
}

function invalid(input: string, timeZone: string, why?: string): TimeParseResult {
  const lead = why ?? `${quoteInput(input)} is not a time I understand.`;
  return { ok: false, error: { code: 'invalid_time', message: `${lead} ${timeFormatsHint(timeZone)}` } };
}

function badZone(timeZone: string): TimeParseResult {
  return {
    ok: false,
    error: {
      code: 'invalid_time_zone',
      message:
        `The configured time zone ${quoteInput(timeZone)} is not a valid IANA zone, so a local time cannot ` +
        'be placed. Give the time in ISO 8601 with `Z` or an offset, e.g. `2026-02-20T10:30:00Z`.',
    },
  };
}

function checkPast(at: number, input: string, ctx: TimeContext): TimeParseResult {
  if (at <= ctx.now) return { ok: true, at };
  return {
    ok: false,
    error: {
      code: 'future_time',
      message:
        `${quoteInput(input)} is in the future (it is now ${escapeSlack(formatTime(ctx.now, ctx.timeZone))}). ` +
        'Times must be in the past: when something happened, not when it will.',
    },
  };
}

/** The calendar day `daysBack` days before the zone's current day, as {year, month (1-based), day}. */
function zoneDay(now: number, timeZone: string, daysBack: number): Pick<WallTime, 'year' | 'month' | 'day'> {
  const local = new TZDate(now, timeZone);
  const day = new Date(Date.UTC(2000, 0, 1));
  day.setUTCFullYear(local.getFullYear(), local.getMonth(), local.getDate() - daysBack);
  return { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
}

/**
 * Parses a time a person typed.
 *
 * - `HH:MM` / `HH:MM:SS` (also `H:MM`): a wall-clock time in `ctx.timeZone`, meaning its most recent
 *   past occurrence: today's if it is not later than now, else yesterday's. Across DST changes the
 *   zone's real offsets are used; a repeated hour gives the latest occurrence not in the future; a
 *   skipped time (02:30 on a spring-forward day) is read with the offset before the jump.
 * - ISO 8601 `2026-02-20T10:30:00Z`, with an offset (`+01:00`, `+0100`, `+01`), or without one (then in
 *   `ctx.timeZone`); a space may replace the `T` (`2026-02-20 10:30`); fractions of a second are kept.
 *
 * Times after `ctx.now` are refused (`future_time`). Never throws, also not for an invalid zone.
 * @returns `{ ok: true, at }` (epoch ms) or an error with code `invalid_time`, `future_time` or
 *   `invalid_time_zone`
 */
export function parseTimeInput(input: string, ctx: TimeContext): TimeParseResult {
  const text = input.trim().replace(/\s+/g, ' ');
  const zoneOk = isValidTimeZone(ctx.timeZone);
  const shownZone = zoneOk ? ctx.timeZone : 'UTC';

  const clock = CLOCK.exec(text);
  if (clock) {
    const hour = Number(clock[1]);
    const minute = Number(clock[2]);
    const second = clock[3] === undefined ? 0 : Number(clock[3]);
    if (hour > 23 || minute > 59 || second > 59) {
      return invalid(text, shownZone, `${quoteInput(text)} is not a valid time of day (00:00 to 23:59:59).`);
    }
    if (!zoneOk) return badZone(ctx.timeZone);
    for (let daysBack = 0; daysBack <= 3; daysBack += 1) {
      const wall = { ...zoneDay(ctx.now, ctx.timeZone, daysBack), hour, minute, second, ms: 0 };
      const past = instantsOfWallTime(wall, ctx.timeZone).filter((t) => t <= ctx.now);
      if (past.length > 0) return { ok: true, at: past[past.length - 1]! };
    }
    return invalid(text, shownZone);
  }

  const iso = ISO_DATE_TIME.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, fraction, offset] = iso;
    const wall: WallTime = {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h),
      minute: Number(mi),
      second: s === undefined ? 0 : Number(s),
      ms: fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0')),
    };
    if (!isRealDate(wall.year, wall.month, wall.day)) {
      return invalid(text, shownZone, `${quoteInput(text)} is not a real calendar date.`);
    }
    if (wall.hour > 23 || wall.minute > 59 || wall.second > 59) {
      return invalid(text, shownZone, `${quoteInput(text)} is not a valid time of day (00:00 to 23:59:59).`);
    }
    if (offset !== undefined) {
      const offsetMinutes = parseOffset(offset);
      if (offsetMinutes === null) {
        return invalid(
          text,
          shownZone,
          `${quoteInput(text)} has an invalid UTC offset (from -14:00 to +14:00).`,
        );
      }
      return checkPast(wallAsUtc(wall) - offsetMinutes * MINUTE, text, { ...ctx, timeZone: shownZone });
    }
    if (!zoneOk) return badZone(ctx.timeZone);
    return checkPast(latestNotAfter(instantsOfWallTime(wall, ctx.timeZone), ctx.now), text, ctx);
  }

  if (ISO_DATE.test(text)) {
    return invalid(text, shownZone, `${quoteInput(text)} is a date without a time of day.`);
  }
  return invalid(text, shownZone);
}

/** `Z` → 0, `+01:00`/`+0100`/`+01` → 60, `-05:30` → -330; null when out of range. */
function parseOffset(offset: string): number | null {
  if (offset.toUpperCase() === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (minutes > 59 || hours * 60 + minutes > 14 * 60) return null;
  return sign * (hours * 60 + minutes);
}

/**
 * Formats an instant in a zone without naming the zone (date-fns `format` pattern, default
 * `yyyy-MM-dd HH:mm`). An invalid zone falls back to UTC (never throws).
 */
export function formatLocalTime(ms: number, timeZone: string, pattern = 'yyyy-MM-dd HH:mm'): string {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  return format(new TZDate(ms, zone), pattern);
}

/**
 * Formats an instant for people, followed by the zone's short name:
 * `formatTime(ms, 'UTC', 'HH:mm')` → `10:30 UTC`; `formatTime(ms, 'Europe/Oslo')` → `2026-02-20 11:30 CET`.
 * @param pattern a date-fns `format` pattern; default `yyyy-MM-dd HH:mm`
 * An invalid zone falls back to UTC (never throws).
 */
export function formatTime(ms: number, timeZone: string, pattern = 'yyyy-MM-dd HH:mm'): string {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  return `${formatLocalTime(ms, zone, pattern)} ${formatZoneName(zone, ms)}`;
}
