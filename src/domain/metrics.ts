/**
 * Response metrics of one incident: pure arithmetic over the incident record and its role terms.
 * Every duration is in minutes (possibly fractional) and `null` when an end point is unknown,
 * for example while the incident is not yet resolved.
 */
import type { Incident, MetricTargets, RoleTerm } from './types';

/** What the postmortem prints where a value is unknown or still unwritten. */
export const NOT_RECORDED = '_Not recorded_';

/** Minutes in the 30-day month the SLA figures are computed against. */
export const MINUTES_PER_SLA_MONTH = 30 * 24 * 60;

const MS_PER_MINUTE = 60_000;

/** Good: within the target; Fair: within twice the target; Poor: beyond that. */
export type Verdict = 'Good' | 'Fair' | 'Poor';

export type MetricKey = 'detect' | 'acknowledge' | 'mitigate' | 'resolve';

/** One response-time metric measured against its target. */
export interface MetricResult {
  key: MetricKey;
  label: string;
  /** From → to, in words, e.g. `impact start → detection`. */
  span: string;
  minutes: number | null;
  targetMinutes: number;
  verdict: Verdict | null;
}

/** SLA figures: downtime against a 30-day month, and the MTTR target. */
export interface SlaResult {
  downtimeMinutes: number | null;
  /** Monthly uptime as shown: rounded to 2 decimals (e.g. `99.94`), at most 99.99 with any downtime. */
  uptimePercent: number | null;
  uptimeTargetPercent: number;
  /** True when the (unrounded) uptime falls below the target. */
  uptimeBreach: boolean | null;
  mttrMinutes: number | null;
  mttrTargetMinutes: number;
  mttrBreach: boolean | null;
  /** `28 minutes downtime → monthly uptime: 99.94%`, or {@link NOT_RECORDED}. */
  line: string;
}

/** Everything the postmortem computes about an incident's timing. */
export interface IncidentMetrics {
  /** startedAt, or declaredAt when the start was never given. */
  impactStart: number;
  /** detectedAt, or declaredAt when detection was never given. */
  detectedAt: number;
  /** Start of the first Incident Commander term, if any. */
  acknowledgedAt: number | null;
  /** When impact was mitigated (see {@link computeMetrics}). */
  mitigatedAt: number | null;
  resolvedAt: number | null;
  /** Impact start → resolution. */
  durationMinutes: number | null;
  /** Impact start → detection. */
  detectionLagMinutes: number;
  /** detect, acknowledge, mitigate, resolve, in that order. */
  metrics: [MetricResult, MetricResult, MetricResult, MetricResult];
  sla: SlaResult;
}

/** Observations that refine the incident record (taken from the timeline by the caller). */
export interface MetricObservations {
  /** Time of the first change to `monitoring`, used when the record has no mitigatedAt. */
  firstMonitoringAt?: number | null;
}

/**
 * Minutes from `from` to `to`, or null when either end is unknown. Negative spans (clock skew,
 * a start backdated after the fact) are clamped to 0.
 */
export function minutesBetween(
  from: number | null | undefined,
  to: number | null | undefined,
): number | null {
  if (from == null || to == null || !Number.isFinite(from) || !Number.isFinite(to)) return null;
  return Math.max(0, to - from) / MS_PER_MINUTE;
}

/** Rounds to at most `digits` decimals, nudging halves away from binary representation error. */
export function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round((value + Number.EPSILON * Math.sign(value)) * factor) / factor;
}

/** Good (≤ target), Fair (≤ 2 × target) or Poor; null when the duration is unknown. */
export function verdictFor(minutes: number | null, targetMinutes: number): Verdict | null {
  if (minutes == null) return null;
  if (minutes <= targetMinutes) return 'Good';
  if (minutes <= 2 * targetMinutes) return 'Fair';
  return 'Poor';
}

/** Uptime of a 30-day month with `downtimeMinutes` of downtime, unrounded, never below 0. */
export function monthlyUptimePercent(downtimeMinutes: number): number {
  const up = Math.max(0, MINUTES_PER_SLA_MONTH - Math.max(0, downtimeMinutes));
  return (up / MINUTES_PER_SLA_MONTH) * 100;
}

/** The highest uptime shown while there was any downtime: 100.00% would read as no outage. */
export const MAX_UPTIME_WITH_DOWNTIME = 99.99;

/**
 * Monthly uptime as shown (2 decimals): rounded, but capped at {@link MAX_UPTIME_WITH_DOWNTIME}
 * when there was downtime (1 minute is 99.998 %, which would otherwise round to 100.00 %).
 */
export function displayedUptimePercent(downtimeMinutes: number): number {
  const rounded = roundTo(monthlyUptimePercent(downtimeMinutes), 2);
  return downtimeMinutes > 0 ? Math.min(rounded, MAX_UPTIME_WITH_DOWNTIME) : rounded;
}

/** A minute count as text: at most 2 decimals, no trailing zeros (`0.5`, `28`); null → `_Not recorded_`. */
export function formatMinuteCount(minutes: number | null): string {
  if (minutes == null || !Number.isFinite(minutes)) return NOT_RECORDED;
  return String(roundTo(minutes, 2));
}

