/**
 * Reminders: which nudges are due now. Pure: the incidents, their timelines, role terms and action
 * items, the configured intervals, the zone and "now" all come in as arguments; the answer is a
 * list of reminders, each under a key that names it for good. Firing once is the store's part
 * (`Store.recordReminder` records a key once), so two replies computing the same list post once.
 *
 * - **Status updates**: an open incident whose last status update (declaration, status change,
 *   `update`, reopening) is one whole interval of its severity old is due a nudge to its Incident
 *   Commander and Communications Lead; two intervals old, another one; and so on. The key names
 *   the update it counts from and the interval number, so each interval nudges once, and a bot that
 *   was down for hours nudges once for the current interval, not once for each missed one.
 * - **Overdue action items**: an open action item with an owner whose due date (a calendar day in
 *   the configured zone) has ended is due one message to its owner; the key names the item and its
 *   due date.
 */
import { TZDate } from '@date-fns/tz';
import { currentRoles } from './lifecycle';
import {
  type ActionItem,
  type Incident,
  type RoleTerm,
  SEVERITIES,
  type Severity,
  type TimelineEvent,
} from './types';

/** Minutes between status-update reminders for each severity; null: never reminded. */
export type UpdateIntervals = Record<Severity, number | null>;

/** P1 every 15 minutes, P2 every 30, P3 every 60, P4 never. */
export const DEFAULT_UPDATE_INTERVALS: Readonly<UpdateIntervals> = { P1: 15, P2: 30, P3: 60, P4: null };

/** The longest interval accepted: a week. */
export const MAX_INTERVAL_MINUTES = 7 * 24 * 60;

/** What FIREWATCH_UPDATE_REMINDERS looks like, for error messages and the README. */
export const UPDATE_INTERVALS_EXAMPLE = 'P1=15,P2=30,P3=60,P4=off';

/**
 * Reads FIREWATCH_UPDATE_REMINDERS: comma-separated `P<n>=<minutes>` or `P<n>=off`, each severity
 * at most once; severities not named keep their default. `off` alone turns every reminder off.
 */
export function parseUpdateIntervals(
  text: string,
): { ok: true; intervals: UpdateIntervals } | { ok: false; message: string } {
  const expected = `expected severities with whole minutes or off, such as ${UPDATE_INTERVALS_EXAMPLE}`;
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'off')
    return { ok: true, intervals: { P1: null, P2: null, P3: null, P4: null } };
  const intervals: UpdateIntervals = { ...DEFAULT_UPDATE_INTERVALS };
  const seen = new Set<Severity>();
  for (const part of trimmed.split(',')) {
    const match = /^\s*(P[1-4])\s*=\s*(\d+|off)\s*$/i.exec(part);
    if (!match) return { ok: false, message: `"${part.trim()}" is not understood: ${expected}` };
    const severity = match[1]!.toUpperCase() as Severity;
    if (seen.has(severity)) return { ok: false, message: `${severity} is given twice: ${expected}` };
    seen.add(severity);
    const value = match[2]!.toLowerCase();
    if (value === 'off') {
      intervals[severity] = null;
      continue;
    }
    const minutes = Number(value);
    if (minutes < 1 || minutes > MAX_INTERVAL_MINUTES) {
      return {
        ok: false,
        message: `${severity}=${value}: expected from 1 to ${MAX_INTERVAL_MINUTES} minutes (a week), or off`,
      };
    }
    intervals[severity] = minutes;
  }
  return { ok: true, intervals };
}

/** `P1 every 15 min, P2 every 30 min, P3 every 60 min, P4 never`. */
export function describeIntervals(intervals: Readonly<UpdateIntervals>): string {
  return SEVERITIES.map((s) => `${s} ${intervals[s] === null ? 'never' : `every ${intervals[s]} min`}`).join(
    ', ',
  );
}

/** Timeline kinds that tell people where an incident stands: each one restarts the update clock. */
const UPDATE_KINDS: ReadonlySet<TimelineEvent['kind']> = new Set([
  'declared',
  'status',
  'update',
  'reopened',
]);

/**
 * When people were last told where the incident stands: the latest declaration, status change,
 * status update or reopening, as recorded (a backdated status change tells people when it is
 * posted, not at the time it names). The declaration time when the timeline has none of them.
 */
