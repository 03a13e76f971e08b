import type { ReactionMap } from '../config';
import { tsToMillis } from '../domain/types';
import type { CaptureOutcome } from '../metrics/port';
import type { CaptureBatch, MessageUpsert, ReactionChange, ReactionPurpose, Store } from '../storage';
import type { Clock } from './clock';

/** A message as Slack sends it in events, history and replies (only the fields we read). */
export interface SlackMessagePayload {
  type?: string;
  subtype?: string;
  ts?: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  edited?: { user?: string; ts: string };
  files?: { name?: string; title?: string; permalink?: string }[];
  reply_count?: number;
  reactions?: { name: string; users?: string[]; count?: number }[];
}

/** Message subtypes that are people (or other bots) saying something; the rest is channel noise. */
const CAPTURED_SUBTYPES = new Set([undefined, 'bot_message', 'file_share', 'thread_broadcast', 'me_message']);

export interface Self {
  botUserId?: string | undefined;
  botId?: string | undefined;
}

export interface CaptureDeps {
  store: Store;
  clock: Clock;
  reactions: ReactionMap;
  /** Called after a batch queued outbox work (e.g. a message fetch). */
  onQueued: () => void;
  /** Told what became of the event being handled (metrics; calls outside an event are ignored). */
  onOutcome?: CaptureOutcome;
}

/** A ts-shaped stamp of "now", comparable with Slack event_ts strings. */
const nowStamp = (now: number) => (now / 1000).toFixed(6);

/**
 * Turns Slack events about incident channels into idempotent writes: messages by (channel, ts)
 * with edit versions, reactions by (channel, ts, user, emoji) with their event time, so that
 * retries, duplicates and any delivery order give the same state.
 */
/** `member_joined_channel` / `member_left_channel`, as far as capture reads them. */
export interface MembershipEvent {
  user?: string;
  channel?: string;
  event_ts?: string;
}

export class CaptureService {
  private readonly incidentByChannel = new Map<string, string>();

  constructor(private readonly deps: CaptureDeps) {}

  /** What a reaction means, by the configured emoji map; skin tones are ignored. */
  purposeOf(emoji: string): ReactionPurpose | null {
    const name = emoji.split('::')[0] ?? emoji;
    const { timeline, lesson, action } = this.deps.reactions;
    if (timeline.includes(name)) return 'timeline';
    if (lesson.includes(name)) return 'lesson';
    if (action.includes(name)) return 'action';
    return null;
  }

  /** The incident whose channel this is, if any (positive answers are cached: channels never move). */
  async incidentFor(channelId: string): Promise<string | null> {
    const cached = this.incidentByChannel.get(channelId);
    if (cached) return cached;
    const incident = await this.deps.store.findIncidentByChannel(channelId);
    if (!incident) return null;
    this.incidentByChannel.set(channelId, incident.id);
    return incident.id;
  }

  private async apply(batch: CaptureBatch): Promise<boolean> {
    const applied = await this.deps.store.applyCapture(batch);
    this.outcome(applied ? 'stored' : 'deduplicated');
    if (applied && batch.outbox?.length) this.deps.onQueued();
    return applied;
  }

  /** Reports what became of the event being handled (see {@link CaptureDeps.onOutcome}). */
  private outcome(...args: Parameters<CaptureOutcome>): void {
    this.deps.onOutcome?.(...args);
  }

