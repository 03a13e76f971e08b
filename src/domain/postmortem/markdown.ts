/**
 * Renders a compiled postmortem as one Markdown document: every section of the spec in order,
 * a Mermaid gantt chart of the response phases, and the channel transcript as an appendix.
 * Output is built as an array of lines and joined once, so it grows linearly with the incident.
 */

import { mdBlock, mdCell, mdInline, mrkdwnToPlain } from '../../shared/slack-text';
import {
  formatDuration,
  formatMinuteCount,
  formatPercent,
  formatShortDuration,
  type MetricResult,
  NOT_RECORDED,
  type SlaResult,
} from '../metrics';
import { ROLE_LABELS } from '../types';
import { fullStamp, mdRow, mermaidText, NONE_RECORDED, partyName, zoneDescription } from './format';
import type {
  ActionItemsSection,
  AppendixSection,
  ApprovalSection,
  CommsSection,
  DetectionSection,
  GanttBreak,
  GanttPart,
  GanttTask,
  HeaderSection,
  ImpactSection,
  LessonsSection,
  MetricsSection,
  OverviewSection,
  Party,
  PostmortemDocument,
  RelatedSection,
  ResolutionSection,
  RetrospectiveSection,
  RootCauseSection,
  Stamp,
  SummarySection,
  TimelineSection,
} from './model';

type People = Record<string, string>;
type Lines = string[];

// ---------------------------------------------------------------------------------------------
// Building blocks

/**
 * Pushes a table, or a `_None recorded_` line when there are no items. `row` gives an item's
 * escaped cells, either as an array or (for large tables, no intermediate arrays) already joined
 * with ` | `.
 */
function table<T>(
  out: Lines,
  header: readonly string[],
  items: readonly T[],
  row: (item: T, index: number) => string | readonly string[],
): void {
  if (items.length === 0) {
    out.push(NONE_RECORDED);
    return;
  }
  out.push(mdRow(header), mdRow(header.map(() => '---')));
  items.forEach((item, index) => {
    const line = row(item, index);
    out.push(typeof line === 'string' ? `| ${line} |` : mdRow(line));
  });
}

/** Rows that are already arrays of cells. */
const cells = (row: readonly string[]): readonly string[] => row;

/** Memoises a rendering of a Party per Party object (the compiler shares one object per person). */
function perParty(render: (party: Party) => string): (party: Party) => string {
  const cache = new Map<Party, string>();
  return (party) => {
    let text = cache.get(party);
    if (text === undefined) {
      text = render(party);
      cache.set(party, text);
    }
    return text;
  };
}

/** Pushes one bullet per entry, or `_Not recorded_` when nobody wrote any. */
function bullets(out: Lines, entries: readonly string[], people: People): void {
  if (entries.length === 0) {
    out.push(NOT_RECORDED);
    return;
  }
  for (const entry of entries) out.push(`- ${mdBlock(entry, people, '  ')}`);
}

function paragraph(text: string | null, people: People): string {
  return text === null ? NOT_RECORDED : mdBlock(text, people);
}

function heading(out: Lines, level: number, text: string): void {
  if (out.length > 0 && out[out.length - 1] !== '') out.push('');
  out.push(`${'#'.repeat(level)} ${text}`, '');
}

function cellParty(party: Party | null, people: People, missing = NOT_RECORDED): string {
  return party === null ? missing : mdCell(partyName(party), people);
}

function cellParties(parties: readonly Party[], people: People, missing: string, separator = ' → '): string {
  return parties.length === 0 ? missing : parties.map((p) => mdCell(partyName(p), people)).join(separator);
}

function cellList(values: readonly string[], people: People): string {
  return values.length === 0 ? NOT_RECORDED : values.map((v) => mdCell(v, people)).join(', ');
}

/** User text in a cell, or `_Not recorded_` when unwritten. */
function cellText(text: string | null, people: People): string {
  return text === null ? NOT_RECORDED : mdCell(text, people);
}

function cellStamp(stamp: Stamp | null): string {
  return stamp === null ? NOT_RECORDED : fullStamp(stamp);
}

