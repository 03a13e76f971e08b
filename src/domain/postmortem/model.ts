/**
 * The postmortem's input (everything the compiler may look at, passed in by the caller) and its
 * output: a typed document model that the Markdown and Slack renderers lay out.
 *
 * Conventions of the output model:
 * - user-written text is kept raw (it may hold Slack markup such as `<@U123>`); each renderer
 *   converts and escapes it for its own target;
 * - `null` where a human-only value is still unwritten (renderers print `_Not recorded_`);
 * - instants are {@link Stamp}s already rendered in the configured time zone.
 */
import type { IncidentMetrics, MetricResult, SlaResult } from '../metrics';
import type {
  ActionItem,
  ActionPriority,
  CapturedMessage,
  CommsEntry,
  FieldEntry,
  Incident,
  IncidentStatus,
  MetricTargets,
  RoleName,
  RoleTerm,
  Severity,
  TimelineEvent,
  TimelineKind,
} from '../types';

export type DocumentStatus = 'Draft' | 'In Review' | 'Approved';

/** One earlier compile of the document. */
export interface DocumentHistoryRow {
  version: number;
  compiledAt: number;
  /** Slack user id (rendered as the person's name) or a free-text label. */
  author: string;
  changes: string;
}

/** The document-history row of the compile being made (its time is {@link PostmortemInput.compiledAt}). */
export interface CurrentCompile {
  version: number;
  /** What this compile changed, e.g. `First compile on close`. */
  changes: string;
  /** Slack user id (rendered as the person's name) or a free-text label such as `Firewatch`. */
  author: string;
}

/** Another incident from the store, as seen by {@link selectRelatedIncidents}. */
export interface RelatedCandidate {
  id: string;
  title: string;
  declaredAt: number;
  resolvedAt: number | null;
  services: string[];
}

/** An incident listed in section 12. */
export interface RelatedIncident {
  id: string;
  declaredAt: number;
  /** Why it is related, e.g. `same service: payments-api` or `similar title`. */
  similarity: string;
  resolved: boolean;
}

export interface PostmortemConfig {
  /** IANA zone every time is rendered in. */
  timeZone: string;
  targets: MetricTargets;
  /**
   * Used when nobody set the `doc-status` field to draft / in review / approved; defaults to
   * Draft. The field, when valid, wins.
   */
  documentStatus?: DocumentStatus;
}

/** Everything the compiler reads. It performs no I/O and never reads the clock. */
export interface PostmortemInput {
  incident: Incident;
  roles: RoleTerm[];
  timeline: TimelineEvent[];
  comms: CommsEntry[];
  actions: ActionItem[];
  fields: FieldEntry[];
  /** Channel messages, for the appendix transcript. */
  messages: CapturedMessage[];
  related: RelatedIncident[];
  /** Slack user id → display name; may be empty. */
  people: Record<string, string>;
  /** Previous compiles, in any order (a row with the version of `current` is replaced by it). */
  history: DocumentHistoryRow[];
  /**
   * The row for this compile, stamped at `compiledAt`. Absent: no row is added, so the history
   * shows exactly `history` (e.g. a preview that is not stored).
   */
  current?: CurrentCompile;
  compiledAt: number;
  config: PostmortemConfig;
}

/** An instant rendered in the document's zone. */
export interface Stamp {
  at: number;
  /** `yyyy-MM-dd` */
  date: string;
  /** `HH:mm:ss` */
  time: string;
  /** Abbreviation or offset of the zone at that instant, e.g. `CET`, `CEST`, `UTC+09:00`. */
  zone: string;
  /**
   * Compact form for tables: `HH:mm:ss`, prefixed with the date when it is not the document's
   * reference day and suffixed with the zone when it differs from the document's zone label.
   */
  short: string;
}

/** Who did something: a Slack user, or something that is not a person (a monitor, the bot). */
export type Party = { kind: 'person'; id: string; name: string } | { kind: 'system'; label: string };

export interface HistoryEntry {
  version: number;
  compiledAt: Stamp;
  author: Party;
  changes: string;
}

export interface HeaderSection {
  number: 0;
  key: 'header';
  title: string;
  incidentId: string;
  incidentTitle: string;
  documentStatus: DocumentStatus;
  /** The first Incident Commander. */
  author: Party | null;
  /** Technical and communications leads (without the author). */
  reviewers: Party[];
  compiledAt: Stamp;
  /** Previous compiles plus the row for this one (when given), by version. */
  history: HistoryEntry[];
}