/**
 * A duration for people: `0.5 minutes`, `1 minute`, `95 minutes (1 h 35 min)`; null → `_Not recorded_`.
 */
export function formatDuration(minutes: number | null): string {
  if (minutes == null || !Number.isFinite(minutes)) return NOT_RECORDED;
  const count = formatMinuteCount(minutes);
  const base = `${count} ${count === '1' ? 'minute' : 'minutes'}`;
  if (minutes < 60) return base;
  const whole = Math.round(minutes);
  const days = Math.floor(whole / 1440);
  const hours = Math.floor((whole % 1440) / 60);
  const mins = whole % 60;
  const parts = [days ? `${days} d` : '', hours ? `${hours} h` : '', mins ? `${mins} min` : ''].filter(
    Boolean,
  );
  return `${base} (${parts.join(' ')})`;
}

/** Uptime as `99.94%` (two decimals); null → `_Not recorded_`. */
export function formatPercent(percent: number | null): string {
  if (percent == null || !Number.isFinite(percent)) return NOT_RECORDED;
  return `${roundTo(percent, 2).toFixed(2)}%`;
}

/** `N minutes downtime → monthly uptime: X%`, or `_Not recorded_` when the downtime is unknown. */
export function slaLine(downtimeMinutes: number | null): string {
  if (downtimeMinutes == null) return NOT_RECORDED;
  const count = formatMinuteCount(downtimeMinutes);
  const unit = count === '1' ? 'minute' : 'minutes';
  return `${count} ${unit} downtime → monthly uptime: ${formatPercent(displayedUptimePercent(downtimeMinutes))}`;
}

/** Start of the earliest Incident Commander term, or null when nobody ever held the role. */
export function firstCommanderAt(roles: readonly RoleTerm[]): number | null {
  let first: number | null = null;
  for (const term of roles) {
    if (term.role === 'ic' && (first === null || term.from < first)) first = term.from;
  }
  return first;
}

/** SLA figures for a downtime and a time to resolve, against the targets. */
export function computeSla(
  downtimeMinutes: number | null,
  mttrMinutes: number | null,
  targets: MetricTargets,
): SlaResult {
  const exactUptime = downtimeMinutes == null ? null : monthlyUptimePercent(downtimeMinutes);
  return {
    downtimeMinutes,
    uptimePercent: downtimeMinutes == null ? null : displayedUptimePercent(downtimeMinutes),
    uptimeTargetPercent: targets.uptimePercent,
    uptimeBreach: exactUptime == null ? null : exactUptime < targets.uptimePercent,
    mttrMinutes,
    mttrTargetMinutes: targets.mttrMinutes,
    mttrBreach: mttrMinutes == null ? null : mttrMinutes > targets.mttrMinutes,
    line: slaLine(downtimeMinutes),
  };
}

function metric(
  key: MetricKey,
  label: string,
  span: string,
  minutes: number | null,
  target: number,
): MetricResult {
  return { key, label, span, minutes, targetMinutes: target, verdict: verdictFor(minutes, target) };
}

/**
 * Computes durations, verdicts and SLA figures.
 *
 * - impact start = startedAt ?? declaredAt; detection = detectedAt ?? declaredAt;
 * - acknowledge = declaredAt → first IC term (the declarer's own term at declaration gives 0);
 * - mitigation = incident.mitigatedAt, else the first `monitoring` seen on the timeline, else the
 *   resolution (an incident resolved without a monitoring phase was mitigated when resolved);
 * - duration = time to resolve = MTTR = impact start → resolvedAt.
 */
export function computeMetrics(
  incident: Incident,
  roles: readonly RoleTerm[],
  targets: MetricTargets,
  observed: MetricObservations = {},
): IncidentMetrics {
  const impactStart = incident.startedAt ?? incident.declaredAt;
  const detectedAt = incident.detectedAt ?? incident.declaredAt;
  const acknowledgedAt = firstCommanderAt(roles);
  const resolvedAt = incident.resolvedAt;
  const mitigatedAt = incident.mitigatedAt ?? observed.firstMonitoringAt ?? resolvedAt;
  const detectionLag = minutesBetween(impactStart, detectedAt) ?? 0;
  const duration = minutesBetween(impactStart, resolvedAt);
  return {
    impactStart,
    detectedAt,
    acknowledgedAt,
    mitigatedAt,
    resolvedAt,
    durationMinutes: duration,
    detectionLagMinutes: detectionLag,
    metrics: [
      metric('detect', 'Time to detect', 'impact start → detection', detectionLag, targets.detectMinutes),
      metric(
        'acknowledge',
        'Time to acknowledge',
        'declaration → first Incident Commander',
        minutesBetween(incident.declaredAt, acknowledgedAt),
        targets.acknowledgeMinutes,
      ),
      metric(
        'mitigate',
        'Time to mitigate',
        'impact start → monitoring',
        minutesBetween(impactStart, mitigatedAt),
        targets.mitigateMinutes,
      ),
      metric('resolve', 'Time to resolve', 'impact start → resolved', duration, targets.resolveMinutes),
    ],
    sla: computeSla(duration, duration, targets),
  };
}
