/**
 * Renders the Slack summary post of a compiled postmortem (the whole document goes in the
 * attached Markdown file). Whatever the incident's size, the post stays within Block Kit's
 * limits: every part has a fixed character budget and long lists end with "… and N more".
 */
import { formatDuration, formatMinuteCount, formatPercent, NOT_RECORDED } from '../metrics';
import { ROLE_LABELS } from '../types';
import { fullStamp, safeCut, slackEscape, slackParty, slackPlain, zoneDescription } from './format';
import type { Party, PostmortemDocument } from './model';

/** Block Kit limits the summary respects. */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  header: 150,
  totalText: 12_000,
  fallbackText: 3000,
} as const;

/**
 * Budgets (characters) of the parts. Their sum (header 150, two contexts 300 each, 10 fields of
 * 250, summary ~1,530, root cause ~530, metrics 1,200, timeline 2,600, actions 2,000) is about
 * 11,200, under {@link SLACK_LIMITS.totalText} whatever the incident's size.
 */
const BUDGET = {
  field: 250,
  summary: 1500,
  rootCause: 500,
  metrics: 1200,
  timeline: 2600,
  timelineLine: 220,
  timelineRows: 12,
  actions: 2000,
  actionLine: 240,
  actionRows: 10,
  context: 300,
} as const;

interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  emoji?: boolean;
}

type Block =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' };

/** The summary message: Block Kit blocks plus the notification / fallback text. */
export interface SummaryMessage {
  text: string;
  blocks: object[];
}

const MORE = (n: number) => `… and ${n} more (see the attached document)`;

const mrkdwn = (text: string): TextObject => ({ type: 'mrkdwn', text });

function section(text: string): Block {
  return { type: 'section', text: mrkdwn(safeCut(text, SLACK_LIMITS.sectionText)) };
}

/** `*Label*\nvalue`, cut to the field budget. */
function field(label: string, value: string): TextObject {
  return mrkdwn(safeCut(`*${label}*\n${value}`, BUDGET.field));
}

function parties(list: readonly Party[]): string {
  return list.length === 0 ? '_Not assigned_' : list.map(slackParty).join(' → ');
}

/** User text for a section, escaped and cut to `max` characters. */
function userText(text: string | null, max: number): string {
  if (text === null) return NOT_RECORDED;
  return safeCut(slackEscape(text.trim()), max, '… (see the attached document)');
}

/** One line per item, as many as fit `maxChars` and `maxRows`, then "… and N more". */
function fitLines(total: number, line: (i: number) => string, maxChars: number, maxRows: number): string[] {
  const out: string[] = [];
  const reserve = MORE(total).length + 1;
  let used = 0;
  for (let i = 0; i < total && out.length < maxRows; i += 1) {
    const next = line(i);
    if (used + next.length + 1 > maxChars - reserve) break;
    out.push(next);
    used += next.length + 1;
  }
  if (out.length < total) out.push(MORE(total - out.length));
  return out;
}

function oneLine(text: string, max: number): string {
  return safeCut(slackEscape(text.replace(/\s*\r?\n\s*/g, ' ').trim()), max);
}

function overviewFields(doc: PostmortemDocument): TextObject[] {
  const [, overview, , detection] = doc.sections;
  const services = overview.services.length
    ? overview.services.map((s) => slackEscape(s)).join(', ')
    : NOT_RECORDED;
  return [
    field('Severity', overview.severityLabel),
    field('Status', overview.status.charAt(0).toUpperCase() + overview.status.slice(1)),
    field('Impact start', fullStamp(overview.impactStart)),
    field('Resolved at', overview.resolvedAt ? fullStamp(overview.resolvedAt) : NOT_RECORDED),
    field('Duration', formatDuration(overview.durationMinutes)),
    field('Detected by', slackParty(detection.detectedBy)),
    field(ROLE_LABELS.ic, parties(overview.commanders)),
    field(ROLE_LABELS.tech, parties(overview.techLeads)),
    field(ROLE_LABELS.comms, parties(overview.commsLeads)),
    field('Services affected', services),
  ].slice(0, SLACK_LIMITS.fields);
}

