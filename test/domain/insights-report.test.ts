import { computeInsights, measureIncident } from '../../src/domain/insights';
import { axisMax, renderInsightsReport, weeklyCharts } from '../../src/domain/insights-report';
import { draftIncident } from '../../src/domain/lifecycle';
import { resolvePeriods } from '../../src/domain/stats-period';
import { DEFAULT_TARGETS, type Incident } from '../../src/domain/types';

const NOW = Date.UTC(2026, 1, 20, 12, 0);
const MIN = 60_000;

describe('weekly charts', () => {
  it('round the y axis up to a readable number', () => {
    expect([0, 0.4, 1, 3, 7, 11.2, 13, 48, 101, 950].map(axisMax)).toEqual([
      1, 0.4, 1, 3, 8, 12, 15, 50, 120, 1000,
    ]);
  });

  it('show short labels within one year, hours when a median is two hours or more, 0 for an empty week', () => {
    const charts = weeklyCharts([
      { weekStart: '2026-02-02', incidents: 3, medianResolveMinutes: 90 },
      { weekStart: '2026-02-09', incidents: 0, medianResolveMinutes: null },
      { weekStart: '2026-02-16', incidents: 5, medianResolveMinutes: 150 },
    ]).join('\n');
    expect(charts).toContain('x-axis "Week starting" ["02-02", "02-09", "02-16"]');
    expect(charts).toContain('y-axis "Incidents" 0 --> 5\n  bar [3, 0, 5]');
    expect(charts).toContain('title "Median time to resolve per week (hours)"');
    expect(charts).toContain('y-axis "Hours" 0 --> 2.5\n  bar [1.5, 0, 2.5]');
  });

  it('use minutes when every median is under two hours, full dates across years', () => {
    const charts = weeklyCharts([
      { weekStart: '2025-12-29', incidents: 1, medianResolveMinutes: 42 },
      { weekStart: '2026-01-05', incidents: 1, medianResolveMinutes: 7.25 },
    ]).join('\n');
    expect(charts).toContain('["2025-12-29", "2026-01-05"]');
    expect(charts).toContain('y-axis "Minutes" 0 --> 50\n  bar [42, 7.3]');
  });
});

describe('renderInsightsReport', () => {
  it('one incident: the tables, the measure rows and the charts', () => {
    const declaredAt = Date.UTC(2026, 1, 10, 9);
    const incident: Incident = {
      ...draftIncident({
        title: 'x',
        severity: 'P3',
        declaredBy: 'UALICE',
        originChannelId: null,
        declaredAt,
      }),
      id: 'INC-2026-001',
      year: 2026,
      seq: 1,
      channelId: 'C1',
      channelName: 'inc-1',
      startedAt: declaredAt - 5 * MIN,
      resolvedAt: declaredAt + 55 * MIN,
      status: 'resolved',
    };
    const periods = resolvePeriods({ kind: 'days', days: 30 }, NOW, 'UTC');
    const insights = computeInsights({
      incidents: [
        {
          incident,
          measures: measureIncident(incident, [], [], [], DEFAULT_TARGETS),
          actions: [],
          services: ['Search | API'],
          visible: true,
        },
      ],
      periods,
      now: NOW,
    });
    const md = renderInsightsReport(insights);
    expect(md).toContain('| P3 — Medium (partial impact) | 1 | 0 | +1 |');
    expect(md).toContain('| **All** | 1 | 1h | — | 1h | — |');
    expect(md).toContain('| Search \\| API | 1 | 0 |');
    expect(md).toContain('As of 2026-02-20, over every incident: **0** open, **0** overdue.');
    expect(md).toContain('- **Generated:** 2026-02-20 12:00 UTC by Firewatch');
    expect(md.match(/```mermaid\nxychart-beta/g)).toHaveLength(2);
    expect(md).toContain('| 2026-02-09 | 1 | 1h |');
  });
});
