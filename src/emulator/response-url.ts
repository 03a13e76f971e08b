/**
 * Slash-command `response_url` answers: validated like chat.postMessage, then posted in the channel
 * (`in_channel`) or shown to the invoking user (ephemeral, the default).
 */
import { ApiError, messageContent } from './api-common';
import type { EmulatorState } from './state';
import type { ApiResponse, Args } from './types';

/** Where a response_url leads: the channel and user of the slash command, when known. */
export interface ResponseUrlTarget {
  channel?: string;
  user?: string;
}

/** Applies one POST to a response_url and returns Slack's answer body. */
export function applyResponsePost(state: EmulatorState, target: ResponseUrlTarget, args: Args): ApiResponse {
  if (args.delete_original === true || args.delete_original === 'true') return { ok: true };
  let content: ReturnType<typeof messageContent>;
  try {
    content = messageContent(args);
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error: error.code, ...error.extra };
    throw error;
  }
  const channel = target.channel ? state.resolveChannel(target.channel) : undefined;
  if (!channel) return { ok: true };
  const extras = {
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(content.attachments ? { attachments: content.attachments } : {}),
    ...(typeof args.thread_ts === 'string' ? { thread_ts: args.thread_ts } : {}),
  };
  if (args.response_type === 'in_channel') {
    const { identity } = state;
    state.insertMessage(channel, {
      type: 'message',
      ts: state.clock.next(),
      text: content.text,
      user: identity.botUserId,
      bot_id: identity.botId,
      app_id: identity.appId,
      team: identity.teamId,
      ...extras,
    });
  } else if (target.user) {
    state.ephemerals.push({
      channel: channel.id,
      user: target.user,
      ts: state.clock.next(),
      text: content.text,
      ...extras,
      at: Date.now(),
    });
  }
  return { ok: true };
}
