/**
 * A Slack Web API emulator: a real HTTP server that the bot's `SLACK_API_URL` points at. It keeps a small
 * workspace (channels, threads, reactions, pins, users, files, views), answers like Slack (arguments,
 * response shapes, error codes), records every call, captures slash-command `response_url` posts, and can
 * inject failures and latency. It also speaks Socket Mode (`apps.connections.open` and a WebSocket endpoint, see
 * `socket-mode.ts`), so an app can run without a public HTTP endpoint against it.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { dispatch, isKnownMethod, UNAUTHENTICATED_METHODS } from './api';
import type { Caller } from './api-common';
import { FailureInjector, FILE_UPLOAD, RESPONSE_URL, sendFailure } from './failures';
import { BodyError, decodeBody, readBody, sendJson, sendText, tokenOf } from './http';
import { Recorder, type WaitOptions } from './recorder';
import { type RenderableMessage, renderMessageAsText } from './render';
import { applyResponsePost, type ResponseUrlTarget } from './response-url';
import {
  APPS_CONNECTIONS_OPEN,
  type SlashCommandFields,
  type SocketAck,
  type SocketEventOptions,
  type SocketInteractiveOptions,
  SocketModeServer,
  type SocketSendOptions,
} from './socket-mode';
import { EmulatorState, SEEDED_CHANNELS, SEEDED_USERS } from './state';
import type {
  ApiResponse,
  Args,
  ChannelRecord,
  EmulatorOptions,
  EphemeralRecord,
  Failure,
  RecordedCall,
  RecordedResponse,
  SlackFile,
  SlackMessage,
  UserRecord,
  ViewRecord,
} from './types';
import { channelNameError } from './validate';

/** A read-only view of a channel. */
export interface ChannelSnapshot {
  id: string;
  name: string;
  is_private: boolean;
  is_im: boolean;
  is_archived: boolean;
  members: string[];
  topic: string;
  purpose: string;
  /** Timestamps of pinned messages, in pin order. */
  pins: string[];
}

/** A message played into the workspace as if a person (or another app) had posted it. */
export interface SeedMessage {
  user?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  bot_id?: string;
  subtype?: string;
  blocks?: unknown[];
  files?: SlackFile[];
}

/** A file received through the external upload flow. */
export interface UploadedFile {
  id: string;
  filename: string;
  title: string;
  bytes?: Buffer;
  completed: boolean;
  channels: string[];
}

/** The Slack Web API emulator. Start it with {@link SlackEmulator.start}; stop it with {@link SlackEmulator.stop}. */
export class SlackEmulator {
  /** The emulated workspace; prefer the helper methods, which return copies. */
  readonly state: EmulatorState;

  private readonly recorder = new Recorder();
  private readonly failures = new FailureInjector();
  private readonly responseTargets = new Map<string, ResponseUrlTarget>();
  private readonly server: Server;
  private readonly socketMode: SocketModeServer;
  private origin = '';
  private latencyMs = 0;
  private responseCounter = 0;

  private constructor(opts: EmulatorOptions) {
    this.state = new EmulatorState(
      {
        botUserId: opts.botUserId ?? 'U0BOT00001',
        botId: opts.botId ?? 'B0BOT00001',
        appId: 'A0APP00001',
        teamId: opts.teamId ?? 'T0TEAM0001',
        teamName: 'Firewatch Test',
        teamDomain: 'firewatch-test',
        botName: 'firewatch',
      },
      opts.requireMembership ?? false,
    );
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    this.socketMode = new SocketModeServer({
      state: this.state,
      origin: () => this.origin,
      responseUrl: (target) => this.responseUrl(target),
      defaultChannel: SEEDED_CHANNELS.general,
    });
    this.server.on('upgrade', (req, socket, head) => this.socketMode.handleUpgrade(req, socket, head));
  }

  /** Starts an emulator listening on 127.0.0.1 (a free port unless `opts.port` is given). */
  static async start(opts: EmulatorOptions = {}): Promise<SlackEmulator> {
    const emulator = new SlackEmulator(opts);
    emulator.server.listen(opts.port ?? 0, '127.0.0.1');
    await once(emulator.server, 'listening');
    const { port } = emulator.server.address() as AddressInfo;
    emulator.origin = `http://127.0.0.1:${port}`;
    return emulator;
  }

