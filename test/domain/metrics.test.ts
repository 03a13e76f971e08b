import {
  computeMetrics,
  displayedUptimePercent,
  firstHumanMessageAt,
  formatDuration,
  formatMinuteCount,
  formatShortDuration,
  metricMinutes,
  minutesBetween,
  monthlyUptimePercent,
  NOT_RECORDED,
  slaLine,
  verdictFor,
} from '../../src/domain/metrics';
import { type CapturedMessage, DEFAULT_TARGETS, type RoleTerm } from '../../src/domain/types';
import { ALICE, BOB, baseIncident, INC, oslo, osloTs } from './postmortem/fixtures';

function icTerm(userId: string, from: number, id = 1): RoleTerm {
  return { id, incidentId: INC, role: 'ic', userId, from, to: null, assignedBy: ALICE };
}

describe('computeMetrics on the worked example', () => {
  // Impact 10:30:00, detected 10:30:30 by a monitor, declared 10:31, monitoring 10:38:30, resolved 10:58.
  const incident = baseIncident();

  it('computes duration, detection lag, uptime and SLA line', () => {
    const m = computeMetrics(incident, [icTerm(ALICE, oslo(10, 31))], DEFAULT_TARGETS);

    expect(m.durationMinutes).toBe(28);
    expect(m.detectionLagMinutes).toBe(0.5);
    expect(formatMinuteCount(m.detectionLagMinutes)).toBe('0.5');
    expect(m.sla.uptimePercent).toBe(99.94);
    expect(m.sla.line).toBe('28 minutes downtime → monthly uptime: 99.94%');
    expect(m.sla.uptimeBreach).toBe(false);
    expect(m.sla.mttrBreach).toBe(false);
  });

  it('gives each response metric its value and verdict, as the team template measures them', () => {
    // Alem's first message in the incident channel at 10:30:45, 15 s after the alert.
    const m = computeMetrics(incident, [icTerm(ALICE, oslo(10, 31))], DEFAULT_TARGETS, {
      firstHumanMessageAt: oslo(10, 30, 45),
    });

    expect(m.acknowledgedAt).toBe(oslo(10, 30, 45));
    expect(m.identifiedAt).toBe(oslo(10, 34));
    expect(m.metrics.map((r) => [r.key, r.span, r.minutes, r.verdict])).toEqual([
      ['detect', 'impact start → detection', 0.5, 'Good'],
      ['acknowledge', 'detection → first human response', 0.25, 'Good'],
      // 3.5 minutes against the default 3: Fair, as the template calls its 4 minutes.
      ['diagnose', 'detection → identified', 3.5, 'Fair'],
      ['mitigate', 'impact start → monitoring', 8.5, 'Good'],
      ['resolve', 'impact start → resolved', 28, 'Good'],
    ]);
    expect(metricMinutes(m, 'acknowledge')).toBe(0.25);
    expect(formatShortDuration(metricMinutes(m, 'acknowledge'))).toBe('15 s');
  });

  it('acknowledges at the declaration when it comes before any human message, whoever became IC', () => {
    // The old measure (declaration → first IC term) was 0 whenever the declarer became IC.
    const roles = [icTerm(BOB, oslo(10, 45), 2), icTerm(ALICE, oslo(10, 31), 1)];

    const m = computeMetrics(incident, roles, DEFAULT_TARGETS, { firstHumanMessageAt: oslo(10, 32) });

    expect(m.acknowledgedAt).toBe(oslo(10, 31));
    expect(metricMinutes(m, 'acknowledge')).toBe(0.5);
  });

  it('measures acknowledgement from detection, slow when the declaration came late', () => {
    const m = computeMetrics(baseIncident({ declaredAt: oslo(10, 41) }), [], DEFAULT_TARGETS);

    expect(m.metrics[1].minutes).toBe(10.5);
    expect(m.metrics[1].verdict).toBe('Poor');
  });

  it('never counts a response before the detection as negative', () => {
    const m = computeMetrics(baseIncident({ detectedAt: oslo(10, 33) }), [], DEFAULT_TARGETS, {
      firstHumanMessageAt: oslo(10, 30, 10),
    });

    expect(m.acknowledgedAt).toBe(oslo(10, 30, 10));
    expect(metricMinutes(m, 'acknowledge')).toBe(0);
  });

  it('takes the diagnosis from the first identified on the timeline when the record has none, else leaves it unknown', () => {
    const unidentified = baseIncident({ identifiedAt: null });

    const fromTimeline = computeMetrics(unidentified, [], DEFAULT_TARGETS, {
      firstIdentifiedAt: oslo(10, 40),
    });
    const unknown = computeMetrics(unidentified, [], DEFAULT_TARGETS);

    expect(metricMinutes(fromTimeline, 'diagnose')).toBe(9.5);
    expect(fromTimeline.metrics[2].verdict).toBe('Poor');
    expect(metricMinutes(unknown, 'diagnose')).toBeNull();
    expect(unknown.metrics[2].verdict).toBeNull();
  });

  it('treats a missing start and detection as the declaration', () => {
    const m = computeMetrics(
      baseIncident({ startedAt: null, detectedAt: null }),
      [icTerm(ALICE, oslo(10, 31))],
      DEFAULT_TARGETS,
    );

    expect(m.impactStart).toBe(oslo(10, 31));
    expect(m.detectionLagMinutes).toBe(0);
    expect(m.durationMinutes).toBe(27);
  });

  it('falls back to the first monitoring on the timeline, then to the resolution, for mitigation', () => {
    const noMitigation = baseIncident({ mitigatedAt: null });

    const fromTimeline = computeMetrics(noMitigation, [], DEFAULT_TARGETS, {
      firstMonitoringAt: oslo(10, 40),
    });
    const fromResolution = computeMetrics(noMitigation, [], DEFAULT_TARGETS);

    expect(metricMinutes(fromTimeline, 'mitigate')).toBe(10);
    expect(metricMinutes(fromResolution, 'mitigate')).toBe(28);
  });

  it('leaves unknown durations null, rendered as _Not recorded_, never NaN', () => {
    const m = computeMetrics(
      baseIncident({ resolvedAt: null, mitigatedAt: null, identifiedAt: null }),
      [],
      DEFAULT_TARGETS,
    );

    expect(m.durationMinutes).toBeNull();
    expect(m.metrics.map((r) => r.verdict)).toEqual(['Good', 'Good', null, null, null]);
    expect(m.sla.line).toBe(NOT_RECORDED);
    expect(m.sla.uptimeBreach).toBeNull();
    expect(formatDuration(m.durationMinutes)).toBe('_Not recorded_');
    expect(JSON.stringify(m)).not.toContain('NaN');
  });
});

