/**
 * The postmortem compiler: a pure fold of the incident record, its role terms, timeline, fields,
 * action items, communication log and captured messages into a {@link PostmortemDocument}.
 *
 * Rule of thumb: what the bot saw is filled in; what only a human knows and nobody wrote down is
 * left `null` (rendered `_Not recorded_`). Nothing here performs I/O or reads the clock.
 */
import { computeMetrics, type IncidentMetrics } from '../metrics';
import {
  type ActionItem,
  type CapturedMessage,
  type CommsEntry,
  type FieldEntry,
  type Incident,
  LIST_FIELDS,
  type ListField,
  type RoleName,
  type RoleTerm,
  SEVERITY_LABELS,
  type TextField,
  type TimelineEvent,
  type TimelineKind,
} from '../types';
import { type Clock, createClock, partyFromString, personOrBot } from './format';
import type {
  ActionRow,
  ApprovalRow,
  CommsRow,
  GanttChart,
  GanttTask,
  HistoryEntry,
  Party,
  PostmortemDocument,
  PostmortemInput,
  RelatedCandidate,
  RelatedIncident,
  ResolutionStep,
  Stamp,
  TimelineRow,
  TranscriptMessage,
  WhyRow,
} from './model';

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
  const initial: FieldValues = {
    text: { summary: null, impact: null, 'root-cause': null, trigger: null },
    lists: Object.fromEntries(LIST_FIELDS.map((f) => [f, [] as string[]])) as Record<ListField, string[]>,
  };
  return [...fields]
    .sort((a, b) => a.at - b.at || a.id - b.id)
    .reduce((acc, entry) => {
      const value = entry.value.trim();
      if (isListField(entry.field)) {
        if (value) acc.lists[entry.field].push(value);
      } else if (entry.field in acc.text) {
        acc.text[entry.field as TextField] = value || null;
      }
      return acc;
    }, initial);
}

function isListField(field: string): field is ListField {
  return (LIST_FIELDS as readonly string[]).includes(field);
}

const WHY_PREFIX = /^why\s*\d*\s*[:.)-]\s*/i;

/**
 * Splits `contributing` entries into contributing factors and "5 whys" rows. There is no field of
 * its own for the whys: an entry starting with `why:` / `why 2:` is taken as one, split after its
 * first `?` into question and answer.
 */
