import {
  computeInsights,
  countAgainst,
  type IncidentFacts,
  measureIncident,
  percentile,
  shortDuration,
  spreadOf,
  trendOf,
} from '../../src/domain/insights';
import { draftIncident } from '../../src/domain/lifecycle';
import { computeMetrics } from '../../src/domain/metrics';
import { metricObservations } from '../../src/domain/postmortem/compile';
import { addDays, rangeProblem, resolvePeriods, startOfDay } from '../../src/domain/stats-period';
import {
  type ActionItem,
  DEFAULT_TARGETS,
  type Incident,
  type RoleTerm,
  type Severity,
  type TimelineEvent,
} from '../../src/domain/types';

const MIN = 60_000;
const TZ = 'Europe/Oslo';
/** 2026-02-20 12:00 UTC (13:00 in Oslo). */
const NOW = Date.UTC(2026, 1, 20, 12, 0);
const PERIODS = resolvePeriods({ kind: 'days', days: 30 }, NOW, TZ);

let seq = 0;

/** An incident declared `daysAgo` days before NOW: impact `startLag` minutes before, resolved `resolveAfter` after the start. */
function incident(
  over: Partial<Incident> & { daysAgo?: number; startLag?: number | null; resolveAfter?: number | null } = {},
): Incident {
  const { daysAgo = 3, startLag = 10, resolveAfter = 60, ...rest } = over;
  seq += 1;
  const declaredAt = NOW - daysAgo * 86_400_000;
  const startedAt = startLag === null ? null : declaredAt - startLag * MIN;
  const base = draftIncident({
    title: `Incident ${seq}`,
    severity: 'P2',
    declaredBy: 'UALICE',
    originChannelId: 'CGENERAL',
    declaredAt,
  });
  return {
    ...base,
    id: `INC-2026-${String(seq).padStart(3, '0')}`,
    year: 2026,
    seq,
    channelId: `C${seq}`,
    channelName: `inc-${seq}`,
    startedAt,
    detectedAt: startedAt === null ? null : startedAt + 2 * MIN,
    resolvedAt: resolveAfter === null ? null : (startedAt ?? declaredAt) + resolveAfter * MIN,
    status: resolveAfter === null ? 'investigating' : 'resolved',
    ...rest,
  };
}

const ic = (i: Incident, after = 0): RoleTerm => ({
  id: 1,
  incidentId: i.id,
  role: 'ic',
  userId: 'UALICE',
  from: i.declaredAt + after * MIN,
  to: null,
  assignedBy: 'UALICE',
});

function action(i: Incident, n: number, over: Partial<ActionItem> = {}): ActionItem {
  return {
    id: n,
    incidentId: i.id,
    seq: n,
    text: `Do thing ${n}`,
    owner: 'UBOB',
    due: null,
    priority: 'P2',
    status: 'open',
    createdAt: i.declaredAt,
    createdBy: 'UALICE',
    doneAt: null,
    sourceRef: null,
    ...over,
  };
}

function facts(
  i: Incident,
  over: Partial<Omit<IncidentFacts, 'incident'>> & { ackAfter?: number; timeline?: TimelineEvent[] } = {},
): IncidentFacts {
  const { ackAfter = 0, timeline = [], ...rest } = over;
  return {
    incident: i,
    measures: measureIncident(i, [ic(i, ackAfter)], timeline, [], DEFAULT_TARGETS),
    actions: [],
    services: [],
    visible: true,
    ...rest,
  };
}

const minutes = (
  insights: ReturnType<typeof computeInsights>,
  key: string,
  severity: Severity | 'all' = 'all',
) => insights.measures.find((m) => m.key === key)!.rows.find((r) => r.severity === severity)!;

describe('percentile and spread', () => {
  it('interpolates between the nearest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 90)).toBeCloseTo(3.7);
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([0, 100], 90)).toBe(90);
  });

  it('of one value is that value, of none is null', () => {
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it('leaves out unknown values and counts them as missing', () => {
    expect(spreadOf([30, null, 10, 20, null])).toEqual({ count: 3, missing: 2, median: 20, p90: 28 });
    expect(spreadOf([null])).toEqual({ count: 0, missing: 1, median: null, p90: null });
    expect(spreadOf([])).toEqual({ count: 0, missing: 0, median: null, p90: null });
  });
});