function yesNo(value: boolean | null): string {
  return value === null ? NOT_RECORDED : value ? 'Yes' : 'No';
}

// ---------------------------------------------------------------------------------------------
// Sections

function renderHeader(out: Lines, s: HeaderSection, people: People): void {
  out.push(`# ${s.title} — ${mdInline(s.incidentTitle, people) || 'Untitled'}`, '');
  table(
    out,
    ['Field', 'Value'],
    [
      ['Incident ID', s.incidentId],
      ['Title', mdCell(s.incidentTitle, people)],
      ['Document status', s.documentStatus],
      ['Author', s.author ? `${cellParty(s.author, people)} (${ROLE_LABELS.ic})` : NOT_RECORDED],
      ['Reviewers', cellParties(s.reviewers, people, NOT_RECORDED, ', ')],
      ['Compiled at', fullStamp(s.compiledAt)],
    ],
    cells,
  );
  heading(out, 3, 'Document history');
  table(out, ['Version', 'Date', 'Author', 'Changes'], s.history, (h) => [
    String(h.version),
    fullStamp(h.compiledAt),
    cellParty(h.author, people),
    mdCell(h.changes, people),
  ]);
}

function renderOverview(out: Lines, s: OverviewSection, people: People): void {
  heading(out, 2, `1. ${s.title}`);
  const notAssigned = '_Not assigned_';
  table(
    out,
    ['Field', 'Value'],
    [
      ['Incident ID', s.incidentId],
      ['Severity', s.severityLabel],
      ['Status', s.status.charAt(0).toUpperCase() + s.status.slice(1)],
      ['Impact start', fullStamp(s.impactStart)],
      ['Detected at', fullStamp(s.detectedAt)],
      ['Declared at', fullStamp(s.declaredAt)],
      ['Resolved at', cellStamp(s.resolvedAt)],
      ['Duration', formatDuration(s.durationMinutes)],
      ['Services affected', cellList(s.services, people)],
      ['Environment', cellList(s.environment, people)],
      ['Root cause', cellText(s.rootCauseLine, people)],
      [ROLE_LABELS.ic, cellParties(s.commanders, people, notAssigned)],
      [ROLE_LABELS.tech, cellParties(s.techLeads, people, notAssigned)],
      [ROLE_LABELS.comms, cellParties(s.commsLeads, people, notAssigned)],
      ['Reported by', cellParty(s.reportedBy, people)],
    ],
    cells,
  );
}

/** The line above a summary Firewatch drafted (the document says so wherever it shows one). */
export const DRAFTED_SUMMARY_NOTE =
  '_Drafted by Firewatch from the recorded facts: nobody has written a summary yet. ' +
  '`/incident set summary <text>` replaces it._';

function renderSummary(out: Lines, s: SummarySection, people: People): void {
  heading(out, 2, `2. ${s.title}`);
  if (s.text === null && s.draft !== null) {
    out.push(DRAFTED_SUMMARY_NOTE, '', mdBlock(s.draft, people));
    return;
  }
  out.push(paragraph(s.text, people));
}

function renderDetection(out: Lines, s: DetectionSection, people: People): void {
  heading(out, 2, `3. ${s.title}`);
  const by = mdInline(partyName(s.detectedBy), people);
  out.push(
    `- **Detected by:** ${by}${s.detectedBy.kind === 'person' ? ' (person)' : ' (monitor or system)'}`,
    `- **Detected at:** ${fullStamp(s.detectedAt)}`,
    `- **Lag from impact start to detection:** ${formatMinuteCount(s.lagMinutes)} minutes`,
    `- **Detecting system:** ${s.detectingSystem === null ? NOT_RECORDED : mdInline(s.detectingSystem, people)}`,
    `- **Within the ${formatMinuteCount(s.targetMinutes)}-minute detection target:** ${s.withinTarget ? 'Yes' : 'No'}`,
  );
  heading(out, 3, 'Detection notes and improvements');
  bullets(out, s.notes, people);
}

function ganttLine(t: GanttTask, people: People): string {
  const start = `${t.start.date} ${t.start.time}`;
  const end = `${t.end.date} ${t.end.time}`;
  const tags = [t.critical ? 'crit' : '', t.milestone ? 'milestone' : ''].filter(Boolean);
  return `  ${mermaidText(t.label, people)} :${tags.map((tag) => `${tag}, `).join('')}${start}, ${end}`;
}

