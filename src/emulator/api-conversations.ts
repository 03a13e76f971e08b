/**
 * Conversation methods: conversations.*.
 */
import {
  ApiError,
  authorFields,
  channelArg,
  flag,
  int,
  type MethodContext,
  type MethodHandler,
  need,
  ok,
  pageMessages,
  requireMember,
  str,
} from './api-common';
import { EmulatorState } from './state';
import type { ChannelRecord, SlackMessage } from './types';
import { channelNameError } from './validate';

/** Longest topic or purpose. */
const MAX_TOPIC = 250;

/** Posts the system message Slack adds when someone joins a channel. */
function joinMessage(ctx: MethodContext, channel: ChannelRecord, user: string, inviter?: string): void {
  const message: SlackMessage = {
    type: 'message',
    subtype: 'channel_join',
    ts: ctx.state.clock.next(),
    user,
    text: `<@${user}> has joined the channel`,
    ...(inviter ? { inviter } : {}),
  };
  ctx.state.insertMessage(channel, message);
}

const present = (ctx: MethodContext, channel: ChannelRecord) =>
  ctx.state.presentChannel(channel, ctx.caller.userId, flag(ctx.args, 'include_num_members'));

const create: MethodHandler = (ctx) => {
  const name = ctx.args.name;
  const nameError = channelNameError(name);
  if (nameError) throw new ApiError(nameError);
  if (ctx.state.channelByName(String(name))) throw new ApiError('name_taken');
  const channel = ctx.state.createChannel(String(name), {
    isPrivate: flag(ctx.args, 'is_private'),
    creator: ctx.caller.userId,
    members: [ctx.caller.userId],
  });
  joinMessage(ctx, channel, ctx.caller.userId);
  return ok({ channel: present(ctx, channel) });
};

const invite: MethodHandler = (ctx) => {
  const channel = channelArg(ctx);
  if (channel.is_archived) throw new ApiError('is_archived');
  if (channel.is_im) throw new ApiError('method_not_supported_for_channel_type');
  if (!channel.members.has(ctx.caller.userId)) throw new ApiError('not_in_channel');
  const users = (str(ctx.args, 'users') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
  if (users.length === 0) throw new ApiError('no_user');
  if (users.length > 1000) throw new ApiError('too_many_users');
  const errors: Array<{ user: string; ok: false; error: string }> = [];
  for (const user of users) {
    let error: string | undefined;
    if (user === ctx.caller.userId) error = 'cant_invite_self';
    else if (!ctx.state.users.has(user) || ctx.state.users.get(user)?.deleted) error = 'user_not_found';
    else if (channel.members.has(user)) error = 'already_in_channel';
    if (error) errors.push({ user, ok: false, error });
  }
  const failed = new Set(errors.map((e) => e.user));
  if (errors.length > 0 && !flag(ctx.args, 'force')) {
    throw new ApiError(errors[0]?.error ?? 'invalid_arguments', { errors });
  }
  for (const user of users) {
    if (failed.has(user) || channel.members.has(user)) continue;
    channel.members.add(user);
    joinMessage(ctx, channel, user, ctx.caller.userId);
  }
  return ok({ channel: present(ctx, channel), ...(errors.length > 0 ? { errors } : {}) });
};

const join: MethodHandler = (ctx) => {
  const channel = channelArg(ctx);
  if (channel.is_private) throw new ApiError('method_not_supported_for_channel_type');
  if (channel.is_archived) throw new ApiError('is_archived');
  if (channel.members.has(ctx.caller.userId)) {
    return ok({
      channel: present(ctx, channel),
      warning: 'already_in_channel',
      response_metadata: { warnings: ['already_in_channel'] },
    });
  }
  channel.members.add(ctx.caller.userId);
  joinMessage(ctx, channel, ctx.caller.userId);
  return ok({ channel: present(ctx, channel) });
};

const info: MethodHandler = (ctx) => ok({ channel: present(ctx, channelArg(ctx)) });

const setTopic: MethodHandler = (ctx) => {
  const channel = channelArg(ctx);
  if (channel.is_archived) throw new ApiError('is_archived');
  if (!channel.members.has(ctx.caller.userId)) throw new ApiError('not_in_channel');
  const topic = typeof ctx.args.topic === 'string' ? ctx.args.topic : '';
  if (topic.length > MAX_TOPIC) throw new ApiError('too_long');
  channel.topic = { value: topic, creator: ctx.caller.userId, last_set: Math.floor(Date.now() / 1000) };
  ctx.state.insertMessage(channel, {
    type: 'message',
    subtype: 'channel_topic',
    ts: ctx.state.clock.next(),
    ...authorFields(ctx),
    text: topic ? `set the channel topic: ${topic}` : 'cleared the channel topic',
  });
  return ok({ channel: present(ctx, channel) });
};

const history: MethodHandler = (ctx) => {
  const channel = channelArg(ctx);
  requireMember(ctx, channel);
  const page = pageMessages(ctx, ctx.state.topLevel(channel), 'newest_first');
  return ok({
    ...page,
    messages: page.messages.map((m) => ctx.state.presentMessage(channel, m)),
    pin_count: channel.pins.length,
    channel_actions_ts: null,
    channel_actions_count: 0,
  });
};

const replies: MethodHandler = (ctx) => {
  const channel = channelArg(ctx);
  requireMember(ctx, channel);
  const target = ctx.state.findMessage(channel, need(ctx.args, 'ts', 'thread_not_found'));
  if (!target) throw new ApiError('thread_not_found');
  const parentTs = EmulatorState.isReply(target) ? (target.thread_ts ?? target.ts) : target.ts;
  const parent = ctx.state.findMessage(channel, parentTs);
  const thread = [...(parent ? [parent] : []), ...(channel.replies.get(parentTs) ?? [])];
  const page = pageMessages(ctx, thread, 'oldest_first');
  return ok({ ...page, messages: page.messages.map((m) => ctx.state.presentMessage(channel, m)) });
};

/** Offset-based cursor for list methods. */
function listPage<T>(
  ctx: MethodContext,
  items: T[],
  fallbackLimit: number,
): { items: T[]; next_cursor: string } {
  const cursor = str(ctx.args, 'cursor');
  let offset = 0;
  if (cursor !== undefined) {
    const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!match) throw new ApiError('invalid_cursor');
    offset = Number(match[1]);
  }
  const limit = Math.min(Math.max(int(ctx.args, 'limit', fallbackLimit), 1), 1000);
  const next =
    offset + limit < items.length ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '';
  return { items: items.slice(offset, offset + limit), next_cursor: next };
}

