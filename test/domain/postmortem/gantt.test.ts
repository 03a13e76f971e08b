import { compilePostmortem } from '../../../src/domain/postmortem/compile';
import { chartWindows, GANTT_MIN_BAR_SHARE } from '../../../src/domain/postmortem/gantt';
import { renderMarkdown } from '../../../src/domain/postmortem/markdown';
import type { GanttChart, GanttPart, GanttTask } from '../../../src/domain/postmortem/model';
import type { RoleTerm } from '../../../src/domain/types';
import { ALICE, BOB, baseIncident, INC, oslo, smallInput } from './fixtures';

const DAY = 86_400_000;
/** hh:mm on the day after the worked example, Oslo time. */
const nextDay = (hh: number, mm: number, ss = 0) => oslo(hh, mm, ss) + DAY;

const RESPONSE_PHASES = [
  'Impact before detection',
  'Detected, not yet declared',
  'Investigating',
  'Mitigating',
  'Monitoring',
];

const term = (role: RoleTerm['role'], userId: string, from: number, id: number): RoleTerm => ({
  id,
  incidentId: INC,
  role,
  userId,
  from,
  to: null,
  assignedBy: ALICE,
});

/** Bars of a part (milestones left out) with their length and the part's span, in seconds. */
function bars(part: GanttPart): { label: string; seconds: number; span: number }[] {
  const tasks: GanttTask[] = [...(part.impact ? [part.impact] : []), ...part.phases, ...part.roleChanges];
  const from = Math.min(...tasks.map((t) => t.start.at));
  const to = Math.max(...tasks.map((t) => t.end.at));
  return tasks
    .filter((t) => !t.milestone)
    .map((t) => ({ label: t.label, seconds: (t.end.at - t.start.at) / 1000, span: (to - from) / 1000 }));
}

/** Every bar is at least the minimum share of its part: nothing is squashed into a pixel. */
function expectReadable(chart: GanttChart) {
  for (const part of chart.parts) {
    for (const bar of bars(part)) {
      expect({ bar: bar.label, readable: bar.seconds >= GANTT_MIN_BAR_SHARE * bar.span }).toEqual({
        bar: bar.label,
        readable: true,
      });
    }
  }
}

/** Labels drawn anywhere in the chart, without the `(continues)` / `(continued)` of a cut bar. */
function drawnLabels(chart: GanttChart): Set<string> {
  return new Set(chart.parts.flatMap((p) => p.phases.map((t) => t.label.replace(/ \(continue.*\)$/, ''))));
}

