/**
 * Renders the Slack summary post of a compiled postmortem (the whole document goes in the
 * attached Markdown file). Whatever the incident's size, the post stays within Block Kit's
 * limits: every part has a fixed character budget and long lists end with "… and N more".
 */
import {
  formatDuration,
  formatMinuteCount,
  formatPercent,
  formatShortDuration,
  NOT_RECORDED,
} from '../../domain/metrics';
import { fullStamp, slackMention, slackParty, zoneDescription } from '../../domain/postmortem/format';
import type { Party, PostmortemDocument } from '../../domain/postmortem/model';
import { ROLE_LABELS } from '../../domain/types';
import { blocksTextLength, FALLBACK_TEXT_MAX, MESSAGE_BUDGET, SLACK_LIMITS } from '../../shared/slack-limits';
import { safeCut, slackEscape, slackPlain } from '../../shared/slack-text';

/**
 * Budgets (characters) of the parts. Their sum (header 150, two contexts 300 each, 10 fields of
 * 250, summary ~1,630 with the drafted-by note, root cause ~530, metrics 1,200, timeline 2,600,
 * actions 2,000) is about 11,300, under {@link MESSAGE_BUDGET.text}; {@link renderSummaryBlocks} still checks the total
 * and cuts if a change of budgets ever adds up to more.
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
  /** A person's name inside a timeline line. */
  name: 40,
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

type People = Record<string, string>;

const MORE = (n: number) => `… and ${n} more (see the attached document)`;
const SEE_DOCUMENT = '… (see the attached document)';

const mrkdwn = (text: string): TextObject => ({ type: 'mrkdwn', text });

function section(text: string): Block {
  return { type: 'section', text: mrkdwn(safeCut(text, SLACK_LIMITS.sectionText)) };
}

/** `*Label*\nvalue`, cut to the field budget. */
function field(label: string, value: string): TextObject {
  return mrkdwn(safeCut(`*${label}*\n${value}`, BUDGET.field));
}

function parties(list: readonly Party[], people: People): string {
  return list.length === 0 ? '_Not assigned_' : list.map((p) => slackParty(p, people)).join(' → ');
}

