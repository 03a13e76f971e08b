/**
 * Insights across incidents: how many there were, how fast the team detected, acknowledged,
 * mitigated and resolved them, against the previous period of the same length; the action items
 * still open; the services hit most. Pure: incidents, their measures and "now" come in as
 * arguments.
 *
 * Per-incident measures are never computed here: they are what `computeMetrics`
 * (src/domain/metrics.ts) says for each incident, the same numbers its postmortem shows. A
 * measure whose end point is not recorded (`minutes: null`, e.g. an incident not yet resolved)
 * is left out of that measure's median and percentile, and counted as such.
 */
import { computeMetrics, type IncidentMetrics, type MetricKey, roundTo } from './metrics';
import { metricObservations } from './postmortem/compile';
import { serviceNames } from './postmortem/related';
import {
  addDays,
  daysBetween,
  inPeriod,
  type Period,
  type Periods,
  startOfDay,
  todayIn,
  weekdayOf,
} from './stats-period';
import {
  type ActionItem,
  type ActionPriority,
  type CapturedMessage,
  type Incident,
  type MetricTargets,
  type RoleTerm,
  SEVERITIES,
  type Severity,
  type TimelineEvent,
} from './types';

// ---------------------------------------------------------------------------------------------
// One incident's measures

/** An incident's measures, exactly as its postmortem computes them (`computeMetrics` over `metricObservations`). */
export function measureIncident(
  incident: Incident,
  roles: readonly RoleTerm[],
  timeline: readonly TimelineEvent[],
  messages: readonly CapturedMessage[],
  targets: MetricTargets,
): IncidentMetrics {
  return computeMetrics(incident, roles, targets, metricObservations(timeline, messages));
}

// ---------------------------------------------------------------------------------------------
// Statistics

/**
 * The `p`th percentile (0–100) of ascending values, interpolating linearly between the two
 * nearest ranks (the median of 1, 2, 3, 4 is 2.5; the 90th percentile of one value is that
 * value); null when there are none.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low]!;
  const b = sorted[high]!;
  return a + (b - a) * (rank - low);
}

/** Median and 90th percentile of a measure over some incidents. */
export interface Spread {
  /** Incidents with the measure recorded. */
  count: number;
  /** Incidents without it (its end point is not recorded yet). */
  missing: number;
  median: number | null;
  p90: number | null;
}

/** The spread of `values` (minutes; null: not recorded). */
export function spreadOf(values: readonly (number | null)[]): Spread {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  return {
    count: known.length,
    missing: values.length - known.length,
    median: percentile(known, 50),
    p90: percentile(known, 90),
  };
}

/** How a time compares with the previous period's: lower is better. */
export type Trend = 'faster' | 'slower' | 'same';

/**
 * Whether `current` is faster or slower than `previous` (null when either is unknown). Times
 * that read the same once shortened for people ({@link shortDuration}) are the same.
 */
export function trendOf(current: number | null, previous: number | null): Trend | null {
  if (current === null || previous === null) return null;
  if (shortDuration(current) === shortDuration(previous)) return 'same';
  return current < previous ? 'faster' : 'slower';
}

// ---------------------------------------------------------------------------------------------
// Insights

/** Everything known about one incident that insights look at. */
export interface IncidentFacts {
  incident: Incident;
  /**
   * Its measures (`computeMetrics`, e.g. through {@link measureIncident}). May be null for an
   * incident declared in neither period: only its action items count then.
   */
  measures: IncidentMetrics | null;
  /** Its action items (only the open ones count: open and overdue). */
  actions: readonly ActionItem[];
  /** Its `services` field entries as written (one a bullet; several may share one, comma-separated). */
  services: readonly string[];
  /**
   * Whether the person asking may see what it is about (a private incident only for its members):
   * when false it is counted, but its services and action items are never shown.
   */
  visible: boolean;
}

export interface InsightsInput {
  /** Incidents read (any period: action items are counted over all of them). */
  incidents: readonly IncidentFacts[];
  periods: Periods;
  now: number;
  /** Set when the store held more incidents than were read (the oldest were left out). */
  truncated?: boolean;
  /** Services listed (default 5). */
  topServices?: number;
  /** Overdue action items listed (default 10). */
  overdueItems?: number;
}

export interface SeverityCounts {
  total: number;
  bySeverity: Record<Severity, number>;
}

/** One row of a measure's table: every severity together (`all`), or one. */
export interface MeasureRow {
  severity: Severity | 'all';
  current: Spread;
  previous: Spread;
}

/** One measure (time to detect, …) over both periods. */
export interface MeasureInsight {
  key: MetricKey;
  /** e.g. `Time to resolve` */
  label: string;
  /** e.g. `impact start → resolved` */
  span: string;
  /** `all` first, then each severity that had an incident in either period. */
  rows: MeasureRow[];
}

