/**
 * The postmortem compiler: a pure fold of the incident record, its role terms, timeline, fields,
 * action items, communication log and captured messages into a {@link PostmortemDocument}.
 *
 * Rule of thumb: what the bot saw is filled in; what only a human knows and nobody wrote down is
 * left `null` (rendered `_Not recorded_`). Nothing here performs I/O or reads the clock.
 *
 * User text arrives Slack-encoded (`&amp;`, `&lt;`, `&gt;`). Patterns (`fix:`, `->`, `why 2:`) are
 * matched on the decoded text; what the document keeps is sliced from the raw text, so each
 * renderer decodes and escapes it once, for its own target.
 */
import { decodeSlackText, rawSlice } from '../../shared/slack-text';
import { computeMetrics, firstHumanMessageAt, type MetricObservations } from '../metrics';
import {
  type ActionItem,
  type CapturedMessage,
  type CommsEntry,
  type FieldEntry,
  LIST_FIELDS,
  type ListField,
  type RoleName,
  type RoleTerm,
  SEVERITY_LABELS,
  TEXT_FIELDS,
  type TextField,
  type TimelineEvent,
  type TimelineKind,
} from '../types';
import { createStampFormatter, partyFromString, personOrBot, type StampFormatter } from './format';
import { buildGantt } from './gantt';
import type {
  ActionRow,
  ApprovalRow,
  CommsRow,
  CurrentCompile,
  DocumentHistoryRow,
  DocumentStatus,
  HistoryEntry,
  Party,
  PermanentFix,
  PostmortemDocument,
  PostmortemInput,
  ResolutionStep,
  TimelineRow,
  TranscriptMessage,
  WhyRow,
} from './model';
import { draftSummary } from './summary-draft';

type People = Record<string, string>;
/** The Party of a Slack user id (null: the bot), one shared object per id. */
type PartyOf = (userId: string | null) => Party;

// ---------------------------------------------------------------------------------------------
// Ordering

/** Timeline order: when it happened, then when the bot recorded it, then id. Never arrival order. */
export function compareTimeline(a: TimelineEvent, b: TimelineEvent): number {
  return a.at - b.at || a.recordedAt - b.recordedAt || a.id - b.id;
}

/** Sorts a copy of the timeline into {@link compareTimeline} order (the input is not modified). */
export function sortTimeline(events: readonly TimelineEvent[]): TimelineEvent[] {
  return [...events].sort(compareTimeline);
}

/** A Slack ts as a sortable integer of microseconds (exact, unlike a float). */
function tsKey(ts: string): number {
  const dot = ts.indexOf('.');
  if (dot < 0) return Number(ts) * 1_000_000;
  const micros = ts.slice(dot + 1, dot + 7);
  return Number(ts.slice(0, dot)) * 1_000_000 + Number(micros) * 10 ** (6 - micros.length);
}

/** One Party object per user id, shared by every row that names them (renderers memoise on it). */
export function partyCache(people: People): PartyOf {
  const cache = new Map<string | null, Party>();
  return (userId) => {
    let party = cache.get(userId);
    if (party === undefined) {
      party = personOrBot(userId, people);
      cache.set(userId, party);
    }
    return party;
  };
}

// ---------------------------------------------------------------------------------------------
// Fields

/** Human-written fields after the fold: text fields hold the last value, list fields every entry. */
export interface FieldValues {
  text: Record<TextField, string | null>;
  lists: Record<ListField, string[]>;
}

/**
 * Folds field entries in the order they were written (`at`, then id): for text fields the last
 * value wins (an empty last value clears the field); list fields get one bullet per non-empty entry.
 */
export function foldFields(fields: readonly FieldEntry[]): FieldValues {
  const acc: FieldValues = {
    text: Object.fromEntries(TEXT_FIELDS.map((f) => [f, null])) as Record<TextField, string | null>,
    lists: Object.fromEntries(LIST_FIELDS.map((f) => [f, [] as string[]])) as Record<ListField, string[]>,
  };
  for (const entry of [...fields].sort((a, b) => a.at - b.at || a.id - b.id)) {
    const value = entry.value.trim();
    if (isListField(entry.field)) {
      if (value) acc.lists[entry.field].push(value);
    } else if (isTextField(entry.field)) {
      acc.text[entry.field] = value || null;
    }
  }
  return acc;
}

