/**
 * Message methods: chat.*, reactions.* and pins.*.
 */
import {
  ApiError,
  authorFields,
  channelArg,
  flag,
  type MethodContext,
  type MethodHandler,
  messageArg,
  messageContent,
  need,
  ok,
  rejectInvalidBlocks,
  requireMember,
  str,
  warningsOf,
} from './api-common';
import type { ChannelRecord, SlackMessage } from './types';
import { MAX_TEXT_LENGTH } from './validate';

function writableChannel(ctx: MethodContext): ChannelRecord {
  const channel = channelArg(ctx);
  if (channel.is_archived) throw new ApiError('is_archived');
  requireMember(ctx, channel);
  return channel;
}

/** Posts a message authored by the caller and returns it as stored. */
function post(ctx: MethodContext, channel: ChannelRecord, fields: Partial<SlackMessage>): SlackMessage {
  const message: SlackMessage = {
    type: 'message',
    ts: ctx.state.clock.next(),
    text: '',
    ...authorFields(ctx),
    ...fields,
  };
  return ctx.state.insertMessage(channel, message);
}

const postMessage: MethodHandler = (ctx) => {
  const channel = writableChannel(ctx);
  const content = messageContent(ctx.args);
  const threadTs = str(ctx.args, 'thread_ts');
  const message = post(ctx, channel, {
    text: content.text,
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(content.attachments ? { attachments: content.attachments } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(threadTs && flag(ctx.args, 'reply_broadcast') ? { subtype: 'thread_broadcast' } : {}),
    ...(ctx.args.metadata !== undefined ? { metadata: ctx.args.metadata } : {}),
  });
  return ok({
    channel: channel.id,
    ts: message.ts,
    message: ctx.state.presentMessage(channel, message),
    ...warningsOf(content),
  });
};

const postEphemeral: MethodHandler = (ctx) => {
  const channel = writableChannel(ctx);
  const user = need(ctx.args, 'user', 'user_not_found');
  if (!ctx.state.users.has(user)) throw new ApiError('user_not_found');
  if (!channel.members.has(user)) throw new ApiError('user_not_in_channel');
  const content = messageContent(ctx.args);
  const ts = ctx.state.clock.next();
  const threadTs = str(ctx.args, 'thread_ts');
  ctx.state.ephemerals.push({
    channel: channel.id,
    user,
    ts,
    text: content.text,
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(content.attachments ? { attachments: content.attachments } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    at: Date.now(),
  });
  return ok({ message_ts: ts, ...warningsOf(content) });
};

const update: MethodHandler = (ctx) => {
  const channel = writableChannel(ctx);
  const message = messageArg(ctx, channel, 'ts');
  if (message.user !== ctx.caller.userId) throw new ApiError('cant_update_message');
  const { args } = ctx;
  rejectInvalidBlocks(args.blocks);
  // Omitted blocks/attachments are retained; an empty array removes them.
  const blocks = Array.isArray(args.blocks) ? args.blocks : message.blocks;
  const attachments = Array.isArray(args.attachments) ? args.attachments : message.attachments;
  const text = typeof args.text === 'string' ? args.text.slice(0, MAX_TEXT_LENGTH) : message.text;
  if (text.trim().length === 0 && !blocks?.length && !attachments?.length) throw new ApiError('no_text');
  message.text = text;
  if (blocks?.length) message.blocks = blocks;
  else delete message.blocks;
  if (attachments?.length) message.attachments = attachments;
  else delete message.attachments;
  message.edited = { user: ctx.caller.userId, ts: ctx.state.clock.next() };
  return ok({
    channel: channel.id,
    ts: message.ts,
    text,
    message: ctx.state.presentMessage(channel, message),
  });
};

const remove: MethodHandler = (ctx) => {
  const channel = writableChannel(ctx);
  const message = messageArg(ctx, channel, 'ts');
  if (message.user !== ctx.caller.userId) throw new ApiError('cant_delete_message');
  ctx.state.deleteMessage(channel, message.ts);
  return ok({ channel: channel.id, ts: message.ts });
};

const getPermalink: MethodHandler = (ctx) => {
  const channel = channelArg(ctx);
  const message = messageArg(ctx, channel, 'message_ts');
  const base = `https://${ctx.state.identity.teamDomain}.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}`;
  const reply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
  const permalink = reply ? `${base}?thread_ts=${message.thread_ts}&cid=${channel.id}` : base;
  return ok({ channel: channel.id, permalink });
};

/** Emoji names as reactions.add accepts them (surrounding colons tolerated). */
function emojiName(ctx: MethodContext): string {
  const name = need(ctx.args, 'name', 'invalid_name').replace(/^:|:$/g, '');
  if (!/^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/.test(name)) throw new ApiError('invalid_name');
  return name;
}

const reactionsAdd: MethodHandler = (ctx) => {
  const channel = writableChannel(ctx);
  const message = messageArg(ctx, channel, 'timestamp');
  if (!ctx.state.addReaction(message, emojiName(ctx), ctx.caller.userId))
    throw new ApiError('already_reacted');
  return ok();
};

const reactionsRemove: MethodHandler = (ctx) => {
  const channel = writableChannel(ctx);
  const message = messageArg(ctx, channel, 'timestamp');
  if (!ctx.state.removeReaction(message, emojiName(ctx), ctx.caller.userId))
    throw new ApiError('no_reaction');
  return ok();
};

const reactionsGet: MethodHandler = (ctx) => {
  const channel = channelArg(ctx);
  const message = messageArg(ctx, channel, 'timestamp');
  return ok({ type: 'message', channel: channel.id, message: ctx.state.presentMessage(channel, message) });
};

const pinsAdd: MethodHandler = (ctx) => {
  const channel = writableChannel(ctx);
  const message = messageArg(ctx, channel, 'timestamp');
  if (channel.pins.includes(message.ts)) throw new ApiError('already_pinned');
  channel.pins.push(message.ts);
  post(ctx, channel, {
    subtype: 'pinned_item',
    text: `<@${ctx.caller.userId}> pinned a message to this channel.`,
  });
  return ok();
};

const pinsRemove: MethodHandler = (ctx) => {
  const channel = writableChannel(ctx);
  const message = messageArg(ctx, channel, 'timestamp');
  if (!channel.pins.includes(message.ts)) throw new ApiError('no_pin');
  channel.pins = channel.pins.filter((ts) => ts !== message.ts);
  return ok();
};

const pinsList: MethodHandler = (ctx) => {
  const channel = channelArg(ctx);
  const items = channel.pins.flatMap((ts) => {
    const message = ctx.state.findMessage(channel, ts);
    return message
      ? [{ type: 'message', channel: channel.id, message: ctx.state.presentMessage(channel, message) }]
      : [];
  });
  return ok({ items });
};

/** Handlers of chat.*, reactions.* and pins.*. */
export const chatMethods: Record<string, MethodHandler> = {
  'chat.postMessage': postMessage,
  'chat.postEphemeral': postEphemeral,
  'chat.update': update,
  'chat.delete': remove,
  'chat.getPermalink': getPermalink,
  'reactions.add': reactionsAdd,
  'reactions.remove': reactionsRemove,
  'reactions.get': reactionsGet,
  'pins.add': pinsAdd,
  'pins.remove': pinsRemove,
  'pins.list': pinsList,
};
