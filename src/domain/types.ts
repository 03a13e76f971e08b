/**
 * Firewatch's domain vocabulary. Pure data: no Slack, no SQLite.
 * Every instant is a number of milliseconds since the Unix epoch (UTC); rendering into
 * FIREWATCH_TIMEZONE happens at the edges.
 */

export const SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_LABELS: Record<Severity, string> = {
  P1: 'Critical (production down)',
  P2: 'High (major degradation)',
  P3: 'Medium (partial impact)',
  P4: 'Low (minor impact)',
};

export const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof STATUSES)[number];
/** Statuses a person may set with `/incident status`. */
export const ACTIVE_STATUSES = ['investigating', 'identified', 'monitoring'] as const;
export type ActiveStatus = (typeof ACTIVE_STATUSES)[number];

export const ROLES = ['ic', 'tech', 'comms'] as const;
export type RoleName = (typeof ROLES)[number];
export const ROLE_LABELS: Record<RoleName, string> = {
  ic: 'Incident Commander',
  tech: 'Technical Lead',
  comms: 'Communications Lead',
};

export interface Incident {
  /** `INC-YYYY-NNN` */
  id: string;
  year: number;
  seq: number;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  /** Slack channel of the incident; null only while the incident is being created. */
  channelId: string | null;
  channelName: string | null;
  /** ts of the pinned incident card in the incident channel. */
  cardTs: string | null;
  /** Slack user id of the declarer. */
  declaredBy: string;
  /** Channel where `/incident declare` was run. */
  originChannelId: string | null;
  declaredAt: number;
  /** When impact began; may be before declaredAt. Null: not given (treat as declaredAt). */
  startedAt: number | null;
  /** When the problem was detected. Null: not given (treat as declaredAt). */
  detectedAt: number | null;
  /** Who or what detected it (free text or a `<@U…>` mention). Null: the declarer. */
  detectedBy: string | null;
  identifiedAt: number | null;
  mitigatedAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  /**
   * A private incident: its channel is private, and outside it nothing is said but that a private
   * incident was declared (no id, no title); only its members see it in `/incident list`.
   */
  isPrivate: boolean;
}

/** A role held by a person for a bounded time (Dispatch-style assumed/renounced). */
export interface RoleTerm {
  id: number;
  incidentId: string;
  role: RoleName;
  userId: string;
  from: number;
  /** null while the term is current. */
  to: number | null;
  assignedBy: string;
}

export const TIMELINE_KINDS = [
  'declared',
  'status',
  'severity',
  'role',
  'update',
  'started',
  'detected',
  'resolved',
  'closed',
  'reopened',
  'note',
  'pin',
  'action',
  'lesson',
  'field',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEvent {
  id: number;
  incidentId: string;
  kind: TimelineKind;
  /** When the thing happened (not when we heard of it). */
  at: number;
  /** Slack user id, or null for the system. */
  actor: string | null;
  text: string;
  /** What it refers to: a message ts for pins, the new status for status changes, … */
  ref: string | null;
  /** When the bot recorded it (tie-breaker for ordering). */
  recordedAt: number;
}

/** One entry of the communication log: a status update or announcement posted or relayed. */
export interface CommsEntry {
  id: number;
  incidentId: string;
  at: number;
  /** Slack channel id the message went to. */
  channelId: string;
  /** Human label of the channel, e.g. `#inc-2026-001-db` or `announcements`. */
  channelLabel: string;
  summary: string;
  audience: string;
  sentBy: string | null;
  /** Status at the time of the update. */
  status: IncidentStatus;
}

export const ACTION_PRIORITIES = SEVERITIES;
export type ActionPriority = Severity;

export interface ActionItem {
  id: number;
  incidentId: string;
  /** 1-based number within the incident, used by `/incident done <n>`. */
  seq: number;
  text: string;
  /** Slack user id, or null when unassigned. */
  owner: string | null;
  /** `YYYY-MM-DD` or null. */
  due: string | null;
  priority: ActionPriority;
  status: 'open' | 'done';
  createdAt: number;
  createdBy: string | null;
  doneAt: number | null;
  /** Message ts when created from a reaction. */
  sourceRef: string | null;
}

/** Fields where the last value wins. The first four are the contract's; the rest fill template rows. */
export const TEXT_FIELDS = [
  'summary',
  'impact',
  'root-cause',
  'trigger',
  'immediate-fix',
  'users-affected',
  'revenue-impact',
  'data-impact',
  'customer-impact',
  'approver',
  'doc-status',
] as const;
/** Fields where every value is one more bullet. */
export const LIST_FIELDS = [
  'contributing',
  'detection',
  'went-well',
  'went-wrong',
  'lessons',
  'services',
  'environment',
  'permanent-fix',
  'why',
] as const;
export const POSTMORTEM_FIELDS = [...TEXT_FIELDS, ...LIST_FIELDS] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type ListField = (typeof LIST_FIELDS)[number];
export type PostmortemField = (typeof POSTMORTEM_FIELDS)[number];

/** A human-written postmortem field value (list fields have one row per bullet). */
export interface FieldEntry {
  id: number;
  incidentId: string;
  field: PostmortemField;
  value: string;
  at: number;
  author: string | null;
  /** Message ts when added by a reaction (e.g. :bulb:), else null. */
  sourceRef: string | null;
}

/** A message captured in an incident channel. */
export interface CapturedMessage {
  channelId: string;
  ts: string;
  threadTs: string | null;
  userId: string | null;
  botId: string | null;
  text: string;
  /** ms epoch of the last edit, or null. */
  editedAt: number | null;
  files: { name: string; permalink?: string }[];
}

/** Response-time targets (minutes) and SLA targets used by the postmortem's metrics. */
export interface MetricTargets {
  detectMinutes: number;
  acknowledgeMinutes: number;
  /** Detection → identified. */
  diagnoseMinutes: number;
  mitigateMinutes: number;
  resolveMinutes: number;
  uptimePercent: number;
  mttrMinutes: number;
}

/**
 * Default targets. With them the team template's worked example gets the template's own verdicts:
 * detection in 30 s and acknowledgement in 15 s are Good, diagnosis in 3.5 minutes is Fair.
 */
export const DEFAULT_TARGETS: MetricTargets = {
  detectMinutes: 5,
  acknowledgeMinutes: 5,
  diagnoseMinutes: 3,
  mitigateMinutes: 30,
  resolveMinutes: 60,
  uptimePercent: 99.9,
  mttrMinutes: 60,
};

/** Converts a Slack message ts (`"1718000000.000100"`) to epoch milliseconds. */
export function tsToMillis(ts: string): number {
  const [secs, micros = '0'] = ts.split('.');
  return Number(secs) * 1000 + Math.floor(Number(micros.padEnd(6, '0').slice(0, 6)) / 1000);
}
