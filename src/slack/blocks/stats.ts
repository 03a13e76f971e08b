/**
 * Insights across incidents in Block Kit: the `/incident stats` message and a section of the App
 * Home. Pure; both stay within their budget whatever the input (long service names, action items,
 * every severity).
 */
import {
  countAgainst,
  type Insights,
  type MeasureInsight,
  type MeasureRow,
  periodSpan,
  periodTitle,
  type Spread,
  shortDuration,
  type Trend,
  trendOf,
} from '../../domain/insights';
import { SEVERITY_EMOJI } from '../../domain/lifecycle';
import { SEVERITIES } from '../../domain/types';
import { type Budget, MESSAGE_BUDGET } from '../../shared/slack-limits';
import { escapeSlack, slackSafe } from '../../shared/slack-text';
import {
  type Block,
  clip,
  context,
  costOf,
  fieldsSection,
  header,
  remaining,
  section,
  sectionsWithin,
} from './text';

/** Longest service name shown (escaped). */
const SERVICE_NAME = 80;
/** Longest line of an overdue action item (escaped). */
const OVERDUE_LINE = 300;

const TREND_MARK: Record<Trend, string> = { faster: '↓', slower: '↑', same: '=' };

/** `42m (55m) ↓`: this period, the previous one in brackets, and which way it went. */
function against(current: number | null, previous: number | null): string {
  const trend = trendOf(current, previous);
  return `${shortDuration(current)} (${shortDuration(previous)})${trend ? ` ${TREND_MARK[trend]}` : ''}`;
}

/** How many incidents a spread is over: `12`, or `10/12` when two lack the measure. */
const measured = (s: Spread) => (s.missing ? `${s.count}/${s.count + s.missing}` : String(s.count));

/** Rows of text cells as aligned columns (monospace, for a code block). */
function columns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell + ' '.repeat(widths[i]! - [...cell].length))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const severityName = (row: MeasureRow) => (row.severity === 'all' ? 'All' : row.severity);

/** One measure as a table: a row for all incidents, then one per severity. */
function measureTable(m: MeasureInsight): string {
  const rows = [
    ['', 'n', 'median (prev)', 'p90 (prev)'],
    ...m.rows.map((r) => [
      severityName(r),
      measured(r.current),
      against(r.current.median, r.previous.median),
      against(r.current.p90, r.previous.p90),
    ]),
  ];
  return `*${escapeSlack(m.label)}* (${escapeSlack(m.span)})\n\`\`\`\n${escapeSlack(columns(rows))}\n\`\`\``;
}

/** Every measure for all severities together, one row each (the App Home's compact form). */
function measuresSummary(measures: readonly MeasureInsight[]): string {
  const rows = [
    ['', 'median (prev)', 'p90 (prev)'],
    ...measures.map((m) => {
      const all = m.rows[0]!;
      return [
        m.label,
        against(all.current.median, all.previous.median),
        against(all.current.p90, all.previous.p90),
      ];
    }),
  ];
  return `\`\`\`\n${escapeSlack(columns(rows))}\n\`\`\``;
}

function countFields(insights: Insights): string[] {
  const { current, previous } = insights.incidents;
  return [
    `*Incidents*\n${countAgainst(current.total, previous.total)}`,
    ...SEVERITIES.map(
      (s) => `${SEVERITY_EMOJI[s]} *${s}*\n${countAgainst(current.bySeverity[s], previous.bySeverity[s])}`,
    ),
  ];
}

/** Notes on what the counts include: private incidents, unresolved ones, a truncated read. */
function countNotes(insights: Insights): string | null {
  const notes: string[] = [];
  const { private: hidden, unresolved } = insights.incidents;
  if (hidden) notes.push(`:lock: ${hidden} private ${hidden === 1 ? 'incident' : 'incidents'} counted`);
  if (unresolved) notes.push(`${unresolved} not resolved yet`);
  if (insights.truncated)
    notes.push(`only the newest ${insights.incidentsRead.toLocaleString('en-US')} incidents were read`);
  return notes.length ? notes.join(' · ') : null;
}

function actionsHeadline(insights: Insights): string {
  const { open, overdue } = insights.actions;
  return `*Action items* (every incident, as of ${insights.today}): *${open}* open · *${overdue}* overdue`;
}

function overdueLines(insights: Insights): string[] {
  const lines = insights.actions.overdueItems.map(
    (a) =>
      `• *${a.incidentId}* #${a.seq} ${slackSafe(a.text)} — ${a.owner ? `<@${a.owner}>` : '_no owner_'} · due ${a.due} (${a.daysOverdue} ${a.daysOverdue === 1 ? 'day' : 'days'} ago) · ${a.priority}`,
  );
  const { overdueHidden } = insights.actions;
  if (overdueHidden) {
    lines.push(`• :lock: ${overdueHidden} overdue in private incidents you are not a member of`);
  }
  return lines;
}

