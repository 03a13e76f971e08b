/**
 * Response metrics of one incident: pure arithmetic over the incident record and its role terms.
 * Every duration is in minutes (possibly fractional) and `null` when an end point is unknown,
 * for example while the incident is not yet resolved.
 */
import { type CapturedMessage, type Incident, type MetricTargets, type RoleTerm, tsToMillis } from './types';

/** What the postmortem prints where a value is unknown or still unwritten. */
export const NOT_RECORDED = '_Not recorded_';

/** Minutes in the 30-day month the SLA figures are computed against. */
export const MINUTES_PER_SLA_MONTH = 30 * 24 * 60;

const MS_PER_SECOND = 1000;

/** Good: within the target; Fair: within twice the target; Poor: beyond that. */
export type Verdict = 'Good' | 'Fair' | 'Poor';

/** The response measures of the team template, in the order they are reported. */
export const METRIC_KEYS = ['detect', 'acknowledge', 'diagnose', 'mitigate', 'resolve'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

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
  /**
   * The first human response: the first human message in the incident channel or the
   * declaration, whichever is earlier.
   */
  acknowledgedAt: number;
  /** When the cause was identified (the record's identifiedAt, else the first `identified` seen). */
  identifiedAt: number | null;
  /** When impact was mitigated (see {@link computeMetrics}). */
  mitigatedAt: number | null;
  resolvedAt: number | null;
  /** Impact start → resolution. */
  durationMinutes: number | null;
  /** Impact start → detection. */
  detectionLagMinutes: number;
  /** detect, acknowledge, diagnose, mitigate, resolve: in {@link METRIC_KEYS} order. */
  metrics: [MetricResult, MetricResult, MetricResult, MetricResult, MetricResult];
  sla: SlaResult;
}

/** Observations that refine the incident record (taken from the timeline by the caller). */
export interface MetricObservations {
  /** Time of the first change to `monitoring`, used when the record has no mitigatedAt. */
  firstMonitoringAt?: number | null;
  /** Time of the first change to `identified`, used when the record has no identifiedAt. */
  firstIdentifiedAt?: number | null;
  /**
   * Time of the first human message in the incident channel (see {@link firstHumanMessageAt});
   * absent or null: only the declaration counts as the first response.
   */
  firstHumanMessageAt?: number | null;
}

/**
 * Minutes from `from` to `to`, or null when either end is unknown. Both ends count in whole
 * seconds, as every time in the document is shown (10:30:30 → 10:30:45 is 15 s, whatever the
 * milliseconds). Negative spans (clock skew, a start backdated after the fact) are clamped to 0.
 */
