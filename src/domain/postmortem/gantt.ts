/**
 * The phase chart of the postmortem (section 4): which phases the incident went through and when,
 * and how to draw them so that every phase stays visible.
 *
 * Phases come from the incident's milestones in time order (impact, detection, declaration,
 * identification, mitigation, resolution). A long stretch with nothing recorded (an incident
 * declared the next morning, a monitoring phase over a weekend) would make one bar dwarf the
 * response and squash every other phase into a pixel, so the drawing is cut into parts at such
 * stretches: each part is its own chart, and each break between two parts is described in words.
 * Pure: time comes in as arguments, and stamps from the caller's formatter.
 */
import type { IncidentMetrics } from '../metrics';
import type { Incident, RoleName, RoleTerm } from '../types';
import type { StampFormatter } from './format';
import type { GanttBreak, GanttChart, GanttPart, GanttTask, Party } from './model';

/** A gap between two points of the chart shorter than this is never a break. */
export const GANTT_BREAK_MIN_MINUTES = 60;
/** A part of the chart is cut when one of its bars is shorter than this share of the part's span. */
export const GANTT_MIN_BAR_SHARE = 0.01;
/** At most this many parts (the longest gaps become the breaks). */
export const GANTT_MAX_PARTS = 6;
/** A bar running into or out of a break is drawn this share of its part's span beyond the part (at least 30 s). */
const STUB_SHARE = 0.1;
const STUB_MIN_SECONDS = 30;

const ROLE_SHORT: Record<RoleName, string> = { ic: 'IC', tech: 'Tech lead', comms: 'Comms lead' };

/** A bar or milestone in milliseconds; a milestone when both ends fall in the same second. */
interface Bar {
  label: string;
  from: number;
  to: number;
  critical: boolean;
}

const second = (ms: number): number => Math.floor(ms / 1000);
const isPoint = (bar: Bar): boolean => second(bar.to) <= second(bar.from);

/** A bar, or a milestone when both ends render as the same second (the chart has no milliseconds). */
function task(label: string, from: number, to: number, critical: boolean, clock: StampFormatter): GanttTask {
  const start = clock.stamp(from);
  const end = clock.stamp(to);
  const milestone = start.date === end.date && start.time === end.time;
  return { label, start, end: milestone ? start : end, critical, milestone };
}

/** Where the incident stands: how far the lifecycle got, and whether it was declared yet. */
interface State {
  stage: 0 | 1 | 2 | 3 | 4;
  declared: boolean;
}

/** The phase a state is in; null once resolved (nothing is drawn after the resolution). */
function phaseName(s: State): string | null {
  switch (s.stage) {
    case 0:
      return 'Impact before detection';
    case 1:
      return s.declared ? 'Investigating' : 'Detected, not yet declared';
    case 2:
      return 'Mitigating';
    case 3:
      return 'Monitoring';
    default:
      return null;
  }
}

interface Milestone {
  name: string;
  at: number;
  apply: (s: State) => State;
}

/**
 * The response phases, in time order. Each bar is named after the state it starts from
 * (declared → identified is Investigating; without an identified point, declared → mitigated is
 * still Investigating; identified before the declaration makes no Investigating bar at all). A
 * point that does not fall after the previous one (in whole seconds), or that does not change the
 * phase (a declaration after the cause was found), is a milestone. Reopens are critical
 * milestones; an open incident runs on to the compile.
 */
function phaseBars(
  incident: Incident,
  metrics: IncidentMetrics,
  reopenedAt: readonly number[],
  compiledAt: number,
): { phases: Bar[]; impact: Bar } {
  const stage =
    (n: State['stage']) =>
    (s: State): State => ({ ...s, stage: Math.max(s.stage, n) as State['stage'] });
  const known: Milestone[] = [
    { name: 'Detected', at: metrics.detectedAt, apply: stage(1) },
    { name: 'Declared', at: incident.declaredAt, apply: (s) => ({ ...s, declared: true }) },
    ...(metrics.identifiedAt === null
      ? []
      : [{ name: 'Identified', at: metrics.identifiedAt, apply: stage(2) }]),
    ...(metrics.mitigatedAt === null
      ? []
      : [{ name: 'Mitigated', at: metrics.mitigatedAt, apply: stage(3) }]),
    ...(metrics.resolvedAt === null ? [] : [{ name: 'Resolved', at: metrics.resolvedAt, apply: stage(4) }]),
  ];
  // Time order; points in the same second keep the lifecycle's order.
  const order = known.map((m, i) => ({ m, i })).sort((a, b) => second(a.m.at) - second(b.m.at) || a.i - b.i);
  const phases: Bar[] = [];
  let state: State = { stage: 0, declared: false };
  let since = metrics.impactStart;
  let last = metrics.impactStart;
  for (const { m } of order) {
    const next = m.apply(state);
    const current = phaseName(state);
    if (current !== null && phaseName(next) !== current && second(m.at) > second(since)) {
      phases.push({ label: current, from: since, to: m.at, critical: false });
    } else {
      phases.push({ label: m.name, from: m.at, to: m.at, critical: false });
    }
    if (phaseName(next) !== current) since = Math.max(since, m.at);
    state = next;
    last = Math.max(last, m.at);
  }
  if (metrics.resolvedAt === null) {
    // Still open: the current phase and the impact run on to the compile.
    last = Math.max(last, compiledAt);
    const current = phaseName(state);
    if (current !== null && second(last) > second(since))
      phases.push({ label: current, from: since, to: last, critical: false });
    phases.push({ label: 'Not resolved when compiled', from: last, to: last, critical: false });
  }
  for (const at of reopenedAt) phases.push({ label: 'Reopened', from: at, to: at, critical: true });
  phases.sort((a, b) => second(a.from) - second(b.from));
  // A resolution recorded before the impact start (inconsistent facts) draws no backwards bar.
  const impact: Bar = {
    label: 'Customer impact',
    from: metrics.impactStart,
    to: Math.max(metrics.impactStart, metrics.resolvedAt ?? last),
    critical: true,
  };
  return { phases, impact };
}

