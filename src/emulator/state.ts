/**
 * The workspace the emulator pretends to be: channels, messages (threads, reactions, pins, edits), users,
 * files, views and ephemeral messages, plus the clock that hands out strictly increasing message timestamps.
 */
import type {
  ChannelRecord,
  EphemeralRecord,
  FileRecord,
  SlackMessage,
  UserRecord,
  ViewRecord,
} from './types';

/** Identity of the emulated workspace and its bot. */
export interface Identity {
  botUserId: string;
  botId: string;
  appId: string;
  teamId: string;
  teamName: string;
  teamDomain: string;
  botName: string;
}

/** Users every emulator starts with (all members of #general). */
export const SEEDED_USERS: ReadonlyArray<Pick<UserRecord, 'id' | 'name' | 'real_name' | 'tz'>> = [
  { id: 'U0ALICE001', name: 'alice', real_name: 'Alice Archer', tz: 'Europe/London' },
  { id: 'U0BOB00001', name: 'bob', real_name: 'Bob Baker', tz: 'America/New_York' },
  { id: 'U0CAROL001', name: 'carol', real_name: 'Carol Chen', tz: 'Asia/Singapore' },
  { id: 'U0DAVE0001', name: 'dave', real_name: 'Dave Diaz', tz: 'UTC' },
];

/** How long a trigger_id may be exchanged for a view after the click that made it (Slack: 3 s). */
export const TRIGGER_TTL_MS = 3000;

/** Ids of the channels every emulator starts with. */
export const SEEDED_CHANNELS = { general: 'C0GENERAL1', random: 'C0RANDOM01' } as const;

/** Converts a Slack ts (`1700000000.000100`) to integer microseconds; NaN when malformed. */
export function tsToMicros(ts: string): number {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(ts);
  if (!match) return Number.NaN;
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
}

