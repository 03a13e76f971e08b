/**
 * Rules of the capture path: what reactions on captured messages mean, and how action items are
 * numbered. Pure functions over plain rows, so every store implementation (SQLite now, PostgreSQL
 * next) reads its rows, calls these and writes what they return, without a rule of its own.
 */

import { decodeSlackEntities } from '../shared/slack-text';
import type { NewActionItem } from './changes';
import { DEFAULT_ACTION_PRIORITY } from './records';
import type { ActionItem, CapturedMessage, FieldEntry, TimelineEvent } from './types';

/** A captured message as these rules read it (a store's message row satisfies it). */
export interface CaptureMessage extends Pick<CapturedMessage, 'ts' | 'userId' | 'botId' | 'text'> {
  incidentId: string;
  /** When the message was written (its ts in epoch milliseconds). */
  at: number;
  /** A tombstone: the message was deleted in Slack. */
  deleted: boolean;
}

/**
 * The number the next action item of an incident gets: one more than the highest so far.
 * @param existingMaxSeq the highest `seq` among the incident's action items, or null when it has none
 * @throws RangeError when existingMaxSeq is negative or not an integer
 */
export function nextActionSeq(existingMaxSeq: number | null): number {
  if (existingMaxSeq === null) return 1;
  if (!Number.isSafeInteger(existingMaxSeq) || existingMaxSeq < 0) {
    throw new RangeError(`Highest action item number must be a non-negative integer, got ${existingMaxSeq}`);
  }
  return existingMaxSeq + 1;
}

/**
 * Numbers new action items, in order, after those an incident already has.
 * @param existingMaxSeq the highest `seq` so far, or null when the incident has none
 */
export function numberActions(
  existingMaxSeq: number | null,
  items: readonly NewActionItem[],
): (NewActionItem & { seq: number })[] {
  const first = nextActionSeq(existingMaxSeq);
  return items.map((item, i) => ({ ...item, seq: first + i }));
}

/** What a store reads, inside the capture transaction, about one message touched by a batch. */
export interface ReactionActionState {
  /** The stored message (or its tombstone), or null when it has not been captured (yet). */
  message: CaptureMessage | null;
  /** Whether at least one action-purpose reaction (☑️) is present on it now. */
  actionReacted: boolean;
  /** The action item made from this message before (same incident, `sourceRef` = its ts), if any. */
  existing: Pick<ActionItem, 'id' | 'status' | 'text'> | null;
  /** The highest action item `seq` of the message's incident, or null when it has none. */
  maxSeq: number | null;
}

/** What the store writes to keep a reaction-made action item in step with its message. */
export type ReactionActionStep =
  | { kind: 'none' }
  | { kind: 'create'; incidentId: string; item: NewActionItem & { seq: number } }
  | { kind: 'update_text'; id: number; text: string }
  | { kind: 'delete'; id: number };

/**
 * An open action item made from a ☑️ reaction follows its message: created when message and
 * reaction are both here (in either order), its text (decoded from Slack's entities) kept in step
 * with edits, and removed when the message is deleted or the last such reaction goes. Done items
 * stay as they are. The store calls this for every message a capture batch touched (written,
 * deleted, or given an action reaction), inside the batch's transaction, and writes the step.
 */
export function reconcileReactionAction(state: ReactionActionState, now: number): ReactionActionStep {
  const { message, existing } = state;
  if (!message) return { kind: 'none' };
  const wanted = !message.deleted && state.actionReacted;
  const text = decodeSlackEntities(message.text);
  if (wanted && !existing) {
    const [item] = numberActions(state.maxSeq, [
      {
        text,
        owner: null,
        due: null,
        priority: DEFAULT_ACTION_PRIORITY,
        status: 'open',
        createdAt: now,
        createdBy: message.userId,
        doneAt: null,
        sourceRef: message.ts,
      },
    ]);
    return { kind: 'create', incidentId: message.incidentId, item: item! };
  }
  if (existing?.status !== 'open') return { kind: 'none' };
  if (!wanted) return { kind: 'delete', id: existing.id };
  if (existing.text !== text) return { kind: 'update_text', id: existing.id, text };
  return { kind: 'none' };
}

/** Where a message lives: a channel and its ts. */
export interface MessageKey {
  channelId: string;
  ts: string;
}

/**
 * The messages whose reaction-made action item a capture batch may change, each once, in the
 * order to reconcile them (which decides the numbers of items created together): messages
 * written, then messages given or losing an action reaction, then messages deleted.
 */
export function messagesToReconcile(batch: {
  messages?: readonly MessageKey[];
  reactions?: readonly (MessageKey & { purpose: string })[];
  deletions?: readonly MessageKey[];
}): MessageKey[] {
  const touched = new Map<string, MessageKey>();
  const touch = (m: MessageKey) => {
    const key = `${m.channelId} ${m.ts}`;
    if (!touched.has(key)) touched.set(key, { channelId: m.channelId, ts: m.ts });
  };
  for (const m of batch.messages ?? []) touch(m);
  for (const r of batch.reactions ?? []) if (r.purpose === 'action') touch(r);
  for (const d of batch.deletions ?? []) touch(d);
  return [...touched.values()];
}

/**
 * Entries derived from live messages, oldest first (by time, then ts: stable for messages of one
 * millisecond). They get negative ids (they are not rows) that keep this order on ties with each
 * other, sort before recorded rows of the same time, and never clash with a row id.
 */
function derivedEntries<T>(
  messages: readonly CaptureMessage[],
  make: (m: CaptureMessage, id: number) => T,
): T[] {
  const live = messages
    .filter((m) => !m.deleted)
    .sort((a, b) => a.at - b.at || (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  return live.map((m, i) => make(m, i - live.length));
}

/**
 * The timeline as people read it: recorded events plus a `pin` entry for every live message that
 * carries a timeline reaction (📌), at the message's own time. Sorted by when things happened, then
 * when recorded, then id; pins have negative ids (see {@link derivedEntries}).
 * @param recorded the incident's recorded timeline events, in any order
 * @param pinned the incident's messages that carry a timeline reaction, in any order
 */
export function timelineWithPins(
  incidentId: string,
  recorded: readonly TimelineEvent[],
  pinned: readonly CaptureMessage[],
): TimelineEvent[] {
  const pins = derivedEntries<TimelineEvent>(pinned, (m, id) => ({
    id,
    incidentId,
    kind: 'pin',
    at: m.at,
    actor: m.userId ?? m.botId,
    text: m.text,
    ref: m.ts,
    recordedAt: m.at,
  }));
  return [...recorded, ...pins].sort((a, b) => a.at - b.at || a.recordedAt - b.recordedAt || a.id - b.id);
}

/**
 * The postmortem fields: human-written entries plus a `lessons` bullet for every live message that
 * carries a lesson reaction (💡), at the message's time, authored by its writer. Sorted by time,
 * then id; derived bullets have negative ids (see {@link derivedEntries}).
 * @param written the incident's written field entries, in any order
 * @param lessons the incident's messages that carry a lesson reaction, in any order
 */
export function fieldsWithLessons(
  incidentId: string,
  written: readonly FieldEntry[],
  lessons: readonly CaptureMessage[],
): FieldEntry[] {
  const derived = derivedEntries<FieldEntry>(lessons, (m, id) => ({
    id,
    incidentId,
    field: 'lessons',
    value: m.text,
    at: m.at,
    author: m.userId,
    sourceRef: m.ts,
  }));
  return [...written, ...derived].sort((a, b) => a.at - b.at || a.id - b.id);
}