  /** Base URL of the Web API, for `SLACK_API_URL` / `slackApiUrl` (ends with `/api/`). */
  get url(): string {
    return `${this.origin}/api/`;
  }

  /** User id of the bot user. */
  get botUserId(): string {
    return this.state.identity.botUserId;
  }

  /** Bot id of the app's bot. */
  get botId(): string {
    return this.state.identity.botId;
  }

  /** Workspace id. */
  get teamId(): string {
    return this.state.identity.teamId;
  }

  /** Stops the server, dropping open connections and rejecting pending waits. */
  async stop(): Promise<void> {
    this.recorder.abortAll('SlackEmulator stopped');
    this.socketMode.close();
    if (!this.server.listening) return;
    const closed = once(this.server, 'close');
    this.server.close();
    this.server.closeAllConnections();
    await closed;
  }

  // ---- recording ----------------------------------------------------------------------------------------

  /** Every Web API call received (plus `file_upload` posts), oldest first. */
  get calls(): readonly RecordedCall[] {
    return this.recorder.calls;
  }

  /** Every POST to a `response_url`, oldest first. */
  get responses(): readonly RecordedResponse[] {
    return this.recorder.responses;
  }

  /** Calls to `method`, oldest first. */
  callsTo(method: string): RecordedCall[] {
    return this.recorder.calls.filter((call) => call.method === method);
  }

  /** The latest call to `method`. */
  lastCall(method: string): RecordedCall | undefined {
    return this.callsTo(method).pop();
  }

  /** Forgets recorded calls and response_url posts. */
  clearCalls(): void {
    this.recorder.clear();
  }

  /**
   * Resolves with the first recorded call (already received or still to come) that has method `matcher` or
   * satisfies it; rejects after the timeout (default 5 s) listing the methods called so far.
   */
  waitFor(
    matcher: string | ((call: RecordedCall) => boolean),
    opts: WaitOptions = {},
  ): Promise<RecordedCall> {
    return this.recorder.waitForCall(matcher, opts);
  }

  /** Posts received on the `response_url` `url`. */
  responsesFor(url: string): RecordedResponse[] {
    return this.recorder.responses.filter((r) => r.url === url);
  }

  /** Resolves with the first response_url post to `url` (or matching the predicate; any when omitted). */
  waitForResponse(
    matcher?: string | ((response: RecordedResponse) => boolean),
    opts: WaitOptions = {},
  ): Promise<RecordedResponse> {
    return this.recorder.waitForResponse(matcher, opts);
  }

  /**
   * A fresh slash-command `response_url` on this server. With a `channel` (and `user`), posts to it act like
   * Slack's: `in_channel` answers are posted in the channel as the bot, others become ephemerals for `user`.
   */
  responseUrl(idOrTarget?: string | { id?: string; channel?: string; user?: string }): string {
    const target = typeof idOrTarget === 'string' ? { id: idOrTarget } : (idOrTarget ?? {});
    this.responseCounter += 1;
    const id = target.id ?? `R${String(this.responseCounter).padStart(6, '0')}`;
    this.responseTargets.set(id, { channel: target.channel, user: target.user });
    return `${this.origin}/commands/${encodeURIComponent(id)}`;
  }

  /** Ephemeral messages sent (all, or those in `channel`), oldest first. */
  ephemerals(channel?: string): EphemeralRecord[] {
    return this.state.ephemerals
      .filter((e) => channel === undefined || e.channel === channel)
      .map((e) => ({ ...e }));
  }

  // ---- Socket Mode ---------------------------------------------------------------------------------------

  /** Open Socket Mode connections (apps that called `apps.connections.open` and connected). */
  socketConnections(): number {
    return this.socketMode.connectionCount;
  }

  /**
   * Pushes an Events API callback wrapping `event` to the connected app as an `events_api` envelope; resolves
   * with the app's ack, rejects when no app is connected or on timeout (default 5 s).
   */
  socketSendEvent(event: Record<string, unknown>, opts: SocketEventOptions = {}): Promise<SocketAck> {
    return this.socketMode.sendEvent(event, opts);
  }