function metricsText(doc: PostmortemDocument): string {
  const s = doc.sections[8];
  const lines = s.metrics.map((m) => {
    const actual = m.minutes === null ? NOT_RECORDED : `${formatMinuteCount(m.minutes)} min`;
    const verdict = m.verdict ?? NOT_RECORDED;
    return `• ${m.label}: ${actual} (target ${formatMinuteCount(m.targetMinutes)} min): *${verdict}*`;
  });
  const breach = (b: boolean | null) => (b === null ? NOT_RECORDED : b ? 'breached' : 'met');
  lines.push(
    `• SLA: ${s.sla.line}`,
    `• Uptime target ≥ ${s.sla.uptimeTargetPercent}%: ${breach(s.sla.uptimeBreach)} (${formatPercent(s.sla.uptimePercent)})`,
    `• MTTR target ≤ ${formatMinuteCount(s.sla.mttrTargetMinutes)} min: ${breach(s.sla.mttrBreach)}`,
  );
  return safeCut(`*Key metrics*\n${lines.join('\n')}`, BUDGET.metrics);
}

function timelineText(doc: PostmortemDocument): string {
  const t = doc.sections[4];
  const rows = t.rows;
  const count = `${rows.length} ${rows.length === 1 ? 'entry' : 'entries'}`;
  const title = `*Timeline* · ${count} · times in ${zoneDescription(t.timeZone, t.zoneLabel)}`;
  if (rows.length === 0) return `${title}\n_None recorded_`;
  const lines = fitLines(
    rows.length,
    (i) => {
      const r = rows[i]!;
      const notes = r.notes ? ` — ${r.notes}` : '';
      const body = oneLine(`${r.event}${notes}`, BUDGET.timelineLine - 40);
      return `\`${r.at.short}\` ${body} · ${slackParty(r.actor)}`;
    },
    BUDGET.timeline - title.length,
    BUDGET.timelineRows,
  );
  return `${title}\n${lines.join('\n')}`;
}

function actionsText(doc: PostmortemDocument): string {
  const open = doc.sections[10].items.filter((a) => a.status === 'open');
  const title = `*Open action items* (${open.length})`;
  if (open.length === 0) return `${title}\n_No open action items._`;
  const lines = fitLines(
    open.length,
    (i) => {
      const a = open[i]!;
      const owner = a.owner ? slackParty(a.owner) : '_unassigned_';
      const due = a.due ? `, due ${slackEscape(a.due)}` : '';
      return `• #${a.seq} ${oneLine(a.text, BUDGET.actionLine - 60)} — ${owner}${due}, ${a.priority}`;
    },
    BUDGET.actions - title.length,
    BUDGET.actionRows,
  );
  return `${title}\n${lines.join('\n')}`;
}

function fallbackText(doc: PostmortemDocument): string {
  const overview = doc.sections[1];
  const title = safeCut(slackEscape(doc.incidentTitle.replace(/\s+/g, ' ').trim()), 150);
  const text =
    `Postmortem ${slackEscape(doc.incidentId)}: ${title} — ${overview.severityLabel}, ` +
    `${overview.status}, duration ${formatDuration(overview.durationMinutes)}. ${doc.sections[8].sla.line}.`;
  return safeCut(text, SLACK_LIMITS.fallbackText);
}

/**
 * Renders the Slack summary of a postmortem: header (ID and title), overview fields, executive
 * summary, root cause, key metrics with the SLA line, the start of the timeline, open action
 * items, and a note that the full document is attached (`markdownFileName` names the file).
 * All user text is escaped (`<!channel>` never pings); user mentions stay live. Within Block
 * Kit's limits for incidents of any size.
 */
export function renderSummaryBlocks(
  doc: PostmortemDocument,
  opts: { markdownFileName?: string } = {},
): SummaryMessage {
  const [header, , summary, , , , rootCause] = doc.sections;
  const headerText = safeCut(
    slackPlain(`${doc.incidentId}: ${doc.incidentTitle.replace(/\s+/g, ' ').trim()}`, doc.people),
    SLACK_LIMITS.header,
  );
  const attached = opts.markdownFileName
    ? `The full postmortem is attached: *${oneLine(opts.markdownFileName, 120)}*`
    : 'The full postmortem is attached as a Markdown file.';
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: headerText, emoji: true } },
    {
      type: 'context',
      elements: [
        mrkdwn(
          safeCut(
            `Postmortem · document status: ${header.documentStatus} · compiled ${fullStamp(doc.compiledAt)}`,
            BUDGET.context,
          ),
        ),
      ],
    },
    { type: 'section', fields: overviewFields(doc) },
    section(`*Executive summary*\n${userText(summary.text, BUDGET.summary)}`),
    section(`*Root cause*\n${userText(rootCause.whatHappened, BUDGET.rootCause)}`),
    section(metricsText(doc)),
    { type: 'divider' },
    section(timelineText(doc)),
    section(actionsText(doc)),
    { type: 'divider' },
    { type: 'context', elements: [mrkdwn(safeCut(attached, BUDGET.context))] },
  ];
  return { text: fallbackText(doc), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}