export function lastUpdateAt(incident: Incident, timeline: readonly TimelineEvent[]): number {
  let last = incident.declaredAt;
  for (const event of timeline) {
    if (UPDATE_KINDS.has(event.kind) && event.recordedAt > last) last = event.recordedAt;
  }
  return last;
}

/** The first instant after the calendar day `due` (`YYYY-MM-DD`) in `timeZone`: from then on, it is overdue. */
export function overdueFrom(due: string, timeZone: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(due);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Day + 1 at midnight; TZDate rolls the 32nd over into the next month.
  return new TZDate(year, month - 1, day + 1, 0, 0, 0, 0, timeZone).getTime();
}

/** Whether an action item is open, owned and past its due date at `now`. */
export function isOverdue(item: ActionItem, timeZone: string, now: number): boolean {
  if (item.status !== 'open' || item.owner === null || item.due === null) return false;
  const from = overdueFrom(item.due, timeZone);
  return from !== null && now >= from;
}

/** A nudge in the incident channel: no status update for a whole interval. */
export interface UpdateReminder {
  kind: 'update';
  /** Names this reminder for good (see {@link dueReminders}). */
  key: string;
  incident: Incident;
  channelId: string;
  intervalMinutes: number;
  /** When people were last told where the incident stands ({@link lastUpdateAt}). */
  lastUpdateAt: number;
  /** Whole minutes since the last update. */
  silentMinutes: number;
  /** Who is nudged: the Incident Commander, then the Communications Lead (each once). */
  nudge: string[];
}

/** A message to the owner of an action item past its due date. */
export interface OverdueReminder {
  kind: 'overdue';
  key: string;
  incident: Incident;
  item: ActionItem;
  /** The owner (the item's `owner`). */
  owner: string;
}

export type Reminder = UpdateReminder | OverdueReminder;

/** What {@link dueReminders} decides from. */
export interface ReminderInput {
  now: number;
  timeZone: string;
  intervals: Readonly<UpdateIntervals>;
  /** Open incidents with their timelines and role terms. */
  incidents: readonly {
    incident: Incident;
    timeline: readonly TimelineEvent[];
    terms: readonly RoleTerm[];
  }[];
  /** Incidents (any status) with their action items. */
  actions: readonly { incident: Incident; items: readonly ActionItem[] }[];
}

const isOpen = (incident: Incident) => incident.status !== 'resolved' && incident.status !== 'closed';

/**
 * The reminders due at `now`, status updates first. Keys:
 * - `update:<incident>:<last update ms>:<interval>m:<n>` for the n-th whole interval without an update;
 * - `overdue:<incident>:<item number>:<due date>` for an overdue action item (a new due date is a new key).
 */
export function dueReminders(input: ReminderInput): Reminder[] {
  const { now } = input;
  const out: Reminder[] = [];
  for (const { incident, timeline, terms } of input.incidents) {
    const interval = input.intervals[incident.severity];
    if (interval === null || !isOpen(incident) || incident.channelId === null) continue;
    const since = lastUpdateAt(incident, timeline);
    const silent = now - since;
    const n = Math.floor(silent / (interval * 60_000));
    if (n < 1) continue;
    const roles = currentRoles(terms);
    const nudge = [
      ...new Set([roles.ic?.userId ?? incident.declaredBy, roles.comms?.userId].filter(isString)),
    ];
    out.push({
      kind: 'update',
      key: `update:${incident.id}:${since}:${interval}m:${n}`,
      incident,
      channelId: incident.channelId,
      intervalMinutes: interval,
      lastUpdateAt: since,
      silentMinutes: Math.floor(silent / 60_000),
      nudge,
    });
  }
  for (const { incident, items } of input.actions) {
    for (const item of items) {
      if (!isOverdue(item, input.timeZone, now)) continue;
      out.push({
        kind: 'overdue',
        key: `overdue:${incident.id}:${item.seq}:${item.due}`,
        incident,
        item,
        owner: item.owner!,
      });
    }
  }
  return out;
}

const isString = (value: string | undefined): value is string => typeof value === 'string';