export interface OverviewSection {
  number: 1;
  key: 'overview';
  title: string;
  incidentId: string;
  incidentTitle: string;
  severity: Severity;
  /** `P1 — Critical (production down)` */
  severityLabel: string;
  status: IncidentStatus;
  impactStart: Stamp;
  detectedAt: Stamp;
  declaredAt: Stamp;
  resolvedAt: Stamp | null;
  durationMinutes: number | null;
  services: string[];
  environment: string[];
  /** First line of the root cause, or null when unwritten. */
  rootCauseLine: string | null;
  /** Every holder of the role, in the order they held it. */
  commanders: Party[];
  techLeads: Party[];
  commsLeads: Party[];
  reportedBy: Party;
}

export interface SummarySection {
  number: 2;
  key: 'summary';
  title: string;
  /** The summary a person wrote (`/incident set summary`), raw; null when nobody did. */
  text: string | null;
  /**
   * While nobody wrote one: a summary Firewatch drafted from recorded facts only (Slack-encoded
   * like user text; renderers mark it as drafted). Null as soon as a person wrote one.
   */
  draft: string | null;
}

export interface DetectionSection {
  number: 3;
  key: 'detection';
  title: string;
  detectedBy: Party;
  detectedAt: Stamp;
  lagMinutes: number;
  /** The monitor or system that alerted; null when a person noticed (unless written down). */
  detectingSystem: string | null;
  /** Whether the detection was within its target. */
  withinTarget: boolean;
  targetMinutes: number;
  /** The human `detection` list field. */
  notes: string[];
}

export interface TimelineRow {
  id: number;
  kind: TimelineKind;
  at: Stamp;
  /** User text (raw). */
  event: string;
  actor: Party;
  /** User text (raw); may be empty. */
  notes: string;
}

/** One bar of the phase chart, or a milestone when start and end render as the same second. */
export interface GanttTask {
  label: string;
  start: Stamp;
  end: Stamp;
  critical: boolean;
  milestone: boolean;
}

/** What one part of the drawn chart shows: bars cut at its edges, named `… (continues)` there. */
export interface GanttPart {
  /** The customer impact within this part; null when the impact was over before it. */
  impact: GanttTask | null;
  phases: GanttTask[];
  roleChanges: GanttTask[];
}

/** A long stretch with nothing recorded, left out of the drawing so that it squashes nothing. */
export interface GanttBreak {
  /** The last point before the break and the first after it. */
  from: Stamp;
  to: Stamp;
  minutes: number;
  /** Bars that run through the break, with their whole length (e.g. `Customer impact`). */
  running: { label: string; minutes: number }[];
}

export interface GanttChart {
  /** The whole customer impact (impact start → resolution or the last known point). */
  impact: GanttTask;
  /**
   * impact → detected → declared → identified → mitigated → resolved, known points only, in time
   * order, each bar named after the state it starts from (Investigating from the declaration, …);
   * points at or before the previous one, or that change no phase, are milestones. Reopens are
   * milestones too.
   */
  phases: GanttTask[];
  /** Role changes, in time order. */
  roleChanges: GanttTask[];
  /**
   * The chart as drawn: one part, or several when long empty stretches would squash the response
   * (see `src/domain/postmortem/gantt.ts`). `breaks[i]` lies between `parts[i]` and `parts[i + 1]`.
   */
  parts: GanttPart[];
  breaks: GanttBreak[];
}

/** One term of a role: who held it from when until when (null: still holds it). */
export interface RoleTermRow {
  role: RoleName;
  person: Party;
  from: Stamp;
  to: Stamp | null;
}

export interface TimelineSection {
  number: 4;
  key: 'timeline';
  title: string;
  timeZone: string;
  zoneLabel: string;
  /** Local date that times without a date refer to. */
  referenceDay: string;
  gantt: GanttChart;
  rows: TimelineRow[];
  /** Every role term, in the order they began (the chart's Roles section). */
  roleTerms: RoleTermRow[];
}

export interface ImpactSection {
  number: 5;
  key: 'impact';
  title: string;
  /** The human `impact` field: the narrative. */
  description: string | null;
  /** `users-affected` */
  usersAffected: string | null;
  /** `revenue-impact`: transactions and revenue. */
  revenueImpact: string | null;
  /** `data-impact`: data loss, corruption or exposure. */
  dataImpact: string | null;
  /** `customer-impact`: customer-facing behaviour. */
  customerImpact: string | null;
  impactStart: Stamp;
  resolvedAt: Stamp | null;
  durationMinutes: number | null;
  services: string[];
  environment: string[];
  sla: SlaResult;
}

