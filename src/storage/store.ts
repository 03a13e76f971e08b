import type { ChangeSet, OutboxJob } from '../domain/changes';
import type { ActionItem, CommsEntry, FieldEntry, Incident, RoleTerm, TimelineEvent } from '../domain/types';

export type NewIncident = Omit<Incident, 'id' | 'year' | 'seq'>;

export interface StoredJob {
  id: number;
  incidentId: string | null;
  job: OutboxJob;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
}

export type IncidentFilter = 'open' | 'closed' | 'all';

/**
 * Where incidents live. The rest of the code knows only this interface; each method is one
 * atomic unit of work. Methods are async so that a networked database can stand behind it.
 */
export interface Store {
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /** Allocates the next `INC-YYYY-NNN` of the declaration's year and inserts the incident. */
  createIncident(draft: NewIncident): Promise<Incident>;
  /** Removes an incident that never got a channel (declaration failed half-way). */
  discardIncident(id: string): Promise<void>;
  /** Applies a change set in one transaction; outbox jobs are stored with it. */
  applyChange(incidentId: string, change: ChangeSet, now: number): Promise<void>;

  /** Records the ts of the pinned incident card. */
  setCardTs(incidentId: string, ts: string): Promise<void>;

  getIncident(id: string): Promise<Incident | null>;
  findIncidentByChannel(channelId: string): Promise<Incident | null>;
  /** Incidents with a channel, newest first. */
  listIncidents(filter: IncidentFilter, limit: number): Promise<Incident[]>;

  roleTerms(incidentId: string): Promise<RoleTerm[]>;
  timeline(incidentId: string): Promise<TimelineEvent[]>;
  comms(incidentId: string): Promise<CommsEntry[]>;
  actions(incidentId: string): Promise<ActionItem[]>;
  fields(incidentId: string): Promise<FieldEntry[]>;

  /** Jobs due at `now`, oldest first. */
  dueJobs(now: number, limit: number): Promise<StoredJob[]>;
  /** When the next pending job is due, or null when none is pending. */
  nextJobAt(): Promise<number | null>;
  completeJob(id: number, now: number): Promise<void>;
  retryJob(id: number, nextAttemptAt: number, error: string): Promise<void>;
  failJob(id: number, error: string, now: number): Promise<void>;
  /** Pending jobs count (for health and tests). */
  pendingJobs(): Promise<number>;
}