function servicesText(insights: Insights, top: number): string | null {
  const shown = insights.services.slice(0, top);
  if (shown.length === 0) return null;
  const list = shown
    .map(
      (s, i) => `${i + 1}. ${clip(slackSafe(s.name), SERVICE_NAME)} — ${countAgainst(s.current, s.previous)}`,
    )
    .join('\n');
  return `*Services with most incidents*\n${list}`;
}

const NO_INCIDENTS = '_No incidents in this period or the previous one._ :tada:';

/** What every stats message says in its fallback text. */
function fallback(insights: Insights): string {
  const { current, previous } = insights.incidents;
  return `Incident stats, ${periodTitle(insights.periods)}: ${current.total} incidents (previous period ${previous.total}), ${insights.actions.open} open action items, ${insights.actions.overdue} overdue`;
}

/**
 * `/incident stats`: counts by severity, one table per measure (median and 90th percentile, the
 * previous period in brackets, ↓ faster, ↑ slower), action items with the most overdue ones, and
 * the services with most incidents; within one message's budget.
 */
export function statsMessage(insights: Insights): { text: string; blocks: Block[] } {
  const { periods } = insights;
  const zone = escapeSlack(periods.timeZone);
  const top: Block[] = [
    header(`Incident stats: ${periodTitle(periods)}`),
    context(
      `${periodSpan(periods.current)}, compared with the previous ${periodSpan(periods.previous)} · days in ${zone}`,
    ),
    fieldsSection(countFields(insights)),
  ];
  const notes = countNotes(insights);
  if (notes) top.push(context(notes));
  if (insights.measures.length === 0) {
    top.push(section(NO_INCIDENTS));
  } else {
    top.push(
      section(
        '*Response times*: median and 90th percentile of this period, the previous period in brackets (↓ faster, ↑ slower)',
      ),
      ...insights.measures.map((m) => section(measureTable(m))),
    );
  }
  const services = servicesText(insights, 5);
  const tail: Block[] = [
    ...(services ? [section(services)] : []),
    context(
      'Incidents count by when they were declared. A time whose end is not recorded yet (an incident not resolved) ' +
        'is left out of its median: `n` says how many had it.',
    ),
  ];
  const headline = section(actionsHeadline(insights));
  const budget = remaining(MESSAGE_BUDGET, costOf([...top, headline, ...tail]));
  const overdue = sectionsWithin(overdueLines(insights), budget, {
    maxLine: OVERDUE_LINE,
    more: (n) => `… and ${n} more overdue`,
  });
  return { text: fallback(insights), blocks: [...top, headline, ...overdue.blocks, ...tail] };
}

/** What the stats section of the App Home may use of the view (100 blocks shared with the rest). */
export const STATS_HOME_BUDGET: Readonly<Budget> = { blocks: 12, text: 4000, json: 6000 };

/**
 * The stats section of the App Home: the same insights, compact (counts, one table of every
 * measure over all severities, action items, the top three services), within `budget`. Blocks
 * that do not fit are left out, least important first.
 */
export function statsHomeBlocks(insights: Insights, budget: Readonly<Budget> = STATS_HOME_BUDGET): Block[] {
  const { periods } = insights;
  const notes = countNotes(insights);
  const services = servicesText(insights, 3);
  const parts: { block: Block; keep: number }[] = [
    { block: header(`Incident stats: ${periodTitle(periods)}`), keep: 0 },
    {
      block: context(
        `${periodSpan(periods.current)} against the previous ${periods.current.days} days · \`/incident stats\` for more`,
      ),
      keep: 3,
    },
    { block: fieldsSection(countFields(insights)), keep: 0 },
    ...(notes ? [{ block: context(notes), keep: 4 }] : []),
    {
      block: section(
        insights.measures.length === 0
          ? NO_INCIDENTS
          : `*Response times*, median and p90 (previous period)\n${measuresSummary(insights.measures)}`,
      ),
      keep: 1,
    },
    { block: section(actionsHeadline(insights)), keep: 1 },
    ...(services ? [{ block: section(services), keep: 2 }] : []),
  ];
  // Drop the least important blocks (highest `keep`) until the rest fits.
  for (let level = 4; level >= 0; level -= 1) {
    const blocks = parts.filter((p) => p.keep <= level).map((p) => p.block);
    const used = costOf(blocks);
    if (used.blocks <= budget.blocks && used.text <= budget.text && used.json <= budget.json) return blocks;
  }
  return [];
}
