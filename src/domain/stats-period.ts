/**
 * The periods insights are computed over: whole calendar days in the configured zone, and the
 * previous period of the same number of days. Pure: "now" and the zone are arguments.
 */
import { TZDate } from '@date-fns/tz';
import { isValidTimeZone } from '../shared/time-zone';
import { formatLocalTime, isCalendarDate } from './time';

/** A period as asked for: the last `days` days (today included), or two calendar days (both included). */
export type StatsPeriodSpec = { kind: 'days'; days: number } | { kind: 'range'; from: string; to: string };

/** `/incident stats` without a period. */
export const DEFAULT_STATS_DAYS = 30;
/** The longest period taken, in days (the previous period doubles what is read). */
export const MAX_STATS_DAYS = 730;

/** A run of whole calendar days in the configured zone. */
export interface Period {
  /** Midnight starting `firstDay` in the zone (epoch ms). */
  start: number;
  /** Midnight after `lastDay` in the zone (epoch ms, excluded). */
  end: number;
  /** `YYYY-MM-DD` */
  firstDay: string;
  /** `YYYY-MM-DD` */
  lastDay: string;
  days: number;
}

/** The period asked for and the one of the same length just before it. */
export interface Periods {
  spec: StatsPeriodSpec;
  current: Period;
  previous: Period;
  /** IANA zone the days are counted in. */
  timeZone: string;
}

const MS_PER_DAY = 86_400_000;

function dayParts(day: string): [number, number, number] {
  const [y, m, d] = day.split('-').map(Number);
  return [y!, m!, d!];
}

/** `YYYY-MM-DD` plus `n` days (negative: before). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = dayParts(day);
  const date = new Date(Date.UTC(2000, 0, 1));
  date.setUTCFullYear(y, m - 1, d + n);
  return date.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (`to` − `from`; 0 for the same day). */
export function daysBetween(from: string, to: string): number {
  const at = (day: string) => {
    const [y, m, d] = dayParts(day);
    const date = new Date(Date.UTC(2000, 0, 1));
    date.setUTCFullYear(y, m - 1, d);
    return date.getTime();
  };
  return Math.round((at(to) - at(from)) / MS_PER_DAY);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(day: string): number {
  const [y, m, d] = dayParts(day);
  const date = new Date(Date.UTC(2000, 0, 1));
  date.setUTCFullYear(y, m - 1, d);
  return (date.getUTCDay() + 6) % 7;
}

/** The instant the calendar day begins in the zone (the first instant that exists, across DST). */
export function startOfDay(day: string, timeZone: string): number {
  const [y, m, d] = dayParts(day);
  return new TZDate(y, m - 1, d, timeZone).getTime();
}

/** Today's date in the zone, `YYYY-MM-DD`. */
export function todayIn(now: number, timeZone: string): string {
  return formatLocalTime(now, timeZone, 'yyyy-MM-dd');
}

function periodOf(firstDay: string, lastDay: string, timeZone: string): Period {
  return {
    start: startOfDay(firstDay, timeZone),
    end: startOfDay(addDays(lastDay, 1), timeZone),
    firstDay,
    lastDay,
    days: daysBetween(firstDay, lastDay) + 1,
  };
}

/**
 * Why a `from`–`to` range cannot be used, or null when it can: both real `YYYY-MM-DD` dates,
 * `from` not after `to`, `to` not after today, at most {@link MAX_STATS_DAYS} days. The message
 * is plain text (dates and numbers only), fit for Slack and a terminal alike.
 */
export function rangeProblem(from: string, to: string, today: string): string | null {
  for (const day of [from, to]) {
    if (!isCalendarDate(day)) return `${day} is not a real calendar date written YYYY-MM-DD.`;
  }
  if (from > to) return `The period starts (${from}) after it ends (${to}); give the earlier date first.`;
  if (to > today) return `The period ends after today (${today}); use ${today} at the latest.`;
  const days = daysBetween(from, to) + 1;
  if (days > MAX_STATS_DAYS) {
    return `${from} to ${to} is ${days} days; a period may be at most ${MAX_STATS_DAYS} days.`;
  }
  return null;
}

/**
 * The period a spec names, counted in whole days of `timeZone`, and the previous period of the
 * same number of days. `days`: the last N days, today included (`30d` on 2026-02-20 is
 * 2026-01-22 to 2026-02-20). `range`: from `from` to `to`, both included (checked by the caller
 * with {@link rangeProblem}).
 */
export function resolvePeriods(spec: StatsPeriodSpec, now: number, timeZone: string): Periods {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const today = todayIn(now, zone);
  const [firstDay, lastDay] =
    spec.kind === 'days' ? [addDays(today, -(spec.days - 1)), today] : [spec.from, spec.to];
  const days = daysBetween(firstDay, lastDay) + 1;
  return {
    spec,
    current: periodOf(firstDay, lastDay, zone),
    previous: periodOf(addDays(firstDay, -days), addDays(firstDay, -1), zone),
    timeZone: zone,
  };
}

/** Whether an instant falls in the period. */
export const inPeriod = (at: number, period: Period): boolean => at >= period.start && at < period.end;
