import type { WebClient } from '@slack/web-api';
import type { Self } from '../services/capture-service';

/** The bot's own ids, from auth.test once (asked again after a failure). */
export function botIdentity(client: WebClient): () => Promise<Self> {
  let self: Promise<Self> | null = null;
  return () => {
    self ??= client.auth.test().then(
      (auth) => ({ botUserId: auth.user_id, botId: auth.bot_id }),
      (error: unknown) => {
        self = null;
        throw error;
      },
    );
    return self;
  };
}
