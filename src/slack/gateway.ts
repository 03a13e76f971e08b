import type { WebClient } from '@slack/web-api';
import type { SlackMessagePayload } from '../services/capture-service';
import type { HistoryQuery, Page, SlackGateway, SlackUser } from '../services/slack-gateway';

const page = (res: { messages?: unknown[]; response_metadata?: { next_cursor?: string } }): Page => ({
  messages: (res.messages ?? []) as SlackMessagePayload[],
  nextCursor: res.response_metadata?.next_cursor || null,
});

const slackError = (error: unknown): string | null => {
  const e = error as { code?: string; data?: { error?: string } };
  return e?.code === 'slack_webapi_platform_error' ? (e.data?.error ?? 'unknown_error') : null;
};

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
        name: user?.profile?.display_name || user?.real_name || user?.name || null,
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

  async postMessage(channel: string, text: string, blocks?: unknown[]) {
    const res = await this.client.chat.postMessage({
      channel,
      text,
      ...(blocks ? { blocks: blocks as never } : {}),
      unfurl_links: false,
    });
    return { ts: res.ts! };
  }

  async updateMessage(channel: string, ts: string, text: string, blocks?: unknown[]) {
    await this.client.chat.update({ channel, ts, text, ...(blocks ? { blocks: blocks as never } : {}) });
  }

  async pin(channel: string, ts: string) {
    try {
      await this.client.pins.add({ channel, timestamp: ts });
    } catch (error) {
      if (slackError(error) !== 'already_pinned') throw error;
    }
  }

  async postEphemeral(channel: string, user: string, text: string) {
    await this.client.chat.postEphemeral({ channel, user, text });
  }

  async openModal(triggerId: string, view: unknown) {
    await this.client.views.open({ trigger_id: triggerId, view: view as never });
  }

  async history(channel: string, query: HistoryQuery): Promise<Page> {
    return page(await this.client.conversations.history({ channel, ...query }));
  }

  async replies(channel: string, ts: string, cursor?: string): Promise<Page> {
    return page(await this.client.conversations.replies({ channel, ts, ...(cursor ? { cursor } : {}) }));
  }

  /** The external upload flow (getUploadURLExternal → upload → completeUploadExternal), done by the WebClient. */
  async uploadFile(channel: string, filename: string, content: string, title: string, comment: string) {
    await this.client.files.uploadV2({
      channel_id: channel,
      file: Buffer.from(content, 'utf8'),
      filename,
      title,
      initial_comment: comment,
    });
  }

  async userName(userId: string): Promise<string | null> {
    const res = await this.client.users.info({ user: userId });
    const user = res.user;
    return user?.profile?.display_name || user?.real_name || user?.name || null;
  }
}
