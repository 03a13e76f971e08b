import type { SlackMessagePayload } from './capture-service';

export interface Page {
  messages: SlackMessagePayload[];
  nextCursor: string | null;
}

export interface HistoryQuery {
  oldest?: string;
  latest?: string;
  inclusive?: boolean;
  limit?: number;
  cursor?: string;
}

/** What {@link SlackGateway.findPosted} looks for: a post with an outbox key, or an uploaded file. */
export type PostedMatch = { key: string } | { fileName: string; fileTitle: string };

/** A workspace user as users.info describes them (only what Firewatch reads). */
export interface SlackUser {
  id: string;
  /** Full name (`real_name`), else display name, else user name; null when Slack gives none. */
  name: string | null;
  /** The account is deactivated. */
  deleted: boolean;
  /** A bot or app user. */
  isBot: boolean;
}

/** The Slack Web API calls the services need; implemented over Bolt's WebClient in src/slack/gateway.ts. */
export interface SlackGateway {
  /**
   * Creates a channel, public unless `isPrivate`; `name_taken` and other refusals come back as
   * `error`.
   */
  createChannel(
    name: string,
    opts?: { isPrivate?: boolean },
  ): Promise<{ ok: true; id: string; name: string } | { ok: false; error: string }>;
  /**
   * users.info: the user, or null when Slack says there is no such user (`user_not_found`).
   * Throws on anything else (network, 5xx, 429, other errors): the caller decides what an
   * unanswered question means.
   */
  lookupUser(userId: string): Promise<SlackUser | null>;
  invite(channel: string, users: string[]): Promise<void>;
  /** Posts as the bot; `key` (an outbox job's) is attached so that {@link findPosted} can find the post. */
  postMessage(channel: string, text: string, blocks?: unknown[], key?: string): Promise<{ ts: string }>;
  /**
   * The ts of a message the bot posted in `channel` at or after `since` (epoch ms) that carries the
   * outbox key, or is the upload of that file; null when there is none. Lets a job that may have
   * reached Slack before a crash or a time-out find out whether it did, instead of posting twice.
   */
  findPosted(channel: string, since: number, match: PostedMatch): Promise<string | null>;
  updateMessage(channel: string, ts: string, text: string, blocks?: unknown[]): Promise<void>;
  pin(channel: string, ts: string): Promise<void>;
  postEphemeral(channel: string, user: string, text: string): Promise<void>;
  openModal(triggerId: string, view: unknown): Promise<void>;
  /** views.publish: shows `view` as the user's App Home. */
  publishHome(userId: string, view: unknown): Promise<void>;
  history(channel: string, query: HistoryQuery): Promise<Page>;
  /** A thread: `ts` may be the parent's or any reply's. */
  replies(channel: string, ts: string, cursor?: string): Promise<Page>;
}

/** A reply to whoever ran a command: through the command's response_url or an ephemeral message. */
export interface Responder {
  /** Only the person who ran the command sees it. */
  ephemeral(text: string, blocks?: unknown[]): Promise<void>;
  /** Everyone in the channel where the command ran sees it. */
  inChannel(text: string, blocks?: unknown[]): Promise<void>;
}
