import type { CodedError, RuleErrorCode } from '../shared/errors';
import type {
  ActionItem,
  CommsEntry,
  FieldEntry,
  Incident,
  IncidentStatus,
  RoleName,
  RoleTerm,
  TimelineEvent,
} from './types';

type Draft<T> = Omit<T, 'id' | 'incidentId'>;
export type NewRoleTerm = Draft<RoleTerm>;
export type NewTimelineEvent = Draft<TimelineEvent>;
export type NewCommsEntry = Draft<CommsEntry>;
export type NewActionItem = Omit<Draft<ActionItem>, 'seq'>;
export type NewFieldEntry = Draft<FieldEntry>;

/** Work for Slack that must survive a crash: stored with the change, done by the outbox worker. */
export type OutboxJob =
  | {
      type: 'post_message';
      channel: string;
      text: string;
      blocks?: unknown[];
      /** Record the message in the communication log once posted. */
      comms?: {
        channelLabel: string;
        audience: string;
        sentBy: string | null;
        /** Plain-text summary for the log (defaults to the posted text). */
        summary?: string;
        /** When the change was made, and the status it left (default: when posted, the status then). */
        at?: number;
        status?: IncidentStatus;
      };
      /** A response_url to tell the person who asked if Slack keeps refusing. */
      notify?: string | null;
    }
  | { type: 'refresh_card' }
  /** Republish the App Homes of the people the incident concerns (drawn when the job runs). */
  | { type: 'refresh_home' }
  | { type: 'pin_message'; channel: string; ts: string }
  | { type: 'publish_postmortem'; version: number; closedBy: string | null; responseUrl: string | null }
  | { type: 'upload_postmortem'; version: number; notify?: string | null }
  | { type: 'fetch_message'; channel: string; ts: string; threadTs: string | null };

/**
 * Everything one command or event changes, applied by the store in one transaction.
 * The domain computes it; the store only writes it.
 */
export interface ChangeSet {
  /** The incident's new state (replaces the stored row). */
  incident?: Incident;
  /** Current terms of these roles end at the given time. */
  endRoleTerms?: { role: RoleName; at: number }[];
  newRoleTerms?: NewRoleTerm[];
  timeline?: NewTimelineEvent[];
  comms?: NewCommsEntry[];
  actions?: NewActionItem[];
  actionUpdates?: { seq: number; status: 'open' | 'done'; doneAt: number | null }[];
  fields?: NewFieldEntry[];
  outbox?: OutboxJob[];
}

export type Outcome =
  | {
      ok: true;
      change: ChangeSet;
      /** Short confirmation for the person who asked (ephemeral). */
      reply: string;
      /** Message for everyone in the incident channel, if any. */
      notice: string | null;
    }
  | { ok: false; error: CodedError<RuleErrorCode> };

/** A refused change: nothing is written, the person is told why. */
export const refuse = (code: RuleErrorCode, message: string): Outcome => ({
  ok: false,
  error: { code, message },
});

/**
 * One change set doing what `changes` do one after the other: lists are joined in order, and the
 * incident is the last one given (each change computed from the state the one before left).
 */
export function mergeChanges(...changes: readonly ChangeSet[]): ChangeSet {
  const merged: ChangeSet = {};
  const lists = [
    'endRoleTerms',
    'newRoleTerms',
    'timeline',
    'comms',
    'actions',
    'actionUpdates',
    'fields',
    'outbox',
  ] as const;
  for (const change of changes) {
    if (change.incident) merged.incident = change.incident;
    for (const key of lists) {
      const items = change[key];
      if (items?.length) (merged[key] as unknown[]) = [...((merged[key] as unknown[]) ?? []), ...items];
    }
  }
  return merged;
}