/** An overdue action item of an incident the person may see. */
export interface OverdueItem {
  incidentId: string;
  seq: number;
  /** As written (Slack-encoded user text). */
  text: string;
  owner: string | null;
  /** `YYYY-MM-DD` */
  due: string;
  priority: ActionPriority;
  /** Whole days past the due date. */
  daysOverdue: number;
}

export interface ServiceCount {
  /** The first spelling seen (see `serviceNames`). */
  name: string;
  current: number;
  previous: number;
}

/** One week (Monday to Sunday, in the zone) of the current period. */
export interface WeekBucket {
  /** The Monday, `YYYY-MM-DD` (may be before the period starts: only the period's days count). */
  weekStart: string;
  incidents: number;
  /** Median time to resolve of the week's resolved incidents, in minutes; null when none. */
  medianResolveMinutes: number | null;
}

export interface Insights {
  periods: Periods;
  now: number;
  /** Today in the zone, `YYYY-MM-DD` (what "overdue" is measured against). */
  today: string;
  incidents: {
    current: SeverityCounts;
    previous: SeverityCounts;
    /** Private incidents in the current period (counted above). */
    private: number;
    /** Incidents of the current period not resolved yet. */
    unresolved: number;
  };
  /** One per measure, in the order `computeMetrics` gives them; empty when neither period had an incident. */
  measures: MeasureInsight[];
  actions: {
    /** Open action items over every incident read. */
    open: number;
    /** Open ones whose due date is before today. */
    overdue: number;
    /** The most overdue first (those of incidents the person may see), at most `overdueItems`. */
    overdueItems: OverdueItem[];
    /** Overdue items of private incidents the person may not see (counted, never listed). */
    overdueHidden: number;
  };
  /** Services with most incidents in the current period (most first), at most `topServices`. */
  services: ServiceCount[];
  /** Private incidents of the current period the person may not see, left out of `services`. */
  servicesHidden: number;
  weeks: WeekBucket[];
  /** How many incidents were read. */
  incidentsRead: number;
  truncated: boolean;
}

const emptyCounts = (): SeverityCounts => ({ total: 0, bySeverity: { P1: 0, P2: 0, P3: 0, P4: 0 } });

function countBySeverity(facts: readonly IncidentFacts[]): SeverityCounts {
  const counts = emptyCounts();
  for (const { incident } of facts) {
    counts.total += 1;
    counts.bySeverity[incident.severity] += 1;
  }
  return counts;
}

const minutesOf = (facts: IncidentFacts, key: MetricKey): number | null =>
  facts.measures?.metrics.find((m) => m.key === key)?.minutes ?? null;

function measureInsights(
  current: readonly IncidentFacts[],
  previous: readonly IncidentFacts[],
): MeasureInsight[] {
  const sample = [...current, ...previous].find((f) => f.measures !== null)?.measures;
  if (!sample) return [];
  const severities = SEVERITIES.filter((s) =>
    [...current, ...previous].some((f) => f.incident.severity === s),
  );
  return sample.metrics.map(({ key, label, span }) => {
    const spread = (facts: readonly IncidentFacts[], severity: Severity | 'all') =>
      spreadOf(
        facts
          .filter((f) => severity === 'all' || f.incident.severity === severity)
          .map((f) => minutesOf(f, key)),
      );
    const rows = (['all', ...severities] as const).map(
      (severity): MeasureRow => ({
        severity,
        current: spread(current, severity),
        previous: spread(previous, severity),
      }),
    );
    return { key, label, span, rows };
  });
}

function serviceCounts(
  current: readonly IncidentFacts[],
  previous: readonly IncidentFacts[],
  top: number,
): ServiceCount[] {
  const counts = new Map<string, ServiceCount>();
  const tally = (facts: readonly IncidentFacts[], which: 'current' | 'previous') => {
    for (const f of facts) {
      if (!f.visible) continue;
      for (const [key, name] of serviceNames(f.services)) {
        const entry = counts.get(key) ?? { name, current: 0, previous: 0 };
        entry[which] += 1;
        counts.set(key, entry);
      }
    }
  };
  tally(current, 'current');
  tally(previous, 'previous');
  return [...counts.values()]
    .filter((s) => s.current > 0)
    .sort(
      (a, b) =>
        b.current - a.current ||
        b.previous - a.previous ||
        a.name.toLowerCase().localeCompare(b.name.toLowerCase()),
    )
    .slice(0, top);
}