  /**
   * Pushes a slash command (`slash_commands` envelope); missing fields are filled in as Slack would, with a
   * fresh {@link responseUrl} for the command's channel and user. Resolves with the ack (its `payload` is the
   * app's immediate answer).
   */
  socketSendSlashCommand(fields: SlashCommandFields, opts: SocketSendOptions = {}): Promise<SocketAck> {
    return this.socketMode.sendSlashCommand(fields, opts);
  }

  /** Pushes an interactivity payload (`interactive` envelope) as given; resolves with the app's ack. */
  socketSendInteractive(
    payload: Record<string, unknown>,
    opts: SocketInteractiveOptions = {},
  ): Promise<SocketAck> {
    return this.socketMode.sendInteractive(payload, opts);
  }

  /**
   * Pushes an envelope of `type` with any payload at all (`null`, an `event` that is not an object…), as
   * hostile input; resolves with the app's ack, rejects when none comes in time.
   */
  socketSendMalformed(
    type: 'events_api' | 'slash_commands' | 'interactive',
    payload: unknown,
    opts: SocketSendOptions = {},
  ): Promise<SocketAck> {
    return this.socketMode.sendMalformed(type, payload, opts);
  }

  /**
   * Sends Slack's `disconnect` message to every connection (the app should reconnect through
   * `apps.connections.open`); returns how many connections were told.
   */
  socketDisconnect(reason = 'refresh_requested'): number {
    return this.socketMode.disconnect(reason);
  }

  // ---- failure injection ---------------------------------------------------------------------------------

  /**
   * Makes the next `times` calls to `method` fail. `method` may also be `file_upload`, `response_url` or `*`.
   * Failures: `{ error }` (ok:false), `{ status: 500 | 503 }`, `{ status: 429, retryAfter }`, `{ network: true }`,
   * `{ hang: true }` (never answered).
   */
  failNext(method: string, failure: Failure, times = 1): void {
    this.failures.next(method, failure, times);
  }

  /** Makes every call to `method` fail until {@link clearFailures}. */
  failAlways(method: string, failure: Failure): void {
    this.failures.always(method, failure);
  }

  /** Removes all injected failures. */
  clearFailures(): void {
    this.failures.clear();
  }

  /** Delays every answer by `ms` milliseconds. */
  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  // ---- workspace helpers ---------------------------------------------------------------------------------

  /** Adds a workspace member (who joins #general). */
  addUser(
    id: string,
    name: string,
    opts: { realName?: string; tz?: string; isBot?: boolean } = {},
  ): UserRecord {
    return { ...this.state.addUser(id, name, opts) };
  }

  /** Deactivates a user, as a workspace admin does: users.info then says `deleted: true`. */
  deactivateUser(id: string): void {
    const user = this.state.users.get(id);
    if (!user) throw new Error(`No user ${id}`);
    user.deleted = true;
  }

  /** A user by id. */
  user(id: string): UserRecord | undefined {
    const user = this.state.users.get(id);
    return user ? { ...user } : undefined;
  }

  /**
   * Creates a channel as a person would. Members default to every human user; the bot is a member only
   * with `botIsMember`.
   * @throws on an invalid or taken name
   */
  createChannel(
    name: string,
    opts: { isPrivate?: boolean; members?: string[]; botIsMember?: boolean } = {},
  ): ChannelSnapshot {
    const nameError = channelNameError(name);
    if (nameError) throw new Error(`Cannot create channel ${JSON.stringify(name)}: ${nameError}`);
    if (this.state.channelByName(name)) throw new Error(`Cannot create channel ${name}: name_taken`);
    const members = opts.members ?? this.state.humans().map((u) => u.id);
    const channel = this.state.createChannel(name, {
      isPrivate: opts.isPrivate,
      creator: members[0] ?? SEEDED_USERS[0]?.id,
      members: opts.botIsMember ? [...members, this.botUserId] : members,
    });
    return snapshot(channel);
  }

  /** The channel named `name` (leading `#` optional). */
  channelByName(name: string): ChannelSnapshot | undefined {
    const channel = this.state.channelByName(name);
    return channel ? snapshot(channel) : undefined;
  }

  /** The channel with id `id`. */
  channel(id: string): ChannelSnapshot | undefined {
    const channel = this.state.channels.get(id);
    return channel ? snapshot(channel) : undefined;
  }