describe('periods', () => {
  it('the last 30 days are whole days in the zone, today included, with the 30 days before', () => {
    expect(PERIODS.current).toMatchObject({ firstDay: '2026-01-22', lastDay: '2026-02-20', days: 30 });
    expect(PERIODS.previous).toMatchObject({ firstDay: '2025-12-23', lastDay: '2026-01-21', days: 30 });
    // Midnight in Oslo (UTC+1 in winter).
    expect(PERIODS.current.start).toBe(Date.UTC(2026, 0, 21, 23, 0));
    expect(PERIODS.current.end).toBe(Date.UTC(2026, 1, 20, 23, 0));
    expect(PERIODS.previous.end).toBe(PERIODS.current.start);
  });

  it('a range includes both days, across a DST change, and the previous period has as many days', () => {
    const p = resolvePeriods(
      { kind: 'range', from: '2026-03-01', to: '2026-03-31' },
      NOW + 60 * 86_400_000,
      TZ,
    );
    expect(p.current.days).toBe(31);
    expect(p.current.start).toBe(Date.UTC(2026, 1, 28, 23, 0));
    // Oslo is on summer time (UTC+2) by the end of March.
    expect(p.current.end).toBe(Date.UTC(2026, 2, 31, 22, 0));
    expect(p.previous).toMatchObject({ firstDay: '2026-01-29', lastDay: '2026-02-28', days: 31 });
  });

  it('the day after "today" late in the evening in a zone east of UTC', () => {
    const lateUtc = Date.UTC(2026, 1, 20, 23, 30); // already 2026-02-21 in Oslo
    expect(resolvePeriods({ kind: 'days', days: 1 }, lateUtc, TZ).current.firstDay).toBe('2026-02-21');
    expect(resolvePeriods({ kind: 'days', days: 1 }, lateUtc, 'UTC').current.firstDay).toBe('2026-02-20');
  });

  it('a day whose midnight does not exist starts at the first instant that does', () => {
    // America/Santiago moved its clocks from 00:00 to 01:00 on 2025-09-07.
    expect(startOfDay('2025-09-07', 'America/Santiago')).toBe(Date.UTC(2025, 8, 7, 4, 0));
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('rangeProblem refuses unreal dates, reversed or future ranges, and over-long periods', () => {
    const today = '2026-02-20';
    expect(rangeProblem('2026-01-01', '2026-01-31', today)).toBeNull();
    expect(rangeProblem('2026-02-20', '2026-02-20', today)).toBeNull();
    expect(rangeProblem('2026-02-30', '2026-03-01', today)).toMatch(/2026-02-30 is not a real calendar date/);
    expect(rangeProblem('2026-02-01', '2026-01-01', today)).toMatch(/starts \(2026-02-01\) after it ends/);
    expect(rangeProblem('2026-02-01', '2026-02-21', today)).toMatch(/ends after today \(2026-02-20\)/);
    expect(rangeProblem('2023-01-01', '2026-01-01', today)).toMatch(
      /is 1097 days; a period may be at most 730/,
    );
  });
});

describe('measures', () => {
  it('are what computeMetrics gives, with the first change to monitoring from the timeline', () => {
    const i = incident({ startLag: 10, resolveAfter: 90 });
    const monitoring: TimelineEvent = {
      id: 1,
      incidentId: i.id,
      kind: 'status',
      at: i.startedAt! + 40 * MIN,
      actor: 'UALICE',
      text: 'fixed',
      ref: 'monitoring',
      recordedAt: i.startedAt! + 40 * MIN,
    };
    const later = { ...monitoring, id: 2, at: monitoring.at + 5 * MIN, recordedAt: monitoring.at + 5 * MIN };
    expect(metricObservations([later, monitoring], [])).toEqual({
      firstIdentifiedAt: null,
      firstMonitoringAt: monitoring.at,
      firstHumanMessageAt: null,
    });
    const measured = measureIncident(i, [ic(i, 3)], [later, monitoring], [], DEFAULT_TARGETS);
    expect(measured).toEqual(
      computeMetrics(i, [ic(i, 3)], DEFAULT_TARGETS, { firstMonitoringAt: monitoring.at }),
    );
    expect(measured.metrics.find((m) => m.key === 'mitigate')!.minutes).toBe(40);
  });
});

describe('computeInsights', () => {
  it('with no incidents at all: zero counts, no measures, no services, the weeks still listed', () => {
    const insights = computeInsights({ incidents: [], periods: PERIODS, now: NOW });
    expect(insights.incidents.current).toEqual({ total: 0, bySeverity: { P1: 0, P2: 0, P3: 0, P4: 0 } });
    expect(insights.incidents.previous.total).toBe(0);
    expect(insights.measures).toEqual([]);
    expect(insights.services).toEqual([]);
    expect(insights.actions).toEqual({ open: 0, overdue: 0, overdueItems: [], overdueHidden: 0 });
    // 2026-01-22 is a Thursday: the first week starts on Monday 2026-01-19; five weeks reach 2026-02-20.
    expect(insights.weeks.map((w) => w.weekStart)).toEqual([
      '2026-01-19',
      '2026-01-26',
      '2026-02-02',
      '2026-02-09',
      '2026-02-16',
    ]);
    expect(insights.weeks.every((w) => w.incidents === 0 && w.medianResolveMinutes === null)).toBe(true);
    expect(insights.today).toBe('2026-02-20');
  });

  it('with one incident: its own times are the median and the 90th percentile, nothing to compare with', () => {
    const i = incident({ severity: 'P1', startLag: 10, resolveAfter: 45 });
    const insights = computeInsights({ incidents: [facts(i, { ackAfter: 4 })], periods: PERIODS, now: NOW });
    expect(insights.incidents.current).toEqual({ total: 1, bySeverity: { P1: 1, P2: 0, P3: 0, P4: 0 } });
    expect(insights.measures.map((m) => m.key)).toEqual([
      'detect',
      'acknowledge',
      'diagnose',
      'mitigate',
      'resolve',
    ]);
    const resolve = minutes(insights, 'resolve');
    expect(resolve.current).toEqual({ count: 1, missing: 0, median: 45, p90: 45 });
    expect(resolve.previous).toEqual({ count: 0, missing: 0, median: null, p90: null });
    // Detection (2 min after the impact start) → the declaration (10 min after it): the first response.
    expect(minutes(insights, 'acknowledge').current.median).toBe(8);
    expect(minutes(insights, 'detect').current.median).toBe(2);
    // Rows: all, then only the severities that occurred.
    expect(insights.measures[0]!.rows.map((r) => r.severity)).toEqual(['all', 'P1']);
    expect(insights.weeks.find((w) => w.incidents > 0)).toMatchObject({
      incidents: 1,
      medianResolveMinutes: 45,
    });
  });

  it('leaves an unresolved incident out of resolve and mitigate, and counts it as missing and unresolved', () => {
    const done = incident({ resolveAfter: 30 });
    const open = incident({ resolveAfter: null });
    const insights = computeInsights({ incidents: [facts(done), facts(open)], periods: PERIODS, now: NOW });
    expect(minutes(insights, 'resolve').current).toEqual({ count: 1, missing: 1, median: 30, p90: 30 });
    expect(minutes(insights, 'mitigate').current).toMatchObject({ count: 1, missing: 1 });
    expect(minutes(insights, 'detect').current).toMatchObject({ count: 2, missing: 0 });
    expect(insights.incidents.unresolved).toBe(1);
  });

  it('an incident without a recorded start or detection counts as computeMetrics counts it (from the declaration)', () => {
    const i = incident({ startLag: null, detectedAt: null, resolveAfter: 20 });
    const insights = computeInsights({ incidents: [facts(i)], periods: PERIODS, now: NOW });
    expect(minutes(insights, 'detect').current.median).toBe(0);
    expect(minutes(insights, 'resolve').current.median).toBe(20);
  });

  it('a measure left without any value (measures missing) is an empty spread, not a crash', () => {
    const i = incident();
    const insights = computeInsights({
      incidents: [{ ...facts(i), measures: null }],
      periods: PERIODS,
      now: NOW,
    });
    expect(insights.incidents.current.total).toBe(1);
    expect(insights.measures).toEqual([]);
  });

  it('compares with the previous period per severity', () => {
    const incidents = [
      facts(incident({ severity: 'P1', resolveAfter: 40 })),
      facts(incident({ severity: 'P1', resolveAfter: 60 })),
      facts(incident({ severity: 'P3', resolveAfter: 200 })),
      facts(incident({ severity: 'P1', daysAgo: 40, resolveAfter: 100 })),
      facts(incident({ severity: 'P4', daysAgo: 45, resolveAfter: 10 })),
      // Before the previous period: counted nowhere.
      facts(incident({ severity: 'P2', daysAgo: 70, resolveAfter: 10 })),
    ];
    const insights = computeInsights({ incidents, periods: PERIODS, now: NOW });
    expect(insights.incidents.current.bySeverity).toEqual({ P1: 2, P2: 0, P3: 1, P4: 0 });
    expect(insights.incidents.previous.bySeverity).toEqual({ P1: 1, P2: 0, P3: 0, P4: 1 });
    expect(insights.measures[0]!.rows.map((r) => r.severity)).toEqual(['all', 'P1', 'P3', 'P4']);
    const p1 = minutes(insights, 'resolve', 'P1');
    expect(p1.current).toMatchObject({ count: 2, median: 50, p90: 58 });
    expect(p1.previous).toMatchObject({ count: 1, median: 100 });
    expect(minutes(insights, 'resolve', 'P4').current).toMatchObject({ count: 0, median: null });
    expect(minutes(insights, 'resolve').current.median).toBe(60);
  });

  it('counts an incident by its declaration: at the first instant of the period in, at the end out', () => {
    const atStart = incident({ declaredAt: PERIODS.current.start });
    const justBefore = incident({ declaredAt: PERIODS.current.start - 1 });
    const insights = computeInsights({
      incidents: [facts(atStart), facts(justBefore)],
      periods: PERIODS,
      now: NOW,
    });
    expect(insights.incidents.current.total).toBe(1);
    expect(insights.incidents.previous.total).toBe(1);
  });

  it('ranks services by incidents, normalised like related incidents (case, notes, comma lists)', () => {
    const incidents = [
      facts(incident(), { services: ['Payments API (EU only)', 'checkout'] }),
      facts(incident(), { services: ['payments api, Checkout'] }),
      facts(incident(), { services: ['payments API', 'PAYMENTS API (all)'] }),
      facts(incident(), { services: ['search'] }),
      facts(incident({ daysAgo: 40 }), { services: ['search', 'Search'] }),
      facts(incident({ daysAgo: 41 }), { services: ['only-before'] }),
    ];
    const insights = computeInsights({ incidents, periods: PERIODS, now: NOW });
    expect(insights.services).toEqual([
      { name: 'Payments API', current: 3, previous: 0 },
      { name: 'checkout', current: 2, previous: 0 },
      { name: 'search', current: 1, previous: 1 },
    ]);
    expect(computeInsights({ incidents, periods: PERIODS, now: NOW, topServices: 1 }).services).toHaveLength(
      1,
    );
  });

  it('counts private incidents the person may not see, but never shows their services or action items', () => {
    const secret = incident({ isPrivate: true, severity: 'P1' });
    const incidents = [
      facts(secret, {
        visible: false,
        services: ['payroll'],
        actions: [action(secret, 1, { due: '2026-02-01', text: 'Rotate the payroll key' })],
      }),
      facts(incident(), { services: ['checkout'] }),
    ];
    const insights = computeInsights({ incidents, periods: PERIODS, now: NOW });
    expect(insights.incidents.current.total).toBe(2);
    expect(insights.incidents.private).toBe(1);
    expect(insights.services.map((s) => s.name)).toEqual(['checkout']);
    expect(insights.servicesHidden).toBe(1);
    expect(insights.actions).toMatchObject({ open: 1, overdue: 1, overdueItems: [], overdueHidden: 1 });
    expect(JSON.stringify(insights)).not.toContain('payroll');
    // A member sees them.
    const member = computeInsights({
      incidents: incidents.map((f) => ({ ...f, visible: true })),
      periods: PERIODS,
      now: NOW,
    });
    expect(member.services.map((s) => s.name)).toEqual(['checkout', 'payroll']);
    expect(member.actions.overdueItems.map((a) => a.text)).toEqual(['Rotate the payroll key']);
  });

  it('counts open and overdue action items over every incident, the most overdue listed first', () => {
    const old = incident({ daysAgo: 200 });
    const recent = incident();
    const incidents = [
      facts(old, {
        measures: null,
        actions: [
          action(old, 1, { due: '2025-09-01' }),
          action(old, 2, { due: '2025-08-01', status: 'done', doneAt: NOW }),
          action(old, 3, { due: null }),
        ],
      }),
      facts(recent, {
        actions: [
          action(recent, 1, { due: '2026-02-20' }), // due today: not overdue
          action(recent, 2, { due: '2026-02-19' }),
          action(recent, 3, { due: '2026-03-01' }),
        ],
      }),
    ];
    const insights = computeInsights({ incidents, periods: PERIODS, now: NOW });
    expect(insights.actions.open).toBe(5);
    expect(insights.actions.overdue).toBe(2);
    expect(insights.actions.overdueItems.map((a) => [a.incidentId, a.seq, a.daysOverdue])).toEqual([
      [old.id, 1, 172],
      [recent.id, 2, 1],
    ]);
    expect(computeInsights({ incidents, periods: PERIODS, now: NOW, overdueItems: 1 }).actions).toMatchObject(
      {
        overdue: 2,
        overdueItems: [{ seq: 1 }],
      },
    );
  });

  it('buckets the period by week (Monday to Sunday, in the zone) with each week’s median time to resolve', () => {
    // Monday 2026-02-16 00:30 in Oslo is Sunday 23:30 UTC: it belongs to the week of the 16th.
    const mondayEarly = incident({ declaredAt: Date.UTC(2026, 1, 15, 23, 30), resolveAfter: 30 });
    const sameWeek = incident({ declaredAt: Date.UTC(2026, 1, 18, 9), resolveAfter: 90 });
    const unresolved = incident({ declaredAt: Date.UTC(2026, 1, 19, 9), resolveAfter: null });
    const sunday = incident({ declaredAt: Date.UTC(2026, 1, 15, 12), resolveAfter: 10 });
    const insights = computeInsights({
      incidents: [mondayEarly, sameWeek, unresolved, sunday].map((i) => facts(i)),
      periods: PERIODS,
      now: NOW,
    });
    expect(insights.weeks.at(-1)).toEqual({
      weekStart: '2026-02-16',
      incidents: 3,
      medianResolveMinutes: 60,
    });
    expect(insights.weeks.at(-2)).toEqual({
      weekStart: '2026-02-09',
      incidents: 1,
      medianResolveMinutes: 10,
    });
  });

  it('says when the store held more incidents than were read', () => {
    const insights = computeInsights({
      incidents: [facts(incident())],
      periods: PERIODS,
      now: NOW,
      truncated: true,
    });
    expect(insights).toMatchObject({ truncated: true, incidentsRead: 1 });
  });
});

describe('words and numbers', () => {
  it('shortDuration keeps durations short', () => {
    expect([0, 0.25, 3.5, 12.4, 60, 95, 1440, 1500, 3000, null].map(shortDuration)).toEqual([
      '0s',
      '15s',
      '3.5m',
      '12m',
      '1h',
      '1h 35m',
      '1d',
      '1d 1h',
      '2d 2h',
      '—',
    ]);
  });

  it('trendOf: lower is faster; the same when they read the same; unknown without both', () => {
    expect(trendOf(10, 20)).toBe('faster');
    expect(trendOf(20, 10)).toBe('slower');
    expect(trendOf(6.01, 6.04)).toBe('same');
    expect(trendOf(null, 5)).toBeNull();
    expect(trendOf(5, null)).toBeNull();
  });

  it('countAgainst shows the change', () => {
    expect(countAgainst(12, 9)).toBe('12 (previous 9, +3)');
    expect(countAgainst(3, 5)).toBe('3 (previous 5, −2)');
    expect(countAgainst(4, 4)).toBe('4 (previous 4)');
  });
});