/** User text for a section, escaped and cut to `max` characters. */
function userText(text: string | null, max: number, people: People): string {
  if (text === null) return NOT_RECORDED;
  return safeCut(slackEscape(text.trim(), people), max, SEE_DOCUMENT);
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

function oneLine(text: string, max: number, people: People): string {
  return safeCut(slackEscape(text.replace(/\s*\r?\n\s*/g, ' ').trim(), people), max);
}

function overviewFields(doc: PostmortemDocument): TextObject[] {
  const [, overview, , detection] = doc.sections;
  const people = doc.people;
  const services = overview.services.length
    ? overview.services.map((s) => slackEscape(s, people)).join(', ')
    : NOT_RECORDED;
  return [
    field('Severity', overview.severityLabel),
    field('Status', overview.status.charAt(0).toUpperCase() + overview.status.slice(1)),
    field('Impact start', fullStamp(overview.impactStart)),
    field('Resolved at', overview.resolvedAt ? fullStamp(overview.resolvedAt) : NOT_RECORDED),
    field('Duration', formatDuration(overview.durationMinutes)),
    field('Detected by', slackParty(detection.detectedBy, people)),
    field(ROLE_LABELS.ic, parties(overview.commanders, people)),
    field(ROLE_LABELS.tech, parties(overview.techLeads, people)),
    field(ROLE_LABELS.comms, parties(overview.commsLeads, people)),
    field('Services affected', services),
  ].slice(0, SLACK_LIMITS.fields);
}

function metricsText(doc: PostmortemDocument): string {
  const s = doc.sections[8];
  const lines = s.metrics.map((m) => {
    const actual = formatShortDuration(m.minutes);
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
  const people = doc.people;
  const count = `${rows.length} ${rows.length === 1 ? 'entry' : 'entries'}`;
  const title = `*Timeline* · ${count} · times in ${zoneDescription(t.timeZone, t.zoneLabel)}`;
  if (rows.length === 0) return `${title}\n_None recorded_`;
  const lines = fitLines(
    rows.length,
    (i) => {
      const r = rows[i]!;
      const notes = r.notes ? ` — ${r.notes}` : '';
      const body = oneLine(`${r.event}${notes}`, BUDGET.timelineLine - 40, people);
      return `\`${r.at.short}\` ${body} · ${safeCut(slackParty(r.actor, people), BUDGET.name)}`;
    },
    BUDGET.timeline - title.length,
    BUDGET.timelineRows,
  );
  return `${title}\n${lines.join('\n')}`;
}

/** Open action items; their owners stay live mentions (the one place the summary notifies). */
function actionsText(doc: PostmortemDocument): string {
  const people = doc.people;
  const open = doc.sections[10].items.filter((a) => a.status === 'open');
  const title = `*Open action items* (${open.length})`;
  if (open.length === 0) return `${title}\n_No open action items._`;
  const lines = fitLines(
    open.length,
    (i) => {
      const a = open[i]!;
      const owner = a.owner ? slackMention(a.owner, people) : '_unassigned_';
      const due = a.due ? `, due ${slackEscape(a.due, people)}` : '';
      return `• #${a.seq} ${oneLine(a.text, BUDGET.actionLine - 60, people)} — ${owner}${due}, ${a.priority}`;
    },
    BUDGET.actions - title.length,
    BUDGET.actionRows,
  );
  return `${title}\n${lines.join('\n')}`;
}

function fallbackText(doc: PostmortemDocument): string {
  const overview = doc.sections[1];
  const title = safeCut(
    slackEscape(doc.incidentTitle.replace(/\s+/g, ' ').trim(), doc.people),
    SLACK_LIMITS.headerText,
  );
  const text =
    `Postmortem ${slackEscape(doc.incidentId, doc.people)}: ${title} — ${overview.severityLabel}, ` +
    `${overview.status}, duration ${formatDuration(overview.durationMinutes)}. ${doc.sections[8].sla.line}.`;
  return safeCut(text, FALLBACK_TEXT_MAX);
}

// ---------------------------------------------------------------------------------------------
// Total text budget

/** Every text object of a block. */
function textObjects(block: Block): TextObject[] {
  switch (block.type) {
    case 'header':
      return [block.text];
    case 'section':
      return [...(block.text ? [block.text] : []), ...(block.fields ?? [])];
    case 'context':
      return block.elements;
    default:
      return [];
  }
}

/** A section text is never cut below this. */
const MIN_SECTION_TEXT = 80;

/**
 * Holds the blocks to `max` characters of text, whatever the budgets above add up to: cuts the
 * longest section texts first (not below {@link MIN_SECTION_TEXT}), then drops the largest
 * blocks after the header, then cuts the header.
 */
function fitTotal(blocks: Block[], max: number): Block[] {
  let excess = blocksTextLength(blocks) - max;
  if (excess <= 0) return blocks;
  const sections = blocks
    .flatMap((b) => (b.type === 'section' && b.text ? [b.text] : []))
    .sort((a, b) => b.text.length - a.text.length);
  for (const text of sections) {
    if (excess <= 0) return blocks;
    const before = text.text.length;
    const target = Math.max(MIN_SECTION_TEXT, before - excess);
    if (target >= before) continue;
    text.text = safeCut(text.text, target, SEE_DOCUMENT);
    excess -= before - text.text.length;
  }
  const kept = [...blocks];
  while (excess > 0 && kept.length > 1) {
    let largest = 1;
    let largestSize = -1;
    kept.forEach((block, i) => {
      const size = textObjects(block).reduce((sum, t) => sum + t.text.length, 0);
      if (i > 0 && size > largestSize) {
        largest = i;
        largestSize = size;
      }
    });
    kept.splice(largest, 1);
    excess -= largestSize;
  }
  const first = kept[0];
  if (excess > 0 && first?.type === 'header') {
    first.text.text = safeCut(first.text.text, Math.max(1, first.text.text.length - excess));
  }
  return kept;
}

/**
 * Renders the Slack summary of a postmortem: header (ID and title), overview fields, executive
 * summary, root cause, key metrics with the SLA line, the start of the timeline, open action
 * items, and a note that the full document is attached (`markdownFileName` names the file).
 * All user text is escaped (`<!channel>` never pings) and people are shown by name, so posting
 * it notifies nobody but the owners of open action items (live mentions). Within Block Kit's
 * limits for incidents of any size; the total text is held to `maxTotalText` (at most
 * {@link MESSAGE_BUDGET.text}).
 */
export function renderSummaryBlocks(
  doc: PostmortemDocument,
  opts: { markdownFileName?: string; maxTotalText?: number } = {},
): SummaryMessage {
  const [header, , summary, , , , rootCause] = doc.sections;
  const people = doc.people;
  const headerText = safeCut(
    slackPlain(`${doc.incidentId}: ${doc.incidentTitle.replace(/\s+/g, ' ').trim()}`, people),
    SLACK_LIMITS.headerText,
  );
  const attached = opts.markdownFileName
    ? `The full postmortem is attached: *${oneLine(opts.markdownFileName, 120, people)}*`
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
    section(
      summary.text === null && summary.draft !== null
        ? `*Executive summary* _(drafted by Firewatch from the recorded facts; \`/incident set summary\` replaces it)_\n${userText(summary.draft, BUDGET.summary, people)}`
        : `*Executive summary*\n${userText(summary.text, BUDGET.summary, people)}`,
    ),
    section(`*Root cause*\n${userText(rootCause.whatHappened, BUDGET.rootCause, people)}`),
    section(metricsText(doc)),
    { type: 'divider' },
    section(timelineText(doc)),
    section(actionsText(doc)),
    { type: 'divider' },
    { type: 'context', elements: [mrkdwn(safeCut(attached, BUDGET.context))] },
  ];
  const maxTotal = Math.min(MESSAGE_BUDGET.text, opts.maxTotalText ?? MESSAGE_BUDGET.text);
  return {
    text: fallbackText(doc),
    blocks: fitTotal(blocks.slice(0, SLACK_LIMITS.blocksPerMessage), maxTotal),
  };
}
