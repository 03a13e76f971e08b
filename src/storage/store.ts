import type { ChangeSet, OutboxJob } from '../domain/changes';
import type { IncidentDraft } from '../domain/lifecycle';
import type {
  ActionItem,
  CapturedMessage,
  CommsEntry,
  FieldEntry,
  Incident,
  RoleTerm,
  TimelineEvent,
} from '../domain/types';

export type NewIncident = IncidentDraft;

export interface StoredJob {
  id: number;
  incidentId: string | null;
  job: OutboxJob;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
}

/** A message as the capture path writes it. `version` is the edit ts ('' for the original). */
export interface MessageUpsert extends CapturedMessage {
  incidentId: string;
  version: string;
}

export type ReactionPurpose = 'timeline' | 'lesson' | 'action';

export interface ReactionChange {
  channelId: string;
  ts: string;
  userId: string;
  emoji: string;
  purpose: ReactionPurpose;
  present: boolean;
  /** Slack event_ts of the change; an older change never overrides a newer one. */
  changedAt: string;
}

/** Everything one Events API delivery (or one catch-up page) writes, in one transaction. */
export interface CaptureBatch {
  /** The delivery's event_id; a batch whose id was applied before is skipped whole. Null: no dedupe. */
  eventId: string | null;
  now: number;
  messages?: MessageUpsert[];
  deletions?: { incidentId: string; channelId: string; ts: string }[];
  reactions?: ReactionChange[];
  participants?: { incidentId: string; userId: string; joinedAt: number }[];
  /** People who left the channel (`member_left_channel`); a leave older than their latest join changes nothing. */
  departures?: { incidentId: string; userId: string; leftAt: number }[];
  outbox?: { incidentId: string; job: OutboxJob }[];
}

export interface StoredMessage extends CapturedMessage {
  incidentId: string;
  at: number;
  deleted: boolean;
  version: string;
}

export interface PostmortemRecord {
  incidentId: string;
  version: number;
  compiledAt: number;
  author: string | null;
  changes: string;
  markdown: string;
}

/** open: not resolved; closed: resolved or closed; unclosed: not closed yet; all. */
export type IncidentFilter = 'open' | 'closed' | 'unclosed' | 'all';

/**
 * Where incidents live. The rest of the code knows only this interface; each method is one
 * atomic unit of work. Methods are async so that a networked database can stand behind it.
 *
 * A store only stores: the rules it applies while reading and writing are pure domain functions
 * it calls over plain rows (incident numbers: `nextIncidentSeq` in domain/ids.ts; action item
 * numbers, ☑️ action items, 📌 pins and 💡 lessons: domain/capture.ts). Every implementation runs
 * the contract suite in test/storage/store-contract.ts.
 */
export interface Store {
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /** Allocates the next `INC-YYYY-NNN` of `year` (the declaration's year in the configured zone) and inserts it. */
  createIncident(draft: NewIncident, year: number): Promise<Incident>;
  /** Removes an incident that never got a channel (declaration failed half-way). */
  discardIncident(id: string): Promise<void>;
  /** Removes channel-less drafts declared before `before` (a crash in the middle of a declaration). */
  sweepDrafts(before: number): Promise<number>;
  /**
   * Applies a change set in one transaction; outbox jobs are stored with it. New action items are
   * numbered after the incident's highest (`numberActions` in domain/capture.ts).
   */
  applyChange(incidentId: string, change: ChangeSet, now: number): Promise<void>;

  /** Records the ts of the pinned incident card. */
  setCardTs(incidentId: string, ts: string): Promise<void>;

  getIncident(id: string): Promise<Incident | null>;
  findIncidentByChannel(channelId: string): Promise<Incident | null>;
  /** Incidents with a channel, newest first. */
  listIncidents(filter: IncidentFilter, limit: number): Promise<Incident[]>;

  roleTerms(incidentId: string): Promise<RoleTerm[]>;
  /**
   * The timeline, sorted by when things happened: recorded events plus, for every stored message
   * that carries a timeline reaction, a `pin` entry at the message's own time (composed by
   * `timelineWithPins` in domain/capture.ts).
   */
  timeline(incidentId: string): Promise<TimelineEvent[]>;
  comms(incidentId: string): Promise<CommsEntry[]>;
  actions(incidentId: string): Promise<ActionItem[]>;
  /**
   * Human-written fields, plus a `lessons` bullet for every message carrying a lesson reaction
   * (composed by `fieldsWithLessons` in domain/capture.ts).
   */
  fields(incidentId: string): Promise<FieldEntry[]>;