/** Role changes drawn in one chart; the table lists all of them. */
const MAX_CHART_ROLE_CHANGES = 25;

/** One Mermaid gantt chart: a part of the response (or all of it). */
function renderGanttPart(out: Lines, part: GanttPart, title: string, people: People): void {
  const tasks = [...(part.impact ? [part.impact] : []), ...part.phases, ...part.roleChanges];
  const multiDay = new Set(tasks.flatMap((t) => [t.start.date, t.end.date])).size > 1;
  out.push(
    '```mermaid',
    'gantt',
    `  title ${mermaidText(title, people)}`,
    '  dateFormat YYYY-MM-DD HH:mm:ss',
    `  axisFormat ${multiDay ? '%m-%d %H:%M' : '%H:%M'}`,
  );
  if (part.impact) out.push('  section Impact', ganttLine(part.impact, people));
  out.push('  section Response');
  for (const phase of part.phases) out.push(ganttLine(phase, people));
  const { roleChanges } = part;
  if (roleChanges.length > 0) {
    out.push('  section Roles');
    for (const change of roleChanges.slice(0, MAX_CHART_ROLE_CHANGES)) out.push(ganttLine(change, people));
    if (roleChanges.length > MAX_CHART_ROLE_CHANGES) {
      out.push(
        `  %% ${roleChanges.length - MAX_CHART_ROLE_CHANGES} more role changes are in the table below`,
      );
    }
  }
  out.push('```');
}

/** The words standing for a break in the chart. */
function breakLine(b: GanttBreak, people: People): string {
  const running = b.running.map(
    (r) => `${mdInline(r.label, people)} (${formatShortDuration(r.minutes)} in all)`,
  );
  return (
    `_Break in the chart: ${formatShortDuration(b.minutes)} with nothing recorded, ` +
    `${fullStamp(b.from)} → ${fullStamp(b.to)}` +
    `${running.length ? `; running through it: ${running.join(', ')}` : ''}._`
  );
}

/**
 * The phase chart: one Mermaid gantt chart, or one per part with a line for each break between
 * them, so that a long empty stretch never squashes the response.
 */
function renderGantt(out: Lines, s: TimelineSection, incidentId: string, people: People): void {
  const { parts, breaks } = s.gantt;
  const title = `${incidentId} response phases (${s.timeZone})`;
  if (parts.length > 1) {
    out.push(
      `The chart is drawn in ${parts.length} parts: long stretches with nothing recorded are left out so that every phase stays visible.`,
      '',
    );
  }
  parts.forEach((part, i) => {
    if (i > 0) out.push('', breakLine(breaks[i - 1]!, people), '');
    renderGanttPart(
      out,
      part,
      parts.length > 1 ? `${title}, part ${i + 1} of ${parts.length}` : title,
      people,
    );
  });
}

function renderTimeline(out: Lines, s: TimelineSection, incidentId: string, people: People): void {
  heading(out, 2, `4. ${s.title}`);
  out.push(
    `Timezone: All times in ${zoneDescription(s.timeZone, s.zoneLabel)}; times without a date are on ${s.referenceDay}.`,
    '',
  );
  renderGantt(out, s, incidentId, people);
  out.push('');
  const actor = perParty((p) => cellParty(p, people));
  table(
    out,
    [`Time (${s.zoneLabel})`, 'Event', 'Actor', 'Notes'],
    s.rows,
    (r) => `${r.at.short} | ${mdCell(r.event, people)} | ${actor(r.actor)} | ${mdCell(r.notes, people)}`,
  );
}