export interface WhyRow {
  question: string;
  answer: string;
}

export interface RootCauseSection {
  number: 6;
  key: 'root-cause';
  title: string;
  whatHappened: string | null;
  contributing: string[];
  /**
   * The `why` entries, then `why N:` entries of `contributing`. Only present when someone wrote
   * them; empty otherwise (and then not rendered).
   */
  whys: WhyRow[];
  trigger: string | null;
}

export interface ResolutionStep {
  step: number;
  at: Stamp;
  /** User text (raw). */
  action: string;
  /** User text (raw), or null when unknown. */
  result: string | null;
  actor: Party;
}

/** A permanent fix: a `permanent-fix` entry (no action item), or an action item. */
export type PermanentFix =
  | { source: 'field'; text: string }
  | { source: 'action'; seq: number; text: string; status: 'open' | 'done' };

export interface ResolutionSection {
  number: 7;
  key: 'resolution';
  title: string;
  /** The `immediate-fix` field, else the first `fix:` / `mitigat…` step; null when neither exists. */
  immediateFix: string | null;
  steps: ResolutionStep[];
  permanentFixes: PermanentFix[];
}

export interface MetricsSection {
  number: 8;
  key: 'metrics';
  title: string;
  metrics: MetricResult[];
  sla: SlaResult;
}

export interface RetrospectiveSection {
  number: 9;
  key: 'retrospective';
  title: string;
  wentWell: string[];
  wentWrong: string[];
}

export interface ActionRow {
  seq: number;
  text: string;
  owner: Party | null;
  due: string | null;
  priority: ActionPriority;
  status: 'open' | 'done';
  doneAt: Stamp | null;
}

export interface ActionItemsSection {
  number: 10;
  key: 'actions';
  title: string;
  items: ActionRow[];
}

export interface LessonsSection {
  number: 11;
  key: 'lessons';
  title: string;
  lessons: string[];
}

export interface RelatedRow {
  id: string;
  declaredAt: Stamp;
  similarity: string;
  resolved: boolean;
}

export interface RelatedSection {
  number: 12;
  key: 'related';
  title: string;
  incidents: RelatedRow[];
}

export interface CommsRow {
  id: number;
  at: Stamp;
  channel: string;
  /** The message as posted (raw Slack mrkdwn); renderers make it plain. */
  summary: string;
  audience: string;
  sentBy: Party;
}

export interface CommsSection {
  number: 13;
  key: 'comms';
  title: string;
  entries: CommsRow[];
}

export interface ApprovalRow {
  role: 'Author' | 'Reviewer' | 'Approver';
  /** The Approver comes from the `approver` field: a person for a mention, a label for a name. */
  person: Party | null;
}

export interface ApprovalSection {
  number: 14;
  key: 'approval';
  title: string;
  rows: ApprovalRow[];
}

export interface TranscriptMessage {
  ts: string;
  at: Stamp;
  author: Party;
  /** User text (raw). */
  text: string;
  /** 0: channel message; 1: reply in a thread. */
  depth: 0 | 1;
  edited: boolean;
  files: { name: string; permalink?: string }[];
}

export interface AppendixSection {
  number: 'A';
  key: 'appendix';
  title: string;
  messages: TranscriptMessage[];
}

/** Sections 0–14, in document order. */
export type PostmortemSections = [
  HeaderSection,
  OverviewSection,
  SummarySection,
  DetectionSection,
  TimelineSection,
  ImpactSection,
  RootCauseSection,
  ResolutionSection,
  MetricsSection,
  RetrospectiveSection,
  ActionItemsSection,
  LessonsSection,
  RelatedSection,
  CommsSection,
  ApprovalSection,
];

export type PostmortemSection = PostmortemSections[number] | AppendixSection;

/** The compiled postmortem. */
export interface PostmortemDocument {
  incidentId: string;
  incidentTitle: string;
  timeZone: string;
  /** Zone label at impact start, e.g. `CET`. */
  zoneLabel: string;
  /** Slack user id → display name, for mentions inside user text. */
  people: Record<string, string>;
  compiledAt: Stamp;
  documentStatus: DocumentStatus;
  metrics: IncidentMetrics;
  sections: PostmortemSections;
  appendix: AppendixSection;
}