  /**
   * Applies a capture batch atomically; false when its eventId was applied before. In the same
   * transaction, for each message `messagesToReconcile` names, it reads the message, whether an
   * action reaction is present, the item made from it and the highest item number, and writes
   * what `reconcileReactionAction` (domain/capture.ts) returns.
   */
  applyCapture(batch: CaptureBatch): Promise<boolean>;
  getMessage(channelId: string, ts: string): Promise<StoredMessage | null>;
  /** Live (not deleted) messages of an incident, oldest first. */
  messages(incidentId: string): Promise<StoredMessage[]>;
  /** The newest captured message ts of an incident, or null. */
  lastMessageTs(incidentId: string): Promise<string | null>;
  /** Reactions with a purpose currently present on a message. */
  reactionsOn(channelId: string, ts: string): Promise<ReactionChange[]>;
  /** Everyone who joined the incident channel (also those who left since), by first join. */
  participants(incidentId: string): Promise<{ userId: string; joinedAt: number }[]>;
  /** Whether the user is in the incident channel now: their latest join is later than their latest leave. */
  isMember(incidentId: string, userId: string): Promise<boolean>;

  /** Remembers display names (user id → name). */
  savePeople(names: Record<string, string>, now: number): Promise<void>;
  /** The remembered names of these user ids (unknown ids are left out). */
  people(userIds: string[]): Promise<Record<string, string>>;

  savePostmortem(record: PostmortemRecord): Promise<void>;
  /** Every compile of an incident's postmortem, oldest first. */
  postmortems(incidentId: string): Promise<PostmortemRecord[]>;

  /**
   * Records the reminder `key` (see domain/reminders.ts) and queues `job` with it, in one
   * transaction; false, with nothing queued, when the key was recorded before by any process
   * sharing the database. This is what makes a reminder fire once across restarts and replicas.
   */
  recordReminder(key: string, incidentId: string, job: OutboxJob, now: number): Promise<boolean>;

  /** Jobs due at `now`, oldest first. */
  dueJobs(now: number, limit: number): Promise<StoredJob[]>;
  /** When the next pending job is due, or null when none is pending. */
  nextJobAt(): Promise<number | null>;
  /**
   * Marks a job done; `followUp` (what the job learned or queues next, e.g. a communication-log
   * row or the next jobs) is written in the same transaction, so a retry never repeats it.
   */
  completeJob(id: number, now: number, followUp?: { incidentId: string; change: ChangeSet }): Promise<void>;
  retryJob(id: number, nextAttemptAt: number, error: string): Promise<void>;
  failJob(id: number, error: string, now: number): Promise<void>;
  /** Forgets Events API delivery ids older than `before` (Slack retries within minutes). */
  pruneProcessedEvents(before: number): Promise<number>;
  /** The id of a later pending job identical to this one (e.g. a newer card refresh), if any. */
  supersededBy(job: StoredJob): Promise<number | null>;
  /** Makes every pending job due now (at start-up: a restart is a good moment to retry). */
  wakeJobs(now: number): Promise<void>;
  /** Pending jobs count (for health and tests). */
  pendingJobs(): Promise<number>;
  /** How many jobs were failed for good at or after `since` (for health). */
  failedJobs(since: number): Promise<number>;
  /** Outbox jobs by state, and when the oldest pending job was queued (null when none is pending), for /metrics. */
  outboxStats(): Promise<OutboxStats>;
  /** How many incidents there are of each status and severity (only pairs that occur), for /metrics. */
  incidentCounts(): Promise<IncidentCount[]>;
}

/** What {@link Store.outboxStats} answers. */
export interface OutboxStats {
  pending: number;
  done: number;
  failed: number;
  /** `created_at` of the oldest pending job, or null. */
  oldestPendingAt: number | null;
}

/** One row of {@link Store.incidentCounts}. */
export interface IncidentCount {
  status: string;
  severity: string;
  count: number;
}
