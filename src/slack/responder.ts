import type { Responder } from '../services/slack-gateway';

/** The body of one answer to a slash command, as its response_url takes it. */
export interface ResponseMessage {
  response_type: 'ephemeral' | 'in_channel';
  replace_original: false;
  text: string;
  blocks?: unknown[];
}

/** A {@link Responder} over a way to answer a slash command (Bolt's `respond`, or a stored response_url). */
export function responderFor(respond: (message: ResponseMessage) => Promise<unknown>): Responder {
  const answer =
    (responseType: ResponseMessage['response_type']) => async (text: string, blocks?: unknown[]) => {
      await respond({
        response_type: responseType,
        replace_original: false,
        text,
        ...(blocks ? { blocks } : {}),
      });
    };
  return { ephemeral: answer('ephemeral'), inChannel: answer('in_channel') };
}

/**
 * A {@link Responder} over a response_url kept from a slash command (valid 30 minutes, a few
 * answers), for word long after the command was acknowledged. Throws when Slack does not take it.
 */
export function responseUrlResponder(responseUrl: string): Responder {
  return responderFor(async (message) => {
    const res = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
    });
    if (!res.ok) throw new Error(`response_url answered ${res.status}`);
  });
}