/**
 * Cuts the chart into parts (windows of whole seconds) at long, empty gaps: while some part has a
 * bar shorter than {@link GANTT_MIN_BAR_SHARE} of the part's span (bars running out of the part
 * do not count), the longest gap between two consecutive points of that part is a break, if it
 * is at least {@link GANTT_BREAK_MIN_MINUTES} long. The longest such gap anywhere goes first; at
 * most {@link GANTT_MAX_PARTS} parts.
 */
export function chartWindows(bars: readonly { from: number; to: number }[]): [number, number][] {
  const points = [...new Set(bars.flatMap((b) => [second(b.from), second(b.to)]))].sort((a, b) => a - b);
  if (points.length === 0) return [];
  const ranges: [number, number][] = [[0, points.length - 1]];
  const minGap = GANTT_BREAK_MIN_MINUTES * 60;
  while (ranges.length < GANTT_MAX_PARTS) {
    let best: { range: number; at: number; gap: number } | null = null;
    ranges.forEach(([lo, hi], range) => {
      const a = points[lo]!;
      const b = points[hi]!;
      const span = b - a;
      if (span < minGap) return;
      let shortest = Number.POSITIVE_INFINITY;
      for (const bar of bars) {
        const f = second(bar.from);
        const t = second(bar.to);
        if (t > f && f >= a && t <= b) shortest = Math.min(shortest, t - f);
      }
      if (shortest >= GANTT_MIN_BAR_SHARE * span) return;
      for (let i = lo; i < hi; i += 1) {
        const gap = points[i + 1]! - points[i]!;
        if (gap >= minGap && (best === null || gap > best.gap)) best = { range, at: i, gap };
      }
    });
    if (best === null) break;
    const { range, at } = best;
    const [lo, hi] = ranges[range]!;
    ranges.splice(range, 1, [lo, at], [at + 1, hi]);
  }
  return ranges.map(([lo, hi]) => [points[lo]!, points[hi]!]);
}

/** A bar as drawn in the window [a, b] (seconds), or null when it does not touch the window. */
function clip(bar: Bar, a: number, b: number, stub: number, clock: StampFormatter): GanttTask | null {
  const f = second(bar.from);
  const t = second(bar.to);
  if (f > b || t < a) return null;
  const before = f < a;
  const after = t > b;
  if (!before && !after) return task(bar.label, bar.from, bar.to, bar.critical, clock);
  const label = `${bar.label} (${before && after ? 'continued, continues' : before ? 'continued' : 'continues'})`;
  const from = before ? (a - stub) * 1000 : bar.from;
  const to = after ? (b + stub) * 1000 : bar.to;
  return task(label, from, to, bar.critical, clock);
}

/**
 * Builds the chart: the whole impact, the phases and the role changes at their real times, and
 * the drawing of them in parts separated by breaks (one part when nothing needs cutting).
 */
export function buildGantt(
  incident: Incident,
  metrics: IncidentMetrics,
  reopenedAt: readonly number[],
  terms: readonly RoleTerm[],
  compiledAt: number,
  clock: StampFormatter,
  partyOf: (userId: string | null) => Party,
): GanttChart {
  const { phases, impact } = phaseBars(incident, metrics, reopenedAt, compiledAt);
  const roles: Bar[] = terms.map((t) => {
    const holder = partyOf(t.userId);
    const name = holder.kind === 'person' ? holder.name : holder.label;
    return { label: `${ROLE_SHORT[t.role]} ${name}`, from: t.from, to: t.from, critical: false };
  });
  const draw = (bar: Bar) => task(bar.label, bar.from, bar.to, bar.critical, clock);

  const windows = chartWindows([impact, ...phases, ...roles]);
  const parts: GanttPart[] = windows.map(([a, b]) => {
    const stub = Math.max(STUB_MIN_SECONDS, Math.round((b - a) * STUB_SHARE));
    const inside = (bar: Bar) => second(bar.from) >= a && second(bar.from) <= b;
    return {
      impact: clip(impact, a, b, stub, clock),
      phases: phases.flatMap((bar) => {
        if (isPoint(bar)) return inside(bar) ? [draw(bar)] : [];
        const drawn = clip(bar, a, b, stub, clock);
        return drawn ? [drawn] : [];
      }),
      roleChanges: roles.filter(inside).map(draw),
    };
  });
  const breaks: GanttBreak[] = windows.slice(1).map(([to], i) => {
    const from = windows[i]![1];
    const running = [impact, ...phases].filter(
      (bar) => !isPoint(bar) && second(bar.from) <= from && second(bar.to) >= to,
    );
    return {
      from: clock.stamp(from * 1000),
      to: clock.stamp(to * 1000),
      minutes: (to - from) / 60,
      running: running.map((bar) => ({
        label: bar.label,
        minutes: Math.max(0, second(bar.to) - second(bar.from)) / 60,
      })),
    };
  });
  return { impact: draw(impact), phases: phases.map(draw), roleChanges: roles.map(draw), parts, breaks };
}