  /** All messages of a channel, thread replies included, oldest first (copies, with thread counters). */
  messages(channelId: string): SlackMessage[] {
    const channel = this.requireChannel(channelId);
    return channel.messages.map((m) => this.state.presentMessage(channel, m));
  }

  /** One message by ts. */
  message(channelId: string, ts: string): SlackMessage | undefined {
    const channel = this.requireChannel(channelId);
    const message = this.state.findMessage(channel, ts);
    return message ? this.state.presentMessage(channel, message) : undefined;
  }

  /** A thread: its parent then replies, oldest first. */
  thread(channelId: string, parentTs: string): SlackMessage[] {
    const channel = this.requireChannel(channelId);
    const parent = this.state.findMessage(channel, parentTs);
    const replies = channel.replies.get(parentTs) ?? [];
    return [...(parent ? [parent] : []), ...replies].map((m) => this.state.presentMessage(channel, m));
  }

  /** Pinned messages of a channel, in pin order. */
  pinned(channelId: string): SlackMessage[] {
    const channel = this.requireChannel(channelId);
    return channel.pins.flatMap((ts) => {
      const message = this.state.findMessage(channel, ts);
      return message ? [this.state.presentMessage(channel, message)] : [];
    });
  }

  /**
   * Plays a message into a channel as if someone posted it (no event is sent to the bot). A missing ts is
   * assigned from the clock; a human author becomes a member of the channel.
   */
  seedMessage(channelId: string, input: SeedMessage): SlackMessage {
    const channel = this.requireChannel(channelId);
    const message: SlackMessage = {
      type: 'message',
      ts: input.ts ?? this.state.clock.next(),
      text: input.text ?? '',
      ...(input.user ? { user: input.user } : {}),
      ...(input.bot_id ? { bot_id: input.bot_id } : {}),
      ...(input.subtype ? { subtype: input.subtype } : {}),
      ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
      ...(input.blocks ? { blocks: structuredClone(input.blocks) } : {}),
      ...(input.files ? { files: structuredClone(input.files) } : {}),
      team: this.teamId,
    };
    this.state.insertMessage(channel, message);
    if (input.user && !input.bot_id && !input.subtype) channel.members.add(input.user);
    return this.state.presentMessage(channel, message);
  }

  /** Adds `user`'s reaction `name` to a message; false when it was already there. */
  addReaction(channelId: string, ts: string, name: string, user: string): boolean {
    return this.state.addReaction(this.requireMessage(channelId, ts), name, user);
  }

  /** Removes `user`'s reaction `name` from a message; false when there was none. */
  removeReaction(channelId: string, ts: string, name: string, user: string): boolean {
    return this.state.removeReaction(this.requireMessage(channelId, ts), name, user);
  }

  /** Edits a message's text as its author would; returns the edited message. */
  editMessage(channelId: string, ts: string, text: string): SlackMessage {
    const message = this.requireMessage(channelId, ts);
    message.text = text;
    message.edited = { user: message.user ?? this.botUserId, ts: this.state.clock.next() };
    return this.state.presentMessage(this.requireChannel(channelId), message);
  }

  /** Deletes a message as its author would; returns it as it was, or undefined when there was none. */
  deleteMessage(channelId: string, ts: string): SlackMessage | undefined {
    return this.state.deleteMessage(this.requireChannel(channelId), ts);
  }

  /** A file received through files.getUploadURLExternal / upload_url / files.completeUploadExternal. */
  uploadedFile(id: string): UploadedFile | undefined {
    const file = this.state.files.get(id);
    if (!file) return undefined;
    const { filename, title, bytes, completed, channels } = file;
    return {
      id,
      filename,
      title,
      completed,
      channels: [...channels],
      ...(bytes ? { bytes: Buffer.from(bytes) } : {}),
    };
  }

  /** Makes every trigger_id handed out so far too old for views.open (`expired_trigger_id`). */
  expireTriggers(): void {
    for (const trigger of this.state.triggers.values()) trigger.mintedAt = 0;
  }

  /** Views opened, pushed or published (latest version of each), oldest first. */
  views(): ViewRecord[] {
    return [...this.state.views.values()].map((v) => structuredClone(v));
  }