function renderImpact(out: Lines, s: ImpactSection, people: People): void {
  heading(out, 2, `5. ${s.title}`);
  out.push(paragraph(s.description, people), '');
  table(
    out,
    ['Measure', 'Value'],
    [
      ['Users affected', cellText(s.usersAffected, people)],
      ['Transactions / revenue', cellText(s.revenueImpact, people)],
      ['Data loss / corruption / exposure', cellText(s.dataImpact, people)],
      ['Customer-facing behaviour', cellText(s.customerImpact, people)],
      ['Impact window', `${fullStamp(s.impactStart)} → ${cellStamp(s.resolvedAt)}`],
      ['Duration', formatDuration(s.durationMinutes)],
      ['Services affected', cellList(s.services, people)],
      ['Environment', cellList(s.environment, people)],
      ['SLA', s.sla.line],
    ],
    cells,
  );
}

function renderRootCause(out: Lines, s: RootCauseSection, people: People): void {
  heading(out, 2, `6. ${s.title}`);
  heading(out, 3, 'What happened');
  out.push(paragraph(s.whatHappened, people));
  heading(out, 3, 'Contributing factors');
  bullets(out, s.contributing, people);
  if (s.whys.length > 0) {
    heading(out, 3, '5 whys');
    table(out, ['Why #', 'Question', 'Answer'], s.whys, (w, i) => [
      String(i + 1),
      cellText(w.question || null, people),
      cellText(w.answer || null, people),
    ]);
  }
  heading(out, 3, 'Trigger');
  out.push(paragraph(s.trigger, people));
}

function renderResolution(out: Lines, s: ResolutionSection, zoneLabel: string, people: People): void {
  heading(out, 2, `7. ${s.title}`);
  heading(out, 3, 'Immediate fix');
  out.push(paragraph(s.immediateFix, people));
  heading(out, 3, 'Resolution steps');
  table(out, ['Step', `Time (${zoneLabel})`, 'Action', 'Result'], s.steps, (st) => [
    String(st.step),
    st.at.short,
    mdCell(st.action, people),
    cellText(st.result, people),
  ]);
  heading(out, 3, 'Permanent fixes');
  if (s.permanentFixes.length === 0) out.push(NOT_RECORDED);
  for (const fix of s.permanentFixes) {
    const text = mdBlock(fix.text, people, '  ');
    out.push(fix.source === 'field' ? `- ${text}` : `- Action item #${fix.seq}: ${text} (${fix.status})`);
  }
}

function metricRow(m: MetricResult): string[] {
  const actual = formatDuration(m.minutes);
  return [
    m.label,
    m.span,
    actual,
    `≤ ${formatMinuteCount(m.targetMinutes)} minutes`,
    m.verdict ?? NOT_RECORDED,
  ];
}

function slaRows(sla: SlaResult): string[][] {
  return [
    [
      'Monthly uptime',
      `≥ ${sla.uptimeTargetPercent}%`,
      formatPercent(sla.uptimePercent),
      yesNo(sla.uptimeBreach),
    ],
    [
      'MTTR',
      `≤ ${formatMinuteCount(sla.mttrTargetMinutes)} minutes`,
      sla.mttrMinutes === null ? NOT_RECORDED : `${formatMinuteCount(sla.mttrMinutes)} minutes`,
      yesNo(sla.mttrBreach),
    ],
  ];
}

function renderMetrics(out: Lines, s: MetricsSection): void {
  heading(out, 2, `8. ${s.title}`);
  table(out, ['Metric', 'Measured', 'Actual', 'Target', 'Verdict'], s.metrics, metricRow);
  out.push('', 'Verdicts: Good within the target, Fair within twice the target, Poor beyond.');
  heading(out, 3, 'SLA targets');
  table(out, ['SLA metric', 'Target', 'Actual', 'Breach'], slaRows(s.sla), cells);
  out.push('', s.sla.downtimeMinutes === null ? `SLA: ${s.sla.line}` : `SLA: ${s.sla.line} (30-day month).`);
}

function renderRetrospective(out: Lines, s: RetrospectiveSection, people: People): void {
  heading(out, 2, `9. ${s.title}`);
  heading(out, 3, 'What went well');
  bullets(out, s.wentWell, people);
  heading(out, 3, 'What went wrong');
  bullets(out, s.wentWrong, people);
}