describe('verdicts and breaches', () => {
  it('is Good up to the target, Fair up to twice the target, Poor beyond', () => {
    expect(verdictFor(5, 5)).toBe('Good');
    expect(verdictFor(5.01, 5)).toBe('Fair');
    expect(verdictFor(10, 5)).toBe('Fair');
    expect(verdictFor(10.5, 5)).toBe('Poor');
    expect(verdictFor(null, 5)).toBeNull();
  });

  it('flags an uptime and MTTR breach for a long outage', () => {
    // 90 minutes down: 99.79 % < 99.9 %, and MTTR 90 > 60.
    const incident = baseIncident({ resolvedAt: oslo(12, 0) });

    const m = computeMetrics(incident, [], DEFAULT_TARGETS);

    expect(m.sla.line).toBe('90 minutes downtime → monthly uptime: 99.79%');
    expect(m.sla.uptimeBreach).toBe(true);
    expect(m.sla.mttrBreach).toBe(true);
    expect(m.metrics[4].key).toBe('resolve');
    expect(m.metrics[4].verdict).toBe('Fair');
  });

  it('computes uptime on a 43,200-minute month, clamped to 0', () => {
    expect(monthlyUptimePercent(0)).toBe(100);
    expect(monthlyUptimePercent(43_200)).toBe(0);
    expect(monthlyUptimePercent(50_000)).toBe(0);
    expect(slaLine(0)).toBe('0 minutes downtime → monthly uptime: 100.00%');
  });

  it('never shows 100.00% uptime when there was downtime: capped at 99.99%', () => {
    // 1 minute is 99.9977 %, 0.1 minute 99.9998 %: both would round to 100.00.
    expect(slaLine(1)).toBe('1 minute downtime → monthly uptime: 99.99%');
    expect(slaLine(0.1)).toBe('0.1 minutes downtime → monthly uptime: 99.99%');
    expect(displayedUptimePercent(1)).toBe(99.99);
    expect(displayedUptimePercent(0)).toBe(100);
    expect(displayedUptimePercent(28)).toBe(99.94);

    const m = computeMetrics(baseIncident({ resolvedAt: oslo(10, 31) }), [], DEFAULT_TARGETS);

    expect(m.sla.uptimePercent).toBe(99.99);
    expect(m.sla.line).toBe('1 minute downtime → monthly uptime: 99.99%');
    expect(m.sla.uptimeBreach).toBe(false);
  });

  it('measures minutes between instants, clamping negative spans', () => {
    expect(minutesBetween(0, 30_000)).toBe(0.5);
    expect(minutesBetween(60_000, 0)).toBe(0);
    expect(minutesBetween(null, 0)).toBeNull();
    // Whole seconds, as the document shows the times: 10:30:30.900 → 10:30:45.100 is 15 s.
    expect(minutesBetween(oslo(10, 30, 30) + 900, oslo(10, 30, 45) + 100)).toBe(0.25);
    expect(formatDuration(95)).toBe('95 minutes (1 h 35 min)');
    expect(formatDuration(1)).toBe('1 minute');
    expect(formatDuration(0.25)).toBe('0.25 minutes (15 s)');
    expect(formatDuration(3.5)).toBe('3.5 minutes');
    expect(formatDuration(0)).toBe('0 minutes');
    expect(formatShortDuration(3.5)).toBe('3.5 min');
    expect(formatShortDuration(1230)).toBe('20 h 30 min');
    expect(formatShortDuration(null)).toBe(NOT_RECORDED);
  });
});

describe('the first human message', () => {
  const message = (ts: string, userId: string | null, botId: string | null = null): CapturedMessage => ({
    channelId: 'C0INC001',
    ts,
    threadTs: null,
    userId,
    botId,
    text: 'x',
    editedAt: null,
    files: [],
  });

  it('is the earliest message a person wrote, thread replies included, never an app or bot', () => {
    const messages = [
      message(osloTs(10, 33), BOB),
      message(osloTs(10, 30, 40), 'UMONITOR', 'B0MONITOR'),
      message(osloTs(10, 31, 5, 250_000), ALICE),
      message(osloTs(10, 30, 50), null, 'B0OTHER'),
    ];

    expect(firstHumanMessageAt(messages)).toBe(oslo(10, 31, 5) + 250);
    expect(firstHumanMessageAt([])).toBeNull();
  });
});
