/**
 * What every Web API method handler shares: its context, argument readers, Slack error signalling and
 * cursor pagination of message lists.
 */
import { type EmulatorState, tsToMicros } from './state';
import type { ApiResponse, Args, ChannelRecord, SlackMessage } from './types';
import { MAX_TEXT_LENGTH, messageBlocksRejection } from './validate';

/** Who is calling, resolved from the token. */
export interface Caller {
  userId: string;
  /** Set when the token is a bot token. */
  botId?: string;
}

/** Everything a handler may use. */
export interface MethodContext {
  args: Args;
  state: EmulatorState;
  caller: Caller;
  /** `http://127.0.0.1:PORT`, for absolute URLs such as `upload_url`. */
  origin: string;
}

/** A Web API method implementation. */
export type MethodHandler = (ctx: MethodContext) => ApiResponse;

/** Thrown by handlers to answer `{ ok: false, error, ...extra }`. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

/** Builds an `ok: true` answer. */
export const ok = (fields: Record<string, unknown> = {}): ApiResponse => ({ ok: true, ...fields });

/** A string argument (numbers are stringified); undefined when absent or empty. */
export function str(args: Args, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A required string argument; missing ones raise `code`. */
export function need(args: Args, key: string, code: string): string {
  const value = str(args, key);
  if (value === undefined) throw new ApiError(code);
  return value;
}

/** A boolean argument as Slack reads it (`true`, `1`). */
export function flag(args: Args, key: string): boolean {
  const value = args[key];
  return value === true || value === 1 || value === 'true' || value === '1';
}

/** An integer argument, or `fallback`. */
export function int(args: Args, key: string, fallback: number): number {
  const value = Number(args[key]);
  return args[key] === undefined || args[key] === '' || !Number.isFinite(value)
    ? fallback
    : Math.trunc(value);
}

/**
 * The conversation named by `args[key]` as the caller sees it.
 * @throws ApiError channel_not_found (unknown, or private and the caller is not a member)
 */
export function channelArg(ctx: MethodContext, key = 'channel'): ChannelRecord {
  const ref = need(ctx.args, key, 'channel_not_found');
  const channel = ctx.state.resolveChannel(ref);
  if (!channel || !ctx.state.canSee(channel, ctx.caller.userId)) throw new ApiError('channel_not_found');
  return channel;
}

/** Raises `not_in_channel` when membership is required and the caller is not a member. */
export function requireMember(ctx: MethodContext, channel: ChannelRecord): void {
  if (ctx.state.requireMembership && !channel.members.has(ctx.caller.userId))
    throw new ApiError('not_in_channel');
}

/** The message at `ts` in `channel`, or `message_not_found`. */
export function messageArg(ctx: MethodContext, channel: ChannelRecord, key: string): SlackMessage {
  const ts = need(ctx.args, key, key === 'timestamp' ? 'no_item_specified' : 'message_not_found');
  const message = ctx.state.findMessage(channel, ts);
  if (!message) throw new ApiError('message_not_found');
  return message;
}

/** Raises `invalid_blocks`, `invalid_blocks_format` or `msg_blocks_too_long` when Slack would. */
export function rejectInvalidBlocks(blocks: unknown): void {
  const rejection = messageBlocksRejection(blocks);
  if (!rejection) return;
  throw new ApiError(rejection.error, {
    errors: rejection.messages.map((m) => m.replace(/^\[ERROR\] /, '')),
    response_metadata: { messages: rejection.messages },
  });
}

/** Message content accepted by chat.postMessage / postEphemeral / update and response_url. */
export interface MessageContent {
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  warnings: string[];
  messages: string[];
}

/**
 * Validates message content as Slack does: `no_text`, `invalid_blocks(_format)`, `msg_blocks_too_long`,
 * and truncation of `text` beyond 40,000 characters (with a `message_truncated` warning).
 */
export function messageContent(args: Args): MessageContent {
  rejectInvalidBlocks(args.blocks);
  const blocks = Array.isArray(args.blocks) && args.blocks.length > 0 ? args.blocks : undefined;
  const attachments =
    Array.isArray(args.attachments) && args.attachments.length > 0 ? args.attachments : undefined;
  let text = typeof args.text === 'string' ? args.text : '';
  if (text.trim().length === 0 && !blocks && !attachments) throw new ApiError('no_text');
  const content: MessageContent = { text, blocks, attachments, warnings: [], messages: [] };
  if (text.length > MAX_TEXT_LENGTH) {
    text = text.slice(0, MAX_TEXT_LENGTH);
    content.text = text;
    content.warnings.push('message_truncated');
    content.messages.push(
      '[WARN] Your message was truncated but still posted. The `text` field accepts up to 40,000 characters.',
    );
  }
  return content;
}

/** `response_metadata` carrying warnings, or nothing when there are none. */
export function warningsOf(content: MessageContent): Record<string, unknown> {
  if (content.warnings.length === 0) return {};
  return {
    warning: content.warnings.join(','),
    response_metadata: { warnings: content.warnings, messages: content.messages },
  };
}

const encodeCursor = (ts: string): string => Buffer.from(`next_ts:${tsToMicros(ts)}`).toString('base64');

function decodeCursor(cursor: string): number {
  const match = /^next_ts:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw new ApiError('invalid_cursor');
  return Number(match[1]);
}

/**
 * Applies `latest`, `oldest`, `inclusive`, `limit` and `cursor` to a list of messages sorted oldest first,
 * returning one page in the requested order plus Slack's paging fields.
 */
export function pageMessages(
  ctx: MethodContext,
  messages: SlackMessage[],
  order: 'newest_first' | 'oldest_first',
): { messages: SlackMessage[]; has_more: boolean; response_metadata?: { next_cursor: string } } {
  const { args } = ctx;
  const inclusive = flag(args, 'inclusive');
  const latest =
    str(args, 'latest') === undefined ? Number.POSITIVE_INFINITY : tsToMicros(str(args, 'latest') ?? '');
  const oldest =
    str(args, 'oldest') === undefined ? Number.NEGATIVE_INFINITY : tsToMicros(str(args, 'oldest') ?? '');
  if (Number.isNaN(latest)) throw new ApiError('invalid_ts_latest');
  if (Number.isNaN(oldest)) throw new ApiError('invalid_ts_oldest');
  const limit = Math.min(Math.max(int(args, 'limit', 100), 1), 999);
  let inRange = messages.filter((m) => {
    const at = tsToMicros(m.ts);
    return inclusive ? at >= oldest && at <= latest : at > oldest && at < latest;
  });
  if (order === 'newest_first') inRange = inRange.reverse();
  const cursor = str(args, 'cursor');
  if (cursor !== undefined) {
    const from = decodeCursor(cursor);
    inRange = inRange.filter((m) =>
      order === 'newest_first' ? tsToMicros(m.ts) <= from : tsToMicros(m.ts) >= from,
    );
  }
  const page = inRange.slice(0, limit);
  const next = inRange[limit];
  return {
    messages: page,
    has_more: next !== undefined,
    ...(next ? { response_metadata: { next_cursor: encodeCursor(next.ts) } } : {}),
  };
}

/** Fields that identify the caller as a message author. */
export function authorFields(ctx: MethodContext): Partial<SlackMessage> {
  const { identity } = ctx.state;
  if (!ctx.caller.botId) return { user: ctx.caller.userId, team: identity.teamId };
  return {
    user: ctx.caller.userId,
    bot_id: ctx.caller.botId,
    app_id: identity.appId,
    team: identity.teamId,
    bot_profile: {
      id: identity.botId,
      app_id: identity.appId,
      name: identity.botName,
      team_id: identity.teamId,
      deleted: false,
    },
  };
}
