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
  /**
   * How many times a worker has claimed the job, the current claim included. More than one claim
   * with no attempt recorded means a worker took it and never reported back (it crashed or lost
   * its lease): its post may have reached Slack.
   */
  claims: number;
}

/** A worker's hold on outbox jobs: who holds them (one id a process) and until when (epoch ms). */
export interface Lease {
  holder: string;
  until: number;
}

/** Thrown by {@link Store.applyChange} when the incident changed after the revision the change was based on. */
export class StaleRevisionError extends Error {
  readonly code = 'stale_revision';
  constructor(readonly incidentId: string) {
    super(`${incidentId} changed while this change was being made`);
    this.name = 'StaleRevisionError';
  }
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
  /** The connection pool's figures, for /readyz and /metrics; null for a store without a pool (SQLite). */
  pool(): PoolFigures | null;
  close(): Promise<void>;

  /** Allocates the next `INC-YYYY-NNN` of `year` (the declaration's year in the configured zone) and inserts it. */
  createIncident(draft: NewIncident, year: number): Promise<Incident>;
  /** Removes an incident that never got a channel (declaration failed half-way). */
  discardIncident(id: string): Promise<void>;
  /** Removes channel-less drafts declared before `before` (a crash in the middle of a declaration). */
  sweepDrafts(before: number): Promise<number>;
  /**
   * Applies a change set in one transaction; outbox jobs are stored with it. New action items are
   * numbered after the incident's highest (`numberActions` in domain/capture.ts). Every change
   * raises the incident's revision; with `basedOn` (a revision read by {@link incidentRevision}
   * before the change was decided) nothing is written and {@link StaleRevisionError} is thrown
   * when the incident changed since, in this process or another sharing the database.
   */
  applyChange(incidentId: string, change: ChangeSet, now: number, basedOn?: number): Promise<void>;
  /** How many changes the incident has had (0 for a new one); see {@link applyChange}. */
  incidentRevision(incidentId: string): Promise<number>;

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
  /** Every open action item of every incident with a channel, by incident then number. */
  openActions(): Promise<ActionItem[]>;
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

  /** Jobs due at `now` that no worker holds, oldest first (a look, not a claim). */
  dueJobs(now: number, limit: number): Promise<StoredJob[]>;
  /**
   * Claims up to `limit` jobs due at `now` for `lease.holder` until `lease.until`, oldest first:
   * a job is claimed by one worker at a time, across every process sharing the database; a claim
   * whose lease ran out (its worker died) may be taken again. A job is not claimed while another
   * job of its incident is held, so one incident's Slack work runs one job at a time.
   */
  claimJobs(now: number, limit: number, lease: Lease): Promise<StoredJob[]>;
  /** Extends a claim still held by `lease.holder`; false when the job is no longer theirs or no longer pending. */
  renewClaim(id: number, lease: Lease): Promise<boolean>;
  /** When the next pending job is due and free to claim, or null when none is pending. */
  nextJobAt(): Promise<number | null>;
  /**
   * Marks a job done and ends its claim; `followUp` (what the job learned or queues next, e.g. a
   * communication-log row or the next jobs) is written in the same transaction, so a retry never
   * repeats it. A job that is no longer pending (another worker finished it) is left as it is and
   * its follow-up is not written again.
   */
  completeJob(id: number, now: number, followUp?: { incidentId: string; change: ChangeSet }): Promise<void>;
  /** Counts a failed attempt and ends the claim; the job is due again at `nextAttemptAt`. */
  retryJob(id: number, nextAttemptAt: number, error: string): Promise<void>;
  failJob(id: number, error: string, now: number): Promise<void>;
  /** Forgets Events API delivery ids older than `before` (Slack retries within minutes). */
  pruneProcessedEvents(before: number): Promise<number>;
  /** The id of a later pending job identical to this one (e.g. a newer card refresh), if any. */
  supersededBy(job: StoredJob): Promise<number | null>;
  /**
   * What a starting process does to the outbox. A store that one process owns (SQLite) makes every
   * pending job due now (a restart is a good moment to retry) and releases every claim and lease,
   * since their holder is gone. A shared store (PostgreSQL) changes nothing: the claims, leases and
   * back-offs belong to the group, and one replica restarting says nothing about them.
   */
  wakeJobs(now: number): Promise<void>;
  /**
   * Takes the named lease for `holder` until `until`, or extends it, when it is free at `now` (never
   * taken, or run out) or already `holder`'s; false when another holder has it. Work that one
   * process of the group should do (catch-up after a restart) runs under a lease.
   */
  holdLease(name: string, holder: string, now: number, until: number): Promise<boolean>;
  /** Pending jobs count (for health and tests). */
  pendingJobs(): Promise<number>;
  /** How many jobs were failed for good at or after `since` (for health). */
  failedJobs(since: number): Promise<number>;
  /** Outbox jobs by state, and when the oldest pending job was queued (null when none is pending), for /metrics. */
  outboxStats(): Promise<OutboxStats>;
  /** How many incidents there are of each status and severity (only pairs that occur), for /metrics. */
  incidentCounts(): Promise<IncidentCount[]>;
}

/** What {@link Store.pool} answers. */
export interface PoolFigures {
  /** The most connections the pool opens (DATABASE_POOL_MAX). */
  max: number;
  /** Connections open now, busy or idle. */
  open: number;
  idle: number;
  /** Callers waiting for a connection. */
  waiting: number;
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