function isListField(field: string): field is ListField {
  return (LIST_FIELDS as readonly string[]).includes(field);
}

function isTextField(field: string): field is TextField {
  return (TEXT_FIELDS as readonly string[]).includes(field);
}

const WHY_PREFIX = /^\s*why\s*#?\s*\d*\s*[:.)-]\s*/i;

/** Offset of the first `?` outside Slack control sequences (`<https://x.io/?q=1>`), or -1. */
function questionMark(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (c === '<') depth += 1;
    else if (c === '>' && depth > 0) depth -= 1;
    else if (c === '?' && depth === 0) return i;
  }
  return -1;
}

/**
 * One "5 whys" row: `question? answer` split after the first `?`, or just an answer. A leading
 * `why:` / `why 2:` is dropped. Matched on the decoded text, sliced from the raw one.
 */
export function parseWhy(entry: string): WhyRow {
  const decoded = decodeSlackText(entry);
  const start = WHY_PREFIX.exec(decoded.text)?.[0].length ?? 0;
  const q = questionMark(decoded.text, start);
  return q < 0
    ? { question: '', answer: rawSlice(entry, decoded, start) }
    : { question: rawSlice(entry, decoded, start, q + 1), answer: rawSlice(entry, decoded, q + 1) };
}

/**
 * The 5 whys and the contributing factors: every `why` entry is a row, and so is a
 * `contributing` entry starting with `why:` / `why 2:` (the older way to write them).
 */
export function splitWhys(
  contributing: readonly string[],
  whyEntries: readonly string[] = [],
): { factors: string[]; whys: WhyRow[] } {
  const factors: string[] = [];
  const whys: WhyRow[] = whyEntries.map(parseWhy);
  for (const entry of contributing) {
    if (WHY_PREFIX.test(decodeSlackText(entry).text)) whys.push(parseWhy(entry));
    else factors.push(entry);
  }
  return { factors, whys };
}

const DOCUMENT_STATUSES: Record<string, DocumentStatus> = {
  draft: 'Draft',
  'in review': 'In Review',
  'in-review': 'In Review',
  approved: 'Approved',
};