const list: MethodHandler = (ctx) => {
  const types = (str(ctx.args, 'types') ?? 'public_channel').split(',').map((t) => t.trim());
  const excludeArchived = flag(ctx.args, 'exclude_archived');
  const visible = [...ctx.state.channels.values()].filter((c) => {
    if (excludeArchived && c.is_archived) return false;
    if (c.is_im) return types.includes('im') && c.members.has(ctx.caller.userId);
    if (c.is_private) return types.includes('private_channel') && c.members.has(ctx.caller.userId);
    return types.includes('public_channel');
  });
  const page = listPage(ctx, visible, 100);
  return ok({
    channels: page.items.map((c) => present(ctx, c)),
    response_metadata: { next_cursor: page.next_cursor },
  });
};

const members: MethodHandler = (ctx) => {
  const page = listPage(ctx, [...channelArg(ctx).members], 100);
  return ok({ members: page.items, response_metadata: { next_cursor: page.next_cursor } });
};

const open: MethodHandler = (ctx) => {
  const users = (str(ctx.args, 'users') ?? '').split(',').filter((u) => u.length > 0);
  if (users.length === 0) throw new ApiError('users_list_not_supplied');
  if (users.length > 1) throw new ApiError('method_not_supported_for_channel_type');
  const user = users[0] ?? '';
  if (!ctx.state.users.has(user)) throw new ApiError('user_not_found');
  const channel = ctx.state.imWith(user);
  return ok({ channel: flag(ctx.args, 'return_im') ? present(ctx, channel) : { id: channel.id } });
};

const archive: MethodHandler = (ctx) => {
  const channel = channelArg(ctx);
  if (channel.is_archived) throw new ApiError('already_archived');
  if (channel.name === 'general') throw new ApiError('cant_archive_general');
  if (channel.is_im) throw new ApiError('method_not_supported_for_channel_type');
  channel.is_archived = true;
  return ok();
};

/** Handlers of conversations.*. */
export const conversationMethods: Record<string, MethodHandler> = {
  'conversations.create': create,
  'conversations.invite': invite,
  'conversations.join': join,
  'conversations.info': info,
  'conversations.setTopic': setTopic,
  'conversations.history': history,
  'conversations.replies': replies,
  'conversations.list': list,
  'conversations.members': members,
  'conversations.open': open,
  'conversations.archive': archive,
};
