import type { WebClient } from '@slack/web-api';
import type { SlackMessagePayload } from '../services/capture-service';
import { PermanentJobError, TRANSIENT_SLACK_ERRORS } from '../services/outbox';
import type { HistoryQuery, Page, PostedMatch, SlackGateway, SlackUser } from '../services/slack-gateway';

const page = (res: { messages?: unknown[]; response_metadata?: { next_cursor?: string } }): Page => ({
  messages: (res.messages ?? []) as SlackMessagePayload[],
  nextCursor: res.response_metadata?.next_cursor || null,
});

const slackError = (error: unknown): string | null => {
  const e = error as { code?: string; data?: { error?: string } };
  return e?.code === 'slack_webapi_platform_error' ? (e.data?.error ?? 'unknown_error') : null;
};

/**
 * Classifies a Web API failure at the boundary: an answer Slack will give again (`channel_not_found`,
 * `is_archived`, `not_in_channel`, `invalid_blocks`, `msg_too_long`, `invalid_auth`, `missing_scope`,
 * …) becomes a {@link PermanentJobError}, so the outbox fails the job instead of retrying it. Rate
 * limits, HTTP errors, network errors and time-outs are passed on as the WebClient raised them: the
 * outbox retries those (src/services/outbox.ts `classifyError`).
 */
export function classifySlackError(method: string, error: unknown): unknown {
  const code = slackError(error);
  if (code === null || TRANSIENT_SLACK_ERRORS.includes(code)) return error;
  return new PermanentJobError(`Slack refused ${method}: ${code}`, code);
}

/** Runs one Web API call, classifying its failure ({@link classifySlackError}). */
async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw classifySlackError(method, error);
  }
}

/**
 * A person's full name as documents and the App Home show it: Slack's `real_name` (as the team's
 * template names people: "Incident Commander: Alem Bašić"), else the display name, else the handle.
 */
export function fullName(
  user:
    | { real_name?: string; name?: string; profile?: { real_name?: string; display_name?: string } }
    | undefined,
): string | null {
  const name = user?.real_name || user?.profile?.real_name || user?.profile?.display_name || user?.name || '';
  return name.trim() || null;
}

/** The `event_type` of the message metadata that carries an outbox job's key. */
export const OUTBOX_EVENT_TYPE = 'firewatch_outbox_post';

interface HistoryMessage {
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  files?: { name?: string; title?: string }[];
}

const isMatch = (m: HistoryMessage, match: PostedMatch): boolean =>
  'key' in match
    ? m.metadata?.event_type === OUTBOX_EVENT_TYPE && m.metadata.event_payload?.key === match.key
    : (m.files ?? []).some((f) => f.name === match.fileName && f.title === match.fileTitle);

/** SlackGateway over Bolt's WebClient (which already retries rate limits and server errors). */
export class WebClientGateway implements SlackGateway {
  constructor(private readonly client: WebClient) {}

  async createChannel(name: string, opts: { isPrivate?: boolean } = {}) {
    try {
      const res = await this.client.conversations.create({ name, is_private: opts.isPrivate ?? false });
      return { ok: true as const, id: res.channel!.id!, name: res.channel!.name ?? name };
    } catch (error) {
      const code = slackError(error);
      if (code) return { ok: false as const, error: code };
      throw error;
    }
  }

  async lookupUser(userId: string): Promise<SlackUser | null> {
    try {
      const res = await this.client.users.info({ user: userId });
      const user = res.user;
      return {
        id: user?.id ?? userId,
        name: fullName(user),
        deleted: user?.deleted === true,
        isBot: user?.is_bot === true,
      };
    } catch (error) {
      if (slackError(error) === 'user_not_found') return null;
      throw error;
    }
  }

  async invite(channel: string, users: string[]) {
    try {
      await this.client.conversations.invite({ channel, users: users.join(',') });
    } catch (error) {
      if (slackError(error) !== 'already_in_channel') throw error;
    }
  }

  async postMessage(channel: string, text: string, blocks?: unknown[], key?: string) {
    const res = await call('chat.postMessage', () =>
      this.client.chat.postMessage({
        channel,
        text,
        ...(blocks ? { blocks: blocks as never } : {}),
        ...(key ? { metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { key } } } : {}),
        unfurl_links: false,
      }),
    );
    return { ts: res.ts! };
  }

  /** Reads the channel's history since `since` (up to 5 pages of 200), newest first. */
  async findPosted(channel: string, since: number, match: PostedMatch): Promise<string | null> {
    let cursor: string | undefined;
    for (let pages = 0; pages < 5; pages += 1) {
      const res = await call('conversations.history', () =>
        this.client.conversations.history({
          channel,
          oldest: (Math.floor(since / 1000) - 1).toString(),
          limit: 200,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        }),
      );
      const found = (res.messages ?? []).find((m) => m.bot_id && isMatch(m, match));
      if (found?.ts) return found.ts;
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) return null;
    }
    return null;
  }

  async updateMessage(channel: string, ts: string, text: string, blocks?: unknown[]) {
    await call('chat.update', () =>
      this.client.chat.update({ channel, ts, text, ...(blocks ? { blocks: blocks as never } : {}) }),
    );
  }

  async pin(channel: string, ts: string) {
    try {
      await this.client.pins.add({ channel, timestamp: ts });
    } catch (error) {
      if (slackError(error) !== 'already_pinned') throw classifySlackError('pins.add', error);
    }
  }

  async postEphemeral(channel: string, user: string, text: string) {
    await this.client.chat.postEphemeral({ channel, user, text });
  }

  async openModal(triggerId: string, view: unknown) {
    await this.client.views.open({ trigger_id: triggerId, view: view as never });
  }

  async publishHome(userId: string, view: unknown) {
    await call('views.publish', () => this.client.views.publish({ user_id: userId, view: view as never }));
  }

  async history(channel: string, query: HistoryQuery): Promise<Page> {
    return page(
      await call('conversations.history', () => this.client.conversations.history({ channel, ...query })),
    );
  }

  async replies(channel: string, ts: string, cursor?: string): Promise<Page> {
    return page(
      await call('conversations.replies', () =>
        this.client.conversations.replies({ channel, ts, ...(cursor ? { cursor } : {}) }),
      ),
    );
  }

  /** The external upload flow (getUploadURLExternal → upload → completeUploadExternal), done by the WebClient. */
  async uploadFile(channel: string, filename: string, content: string, title: string, comment: string) {
    await call('files.uploadV2', () =>
      this.client.files.uploadV2({
        channel_id: channel,
        file: Buffer.from(content, 'utf8'),
        filename,
        title,
        initial_comment: comment,
      }),
    );
  }

  async userName(userId: string): Promise<string | null> {
    const res = await this.client.users.info({ user: userId });
    const user = res.user;
    return fullName(user);
  }
}