/** The `doc-status` field as a status (draft, in review, in-review, approved, any case), else null. */
export function parseDocumentStatus(value: string | null): DocumentStatus | null {
  if (value === null) return null;
  const key = decodeSlackText(value).text.trim().toLowerCase().replace(/\s+/g, ' ');
  return DOCUMENT_STATUSES[key] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Timeline fold

const KIND_LABELS: Record<TimelineKind, string> = {
  declared: 'Incident declared',
  status: 'Status changed',
  severity: 'Severity changed',
  role: 'Role assigned',
  update: 'Status update posted',
  started: 'Impact started',
  detected: 'Problem detected',
  resolved: 'Incident resolved',
  closed: 'Incident closed',
  reopened: 'Incident reopened',
  note: 'Note',
  pin: 'Pinned message',
  action: 'Action item added',
  lesson: 'Lesson recorded',
  field: 'Postmortem field updated',
};

/** An `action` entry with a ref (the item's number) records its completion. */
const ACTION_DONE_LABEL = 'Action item done';

const STEP_STATUSES: Record<string, string> = {
  identified: 'Cause identified',
  monitoring: 'Impact mitigated; monitoring',
  resolved: 'Incident resolved',
};

/**
 * Rule for resolution steps (section 7): a timeline entry is an action taken when it is
 * - a status change (`status` entry whose ref is identified, monitoring or resolved) or a
 *   `resolved` entry, or
 * - a `note` or `pin` whose text starts (case-insensitively) with `action:`, `fix:` or `mitigat…`
 *   (mitigate, mitigated, mitigation). The `action:` / `fix:` prefix is dropped from the step; a
 *   result may follow the action after `→`, `->`, `=>` or `result:`.
 * Both patterns are matched on the entity-decoded text (Slack sends `->` as `-&gt;`).
 */
const ACTION_PREFIX = /^\s*(?:(action|fix)\s*:\s*|(?=mitigat))/i;
const RESULT_SPLIT = /\s*(?:→|->|=>|\bresult:)\s*/i;

/** The event and notes columns of a timeline row. */
export function describeEvent(event: TimelineEvent): { event: string; notes: string } {
  const text = event.text.trim();
  if (event.kind === 'note') return { event: text || KIND_LABELS.note, notes: '' };
  if (event.kind === 'pin') return { event: text || KIND_LABELS.pin, notes: KIND_LABELS.pin };
  let label = KIND_LABELS[event.kind];
  if (event.kind === 'action' && event.ref !== null) label = ACTION_DONE_LABEL;
  else if ((event.kind === 'status' || event.kind === 'severity') && event.ref)
    label = `${label} to ${event.ref}`;
  return { event: label, notes: text === label ? '' : text };
}

interface StepDraft {
  action: string;
  result: string | null;
  isFix: boolean;
  status: string | null;
}

/** The resolution step an entry stands for, if any (see the rule above). */
export function stepFromEvent(event: TimelineEvent): StepDraft | null {
  const status = event.kind === 'resolved' ? 'resolved' : event.kind === 'status' ? event.ref : null;
  if (status && status in STEP_STATUSES) {
    const text = event.text.trim();
    return {
      action: text || `Status set to ${status}`,
      result: STEP_STATUSES[status] ?? null,
      isFix: false,
      status,
    };
  }
  if (event.kind !== 'note' && event.kind !== 'pin') return null;
  const raw = event.text;
  const decoded = decodeSlackText(raw);
  const prefix = ACTION_PREFIX.exec(decoded.text);
  if (!prefix) return null;
  const start = prefix[0].length;
  const split = RESULT_SPLIT.exec(decoded.text.slice(start));
  const body = rawSlice(raw, decoded, start);
  const action = split ? rawSlice(raw, decoded, start, start + split.index) : body;
  const result = split ? rawSlice(raw, decoded, start + split.index + split[0].length) : '';
  return {
    action: action || body,
    result: result || null,
    isFix: prefix[1]?.toLowerCase() !== 'action',
    status: null,
  };
}

interface TimelineFold {
  rows: TimelineRow[];
  steps: ResolutionStep[];
  /** The first `fix:` / `mitigat…` step's action (never a status text). */
  firstFix: string | null;
  reopenedAt: number[];
}

/**
 * What the timeline and the channel add to the incident record for its measures: the first change
 * to `identified` and to `monitoring` (in timeline order, by {@link stepFromEvent}) and the first
 * human message. The postmortem and the insights across incidents both measure with this.
 */
export function metricObservations(
  timeline: readonly TimelineEvent[],
  messages: readonly CapturedMessage[],
): MetricObservations {
  let firstIdentifiedAt: number | null = null;
  let firstMonitoringAt: number | null = null;
  for (const event of sortTimeline(timeline)) {
    const status = stepFromEvent(event)?.status;
    if (status === 'identified') firstIdentifiedAt ??= event.at;
    if (status === 'monitoring') firstMonitoringAt ??= event.at;
  }
  return { firstIdentifiedAt, firstMonitoringAt, firstHumanMessageAt: firstHumanMessageAt(messages) };
}

/** Folds the timeline (sorted here) into table rows, resolution steps and first occurrences. */
export function foldTimeline(
  events: readonly TimelineEvent[],
  clock: StampFormatter,
  partyOf: PartyOf,
): TimelineFold {
  const acc: TimelineFold = {
    rows: [],
    steps: [],
    firstFix: null,
    reopenedAt: [],
  };
  for (const event of sortTimeline(events)) {
    const at = clock.stamp(event.at);
    const actor = partyOf(event.actor);
    const { event: label, notes } = describeEvent(event);
    acc.rows.push({ id: event.id, kind: event.kind, at, event: label, actor, notes });
    if (event.kind === 'reopened') acc.reopenedAt.push(event.at);

    const draft = stepFromEvent(event);
    if (!draft) continue;
    if (draft.isFix && acc.firstFix === null) acc.firstFix = draft.action;
    const previous = acc.steps[acc.steps.length - 1];
    // `/incident resolve` may leave both a status entry and a `resolved` entry: one step is enough.
    const duplicate =
      previous !== undefined &&
      draft.status === 'resolved' &&
      previous.result === STEP_STATUSES.resolved &&
      previous.at.at === event.at;
    if (!duplicate) {
      acc.steps.push({ step: acc.steps.length + 1, at, action: draft.action, result: draft.result, actor });
    }
  }
  return acc;
}

// ---------------------------------------------------------------------------------------------
// Roles

/** Role terms in the order they began. */
function sortedTerms(roles: readonly RoleTerm[]): RoleTerm[] {
  return [...roles].sort((a, b) => a.from - b.from || a.id - b.id);
}

/** Distinct holders of a role, in the order they first held it. */
export function holders(terms: readonly RoleTerm[], role: RoleName, partyOf: PartyOf): Party[] {
  const seen = new Set<string>();
  const out: Party[] = [];
  for (const term of terms) {
    if (term.role !== role || seen.has(term.userId)) continue;
    seen.add(term.userId);
    out.push(partyOf(term.userId));
  }
  return out;
}

function partyId(party: Party): string {
  return party.kind === 'person' ? party.id : `system:${party.label}`;
}

// ---------------------------------------------------------------------------------------------
// Other sections

function actionRows(actions: readonly ActionItem[], clock: StampFormatter, partyOf: PartyOf): ActionRow[] {
  return [...actions]
    .sort((a, b) => a.seq - b.seq || a.id - b.id)
    .map((a) => ({
      seq: a.seq,
      text: a.text,
      owner: a.owner === null ? null : partyOf(a.owner),
      due: a.due,
      priority: a.priority,
      status: a.status,
      doneAt: a.doneAt === null ? null : clock.stamp(a.doneAt),
    }));
}

function commsRows(comms: readonly CommsEntry[], clock: StampFormatter, partyOf: PartyOf): CommsRow[] {
  return [...comms]
    .sort((a, b) => a.at - b.at || a.id - b.id)
    .map((c) => ({
      id: c.id,
      at: clock.stamp(c.at),
      channel: c.channelLabel || c.channelId,
      summary: c.summary,
      audience: c.audience,
      sentBy: partyOf(c.sentBy),
    }));
}

/**
 * The channel transcript: channel messages by ts, each followed by its thread replies by ts.
 * Replies to a parent that is gone are kept at the parent's position.
 */
export function transcript(
  messages: readonly CapturedMessage[],
  clock: StampFormatter,
  partyOf: PartyOf,
): TranscriptMessage[] {
  const keyed = messages.map((m) => {
    const own = tsKey(m.ts);
    const isReply = m.threadTs !== null && m.threadTs !== m.ts;
    return { m, own, root: isReply ? tsKey(m.threadTs ?? m.ts) : own, isReply };
  });
  keyed.sort(
    (a, b) =>
      a.root - b.root || Number(a.isReply) - Number(b.isReply) || a.own - b.own || (a.m.ts < b.m.ts ? -1 : 1),
  );
  return keyed.map(({ m, own, isReply }) => ({
    ts: m.ts,
    at: clock.stamp(Math.floor(own / 1000)),
    author:
      m.userId !== null
        ? partyOf(m.userId)
        : { kind: 'system', label: m.botId ? `bot ${m.botId}` : 'unknown' },
    text: m.text,
    depth: isReply ? 1 : 0,
    edited: m.editedAt !== null,
    files: m.files,
  }));
}

/**
 * Document history: the previous compiles plus, when the caller passes `current`, the row for
 * this compile (stamped at `compiledAt`; it replaces a previous row of the same version), by
 * version. Without `current` nothing is added.
 */
function historyRows(
  history: readonly DocumentHistoryRow[],
  current: CurrentCompile | undefined,
  compiledAt: number,
  clock: StampFormatter,
  people: People,
): HistoryEntry[] {
  const rows = history.filter((h) => current === undefined || h.version !== current.version);
  const all = current ? [...rows, { ...current, compiledAt }] : rows;
  return all
    .sort((a, b) => a.version - b.version || a.compiledAt - b.compiledAt)
    .map((h) => ({
      version: h.version,
      compiledAt: clock.stamp(h.compiledAt),
      author: partyFromString(h.author, people),
      changes: h.changes,
    }));
}

/** First line of a text, cut to `max` characters. */
function firstLine(text: string | null, max = 200): string | null {
  if (text === null) return null;
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const trimmed = line.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1).trimEnd()}…` : trimmed || null;
}

/** Permanent fixes: the `permanent-fix` entries, then every action item. */
function permanentFixes(written: readonly string[], actions: readonly ActionRow[]): PermanentFix[] {
  return [
    ...written.map((text): PermanentFix => ({ source: 'field', text })),
    ...actions.map((a): PermanentFix => ({ source: 'action', seq: a.seq, text: a.text, status: a.status })),
  ];
}

// ---------------------------------------------------------------------------------------------
// Compiler

/**
 * Compiles the postmortem document (sections 0–14 and the appendix) from everything the bot knows
 * about one incident. Pure and deterministic: the same input gives the same document.
 */
export function compilePostmortem(input: PostmortemInput): PostmortemDocument {
  const { incident, people, config } = input;
  const impactStartAt = incident.startedAt ?? incident.declaredAt;
  const clock = createStampFormatter(config.timeZone, impactStartAt);
  const partyOf = partyCache(people);

  const folded = foldTimeline(input.timeline, clock, partyOf);
  const metrics = computeMetrics(
    incident,
    input.roles,
    config.targets,
    metricObservations(input.timeline, input.messages),
  );
  const fields = foldFields(input.fields);
  const { factors, whys } = splitWhys(fields.lists.contributing, fields.lists.why);
  const status = parseDocumentStatus(fields.text['doc-status']) ?? config.documentStatus ?? 'Draft';

  const terms = sortedTerms(input.roles);
  const commanders = holders(terms, 'ic', partyOf);
  const techLeads = holders(terms, 'tech', partyOf);
  const commsLeads = holders(terms, 'comms', partyOf);
  const author = commanders[0] ?? null;
  const reviewers: Party[] = [];
  const reviewerIds = new Set(author ? [partyId(author)] : []);
  for (const party of [...techLeads, ...commsLeads]) {
    if (reviewerIds.has(partyId(party))) continue;
    reviewerIds.add(partyId(party));
    reviewers.push(party);
  }

  const impactStart = clock.stamp(metrics.impactStart);
  const detectedAt = clock.stamp(metrics.detectedAt);
  const declaredAt = clock.stamp(incident.declaredAt);
  const resolvedAt = metrics.resolvedAt === null ? null : clock.stamp(metrics.resolvedAt);
  const compiledAt = clock.stamp(input.compiledAt);
  const reportedBy = partyOf(incident.declaredBy);
  const detectedBy: Party =
    incident.detectedBy === null || incident.detectedBy.trim() === ''
      ? reportedBy
      : partyFromString(incident.detectedBy.trim(), people);
  const actions = actionRows(input.actions, clock, partyOf);
  const approverText = fields.text.approver;
  const approval: ApprovalRow[] = [
    { role: 'Author', person: author },
    ...(reviewers.length
      ? reviewers.map((person): ApprovalRow => ({ role: 'Reviewer', person }))
      : [{ role: 'Reviewer' as const, person: null }]),
    { role: 'Approver', person: approverText === null ? null : partyFromString(approverText, people) },
  ];
  const services = fields.lists.services;
  const environment = fields.lists.environment;
  const severityLabel = `${incident.severity} — ${SEVERITY_LABELS[incident.severity]}`;
  const rootCauseLine = firstLine(fields.text['root-cause']);
  const immediateFix = fields.text['immediate-fix'] ?? folded.firstFix;
  const summary = fields.text.summary;

  return {
    incidentId: incident.id,
    incidentTitle: incident.title,
    timeZone: config.timeZone,
    zoneLabel: clock.zoneLabel,
    people,
    compiledAt,
    documentStatus: status,
    metrics,
    sections: [
      {
        number: 0,
        key: 'header',
        title: `Postmortem: ${incident.id}`,
        incidentId: incident.id,
        incidentTitle: incident.title,
        documentStatus: status,
        author,
        reviewers,
        compiledAt,
        history: historyRows(input.history, input.current, input.compiledAt, clock, people),
      },
      {
        number: 1,
        key: 'overview',
        title: 'Incident overview',
        incidentId: incident.id,
        incidentTitle: incident.title,
        severity: incident.severity,
        severityLabel,
        status: incident.status,
        impactStart,
        detectedAt,
        declaredAt,
        resolvedAt,
        durationMinutes: metrics.durationMinutes,
        services,
        environment,
        rootCauseLine,
        commanders,
        techLeads,
        commsLeads,
        reportedBy,
      },
      {
        number: 2,
        key: 'summary',
        title: 'Executive summary',
        text: summary,
        draft:
          summary !== null
            ? null
            : draftSummary({
                incidentId: incident.id,
                title: incident.title,
                severityLabel,
                impactStart,
                impactStartGiven: incident.startedAt !== null,
                resolvedAt,
                durationMinutes: metrics.durationMinutes,
                services,
                environment,
                declaredAt,
                declaredBy: reportedBy,
                detectedAt: incident.detectedAt === null ? null : detectedAt,
                detectedBy,
                detectionLagMinutes: metrics.detectionLagMinutes,
                rootCauseLine,
                immediateFix,
              }),
      },
      {
        number: 3,
        key: 'detection',
        title: 'Detection',
        detectedBy,
        detectedAt,
        lagMinutes: metrics.detectionLagMinutes,
        detectingSystem: detectedBy.kind === 'system' ? detectedBy.label : null,
        withinTarget: metrics.detectionLagMinutes <= config.targets.detectMinutes,
        targetMinutes: config.targets.detectMinutes,
        notes: fields.lists.detection,
      },
      {
        number: 4,
        key: 'timeline',
        title: 'Detailed timeline',
        timeZone: config.timeZone,
        zoneLabel: clock.zoneLabel,
        referenceDay: clock.referenceDay,
        gantt: buildGantt(incident, metrics, folded.reopenedAt, terms, input.compiledAt, clock, partyOf),
        rows: folded.rows,
        roleTerms: terms.map((t) => ({
          role: t.role,
          person: partyOf(t.userId),
          from: clock.stamp(t.from),
          to: t.to === null ? null : clock.stamp(t.to),
        })),
      },
      {
        number: 5,
        key: 'impact',
        title: 'Impact',
        description: fields.text.impact,
        usersAffected: fields.text['users-affected'],
        revenueImpact: fields.text['revenue-impact'],
        dataImpact: fields.text['data-impact'],
        customerImpact: fields.text['customer-impact'],
        impactStart,
        resolvedAt,
        durationMinutes: metrics.durationMinutes,
        services,
        environment,
        sla: metrics.sla,
      },
      {
        number: 6,
        key: 'root-cause',
        title: 'Root cause analysis',
        whatHappened: fields.text['root-cause'],
        contributing: factors,
        whys,
        trigger: fields.text.trigger,
      },
      {
        number: 7,
        key: 'resolution',
        title: 'Resolution',
        immediateFix,
        steps: folded.steps,
        permanentFixes: permanentFixes(fields.lists['permanent-fix'], actions),
      },
      { number: 8, key: 'metrics', title: 'Response metrics', metrics: metrics.metrics, sla: metrics.sla },
      {
        number: 9,
        key: 'retrospective',
        title: 'What went well and what went wrong',
        wentWell: fields.lists['went-well'],
        wentWrong: fields.lists['went-wrong'],
      },
      { number: 10, key: 'actions', title: 'Action items', items: actions },
      { number: 11, key: 'lessons', title: 'Lessons learned', lessons: fields.lists.lessons },
      {
        number: 12,
        key: 'related',
        title: 'Related incidents',
        incidents: input.related.map((r) => ({
          id: r.id,
          declaredAt: clock.stamp(r.declaredAt),
          similarity: r.similarity,
          resolved: r.resolved,
        })),
      },
      {
        number: 13,
        key: 'comms',
        title: 'Communication log',
        entries: commsRows(input.comms, clock, partyOf),
      },
      { number: 14, key: 'approval', title: 'Approval', rows: approval },
    ],
    appendix: {
      number: 'A',
      key: 'appendix',
      title: 'Channel transcript',
      messages: transcript(input.messages, clock, partyOf),
    },
  };
}