/** Formats integer microseconds as a Slack ts with six decimals. */
export function microsToTs(micros: number): string {
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/** Hands out message timestamps that strictly increase, even within one millisecond. */
export class TsClock {
  private last = 0;

  /** A fresh ts later than every ts handed out or observed so far. */
  next(): string {
    this.last = Math.max(Date.now() * 1000, this.last + 1);
    return microsToTs(this.last);
  }

  /** Makes later `next()` results greater than `ts` (used when a test supplies its own ts). */
  observe(ts: string): void {
    const micros = tsToMicros(ts);
    if (micros > this.last) this.last = micros;
  }
}

function blankText(): { value: string; creator: string; last_set: number } {
  return { value: '', creator: '', last_set: 0 };
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Mutable state of one emulator instance. */
export class EmulatorState {
  readonly clock = new TsClock();
  readonly channels = new Map<string, ChannelRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly files = new Map<string, FileRecord>();
  readonly views = new Map<string, ViewRecord>();
  readonly ephemerals: EphemeralRecord[] = [];
  /**
   * trigger_ids handed out with interactivity payloads and slash commands built by the client
   * (./client.ts), with when: views.open takes each once, within {@link TRIGGER_TTL_MS}.
   */
  readonly triggers = new Map<string, { mintedAt: number; exchanged: boolean }>();
  private readonly counters = new Map<string, number>();

  constructor(
    readonly identity: Identity,
    readonly requireMembership: boolean,
  ) {
    this.users.set(identity.botUserId, {
      id: identity.botUserId,
      name: identity.botName,
      real_name: 'Firewatch',
      is_bot: true,
      tz: 'UTC',
      deleted: false,
    });
    this.addChannelRecord(SEEDED_CHANNELS.general, 'general', false, 'USLACKBOT');
    this.addChannelRecord(SEEDED_CHANNELS.random, 'random', false, 'USLACKBOT');
    for (const user of SEEDED_USERS)
      this.addUser(user.id, user.name, { realName: user.real_name, tz: user.tz });
  }

  /** A new id such as `C0000000A1` or `F0000000B2`, unique per prefix. */
  nextId(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}0${n.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  // ---- users -------------------------------------------------------------------------------------------

  /** Adds (or replaces) a workspace member; new members join #general like in a real workspace. */
  addUser(
    id: string,
    name: string,
    opts: { realName?: string; tz?: string; isBot?: boolean; email?: string } = {},
  ) {
    const user: UserRecord = {
      id,
      name,
      real_name: opts.realName ?? name,
      is_bot: opts.isBot ?? false,
      tz: opts.tz ?? 'UTC',
      email: opts.email ?? `${name}@firewatch.example`,
      deleted: false,
    };
    this.users.set(id, user);
    this.channels.get(SEEDED_CHANNELS.general)?.members.add(id);
    return user;
  }

  /** Human (non-bot, not deleted) members. */
  humans(): UserRecord[] {
    return [...this.users.values()].filter((u) => !u.is_bot && !u.deleted);
  }

  // ---- channels ----------------------------------------------------------------------------------------

  private addChannelRecord(id: string, name: string, isPrivate: boolean, creator: string): ChannelRecord {
    const channel: ChannelRecord = {
      id,
      name,
      is_private: isPrivate,
      is_im: false,
      is_archived: false,
      created: nowSeconds(),
      creator,
      members: new Set(),
      topic: blankText(),
      purpose: blankText(),
      pins: [],
      messages: [],
      byTs: new Map(),
      replies: new Map(),
    };
    this.channels.set(id, channel);
    return channel;
  }

  /** Creates a channel (name validity is the caller's business). */
  createChannel(
    name: string,
    opts: { isPrivate?: boolean; creator?: string; members?: Iterable<string> } = {},
  ) {
    const channel = this.addChannelRecord(
      this.nextId('C'),
      name,
      opts.isPrivate ?? false,
      opts.creator ?? 'USLACKBOT',
    );
    for (const member of opts.members ?? []) channel.members.add(member);
    return channel;
  }

  /** The channel named `name` (with or without a leading `#`). */
  channelByName(name: string): ChannelRecord | undefined {
    const bare = name.replace(/^#/, '');
    for (const channel of this.channels.values()) if (!channel.is_im && channel.name === bare) return channel;
    return undefined;
  }

  /** Resolves a `channel` argument: an id, a `#name`/name, or a user id (their direct-message conversation). */
  resolveChannel(ref: string): ChannelRecord | undefined {
    const byId = this.channels.get(ref);
    if (byId) return byId;
    if (/^[UW][A-Z0-9]+$/.test(ref) && this.users.has(ref)) return this.imWith(ref);
    return this.channelByName(ref);
  }

  /** The direct-message conversation between the bot and `userId`, created on first use. */
  imWith(userId: string): ChannelRecord {
    for (const channel of this.channels.values())
      if (channel.is_im && channel.imUser === userId) return channel;
    const channel = this.addChannelRecord(this.nextId('D'), userId, true, this.identity.botUserId);
    channel.is_im = true;
    channel.imUser = userId;
    channel.members.add(userId).add(this.identity.botUserId);
    return channel;
  }

  /** Whether `userId` can see the conversation at all (private ones need membership). */
  canSee(channel: ChannelRecord, userId: string): boolean {
    return !channel.is_private || channel.members.has(userId);
  }

  /** Conversation object as `conversations.info` / `conversations.create` return it, seen by `viewer`. */
  presentChannel(channel: ChannelRecord, viewer: string, withMemberCount = false): Record<string, unknown> {
    if (channel.is_im) {
      return {
        id: channel.id,
        created: channel.created,
        is_im: true,
        is_org_shared: false,
        user: channel.imUser,
        is_user_deleted: false,
        priority: 0,
      };
    }
    return {
      id: channel.id,
      name: channel.name,
      name_normalized: channel.name,
      is_channel: !channel.is_private,
      is_group: channel.is_private,
      is_im: false,
      is_mpim: false,
      is_private: channel.is_private,
      is_archived: channel.is_archived,
      is_general: channel.id === SEEDED_CHANNELS.general,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      is_member: channel.members.has(viewer),
      created: channel.created,
      creator: channel.creator,
      unlinked: 0,
      topic: { ...channel.topic },
      purpose: { ...channel.purpose },
      previous_names: [],
      ...(withMemberCount ? { num_members: channel.members.size } : {}),
    };
  }

  // ---- messages ----------------------------------------------------------------------------------------

  /** The message with exactly this ts (thread replies included). */
  findMessage(channel: ChannelRecord, ts: string): SlackMessage | undefined {
    return channel.byTs.get(ts);
  }

  /** Whether `message` is a thread reply (rather than a top-level message or thread parent). */
  static isReply(message: SlackMessage): boolean {
    return message.thread_ts !== undefined && message.thread_ts !== message.ts;
  }

  /**
   * Stores a message, keeping the channel sorted by ts. A `thread_ts` naming a reply is moved to that
   * reply's parent, as Slack does.
   * @throws when the ts is malformed or already used in the channel
   */
  insertMessage(channel: ChannelRecord, message: SlackMessage): SlackMessage {
    const micros = tsToMicros(message.ts);
    if (Number.isNaN(micros)) throw new Error(`Invalid message ts ${JSON.stringify(message.ts)}`);
    message.ts = microsToTs(micros);
    if (channel.byTs.has(message.ts))
      throw new Error(`A message with ts ${message.ts} exists in ${channel.id}`);
    this.clock.observe(message.ts);
    if (message.thread_ts !== undefined) {
      const target = channel.byTs.get(message.thread_ts);
      if (target && EmulatorState.isReply(target)) message.thread_ts = target.thread_ts;
      const parent = channel.byTs.get(message.thread_ts ?? '');
      if (parent && message.thread_ts !== message.ts) message.parent_user_id = parent.user;
    }
    insertSorted(channel.messages, message);
    channel.byTs.set(message.ts, message);
    if (EmulatorState.isReply(message)) {
      const thread = channel.replies.get(message.thread_ts ?? '') ?? [];
      insertSorted(thread, message);
      channel.replies.set(message.thread_ts ?? '', thread);
    }
    return message;
  }

  /**
   * Deletes a message. A thread parent that still has replies becomes a tombstone, as in Slack.
   * @returns the message as it was before deletion, or undefined when there was none
   */
  deleteMessage(channel: ChannelRecord, ts: string): SlackMessage | undefined {
    const message = channel.byTs.get(ts);
    if (!message) return undefined;
    const previous = structuredClone(message);
    channel.pins = channel.pins.filter((pinned) => pinned !== ts);
    if ((channel.replies.get(ts)?.length ?? 0) > 0) {
      const fields = message as unknown as Record<string, unknown>;
      for (const key of Object.keys(fields))
        if (!['type', 'ts', 'thread_ts'].includes(key)) delete fields[key];
      Object.assign(message, {
        subtype: 'tombstone',
        text: 'This message was deleted.',
        user: 'USLACKBOT',
        hidden: true,
      });
      message.thread_ts = ts;
      return previous;
    }
    channel.messages.splice(channel.messages.indexOf(message), 1);
    channel.byTs.delete(ts);
    if (EmulatorState.isReply(message)) {
      const thread = channel.replies.get(message.thread_ts ?? '') ?? [];
      thread.splice(thread.indexOf(message), 1);
      const parent = channel.byTs.get(message.thread_ts ?? '');
      if (thread.length === 0 && parent?.subtype === 'tombstone') this.deleteMessage(channel, parent.ts);
    }
    return previous;
  }

  /** Adds `user`'s reaction; false when it was already there. */
  addReaction(message: SlackMessage, name: string, user: string): boolean {
    message.reactions ??= [];
    let reaction = message.reactions.find((r) => r.name === name);
    if (!reaction) {
      reaction = { name, users: [], count: 0 };
      message.reactions.push(reaction);
    }
    if (reaction.users.includes(user)) return false;
    reaction.users.push(user);
    reaction.count = reaction.users.length;
    return true;
  }

  /** Removes `user`'s reaction; false when there was none. */
  removeReaction(message: SlackMessage, name: string, user: string): boolean {
    const reaction = message.reactions?.find((r) => r.name === name);
    if (!reaction?.users.includes(user)) return false;
    reaction.users = reaction.users.filter((u) => u !== user);
    reaction.count = reaction.users.length;
    if (reaction.count === 0) message.reactions = message.reactions?.filter((r) => r !== reaction);
    if (message.reactions?.length === 0) delete message.reactions;
    return true;
  }

  /** Top-level messages of a channel (thread replies excluded unless broadcast), oldest first. */
  topLevel(channel: ChannelRecord): SlackMessage[] {
    return channel.messages.filter((m) => !EmulatorState.isReply(m) || m.subtype === 'thread_broadcast');
  }

  /** A copy of `message` with the fields Slack computes on read: thread counters and `pinned_to`. */
  presentMessage(channel: ChannelRecord, message: SlackMessage): SlackMessage {
    const out = structuredClone(message);
    const replies = channel.replies.get(message.ts) ?? [];
    if (replies.length > 0) {
      const users = [...new Set(replies.map((r) => r.user).filter((u): u is string => u !== undefined))];
      out.thread_ts = message.ts;
      out.reply_count = replies.length;
      out.reply_users_count = users.length;
      out.reply_users = users.slice(0, 5);
      out.latest_reply = replies[replies.length - 1]?.ts;
    }
    if (channel.pins.includes(message.ts)) out.pinned_to = [channel.id];
    return out;
  }
}

/** Inserts `message` into an array sorted by ts ascending. */
function insertSorted(list: SlackMessage[], message: SlackMessage): void {
  const micros = tsToMicros(message.ts);
  let index = list.length;
  while (index > 0 && tsToMicros(list[index - 1]?.ts ?? '0') > micros) index -= 1;
  list.splice(index, 0, message);
}