  /** A `message` event of any subtype. */
  async message(
    event: SlackMessagePayload & { channel?: string; deleted_ts?: string; message?: SlackMessagePayload },
    eventId: string | null,
    self: Self,
  ): Promise<void> {
    const channelId = event.channel;
    if (!channelId) return this.outcome('ignored', 'noise');
    const incidentId = await this.incidentFor(channelId);
    if (!incidentId) return this.outcome('ignored', 'not_incident');
    const now = this.deps.clock();
    if (event.subtype === 'message_deleted' && event.deleted_ts) {
      await this.apply({ eventId, now, deletions: [{ incidentId, channelId, ts: event.deleted_ts }] });
      return;
    }
    const message = event.subtype === 'message_changed' ? event.message : event;
    if (!message) return this.outcome('ignored', 'noise');
    // A deleted thread parent with replies stays as a tombstone: for us it is a deletion.
    if (message.subtype === 'tombstone' && message.ts) {
      await this.apply({ eventId, now, deletions: [{ incidentId, channelId, ts: message.ts }] });
      return;
    }
    const upsert = toUpsert(incidentId, channelId, message, self);
    if (!upsert) return this.outcome('ignored', isSelf(message, self) ? 'self' : 'noise');
    await this.apply({ eventId, now, messages: [upsert] });
  }

  /** `reaction_added` / `reaction_removed`. A reaction on a message we never saw fetches it. */
  async reaction(
    event: {
      user?: string;
      reaction?: string;
      item?: { type?: string; channel?: string; ts?: string };
      event_ts?: string;
    },
    added: boolean,
    eventId: string | null,
  ): Promise<void> {
    const { item, user, reaction } = event;
    if (item?.type !== 'message' || !item.channel || !item.ts || !user || !reaction) {
      return this.outcome('ignored', 'noise');
    }
    const purpose = this.purposeOf(reaction);
    if (!purpose) return this.outcome('ignored', 'noise');
    const incidentId = await this.incidentFor(item.channel);
    if (!incidentId) return this.outcome('ignored', 'not_incident');
    const now = this.deps.clock();
    const change: ReactionChange = {
      channelId: item.channel,
      ts: item.ts,
      userId: user,
      emoji: reaction,
      purpose,
      present: added,
      changedAt: event.event_ts ?? nowStamp(now),
    };
    const known = added ? await this.deps.store.getMessage(item.channel, item.ts) : true;
    await this.apply({
      eventId,
      now,
      reactions: [change],
      outbox: known
        ? []
        : [
            {
              incidentId,
              job: { type: 'fetch_message', channel: item.channel, ts: item.ts, threadTs: null },
            },
          ],
    });
  }

  /**
   * "Add to incident timeline" on a message: the same as a timeline reaction (📌) by `userId` on
   * it, through the same capture batch (the message as the shortcut carries it, and the reaction),
   * so that it stays or goes with that person's 📌 like any other. The bot's own posts are not
   * captured, so they cannot be pinned this way.
   */
  async pinFromShortcut(
    channelId: string,
    message: SlackMessagePayload,
    userId: string,
    self: Self,
  ): Promise<
    { ok: true; incidentId: string; at: number } | { ok: false; reason: 'not_incident' | 'not_captured' }
  > {
    const incidentId = await this.incidentFor(channelId);
    if (!incidentId) return { ok: false, reason: 'not_incident' };
    const upsert = toUpsert(incidentId, channelId, message, self);
    if (!upsert) return { ok: false, reason: 'not_captured' };
    const now = this.deps.clock();
    const emoji = this.deps.reactions.timeline[0] ?? 'pushpin';
    await this.apply({
      eventId: null,
      now,
      messages: [upsert],
      reactions: [
        {
          channelId,
          ts: upsert.ts,
          userId,
          emoji,
          purpose: 'timeline',
          present: true,
          changedAt: nowStamp(now),
        },
      ],
    });
    return { ok: true, incidentId, at: tsToMillis(upsert.ts) };
  }

  async memberJoined(event: MembershipEvent, eventId: string | null) {
    await this.membership(event, eventId, (incidentId, userId, at) => ({
      participants: [{ incidentId, userId, joinedAt: at }],
    }));
  }

  /**
   * `member_left_channel`: the person is no longer a member of the incident channel (they stay a
   * participant of the incident). A leave older than their latest join changes nothing.
   */
  async memberLeft(event: MembershipEvent, eventId: string | null) {
    await this.membership(event, eventId, (incidentId, userId, at) => ({
      departures: [{ incidentId, userId, leftAt: at }],
    }));
  }