function renderActions(out: Lines, s: ActionItemsSection, people: People): void {
  heading(out, 2, `10. ${s.title}`);
  table(out, ['#', 'Action', 'Owner', 'Due', 'Priority', 'Status'], s.items, (a) => [
    String(a.seq),
    mdCell(a.text, people),
    cellParty(a.owner, people, '_Unassigned_'),
    a.due === null ? '_Not set_' : mdCell(a.due, people),
    a.priority,
    a.status === 'done' ? `Done${a.doneAt ? ` (${a.doneAt.date})` : ''}` : 'Open',
  ]);
}

function renderLessons(out: Lines, s: LessonsSection, people: People): void {
  heading(out, 2, `11. ${s.title}`);
  bullets(out, s.lessons, people);
}

function renderRelated(out: Lines, s: RelatedSection, people: People): void {
  heading(out, 2, `12. ${s.title}`);
  table(out, ['Incident ID', 'Date', 'Similarity', 'Resolved'], s.incidents, (r) => [
    mdCell(r.id, people),
    r.declaredAt.date,
    mdCell(r.similarity, people),
    r.resolved ? 'Yes' : 'No',
  ]);
}

function renderComms(out: Lines, s: CommsSection, zoneLabel: string, people: People): void {
  heading(out, 2, `13. ${s.title}`);
  const sender = perParty((p) => cellParty(p, people));
  table(
    out,
    [`Time (${zoneLabel})`, 'Channel', 'Message summary', 'Audience', 'Sent by'],
    s.entries,
    (c) =>
      `${c.at.short} | ${mdCell(c.channel, people)} | ${mdCell(mrkdwnToPlain(c.summary), people)} | ` +
      `${mdCell(c.audience, people)} | ${sender(c.sentBy)}`,
  );
}

function renderApproval(out: Lines, s: ApprovalSection, people: People): void {
  heading(out, 2, `14. ${s.title}`);
  table(out, ['Role', 'Name', 'Date'], s.rows, (r) => [r.role, cellParty(r.person, people), NOT_RECORDED]);
}

function renderAppendix(out: Lines, s: AppendixSection, zone: string, people: People): void {
  heading(out, 2, `Appendix A. ${s.title}`);
  if (s.messages.length === 0) {
    out.push(NONE_RECORDED);
    return;
  }
  out.push(`Messages in the incident channel, thread replies indented; times in ${zone}.`, '');
  const nameOf = perParty((p) => mdInline(partyName(p), people));
  for (const m of s.messages) {
    const indent = m.depth === 1 ? '  ' : '';
    const files = m.files.length
      ? ` (files: ${m.files.map((f) => (f.permalink ? `[${mdInline(f.name, people)}](${f.permalink})` : mdInline(f.name, people))).join(', ')})`
      : '';
    const text = mdBlock(m.text, people, `${indent}  `) || '_(no text)_';
    out.push(
      `${indent}- **${m.at.short}** ${nameOf(m.author)}: ${text}${m.edited ? ' _(edited)_' : ''}${files}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Renders the whole postmortem as Markdown: title and header, sections 1–14 in order, and the
 * channel transcript. Deterministic: the same document gives the same bytes. Ends with a newline.
 */
export function renderMarkdown(doc: PostmortemDocument): string {
  const out: Lines = [];
  const people = doc.people;
  const [header, overview, summary, detection, timeline, impact, rootCause, resolution, metrics] =
    doc.sections;
  const [, , , , , , , , , retrospective, actions, lessons, related, comms, approval] = doc.sections;
  renderHeader(out, header, people);
  renderOverview(out, overview, people);
  renderSummary(out, summary, people);
  renderDetection(out, detection, people);
  renderTimeline(out, timeline, doc.incidentId, people);
  renderImpact(out, impact, people);
  renderRootCause(out, rootCause, people);
  renderResolution(out, resolution, doc.zoneLabel, people);
  renderMetrics(out, metrics);
  renderRetrospective(out, retrospective, people);
  renderActions(out, actions, people);
  renderLessons(out, lessons, people);
  renderRelated(out, related, people);
  renderComms(out, comms, doc.zoneLabel, people);
  renderApproval(out, approval, people);
  renderAppendix(out, doc.appendix, zoneDescription(doc.timeZone, doc.zoneLabel), people);
  out.push('');
  return out.join('\n');
}
