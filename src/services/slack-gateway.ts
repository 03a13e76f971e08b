/** The Slack Web API calls the services need; implemented over Bolt's WebClient in src/slack/gateway.ts. */
export interface SlackGateway {
  /** Creates a public channel; `name_taken` and other refusals come back as `error`. */
  createChannel(name: string): Promise<{ ok: true; id: string; name: string } | { ok: false; error: string }>;
  invite(channel: string, users: string[]): Promise<void>;
  postMessage(channel: string, text: string, blocks?: unknown[]): Promise<{ ts: string }>;
  updateMessage(channel: string, ts: string, text: string, blocks?: unknown[]): Promise<void>;
  pin(channel: string, ts: string): Promise<void>;
  postEphemeral(channel: string, user: string, text: string): Promise<void>;
  openModal(triggerId: string, view: unknown): Promise<void>;
}

/** A reply to whoever ran a command: through the command's response_url or an ephemeral message. */
export interface Responder {
  /** Only the person who ran the command sees it. */
  ephemeral(text: string, blocks?: unknown[]): Promise<void>;
  /** Everyone in the channel where the command ran sees it. */
  inChannel(text: string, blocks?: unknown[]): Promise<void>;
}