export function minutesBetween(
  from: number | null | undefined,
  to: number | null | undefined,
): number | null {
  if (from == null || to == null || !Number.isFinite(from) || !Number.isFinite(to)) return null;
  const seconds = Math.floor(to / MS_PER_SECOND) - Math.floor(from / MS_PER_SECOND);
  return Math.max(0, seconds) / 60;
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

/** `1 h 35 min`, `2 d 3 h`, `45 s`: a duration in whole units, for a glance. */
function compactDuration(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  const whole = Math.round(minutes);
  const days = Math.floor(whole / 1440);
  const hours = Math.floor((whole % 1440) / 60);
  const mins = whole % 60;
  return [days ? `${days} d` : '', hours ? `${hours} h` : '', mins ? `${mins} min` : '']
    .filter(Boolean)
    .join(' ');
}

/**
 * A duration for people: `0.25 minutes (15 s)`, `1 minute`, `95 minutes (1 h 35 min)`; null →
 * `_Not recorded_`. Under a minute the seconds are added, from an hour on hours and days.
 */
export function formatDuration(minutes: number | null): string {
  if (minutes == null || !Number.isFinite(minutes)) return NOT_RECORDED;
  const count = formatMinuteCount(minutes);
  const base = `${count} ${count === '1' ? 'minute' : 'minutes'}`;
  if ((minutes > 0 && minutes < 1) || minutes >= 60) return `${base} (${compactDuration(minutes)})`;
  return base;
}

/**
 * A short duration for tight spaces (the Slack summary): `15 s` under a minute, `3.5 min` under
 * an hour, then `1 h 35 min`, `2 d 3 h`; null → `_Not recorded_`.
 */
export function formatShortDuration(minutes: number | null): string {
  if (minutes == null || !Number.isFinite(minutes)) return NOT_RECORDED;
  if (minutes < 1) return compactDuration(minutes);
  if (minutes < 60) return `${formatMinuteCount(minutes)} min`;
  return compactDuration(minutes);
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

/**
 * Time of the earliest message a person wrote in the incident channel (thread replies included;
 * messages of apps and bots, which carry a bot id, are not a human response), or null.
 */
export function firstHumanMessageAt(messages: readonly CapturedMessage[]): number | null {
  let first: number | null = null;
  for (const m of messages) {
    if (m.userId === null || m.botId !== null) continue;
    const at = tsToMillis(m.ts);
    if (Number.isFinite(at) && (first === null || at < first)) first = at;
  }
  return first;
}

/** The first human response: the first human message or the declaration, whichever is earlier. */
export function firstResponseAt(declaredAt: number, firstMessageAt: number | null | undefined): number {
  return firstMessageAt != null && firstMessageAt < declaredAt ? firstMessageAt : declaredAt;
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

/** The measured minutes of one metric (null when unknown), e.g. for medians across incidents. */
export function metricMinutes(metrics: IncidentMetrics, key: MetricKey): number | null {
  return metrics.metrics.find((m) => m.key === key)?.minutes ?? null;
}

/**
 * Computes durations, verdicts and SLA figures, as the team template measures them:
 *
 * - impact start = startedAt ?? declaredAt; detection = detectedAt ?? declaredAt;
 * - detect = impact start → detection;
 * - acknowledge = detection → the first human response: the first human message in the incident
 *   channel (`observed.firstHumanMessageAt`) or the declaration, whichever is earlier;
 * - diagnose = detection → identified (the record's identifiedAt, else the first `identified` on
 *   the timeline); unknown while the cause was never marked identified;
 * - mitigate = impact start → mitigation: incident.mitigatedAt, else the first `monitoring` seen on
 *   the timeline, else the resolution (an incident resolved without a monitoring phase was
 *   mitigated when resolved);
 * - resolve = duration = MTTR = impact start → resolvedAt.
 *
 * Spans that would be negative (a response before a backdated detection) count as 0. Role terms
 * no longer enter any measure (`roles` is kept so that callers need not change); the former
 * "declaration → first Incident Commander" was 0 whenever the declarer became IC.
 */
export function computeMetrics(
  incident: Incident,
  _roles: readonly RoleTerm[],
  targets: MetricTargets,
  observed: MetricObservations = {},
): IncidentMetrics {
  const impactStart = incident.startedAt ?? incident.declaredAt;
  const detectedAt = incident.detectedAt ?? incident.declaredAt;
  const acknowledgedAt = firstResponseAt(incident.declaredAt, observed.firstHumanMessageAt);
  const identifiedAt = incident.identifiedAt ?? observed.firstIdentifiedAt ?? null;
  const resolvedAt = incident.resolvedAt;
  const mitigatedAt = incident.mitigatedAt ?? observed.firstMonitoringAt ?? resolvedAt;
  const detectionLag = minutesBetween(impactStart, detectedAt) ?? 0;
  const duration = minutesBetween(impactStart, resolvedAt);
  return {
    impactStart,
    detectedAt,
    acknowledgedAt,
    identifiedAt,
    mitigatedAt,
    resolvedAt,
    durationMinutes: duration,
    detectionLagMinutes: detectionLag,
    metrics: [
      metric('detect', 'Time to detect', 'impact start → detection', detectionLag, targets.detectMinutes),
      metric(
        'acknowledge',
        'Time to acknowledge',
        'detection → first human response',
        minutesBetween(detectedAt, acknowledgedAt),
        targets.acknowledgeMinutes,
      ),
      metric(
        'diagnose',
        'Time to diagnose',
        'detection → identified',
        minutesBetween(detectedAt, identifiedAt),
        targets.diagnoseMinutes,
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