  /** The App Home view last published for `userId` with views.publish, or undefined. */
  homeView(userId: string): Record<string, unknown> | undefined {
    const record = [...this.state.views.values()].find((v) => v.user === userId && v.view.type === 'home');
    return record ? structuredClone(record.view) : undefined;
  }

  /** Renders a message as plain text, with user and channel names resolved. */
  renderMessage(message: RenderableMessage): string {
    return renderMessageAsText(message, {
      userName: (id) => this.state.users.get(id)?.name,
      channelName: (id) => this.state.channels.get(id)?.name,
    });
  }

  /** A plain-text transcript of a channel: `[HH:MM:SS] author: text`, thread replies indented. */
  transcript(channelId: string): string {
    const channel = this.requireChannel(channelId);
    const lines: string[] = [];
    const write = (message: SlackMessage, indent: string) => {
      const seconds = Number(message.ts.split('.')[0]);
      const time = new Date(seconds * 1000).toISOString().slice(11, 19);
      const author =
        this.state.users.get(message.user ?? '')?.name ?? message.user ?? message.bot_id ?? 'unknown';
      const [first = '', ...rest] = this.renderMessage(message).split('\n');
      lines.push(`${indent}[${time}] ${author}: ${first}`);
      for (const line of rest) lines.push(`${indent}    ${line}`);
    };
    for (const message of this.state.topLevel(channel)) {
      if (EmulatorState.isReply(message)) continue;
      write(message, '');
      for (const reply of channel.replies.get(message.ts) ?? []) write(reply, '    ↳ ');
    }
    return lines.join('\n');
  }

