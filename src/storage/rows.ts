/**
 * Rows as both SQL stores read them back, mapped to the domain's records. Column names are the same
 * in SQLite and PostgreSQL; booleans come back as 0/1 from SQLite and as true/false from PostgreSQL.
 */

import type { OutboxJob } from '../domain/changes';
import type { ActionItem, Incident, IncidentStatus, Severity } from '../domain/types';
import type { StoredJob, StoredMessage } from './store';

export type Row = Record<string, unknown>;

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** A boolean column: SQLite's 1 or PostgreSQL's true. */
const flag = (v: unknown): boolean => v === true || Number(v ?? 0) === 1;

export function toIncident(r: Row): Incident {
  return {
    id: String(r.id),
    year: Number(r.year),
    seq: Number(r.seq),
    title: String(r.title),
    severity: r.severity as Severity,
    status: r.status as IncidentStatus,
    channelId: str(r.channel_id),
    channelName: str(r.channel_name),
    cardTs: str(r.card_ts),
    declaredBy: String(r.declared_by),
    originChannelId: str(r.origin_channel_id),
    declaredAt: Number(r.declared_at),
    startedAt: num(r.started_at),
    detectedAt: num(r.detected_at),
    detectedBy: str(r.detected_by),
    identifiedAt: num(r.identified_at),
    mitigatedAt: num(r.mitigated_at),
    resolvedAt: num(r.resolved_at),
    closedAt: num(r.closed_at),
    isPrivate: flag(r.is_private),
  };
}

export function toMessage(r: Row): StoredMessage {
  return {
    incidentId: String(r.incident_id),
    channelId: String(r.channel_id),
    ts: String(r.ts),
    at: Number(r.at),
    threadTs: str(r.thread_ts),
    userId: str(r.user_id),
    botId: str(r.bot_id),
    text: String(r.text),
    files: JSON.parse(String(r.files ?? '[]')) as StoredMessage['files'],
    editedAt: num(r.edited_at),
    deleted: flag(r.deleted),
    version: String(r.version ?? ''),
  };
}

export function toAction(r: Row): ActionItem {
  return {
    id: Number(r.id),
    incidentId: String(r.incident_id),
    seq: Number(r.seq),
    text: String(r.text),
    owner: str(r.owner),
    due: str(r.due),
    priority: r.priority as Severity,
    status: r.status as 'open' | 'done',
    createdAt: Number(r.created_at),
    createdBy: str(r.created_by),
    doneAt: num(r.done_at),
    sourceRef: str(r.source_ref),
  };
}

export function toJob(r: Row): StoredJob {
  return {
    id: Number(r.id),
    incidentId: str(r.incident_id),
    job: JSON.parse(String(r.payload)) as OutboxJob,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    createdAt: Number(r.created_at),
    claims: Number(r.claims),
  };
}