export function splitWhys(contributing: readonly string[]): { factors: string[]; whys: WhyRow[] } {
  const factors: string[] = [];
  const whys: WhyRow[] = [];
  for (const entry of contributing) {
    const prefix = WHY_PREFIX.exec(entry);
    if (!prefix) {
      factors.push(entry);
      continue;
    }
    const rest = entry.slice(prefix[0].length).trim();
    const q = rest.indexOf('?');
    whys.push(
      q >= 0
        ? { question: rest.slice(0, q + 1).trim(), answer: rest.slice(q + 1).trim() }
        : { question: '', answer: rest },
    );
  }
  return { factors, whys };
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
 */
const ACTION_PREFIX = /^\s*(?:(action|fix)\s*:\s*|(?=mitigat))/i;
const RESULT_SPLIT = /\s*(?:→|->|=>|\bresult:)\s*/i;

/** The event and notes columns of a timeline row. */
export function describeEvent(event: TimelineEvent): { event: string; notes: string } {
  const text = event.text.trim();
  if (event.kind === 'note') return { event: text || KIND_LABELS.note, notes: '' };
  if (event.kind === 'pin') return { event: text || KIND_LABELS.pin, notes: KIND_LABELS.pin };
  let label = KIND_LABELS[event.kind];
  if ((event.kind === 'status' || event.kind === 'severity') && event.ref) label = `${label} to ${event.ref}`;
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
  const prefix = ACTION_PREFIX.exec(event.text);
  if (!prefix) return null;
  const body = event.text.slice(prefix[0].length).trim();
  const split = RESULT_SPLIT.exec(body);
  const action = split ? body.slice(0, split.index).trim() : body;
  const result = split ? body.slice(split.index + split[0].length).trim() : '';
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
  firstIdentifiedAt: number | null;
  firstMonitoringAt: number | null;
  firstFix: string | null;
  firstMonitoringText: string | null;
}

/** One Party object per actor, shared by every row of theirs. */
function partyCache(people: Record<string, string>): (userId: string | null) => Party {
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

/** One step of the fold over the sorted timeline. */
function foldEvent(clock: Clock, people: Record<string, string>) {
  const partyOf = partyCache(people);
  return (acc: TimelineFold, event: TimelineEvent): TimelineFold => {
    const at = clock.stamp(event.at);
    const actor = partyOf(event.actor);
    const { event: label, notes } = describeEvent(event);
    acc.rows.push({ id: event.id, kind: event.kind, at, event: label, actor, notes });

    const draft = stepFromEvent(event);
    if (!draft) return acc;
    if (draft.status === 'identified' && acc.firstIdentifiedAt === null) acc.firstIdentifiedAt = event.at;
    if (draft.status === 'monitoring' && acc.firstMonitoringAt === null) {
      acc.firstMonitoringAt = event.at;
      acc.firstMonitoringText = event.text.trim() || null;
    }
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
    return acc;
  };
}

/** Folds the timeline (sorted here) into table rows, resolution steps and first occurrences. */
export function foldTimeline(
  events: readonly TimelineEvent[],
  clock: Clock,
  people: Record<string, string>,
): TimelineFold {
  const initial: TimelineFold = {
    rows: [],
    steps: [],
    firstIdentifiedAt: null,
    firstMonitoringAt: null,
    firstFix: null,
    firstMonitoringText: null,
  };
  return sortTimeline(events).reduce(foldEvent(clock, people), initial);
}

// ---------------------------------------------------------------------------------------------
// Roles

/** Role terms in the order they began. */
function sortedTerms(roles: readonly RoleTerm[]): RoleTerm[] {
  return [...roles].sort((a, b) => a.from - b.from || a.id - b.id);
}

/** Distinct holders of a role, in the order they first held it. */
export function holders(terms: readonly RoleTerm[], role: RoleName, people: Record<string, string>): Party[] {
  const seen = new Set<string>();
  const out: Party[] = [];
  for (const term of terms) {
    if (term.role !== role || seen.has(term.userId)) continue;
    seen.add(term.userId);
    out.push(personOrBot(term.userId, people));
  }
  return out;
}

function partyId(party: Party): string {
  return party.kind === 'person' ? party.id : `system:${party.label}`;
}

// ---------------------------------------------------------------------------------------------
// Chart

const ROLE_SHORT: Record<RoleName, string> = { ic: 'IC', tech: 'Tech lead', comms: 'Comms lead' };

function task(label: string, start: Stamp, end: Stamp, critical = false): GanttTask {
  return { label, start, end, critical };
}

/** Phases impact → detected → declared → identified → mitigated → resolved, plus role changes. */
function buildGantt(
  incident: Incident,
  metrics: IncidentMetrics,
  identifiedAt: number | null,
  terms: readonly RoleTerm[],
  compiledAt: number,
  clock: Clock,
  people: Record<string, string>,
): GanttChart {
  // [milestone name, phase ending at this point, when]
  const points: [string, string, number | null][] = [
    ['Detected', 'Impact before detection', metrics.detectedAt],
    ['Declared', 'Detected, not yet declared', incident.declaredAt],
    ['Identified', 'Investigating', identifiedAt],
    ['Mitigated', 'Mitigating', metrics.mitigatedAt],
    ['Resolved', 'Monitoring', metrics.resolvedAt],
  ];
  const phases: GanttTask[] = [];
  let previous = metrics.impactStart;
  let last = metrics.impactStart;
  for (const [name, phase, at] of points) {
    if (at === null) continue;
    if (at > previous) {
      phases.push(task(phase, clock.stamp(previous), clock.stamp(at)));
      previous = at;
    } else {
      const stamp = clock.stamp(at);
      phases.push(task(name, stamp, stamp));
    }
    last = Math.max(last, at);
  }
  if (metrics.resolvedAt === null) {
    // Still open: the impact runs on to the compile.
    last = Math.max(last, compiledAt);
    const stamp = clock.stamp(last);
    phases.push(task('Not resolved when compiled', stamp, stamp));
  }
  const impactEnd = clock.stamp(metrics.resolvedAt ?? last);
  const roleChanges = terms.map((t) => {
    const stamp = clock.stamp(t.from);
    return task(`${ROLE_SHORT[t.role]} ${people[t.userId] ?? t.userId}`, stamp, stamp);
  });
  return {
    impact: task('Customer impact', clock.stamp(metrics.impactStart), impactEnd, true),
    phases,
    roleChanges,
  };
}

// ---------------------------------------------------------------------------------------------
// Other sections

function actionRows(
  actions: readonly ActionItem[],
  clock: Clock,
  people: Record<string, string>,
): ActionRow[] {
  return [...actions]
    .sort((a, b) => a.seq - b.seq || a.id - b.id)
    .map((a) => ({
      seq: a.seq,
      text: a.text,
      owner: a.owner === null ? null : personOrBot(a.owner, people),
      due: a.due,
      priority: a.priority,
      status: a.status,
      doneAt: a.doneAt === null ? null : clock.stamp(a.doneAt),
    }));
}

function commsRows(comms: readonly CommsEntry[], clock: Clock, people: Record<string, string>): CommsRow[] {
  return [...comms]
    .sort((a, b) => a.at - b.at || a.id - b.id)
    .map((c) => ({
      id: c.id,
      at: clock.stamp(c.at),
      channel: c.channelLabel || c.channelId,
      summary: c.summary,
      audience: c.audience,
      sentBy: personOrBot(c.sentBy, people),
    }));
}

/**
 * The channel transcript: channel messages by ts, each followed by its thread replies by ts.
 * Replies to a parent that is gone are kept at the parent's position.
 */
export function transcript(
  messages: readonly CapturedMessage[],
  clock: Clock,
  people: Record<string, string>,
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
  const partyOf = partyCache(people);
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
 * Document history: the previous compiles by version, then one row for this compile. When the
 * caller already put a row for this compile in `history` (same `compiledAt`), that row is used
 * as is, so a caller recording its own version number never gets two rows for one compile.
 */
function historyRows(
  input: PostmortemInput,
  author: Party | null,
  clock: Clock,
  people: Record<string, string>,
): HistoryEntry[] {
  const previous = [...input.history].sort((a, b) => a.version - b.version || a.compiledAt - b.compiledAt);
  const rows: HistoryEntry[] = previous.map((h) => ({
    version: h.version,
    compiledAt: clock.stamp(h.compiledAt),
    author: partyFromString(h.author, people),
    changes: h.changes,
  }));
  if (previous.some((h) => h.compiledAt === input.compiledAt)) return rows;
  const lastVersion = previous.reduce((max, h) => Math.max(max, h.version), 0);
  rows.push({
    version: lastVersion + 1,
    compiledAt: clock.stamp(input.compiledAt),
    author: author ?? personOrBot(input.incident.declaredBy, people),
    changes:
      previous.length === 0
        ? 'First version, compiled by Firewatch'
        : 'Recompiled by Firewatch with later edits',
  });
  return rows;
}

/** First line of a text, cut to `max` characters. */
function firstLine(text: string | null, max = 200): string | null {
  if (text === null) return null;
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const trimmed = line.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1).trimEnd()}…` : trimmed || null;
}

// ---------------------------------------------------------------------------------------------
// Compiler

/**
 * Compiles the postmortem document (sections 0–14 and the appendix) from everything the bot knows
 * about one incident. Pure and deterministic: the same input gives the same document.
 */
export function compilePostmortem(input: PostmortemInput): PostmortemDocument {
  const { incident, people, config } = input;
  const status = config.documentStatus ?? 'Draft';
  const impactStartAt = incident.startedAt ?? incident.declaredAt;
  const clock = createClock(config.timeZone, impactStartAt);

  const folded = foldTimeline(input.timeline, clock, people);
  const metrics = computeMetrics(incident, input.roles, config.targets, {
    firstMonitoringAt: folded.firstMonitoringAt,
  });
  const fields = foldFields(input.fields);
  const { factors, whys } = splitWhys(fields.lists.contributing);

  const terms = sortedTerms(input.roles);
  const commanders = holders(terms, 'ic', people);
  const techLeads = holders(terms, 'tech', people);
  const commsLeads = holders(terms, 'comms', people);
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
  const detectedBy: Party =
    incident.detectedBy === null || incident.detectedBy.trim() === ''
      ? personOrBot(incident.declaredBy, people)
      : partyFromString(incident.detectedBy.trim(), people);
  const identifiedAt = incident.identifiedAt ?? folded.firstIdentifiedAt;
  const actions = actionRows(input.actions, clock, people);
  const reviewerRows: ApprovalRow[] = reviewers.length
    ? reviewers.map((person) => ({ role: 'Reviewer', person }))
    : [{ role: 'Reviewer', person: null }];
  const approval: ApprovalRow[] = [
    { role: 'Author', person: author },
    ...reviewerRows,
    { role: 'Approver', person: null },
  ];
  const services = fields.lists.services;
  const environment = fields.lists.environment;
  const severityLabel = `${incident.severity} — ${SEVERITY_LABELS[incident.severity]}`;

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
        history: historyRows(input, author, clock, people),
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
        rootCauseLine: firstLine(fields.text['root-cause']),
        commanders,
        techLeads,
        commsLeads,
        reportedBy: personOrBot(incident.declaredBy, people),
      },
      { number: 2, key: 'summary', title: 'Executive summary', text: fields.text.summary },
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
        gantt: buildGantt(incident, metrics, identifiedAt, terms, input.compiledAt, clock, people),
        rows: folded.rows,
      },
      {
        number: 5,
        key: 'impact',
        title: 'Impact',
        description: fields.text.impact,
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
        immediateFix: folded.firstFix ?? folded.firstMonitoringText,
        steps: folded.steps,
        permanentFixes: actions.map((a) => ({ seq: a.seq, text: a.text, status: a.status })),
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
        entries: commsRows(input.comms, clock, people),
      },
      { number: 14, key: 'approval', title: 'Approval', rows: approval },
    ],
    appendix: {
      number: 'A',
      key: 'appendix',
      title: 'Channel transcript',
      messages: transcript(input.messages, clock, people),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Related incidents

const STOP_WORDS = new Set(
  (
    'the and for with from into onto over under after before during about are was were not but has have had ' +
    'this that these those its our their you your all any can could did does doing due via out off per than ' +
    'then when where which while who why how what some more most very been being will would should incident ' +
    'issue issues problem problems'
  ).split(' '),
);

/** Lowercase words of at least 3 letters, without stop words. */
export function titleTokens(title: string): Set<string> {
  const words = title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(words.filter((w) => w.length >= 3 && !STOP_WORDS.has(w)));
}

/** Jaccard similarity of two token sets (0 when both are empty). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const token of a) if (b.has(token)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** Titles at least this similar (Jaccard over {@link titleTokens}) count as related. */
export const TITLE_SIMILARITY_THRESHOLD = 0.3;

/** At most this many related incidents are listed. */
export const MAX_RELATED = 5;

/** `INC-2026-007` → [2026, 7], for ordering when no declaration time is given. */
function idOrder(id: string): [number, number] | null {
  const m = /^INC-(\d{4})-(\d+)$/.exec(id);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function declaredBefore(candidate: RelatedCandidate, current: { id: string; declaredAt?: number }): boolean {
  if (current.declaredAt !== undefined) return candidate.declaredAt < current.declaredAt;
  const a = idOrder(candidate.id);
  const b = idOrder(current.id);
  if (!a || !b) return true;
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

const newestFirst = (a: RelatedCandidate, b: RelatedCandidate) =>
  b.declaredAt - a.declaredAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * Picks the incidents to list as related: incidents declared before the current one (by
 * `declaredAt` when given, else by their `INC-YYYY-NNN` sequence) that share a service come
 * first, then those with a similar title (Jaccard ≥ 0.3 over lowercase words of 3+ letters, stop
 * words ignored); newest first within each group; at most five.
 */
export function selectRelatedIncidents(
  current: { id: string; title: string; services: string[]; declaredAt?: number },
  candidates: readonly RelatedCandidate[],
): RelatedIncident[] {
  const services = new Set(current.services.map((s) => s.trim().toLowerCase()).filter(Boolean));
  const tokens = titleTokens(current.title);
  const byService: { c: RelatedCandidate; similarity: string }[] = [];
  const byTitle: { c: RelatedCandidate; similarity: string }[] = [];
  for (const c of candidates) {
    if (c.id === current.id || !declaredBefore(c, current)) continue;
    const shared = [...new Set(c.services.map((s) => s.trim()).filter((s) => services.has(s.toLowerCase())))];
    const similarTitle = jaccard(tokens, titleTokens(c.title)) >= TITLE_SIMILARITY_THRESHOLD;
    if (shared.length > 0) {
      const label = `same ${shared.length > 1 ? 'services' : 'service'}: ${shared.join(', ')}`;
      byService.push({ c, similarity: similarTitle ? `${label}; similar title` : label });
    } else if (similarTitle) {
      byTitle.push({ c, similarity: 'similar title' });
    }
  }
  byService.sort((a, b) => newestFirst(a.c, b.c));
  byTitle.sort((a, b) => newestFirst(a.c, b.c));
  return [...byService, ...byTitle].slice(0, MAX_RELATED).map(({ c, similarity }) => ({
    id: c.id,
    declaredAt: c.declaredAt,
    similarity,
    resolved: c.resolvedAt !== null,
  }));
}