  // ---- HTTP -----------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = Date.now();
    const url = new URL(req.url ?? '/', this.origin);
    try {
      const body = await readBody(req);
      if (this.latencyMs > 0) await sleep(this.latencyMs);
      if (url.pathname.startsWith('/api/')) this.handleApi(req, res, url, body, arrived);
      else if (url.pathname.startsWith('/upload/') && req.method === 'POST')
        this.handleUpload(req, res, url, body, arrived);
      else if (url.pathname.startsWith('/commands/') && req.method === 'POST') {
        this.handleResponseUrl(req, res, url, body, arrived);
      } else if (url.pathname.startsWith('/files/') && req.method === 'GET') this.serveFile(res, url);
      else sendText(res, 404, 'Not Found');
    } catch (error) {
      if (!res.headersSent) sendText(res, 500, `emulator error: ${(error as Error).message}`);
    }
  }

  private handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: Buffer,
    arrived: number,
  ): void {
    const method = decodeURIComponent(url.pathname.slice('/api/'.length));
    let args: Args;
    try {
      args = decodeBody(req.headers['content-type'] ?? '', body, url.searchParams).args;
    } catch (error) {
      const code = error instanceof BodyError ? error.code : 'invalid_form_data';
      const response = { ok: false, error: code };
      this.recorder.record({ method, args: {}, at: arrived, status: 200, response });
      sendJson(res, 200, response);
      return;
    }
    const token = tokenOf(req, args);
    delete args.token;
    const call: RecordedCall = { method, args, at: arrived, status: 200, ...(token ? { token } : {}) };
    const failure = this.failures.take(method);
    if (failure) {
      this.failWith(req, res, failure, call);
      return;
    }
    const response = snapshotJson(this.answer(method, args, token));
    call.response = response;
    this.recorder.record(call);
    sendJson(res, 200, response);
  }

  private answer(method: string, args: Args, token: string | undefined): ApiResponse {
    // Socket Mode takes an app-level token, which no other method accepts.
    if (method === APPS_CONNECTIONS_OPEN) return this.socketMode.open(token);
    if (!isKnownMethod(method)) return { ok: false, error: 'unknown_method' };
    let caller: Caller = { userId: this.botUserId, botId: this.botId };
    if (!UNAUTHENTICATED_METHODS.has(method)) {
      if (!token) return { ok: false, error: 'not_authed' };
      const resolved = this.callerFor(token);
      if (!resolved) return { ok: false, error: 'invalid_auth' };
      caller = resolved;
    }
    try {
      return dispatch(method, { args, state: this.state, caller, origin: this.origin });
    } catch (error) {
      return { ok: false, error: 'internal_error', detail: `emulator: ${(error as Error).message}` };
    }
  }

  /** Bot tokens act as the bot; `xoxp-<USERID>-…` acts as that user, other user tokens as the first human. */
  private callerFor(token: string): Caller | undefined {
    if (token.startsWith('xoxb-')) return { userId: this.botUserId, botId: this.botId };
    if (!token.startsWith('xoxp-')) return undefined;
    const named = token.split('-')[1] ?? '';
    const user = this.state.users.get(named);
    if (user && !user.is_bot) return { userId: user.id };
    return { userId: this.state.humans()[0]?.id ?? this.botUserId };
  }

  private handleUpload(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, at: number): void {
    const file = [...this.state.files.values()].find((f) => f.uploadPath === url.pathname);
    const call: RecordedCall = {
      method: FILE_UPLOAD,
      args: { file_id: file?.id, filename: file?.filename, size: body.length },
      at,
      status: 200,
    };
    const failure = this.failures.take(FILE_UPLOAD);
    if (failure) {
      this.failWith(req, res, failure, call);
      return;
    }
    if (!file) {
      this.recorder.record({ ...call, status: 404 });
      sendText(res, 404, 'Not Found');
      return;
    }
    const decoded = decodeBody(req.headers['content-type'] ?? '', body, new URLSearchParams());
    const part = decoded.parts[0];
    file.bytes = part ? part.data : Buffer.from(body);
    call.args.size = file.bytes.length;
    this.recorder.record(call);
    sendText(res, 200, `OK - ${file.bytes.length}`);
  }

  private handleResponseUrl(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: Buffer,
    at: number,
  ): void {
    const id = decodeURIComponent(url.pathname.slice('/commands/'.length));
    // Urls not minted by responseUrl() are still captured; they just have no channel to act on.
    const target = this.responseTargets.get(id) ?? {};
    let args: Args = {};
    try {
      const declared = req.headers['content-type'] ?? '';
      const type = /form-urlencoded|multipart/i.test(declared) ? declared : 'application/json';
      args = decodeBody(type, body, new URLSearchParams()).args;
    } catch {
      // Recorded with an empty body; Slack answers invalid_payload.
    }
    const record: RecordedResponse = { url: url.toString(), id, body: args, at, status: 200 };
    const failure = this.failures.take(RESPONSE_URL);
    if (failure) {
      this.failWith(req, res, failure, record);
      return;
    }
    const response = applyResponsePost(this.state, target, args);
    const status = response.ok ? 200 : 400;
    this.recorder.record({ ...record, status, response });
    sendJson(res, status, response);
  }

  private serveFile(res: ServerResponse, url: URL): void {
    const id = url.pathname.split('/')[2] ?? '';
    const file = this.state.files.get(id);
    if (!file?.bytes || !file.completed) {
      sendText(res, 404, 'Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
    res.end(file.bytes);
  }

  /** Answers with an injected failure and records what was sent. */
  private failWith(
    req: IncomingMessage,
    res: ServerResponse,
    failure: Failure,
    entry: RecordedCall | RecordedResponse,
  ) {
    const { status, response } = sendFailure(req, res, failure);
    this.recorder.record({ ...entry, status, ...(response ? { response } : {}) });
  }

  private requireChannel(channelId: string): ChannelRecord {
    const channel = this.state.resolveChannel(channelId);
    if (!channel) throw new Error(`SlackEmulator: no channel ${channelId}`);
    return channel;
  }

  private requireMessage(channelId: string, ts: string): SlackMessage {
    const message = this.state.findMessage(this.requireChannel(channelId), ts);
    if (!message) throw new Error(`SlackEmulator: no message ${ts} in ${channelId}`);
    return message;
  }
}

function snapshot(channel: ChannelRecord): ChannelSnapshot {
  return {
    id: channel.id,
    name: channel.name,
    is_private: channel.is_private,
    is_im: channel.is_im,
    is_archived: channel.is_archived,
    members: [...channel.members],
    topic: channel.topic.value,
    purpose: channel.purpose.value,
    pins: [...channel.pins],
  };
}

/** A deep copy made of exactly what goes on the wire. */
function snapshotJson(response: ApiResponse): ApiResponse {
  return JSON.parse(JSON.stringify(response)) as ApiResponse;
}
