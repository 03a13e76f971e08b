/**
 * IANA time zones: the one check that a zone exists, and the one way a zone is named to people
 * (`UTC`, `CET`/`CEST`, `EST`/`EDT`, `BST`, else the offset as `UTC+05:30`). Pure; never throws.
 */
import { tzOffset } from '@date-fns/tz';

/** The runtime's canonical spelling of a time zone (`europe/oslo` → `Europe/Oslo`), or null if unknown. */
export function canonicalTimeZone(timeZone: string): string | null {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timeZone.trim() }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** True when the runtime knows the IANA time zone (e.g. `Europe/Oslo`, `UTC`). Never throws. */
export function isValidTimeZone(timeZone: string): boolean {
  return canonicalTimeZone(timeZone) !== null;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** An offset from UTC in minutes as a label: `330` → `UTC+05:30`, `-180` → `UTC-03:00`, `0` → `UTC+00:00`. */
export function formatUtcOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(offsetMinutes));
  return `UTC${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** A zone name from ICU if it is an abbreviation like `CET`, `EST`, `UTC`, `GMT`, `BST`; else null. */
function abbreviation(locale: string, timeZone: string, at: number): string | null {
  const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(at);
  const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? '';
  return /^[A-Z]{2,5}$/.test(name) ? name : null;
}

/**
 * A short human name of the zone at an instant: an abbreviation when the runtime knows one (`UTC`,
 * `CET`/`CEST`, `EST`/`EDT`, `BST`), else the offset as {@link formatUtcOffset} writes it
 * (`UTC+05:30`, `UTC+09:00`). An invalid zone is returned unchanged (never throws).
 */
export function formatZoneName(timeZone: string, at: number | Date): string {
  const zone = canonicalTimeZone(timeZone);
  if (zone === null) return timeZone;
  const instant = typeof at === 'number' ? at : at.getTime();
  const named = abbreviation('en-US', zone, instant) ?? abbreviation('en-GB', zone, instant);
  return named ?? formatUtcOffset(tzOffset(zone, new Date(instant)));
}