/** The weeks (Monday to Sunday) that overlap the period, with the period's incidents of each. */
export function weeklyTrend(facts: readonly IncidentFacts[], periods: Periods): WeekBucket[] {
  const { current, timeZone } = periods;
  const firstMonday = addDays(current.firstDay, -weekdayOf(current.firstDay));
  const buckets: { weekStart: string; start: number; end: number; resolve: (number | null)[] }[] = [];
  for (let monday = firstMonday; monday <= current.lastDay; monday = addDays(monday, 7)) {
    buckets.push({
      weekStart: monday,
      start: Math.max(current.start, startOfDay(monday, timeZone)),
      end: Math.min(current.end, startOfDay(addDays(monday, 7), timeZone)),
      resolve: [],
    });
  }
  for (const f of facts) {
    const at = f.incident.declaredAt;
    if (!inPeriod(at, current)) continue;
    const bucket = buckets.find((b) => at >= b.start && at < b.end);
    bucket?.resolve.push(minutesOf(f, 'resolve'));
  }
  return buckets.map((b) => ({
    weekStart: b.weekStart,
    incidents: b.resolve.length,
    medianResolveMinutes: spreadOf(b.resolve).median,
  }));
}

const byDueThenId = (a: OverdueItem, b: OverdueItem) =>
  a.due.localeCompare(b.due) || a.incidentId.localeCompare(b.incidentId) || a.seq - b.seq;

/**
 * Insights over `incidents`: those declared in the current and previous periods (by their
 * declaration) for counts, measures and services; every one for action items.
 */
export function computeInsights(input: InsightsInput): Insights {
  const { periods, now } = input;
  const today = todayIn(now, periods.timeZone);
  const current = input.incidents.filter((f) => inPeriod(f.incident.declaredAt, periods.current));
  const previous = input.incidents.filter((f) => inPeriod(f.incident.declaredAt, periods.previous));

  let open = 0;
  let overdueHidden = 0;
  const overdue: OverdueItem[] = [];
  for (const f of input.incidents) {
    for (const a of f.actions) {
      if (a.status !== 'open') continue;
      open += 1;
      if (a.due === null || a.due >= today) continue;
      if (!f.visible) {
        overdueHidden += 1;
        continue;
      }
      overdue.push({
        incidentId: f.incident.id,
        seq: a.seq,
        text: a.text,
        owner: a.owner,
        due: a.due,
        priority: a.priority,
        daysOverdue: daysBetween(a.due, today),
      });
    }
  }
  overdue.sort(byDueThenId);

  return {
    periods,
    now,
    today,
    incidents: {
      current: countBySeverity(current),
      previous: countBySeverity(previous),
      private: current.filter((f) => f.incident.isPrivate).length,
      unresolved: current.filter((f) => f.incident.resolvedAt === null).length,
    },
    measures: measureInsights(current, previous),
    actions: {
      open,
      overdue: overdue.length + overdueHidden,
      overdueItems: overdue.slice(0, input.overdueItems ?? 10),
      overdueHidden,
    },
    services: serviceCounts(current, previous, input.topServices ?? 5),
    servicesHidden: current.filter((f) => !f.visible).length,
    weeks: weeklyTrend(input.incidents, periods),
    incidentsRead: input.incidents.length,
    truncated: input.truncated === true,
  };
}

// ---------------------------------------------------------------------------------------------
// Words and numbers for people

/**
 * A duration in few characters: `45s`, `12m`, `1h 5m`, `2d 3h`; `—` when unknown. Below an hour
 * minutes are rounded to one decimal when under 10 (`3.5m`), to whole minutes above.
 */
export function shortDuration(minutes: number | null): string {
  if (minutes === null || !Number.isFinite(minutes)) return '—';
  if (minutes < 1) return `${Math.round(minutes * 60)}s`;
  if (minutes < 10) return `${roundTo(minutes, 1)}m`;
  if (minutes < 60) return `${Math.round(minutes)}m`;
  const whole = Math.round(minutes);
  if (whole < 1440) {
    const m = whole % 60;
    return m ? `${Math.floor(whole / 60)}h ${m}m` : `${whole / 60}h`;
  }
  const hours = Math.round(minutes / 60);
  const h = hours % 24;
  return h ? `${Math.floor(hours / 24)}d ${h}h` : `${hours / 24}d`;
}

/** `last 30 days`, or `2026-01-01 to 2026-01-31`. */
export function periodTitle(periods: Periods): string {
  const { spec, current } = periods;
  return spec.kind === 'days'
    ? `last ${spec.days} ${spec.days === 1 ? 'day' : 'days'}`
    : `${current.firstDay} to ${current.lastDay}`;
}

/** `2026-01-22 to 2026-02-20 (30 days)`. */
export function periodSpan(period: Period): string {
  return `${period.firstDay} to ${period.lastDay} (${period.days} ${period.days === 1 ? 'day' : 'days'})`;
}

/** A count against the previous period's: `12 (previous 9, +3)`. */
export function countAgainst(current: number, previous: number): string {
  const delta = current - previous;
  return `${current} (previous ${previous}${delta === 0 ? '' : `, ${delta > 0 ? '+' : '−'}${Math.abs(delta)}`})`;
}