  /** A join or leave in an incident channel, at the event's time (or now), as a capture batch. */
  private async membership(
    event: MembershipEvent,
    eventId: string | null,
    change: (
      incidentId: string,
      userId: string,
      at: number,
    ) => Pick<CaptureBatch, 'participants' | 'departures'>,
  ): Promise<void> {
    if (!event.user || !event.channel) return this.outcome('ignored', 'noise');
    const incidentId = await this.incidentFor(event.channel);
    if (!incidentId) return this.outcome('ignored', 'not_incident');
    const now = this.deps.clock();
    const at = event.event_ts ? tsToMillis(event.event_ts) : now;
    await this.apply({ eventId, now, ...change(incidentId, event.user, at) });
  }

  /**
   * Applies messages read from history or replies: the same idempotent path as live events. With
   * `reconcile` (catch-up), the `reactions` field is taken as the truth, so reactions removed while
   * we were away go too; a single fetch only adds. `readAt` is when the page was requested: a live
   * reaction event newer than that wins over what the page says.
   */
  async applyFetched(
    channelId: string,
    messages: SlackMessagePayload[],
    self: Self,
    readAt: number,
    reconcile = true,
  ): Promise<number> {
    const incidentId = await this.incidentFor(channelId);
    if (!incidentId || messages.length === 0) return 0;
    const now = this.deps.clock();
    const stamp = nowStamp(readAt);
    const upserts: MessageUpsert[] = [];
    const reactions: ReactionChange[] = [];
    const deletions: { incidentId: string; channelId: string; ts: string }[] = [];
    for (const m of messages) {
      if (m.subtype === 'tombstone' && m.ts) {
        deletions.push({ incidentId, channelId, ts: m.ts });
        continue;
      }
      const upsert = toUpsert(incidentId, channelId, m, self);
      if (!upsert) continue;
      upserts.push(upsert);
      const present = new Set<string>();
      for (const r of m.reactions ?? []) {
        const purpose = this.purposeOf(r.name);
        if (!purpose) continue;
        for (const userId of r.users ?? []) {
          present.add(`${userId} ${r.name}`);
          reactions.push({
            channelId,
            ts: upsert.ts,
            userId,
            emoji: r.name,
            purpose,
            present: true,
            changedAt: stamp,
          });
        }
      }
      const stale = reconcile ? await this.deps.store.reactionsOn(channelId, upsert.ts) : [];
      for (const stored of stale) {
        if (!present.has(`${stored.userId} ${stored.emoji}`)) {
          reactions.push({ ...stored, present: false, changedAt: stamp });
        }
      }
    }
    await this.apply({ eventId: null, now, messages: upserts, reactions, deletions });
    return upserts.length;
  }
}

/** Whether the message is the bot's own post. */
function isSelf(m: SlackMessagePayload, self: Self): boolean {
  return Boolean((self.botUserId && m.user === self.botUserId) || (self.botId && m.bot_id === self.botId));
}

/** Maps a Slack message to a stored one; null for noise and for the bot's own posts. */
export function toUpsert(
  incidentId: string,
  channelId: string,
  m: SlackMessagePayload,
  self: Self,
): MessageUpsert | null {
  if (!m.ts || !CAPTURED_SUBTYPES.has(m.subtype)) return null;
  if (isSelf(m, self)) return null;
  return {
    incidentId,
    channelId,
    ts: m.ts,
    threadTs: m.thread_ts && m.thread_ts !== m.ts ? m.thread_ts : null,
    userId: m.user ?? null,
    botId: m.bot_id ?? null,
    text: m.text ?? '',
    files: (m.files ?? []).map((f) => ({
      name: f.name ?? f.title ?? 'file',
      ...(f.permalink ? { permalink: f.permalink } : {}),
    })),
    version: m.edited?.ts ?? '',
    editedAt: m.edited ? tsToMillis(m.edited.ts) : null,
  };
}
