/**
 * Shared types of the Slack Web API emulator: the state it keeps, what it records and how failures are
 * injected. Field names follow Slack's wire format (snake_case) so that what the emulator stores is what
 * Slack would answer.
 */

/** Decoded arguments of a Web API call (JSON-string fields such as `blocks` are already parsed). */
export type Args = Record<string, unknown>;

/** A Web API answer body: `ok` plus method-specific fields. */
export interface ApiResponse {
  ok: boolean;
  error?: string;
  [field: string]: unknown;
}

/** One emoji reaction on a message, as `conversations.history` reports it. */
export interface Reaction {
  name: string;
  users: string[];
  count: number;
}

/** A file object as Slack reports it in `files.completeUploadExternal` and in file_share messages. */
export interface SlackFile {
  id: string;
  created: number;
  timestamp: number;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  pretty_type: string;
  user: string;
  size: number;
  mode: 'hosted';
  is_external: false;
  is_public: boolean;
  url_private: string;
  url_private_download: string;
  permalink: string;
  channels: string[];
  alt_txt?: string;
}

/** A message as stored by the emulator and returned by the Web API (thread counters are added on output). */
export interface SlackMessage {
  type: 'message';
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  team?: string;
  subtype?: string;
  hidden?: boolean;
  thread_ts?: string;
  parent_user_id?: string;
  /** Who added the member, on `channel_join` messages. */
  inviter?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  files?: SlackFile[];
  upload?: boolean;
  reactions?: Reaction[];
  edited?: { user: string; ts: string };
  bot_profile?: { id: string; app_id: string; name: string; team_id: string; deleted: false };
  metadata?: unknown;
  reply_count?: number;
  reply_users_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  pinned_to?: string[];
}

/** Topic or purpose of a channel. */
export interface ChannelText {
  value: string;
  creator: string;
  last_set: number;
}

/** Everything the emulator knows about one conversation. */
export interface ChannelRecord {
  id: string;
  name: string;
  is_private: boolean;
  is_im: boolean;
  /** The other party of a direct-message conversation. */
  imUser?: string;
  is_archived: boolean;
  created: number;
  creator: string;
  members: Set<string>;
  topic: ChannelText;
  purpose: ChannelText;
  /** Timestamps of pinned messages, in pin order. */
  pins: string[];
  /** Every message (thread replies included), sorted by ts ascending. */
  messages: SlackMessage[];
  /** Index of `messages` by ts. */
  byTs: Map<string, SlackMessage>;
  /** Replies per thread parent ts, sorted by ts ascending. */
  replies: Map<string, SlackMessage[]>;
}

/** A workspace member known to the emulator. */
export interface UserRecord {
  id: string;
  name: string;
  real_name: string;
  is_bot: boolean;
  tz: string;
  email?: string;
  deleted: boolean;
}

/** A file started with `files.getUploadURLExternal`. */
export interface FileRecord {
  id: string;
  filename: string;
  title: string;
  declaredLength: number;
  alt_txt?: string;
  snippet_type?: string;
  user: string;
  created: number;
  uploadPath: string;
  bytes?: Buffer;
  completed: boolean;
  channels: string[];
}

/** A modal or home view opened through `views.*`. */
export interface ViewRecord {
  id: string;
  view: Record<string, unknown>;
  hash: string;
  trigger_id?: string;
  external_id?: string;
  user?: string;
  root_view_id: string;
  previous_view_id: string | null;
}

/** An ephemeral message sent with `chat.postEphemeral` (or an ephemeral response_url answer). */
export interface EphemeralRecord {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  at: number;
}

/** One Web API call as the emulator received and answered it. */
export interface RecordedCall {
  method: string;
  /** Decoded arguments, without the token. */
  args: Args;
  /** Token used (Authorization header or `token` field), if any. */
  token?: string;
  /** Epoch milliseconds when the request arrived. */
  at: number;
  /** HTTP status sent (0 when the socket was destroyed). */
  status: number;
  /** JSON body sent back; undefined when the answer was not JSON (5xx text, dropped connection). */
  response?: ApiResponse;
}

/** One POST to a slash-command `response_url`. */
export interface RecordedResponse {
  url: string;
  id: string;
  body: Args;
  at: number;
  response?: ApiResponse;
  status: number;
}

/** What the bot should experience instead of a normal answer. */
export type Failure =
  | { error: string; [field: string]: unknown }
  | { status: 500 | 502 | 503 | 504 }
  | { status: 429; retryAfter: number }
  | { network: true }
  /** No answer at all: the request is left open until the client gives up (or the emulator stops). */
  | { hang: true };

/** Options of {@link SlackEmulator.start}. */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** User id of the bot user (default `U0BOT00001`). */
  botUserId?: string;
  /** Bot id of the app's bot (default `B0BOT00001`). */
  botId?: string;
  /** Workspace id (default `T0TEAM0001`). */
  teamId?: string;
  /**
   * When true, the bot must be a member to read history, post, pin or react in a public channel
   * (`not_in_channel`), as for an app without `chat:write.public`. Default false.
   */
  requireMembership?: boolean;
}