describe('gantt chart: long empty stretches', () => {
  it('draws a short incident as one part, exactly its phases and role changes', () => {
    const { gantt } = compilePostmortem(smallInput()).sections[4];

    expect(gantt.parts).toEqual([
      { impact: gantt.impact, phases: gantt.phases, roleChanges: gantt.roleChanges },
    ]);
    expect(gantt.breaks).toEqual([]);
  });

  it('cuts out the night when an incident is declared the next morning, keeping every response phase visible', () => {
    // Impact and detection backdated to yesterday 10:30; the response happens live this morning.
    const input = smallInput({
      incident: baseIncident({
        declaredAt: nextDay(6, 30),
        identifiedAt: nextDay(6, 34),
        mitigatedAt: nextDay(6, 38, 30),
        resolvedAt: nextDay(6, 58),
        closedAt: nextDay(7, 5),
      }),
      roles: [term('ic', ALICE, nextDay(6, 30), 1), term('tech', BOB, nextDay(6, 31), 2)],
      timeline: [],
      messages: [],
      compiledAt: nextDay(7, 5),
    });

    const { gantt } = compilePostmortem(input).sections[4];

    // The whole, unsquashed truth is still in the model...
    expect(gantt.phases.find((t) => t.label === 'Detected, not yet declared')).toMatchObject({
      start: { time: '10:30:30', date: '2026-02-20' },
      end: { time: '06:30:00', date: '2026-02-21' },
    });
    // ...but the drawing leaves the night out.
    expect(gantt.parts).toHaveLength(2);
    expect(gantt.breaks).toHaveLength(1);
    expect(gantt.breaks[0]).toMatchObject({
      from: { date: '2026-02-20', time: '10:30:30' },
      to: { date: '2026-02-21', time: '06:30:00' },
      minutes: 1199.5,
      running: [
        { label: 'Customer impact', minutes: 1228 },
        { label: 'Detected, not yet declared', minutes: 1199.5 },
      ],
    });
    expect([...drawnLabels(gantt)]).toEqual(expect.arrayContaining(RESPONSE_PHASES));
    expect(gantt.parts[0]!.phases.map((t) => t.label)).toEqual([
      'Impact before detection',
      'Detected, not yet declared (continues)',
    ]);
    expect(gantt.parts[1]!.phases.map((t) => t.label)).toEqual([
      'Detected, not yet declared (continued)',
      'Investigating',
      'Mitigating',
      'Monitoring',
    ]);
    expect(gantt.parts[1]!.roleChanges.map((t) => t.label)).toEqual(['IC Alice', 'Tech lead Bob']);
    expectReadable(gantt);
  });

  it('puts a declaration made after the fact in its own part when the whole response was backdated', () => {
    const input = smallInput({
      incident: baseIncident({ declaredAt: nextDay(6, 30), closedAt: nextDay(6, 40) }),
      roles: [term('ic', ALICE, nextDay(6, 30), 1)],
      timeline: [],
      messages: [],
      compiledAt: nextDay(6, 40),
    });

    const { gantt } = compilePostmortem(input).sections[4];

    expect(gantt.parts).toHaveLength(2);
    // The response as it happened yesterday; it was identified before anyone declared it.
    expect(gantt.parts[0]!.phases.map((t) => [t.label, t.start.time, t.end.time])).toEqual([
      ['Impact before detection', '10:30:00', '10:30:30'],
      ['Detected, not yet declared', '10:30:30', '10:34:00'],
      ['Mitigating', '10:34:00', '10:38:30'],
      ['Monitoring', '10:38:30', '10:58:00'],
    ]);
    expect(gantt.parts[0]!.impact?.label).toBe('Customer impact');
    expect(gantt.parts[1]).toMatchObject({ impact: null, phases: [{ label: 'Declared', milestone: true }] });
    expect(gantt.breaks[0]).toMatchObject({ minutes: 1172, running: [] });
    expectReadable(gantt);
  });

  it('cuts an incident spanning days at each long idle stretch, not at its short steps', () => {
    // Day 1: impact, detection and declaration within minutes; day 2: the cause and the fix;
    // day 4: resolved after two days of monitoring.
    const input = smallInput({
      incident: baseIncident({
        startedAt: oslo(9, 0),
        detectedAt: oslo(9, 2),
        declaredAt: oslo(9, 5),
        identifiedAt: nextDay(14, 0),
        mitigatedAt: nextDay(14, 20),
        resolvedAt: nextDay(9, 0) + 2 * DAY,
        closedAt: nextDay(9, 5) + 2 * DAY,
      }),
      roles: [term('ic', ALICE, oslo(9, 5), 1)],
      timeline: [],
      messages: [],
      compiledAt: nextDay(9, 5) + 2 * DAY,
    });

    const doc = compilePostmortem(input);
    const { gantt } = doc.sections[4];
    const md = renderMarkdown(doc);

    expect(gantt.parts).toHaveLength(3);
    expect(gantt.breaks.map((b) => b.running.map((r) => r.label))).toEqual([
      ['Customer impact', 'Investigating'],
      ['Customer impact', 'Monitoring'],
    ]);
    expect([...drawnLabels(gantt)]).toEqual(
      expect.arrayContaining([
        'Impact before detection',
        'Detected, not yet declared',
        'Investigating',
        'Mitigating',
        'Monitoring',
      ]),
    );
    expectReadable(gantt);
    // Three charts, each with the multi-day axis only where it spans days, and a line per break.
    expect(md.match(/```mermaid\ngantt\n/g)).toHaveLength(3);
    expect(md).toContain('title INC-2026-001 response phases (Europe/Oslo), part 2 of 3');
    expect(md).toContain(
      '_Break in the chart: 1 d 4 h 55 min with nothing recorded, 2026-02-20 09:05:00 CET → 2026-02-21 14:00:00 CET; ' +
        'running through it: Customer impact (3 d in all), Investigating (1 d 4 h 55 min in all)._',
    );
  });

  it('keeps one chart when the phases are long but comparable, however many days they span', () => {
    const input = smallInput({
      incident: baseIncident({
        startedAt: oslo(9, 0),
        detectedAt: oslo(9, 0),
        declaredAt: nextDay(9, 0),
        identifiedAt: null,
        mitigatedAt: null,
        resolvedAt: nextDay(9, 0) + DAY,
        closedAt: nextDay(9, 0) + DAY,
      }),
      roles: [],
      timeline: [],
      messages: [],
      compiledAt: nextDay(9, 0) + DAY,
    });

    const { gantt } = compilePostmortem(input).sections[4];

    expect(gantt.parts).toHaveLength(1);
    expect(gantt.parts[0]!.phases.map((t) => t.label)).toEqual([
      'Detected',
      'Detected, not yet declared',
      'Investigating',
      'Resolved',
    ]);
  });
});

describe('chartWindows', () => {
  const s = (sec: number) => sec * 1000;

  it('splits at the longest gap of a squashed part, and only at gaps of an hour or more', () => {
    const bar = (from: number, to: number) => ({ from: s(from), to: s(to) });

    // A 30 s bar and 10 h of nothing: cut.
    expect(chartWindows([bar(0, 30), bar(30, 36_000), bar(36_000, 36_600)])).toEqual([
      [0, 30],
      [36_000, 36_600],
    ]);
    // Squashed, but no gap reaches an hour: left alone.
    expect(chartWindows([bar(0, 1), bar(1, 3000), bar(3000, 3590)])).toEqual([[0, 3590]]);
    // Nothing to draw.
    expect(chartWindows([])).toEqual([]);
  });

  it('never makes more than six parts', () => {
    const bars = Array.from({ length: 20 }, (_, i) => ({ from: s(i * 100_000), to: s(i * 100_000 + 10) }));

    expect(chartWindows(bars)).toHaveLength(6);
  });
});
