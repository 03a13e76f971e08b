/**
 * Insights across incidents as a Markdown document (`firewatch report`): the same figures as
 * `/incident stats`, in GitHub-flavoured tables, with Mermaid `xychart-beta` charts of the weekly
 * incident count and the weekly median time to resolve. Pure.
 */
import { mdCell } from '../shared/slack-text';
import {
  type Insights,
  type MeasureInsight,
  periodSpan,
  shortDuration,
  type Trend,
  trendOf,
  type WeekBucket,
} from './insights';
import { roundTo } from './metrics';
import { formatTime } from './time';
import { SEVERITIES, SEVERITY_LABELS } from './types';

export interface ReportOptions {
  /** Slack user id → display name, for action item owners. */
  people?: Record<string, string>;
  /** Whether private incidents' services and action items are shown (else counted only). */
  privateShown?: boolean;
}

const TREND_MARK: Record<Trend, string> = { faster: ' ↓', slower: ' ↑', same: '' };

const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;

function delta(current: number, previous: number): string {
  const d = current - previous;
  return d === 0 ? '0' : `${d > 0 ? '+' : '−'}${Math.abs(d)}`;
}

function countsSection(insights: Insights, privateShown: boolean): string[] {
  const { current, previous, private: hidden, unresolved } = insights.incidents;
  const lines = [
    '## Incidents by severity',
    '',
    row(['Severity', 'This period', 'Previous period', 'Change']),
    row(['---', '--:', '--:', '--:']),
    ...SEVERITIES.map((s) =>
      row([
        `${s} — ${SEVERITY_LABELS[s]}`,
        current.bySeverity[s],
        previous.bySeverity[s],
        delta(current.bySeverity[s], previous.bySeverity[s]),
      ]),
    ),
    row([
      '**All**',
      `**${current.total}**`,
      `**${previous.total}**`,
      `**${delta(current.total, previous.total)}**`,
    ]),
  ];
  const notes: string[] = [];
  if (hidden) {
    notes.push(
      `${hidden} private ${hidden === 1 ? 'incident is' : 'incidents are'} counted${privateShown ? '' : '; what they are about is not shown'}.`,
    );
  }
  if (unresolved) notes.push(`${unresolved} ${unresolved === 1 ? 'is' : 'are'} not resolved yet.`);
  if (insights.truncated) {
    notes.push(`Only the newest ${insights.incidentsRead} incidents were read; older ones are not counted.`);
  }
  if (notes.length) lines.push('', notes.join(' '));
  return lines;
}

const spreadCell = (value: number | null, previous: number | null) => {
  const trend = trendOf(value, previous);
  return `${shortDuration(value)}${trend ? TREND_MARK[trend] : ''}`;
};

function measureSection(m: MeasureInsight): string[] {
  return [
    `### ${m.label}`,
    '',
    `_${m.span}_`,
    '',
    row(['Severity', 'Incidents measured', 'Median', 'Previous median', 'p90', 'Previous p90']),
    row(['---', '--:', '--:', '--:', '--:', '--:']),
    ...m.rows.map((r) =>
      row([
        r.severity === 'all' ? '**All**' : r.severity,
        r.current.missing ? `${r.current.count} of ${r.current.count + r.current.missing}` : r.current.count,
        spreadCell(r.current.median, r.previous.median),
        shortDuration(r.previous.median),
        spreadCell(r.current.p90, r.previous.p90),
        shortDuration(r.previous.p90),
      ]),
    ),
  ];
}

function measuresSection(insights: Insights): string[] {
  if (insights.measures.length === 0) {
    return ['## Response times', '', '_No incidents in this period or the previous one._'];
  }
  return [
    '## Response times',
    '',
    'Median and 90th percentile of each measure, per severity, against the previous period (↓ faster, ↑ slower).',
    'Each incident is measured as its postmortem measures it; an incident whose end point is not recorded yet',
    '(not resolved, for example) is left out of that measure.',
    ...insights.measures.flatMap((m) => ['', ...measureSection(m)]),
  ];
}

