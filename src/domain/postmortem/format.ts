/**
 * Helpers for the postmortem: time rendering in a zone, parties as text, and Mermaid text. Pure and
 * deterministic. Slack text itself (escaping, decoding, conversion to Markdown) lives in
 * `src/shared/slack-text`, zone names in `src/shared/time-zone`.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { format } from 'date-fns';
import {
  controlSequencePattern,
  decodeSlackEntities,
  escapeSlack,
  formatUserMention,
  isUserId,
  readUserMention,
  slackEscape,
} from '../../shared/slack-text';
import { canonicalTimeZone, formatZoneName } from '../../shared/time-zone';
import type { Party, Stamp } from './model';

/** What an empty list of things the bot collects reads as. */
export const NONE_RECORDED = '_None recorded_';

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

/**
 * Formats `ms` in `timeZone` with a date-fns pattern, through TZDate. About 15 µs a call: fine
 * for a handful of values; bulk rendering goes through {@link createStampFormatter}, which agrees with it.
 */
export function formatInZone(ms: number, timeZone: string, pattern: string): string {
  return format(new TZDate(ms, timeZone), pattern);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Renders instants of one document as {@link Stamp}s in one zone; caches zone offsets so that 100k
 * stamps stay cheap. (Not a clock: "now" comes from `Clock` in `src/services/clock.ts`.)
 */
export interface StampFormatter {
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
 * Creates a stamp formatter for `timeZone`, with `reference` (normally the impact start) deciding which day
 * and zone label the compact table times leave out. Throws a RangeError for an unknown zone.
 *
 * Offsets come from @date-fns/tz's `tzOffset`, cached per UTC hour when the offset is the same at
 * both ends of the hour (otherwise, near a transition, computed for the exact instant).
 */
export function createStampFormatter(timeZone: string, reference: number): StampFormatter {
  const zone = canonicalTimeZone(timeZone);
  if (zone === null) throw new RangeError(`Unknown time zone: ${timeZone}`);
  const hourOffsets = new Map<number, number>();
  const labels = new Map<number, string>();

  const offsetMs = (ms: number): number => {
    const hour = Math.floor(ms / MS_PER_HOUR);
    let cached = hourOffsets.get(hour);
    if (cached === undefined) {
      const start = tzOffset(zone, new Date(hour * MS_PER_HOUR));
      const end = tzOffset(zone, new Date(hour * MS_PER_HOUR + MS_PER_HOUR - 1));
      cached = start === end ? Math.round(start * 60_000) : Number.NaN;
      hourOffsets.set(hour, cached);
    }
    return Number.isNaN(cached) ? Math.round(tzOffset(zone, new Date(ms)) * 60_000) : cached;
  };
  const labelFor = (ms: number, offset: number): string => {
    let label = labels.get(offset);
    if (label === undefined) {
      label = formatZoneName(zone, ms);
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

/** A Slack user id (rendered through `people`) or a free-text label. */
export function partyFromString(value: string, people: Record<string, string>): Party {
  const mention = readUserMention(value);
  if (mention)
    return { kind: 'person', id: mention.id, name: people[mention.id] ?? (mention.label || mention.id) };
  // A bare id of at least three characters (`UI` is more likely a word than a user).
  if (isUserId(value) && value.length >= 3)
    return { kind: 'person', id: value, name: people[value] ?? value };
  return { kind: 'system', label: value };
}

/** A Slack user (null: the bot itself). */
export function personOrBot(userId: string | null, people: Record<string, string>): Party {
  if (userId === null) return { kind: 'system', label: 'Firewatch' };
  return { kind: 'person', id: userId, name: people[userId] ?? userId };
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** A table row from already-escaped cells. */
export function mdRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

// ---------------------------------------------------------------------------------------------
// Parties as text

/** A Party as plain text (a person's display name, or the label). */
export function partyName(party: Party): string {
  return party.kind === 'person' ? party.name : party.label;
}

/** A Party for Slack as plain, escaped text (a person's name, never a live mention). */
export function slackParty(party: Party, people: Record<string, string>): string {
  if (party.kind === 'system') return slackEscape(party.label, people);
  return escapeSlack(party.name);
}

/** A Party for Slack as a live `<@U…>` mention (for people who should be notified), else {@link slackParty}. */
export function slackMention(party: Party, people: Record<string, string>): string {
  return party.kind === 'person' && isUserId(party.id)
    ? formatUserMention(party.id)
    : slackParty(party, people);
}

// ---------------------------------------------------------------------------------------------
// Mermaid

/**
 * Makes text safe as a Mermaid gantt task or title: Slack markup resolved, characters that end a
 * task name or start a comment (`:`, `;`, `#`, `%`) and brackets removed, whitespace folded,
 * at most 60 characters.
 */
export function mermaidText(text: string, people: Record<string, string>): string {
  const plain = text.replace(controlSequencePattern(), (_m, sigil: string, target: string, label?: string) =>
    sigil === '@' ? people[target] || label || target : label || (target.split('^')[0] ?? ''),
  );
  const cleaned = decodeSlackEntities(plain)
    .replace(/[:;#%<>{}[\]"`\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = cleaned.length > 60 ? `${cleaned.slice(0, 59).trimEnd()}…` : cleaned;
  return cut === '' ? 'untitled' : cut;
}