function actionsSection(insights: Insights, people: Record<string, string>, privateShown: boolean): string[] {
  const { open, overdue, overdueItems, overdueHidden } = insights.actions;
  const lines = [
    '## Action items',
    '',
    `As of ${insights.today}, over every incident: **${open}** open, **${overdue}** overdue.`,
  ];
  if (overdueItems.length) {
    lines.push(
      '',
      row(['Due', 'Days overdue', 'Incident', '#', 'Action item', 'Owner', 'Priority']),
      row(['---', '--:', '---', '--:', '---', '---', '---']),
      ...overdueItems.map((a) =>
        row([
          a.due,
          a.daysOverdue,
          a.incidentId,
          a.seq,
          mdCell(a.text, people),
          a.owner ? mdCell(`<@${a.owner}>`, people) : '—',
          a.priority,
        ]),
      ),
    );
    const unlisted = overdue - overdueItems.length - overdueHidden;
    if (unlisted > 0) lines.push('', `… and ${unlisted} more overdue.`);
  }
  if (overdueHidden && !privateShown) {
    lines.push('', `${overdueHidden} overdue action items of private incidents are counted, not listed.`);
  }
  return lines;
}

function servicesSection(insights: Insights, privateShown: boolean): string[] {
  const lines = ['## Services with most incidents', ''];
  if (insights.services.length === 0) {
    lines.push('_No services recorded (`/incident set services …`) for this period’s incidents._');
  } else {
    lines.push(
      row(['Service', 'Incidents', 'Previous period']),
      row(['---', '--:', '--:']),
      ...insights.services.map((s) => row([mdCell(s.name, {}), s.current, s.previous])),
    );
  }
  if (insights.servicesHidden && !privateShown) {
    lines.push('', `Services of ${insights.servicesHidden} private incidents are left out.`);
  }
  return lines;
}

/** Round axis ends within a power of ten. */
const AXIS_STEPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** The smallest round number (1, 1.2, 1.5, 2 … 8, 10 times a power of ten) at least `value`; 1 for none. */
export function axisMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = AXIS_STEPS.find((f) => roundTo(f * magnitude, 6) >= value) ?? 10;
  return roundTo(step * magnitude, 6);
}

/**
 * The two weekly charts as Mermaid `xychart-beta` blocks (GitHub renders them): incidents per
 * week, and the median time to resolve of each week's incidents (in hours when any week's median
 * is two hours or more, else minutes; 0 for a week without a resolved incident).
 */
export function weeklyCharts(weeks: readonly WeekBucket[]): string[] {
  if (weeks.length === 0) return [];
  const sameYear = weeks.every((w) => w.weekStart.slice(0, 4) === weeks[0]!.weekStart.slice(0, 4));
  const labels = weeks.map((w) => `"${sameYear ? w.weekStart.slice(5) : w.weekStart}"`).join(', ');
  const counts = weeks.map((w) => w.incidents);
  const medians = weeks.map((w) => w.medianResolveMinutes ?? 0);
  const inHours = medians.some((m) => m >= 120);
  const values = medians.map((m) => roundTo(inHours ? m / 60 : m, 1));
  const unit = inHours ? 'Hours' : 'Minutes';
  const chart = (title: string, axis: string, max: number, kind: 'bar' | 'line', data: number[]) => [
    '```mermaid',
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis "Week starting" [${labels}]`,
    `  y-axis "${axis}" 0 --> ${axisMax(max)}`,
    `  ${kind} [${data.join(', ')}]`,
    '```',
  ];
  return [
    ...chart('Incidents per week', 'Incidents', Math.max(...counts), 'bar', counts),
    '',
    ...chart(
      `Median time to resolve per week (${unit.toLowerCase()})`,
      unit,
      Math.max(...values),
      'bar',
      values,
    ),
  ];
}

/** The whole report. */
export function renderInsightsReport(insights: Insights, opts: ReportOptions = {}): string {
  const { periods } = insights;
  const people = opts.people ?? {};
  const privateShown = opts.privateShown === true;
  const lines = [
    `# Incident report: ${periods.current.firstDay} to ${periods.current.lastDay}`,
    '',
    `- **Period:** ${periodSpan(periods.current)}`,
    `- **Compared with:** the previous ${periodSpan(periods.previous)}`,
    `- **Days counted in:** ${periods.timeZone}`,
    `- **Generated:** ${formatTime(insights.now, periods.timeZone)} by Firewatch`,
    '',
    'Incidents count in the period in which they were declared.',
    '',
    ...countsSection(insights, privateShown),
    '',
    ...measuresSection(insights),
    '',
    ...actionsSection(insights, people, privateShown),
    '',
    ...servicesSection(insights, privateShown),
    '',
    '## Weekly trend',
    '',
    'Weeks start on Monday; the first and last weeks count only the days in the period.',
    '',
    ...weeklyCharts(insights.weeks),
    '',
    row(['Week starting', 'Incidents', 'Median time to resolve']),
    row(['---', '--:', '--:']),
    ...insights.weeks.map((w) => row([w.weekStart, w.incidents, shortDuration(w.medianResolveMinutes)])),
    '',
  ];
  return lines.join('\n');
}
