/**
 * A Slack Web API emulator: a real HTTP server that the bot's `SLACK_API_URL` points at. It keeps a small
 * workspace (channels, threads, reactions, pins, users, files, views), answers like Slack (arguments,
 * response shapes, error codes), records every call, captures slash-command `response_url` posts, and can
 * inject failures and latency.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { dispatch, isKnownMethod, UNAUTHENTICATED_METHODS } from './api';
import { ApiError, type Caller, messageContent } from './api-common';
import { BodyError, decodeBody, readBody, sendJson, sendText, tokenOf } from './http';
import { type RenderableMessage, renderMessageAsText } from './render';
import { EmulatorState, SEEDED_USERS } from './state';
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

/** Pseudo-method under which POSTs to an `upload_url` are recorded and can be failed. */
export const FILE_UPLOAD = 'file_upload';
/** Pseudo-method under which POSTs to a `response_url` can be failed. */
export const RESPONSE_URL = 'response_url';

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

/** Options of {@link SlackEmulator.waitFor}. */
export interface WaitOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Only consider records from this index on (e.g. `emu.calls.length` taken before acting). */
  since?: number;
}

interface Waiter {
  check: () => void;
  abort: (error: Error) => void;
}

interface ResponseUrlTarget {
  channel?: string;
  user?: string;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** The Slack Web API emulator. Start it with {@link SlackEmulator.start}; stop it with {@link SlackEmulator.stop}. */
export class SlackEmulator {
  /** Every Web API call received (plus `file_upload` posts), oldest first. */
  readonly calls: RecordedCall[] = [];
  /** Every POST to a `response_url`, oldest first. */
  readonly responses: RecordedResponse[] = [];
  /** The emulated workspace; prefer the helper methods, which return copies. */
  readonly state: EmulatorState;

  private origin = '';
  private latencyMs = 0;
  private readonly nextFailures = new Map<string, Failure[]>();
  private readonly alwaysFailures = new Map<string, Failure>();
  private readonly waiters = new Set<Waiter>();
  private readonly responseTargets = new Map<string, ResponseUrlTarget>();
  private responseCounter = 0;
  private readonly server: Server;

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
    for (const waiter of [...this.waiters]) waiter.abort(new Error('SlackEmulator stopped'));
    if (!this.server.listening) return;
    const closed = once(this.server, 'close');
    this.server.close();
    this.server.closeAllConnections();
    await closed;
  }

  // ---- recording ----------------------------------------------------------------------------------------

  /** Calls to `method`, oldest first. */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The latest call to `method`. */
  lastCall(method: string): RecordedCall | undefined {
    return this.callsTo(method).pop();
  }

  /** Forgets recorded calls and response_url posts. */
  clearCalls(): void {
    this.calls.length = 0;
    this.responses.length = 0;
  }

  /**
   * Resolves with the first recorded call (already received or still to come) that has method `matcher` or
   * satisfies it; rejects after the timeout with the list of methods called so far.
   */
  waitFor(
    matcher: string | ((call: RecordedCall) => boolean),
    opts: WaitOptions = {},
  ): Promise<RecordedCall> {
    const matches = typeof matcher === 'string' ? (c: RecordedCall) => c.method === matcher : matcher;
    const label = typeof matcher === 'string' ? `a call to ${matcher}` : 'a call matching the predicate';
    return this.waitUntil(
      () => this.calls.slice(opts.since ?? 0).find(matches),
      () => `${label}; methods called so far: ${this.callSummary()}`,
      opts.timeoutMs,
    );
  }

  /** Posts received on the `response_url` `url`. */
  responsesFor(url: string): RecordedResponse[] {
    return this.responses.filter((r) => r.url === url);
  }

  /** Resolves with the first response_url post to `url` (or matching the predicate; any when omitted). */
  waitForResponse(
    matcher?: string | ((response: RecordedResponse) => boolean),
    opts: WaitOptions = {},
  ): Promise<RecordedResponse> {
    const matches =
      typeof matcher === 'function'
        ? matcher
        : (r: RecordedResponse) => matcher === undefined || r.url === matcher;
    return this.waitUntil(
      () => this.responses.slice(opts.since ?? 0).find(matches),
      () =>
        `a response_url post; ${this.responses.length} received, methods called so far: ${this.callSummary()}`,
      opts.timeoutMs,
    );
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

  // ---- failure injection ---------------------------------------------------------------------------------

  /**
   * Makes the next `times` calls to `method` fail. `method` may also be `file_upload`, `response_url` or `*`.
   * Failures: `{ error }` (ok:false), `{ status: 500 | 503 }`, `{ status: 429, retryAfter }`, `{ network: true }`.
   */
  failNext(method: string, failure: Failure, times = 1): void {
    const queue = this.nextFailures.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    this.nextFailures.set(method, queue);
  }

  /** Makes every call to `method` fail until {@link clearFailures}. */
  failAlways(method: string, failure: Failure): void {
    this.alwaysFailures.set(method, failure);
  }

  /** Removes all injected failures. */
  clearFailures(): void {
    this.nextFailures.clear();
    this.alwaysFailures.clear();
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

  /** Views opened, pushed or published (latest version of each), oldest first. */
  views(): ViewRecord[] {
    return [...this.state.views.values()].map((v) => structuredClone(v));
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
        this.handleUpload(req, res, url, body);
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
      this.record({ method, args: {}, at: arrived, status: 200, response });
      sendJson(res, 200, response);
      return;
    }
    const token = tokenOf(req, args);
    delete args.token;
    const call: RecordedCall = { method, args, at: arrived, status: 200, ...(token ? { token } : {}) };
    const failure = this.takeFailure(method);
    if (failure) {
      this.fail(req, res, failure, call);
      return;
    }
    const response = snapshotJson(this.answer(method, args, token));
    call.response = response;
    this.record(call);
    sendJson(res, 200, response);
  }

  private answer(method: string, args: Args, token: string | undefined): ApiResponse {
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

  private handleUpload(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void {
    const file = [...this.state.files.values()].find((f) => f.uploadPath === url.pathname);
    const call: RecordedCall = {
      method: FILE_UPLOAD,
      args: { file_id: file?.id, filename: file?.filename, size: body.length },
      at: Date.now(),
      status: 200,
    };
    const failure = this.takeFailure(FILE_UPLOAD);
    if (failure) {
      this.fail(req, res, failure, call);
      return;
    }
    if (!file) {
      this.record({ ...call, status: 404 });
      sendText(res, 404, 'Not Found');
      return;
    }
    const decoded = decodeBody(req.headers['content-type'] ?? '', body, new URLSearchParams());
    const part = decoded.parts[0];
    file.bytes = part ? part.data : Buffer.from(body);
    call.args.size = file.bytes.length;
    this.record(call);
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
    const target = this.responseTargets.get(id);
    let args: Args = {};
    try {
      args = decodeBody(req.headers['content-type'] ?? 'application/json', body, new URLSearchParams()).args;
    } catch {
      // Recorded with an empty body; Slack answers invalid_payload.
    }
    const record: RecordedResponse = { url: url.toString(), id, body: args, at, status: 200 };
    const failure = this.takeFailure(RESPONSE_URL);
    if (failure) {
      this.fail(req, res, failure, record);
      return;
    }
    if (!target) {
      this.record({ ...record, status: 404 });
      sendText(res, 404, 'Not Found');
      return;
    }
    const response = this.applyResponse(target, args);
    record.response = response;
    this.record(record);
    sendJson(res, 200, response);
  }

  /** Validates a response_url payload and applies it to a known channel. */
  private applyResponse(target: ResponseUrlTarget, args: Args): ApiResponse {
    if (args.delete_original === true || args.delete_original === 'true') return { ok: true };
    let content: ReturnType<typeof messageContent>;
    try {
      content = messageContent(args);
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error: error.code, ...error.extra };
      throw error;
    }
    const channel = target.channel ? this.state.resolveChannel(target.channel) : undefined;
    if (!channel) return { ok: true };
    const extras = {
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(content.attachments ? { attachments: content.attachments } : {}),
    };
    const threadTs = typeof args.thread_ts === 'string' ? { thread_ts: args.thread_ts } : {};
    if (args.response_type === 'in_channel') {
      this.state.insertMessage(channel, {
        type: 'message',
        ts: this.state.clock.next(),
        text: content.text,
        user: this.botUserId,
        bot_id: this.botId,
        app_id: this.state.identity.appId,
        team: this.teamId,
        ...extras,
        ...threadTs,
      });
    } else if (target.user) {
      this.state.ephemerals.push({
        channel: channel.id,
        user: target.user,
        ts: this.state.clock.next(),
        text: content.text,
        ...extras,
        ...threadTs,
        at: Date.now(),
      });
    }
    return { ok: true };
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

  private takeFailure(method: string): Failure | undefined {
    for (const key of [method, '*']) {
      const queued = this.nextFailures.get(key)?.shift();
      if (queued) return queued;
    }
    return this.alwaysFailures.get(method) ?? this.alwaysFailures.get('*');
  }

  /** Answers with an injected failure and records what was sent. */
  private fail(
    req: IncomingMessage,
    res: ServerResponse,
    failure: Failure,
    record: RecordedCall | RecordedResponse,
  ) {
    if ('network' in failure) {
      this.record({ ...record, status: 0 });
      req.socket.destroy();
      return;
    }
    if ('error' in failure) {
      const response: ApiResponse = { ...failure, ok: false, error: failure.error };
      this.record({ ...record, status: 200, response });
      sendJson(res, 200, response);
      return;
    }
    if (failure.status === 429) {
      const response: ApiResponse = { ok: false, error: 'ratelimited' };
      this.record({ ...record, status: 429, response });
      sendJson(res, 429, response, { 'retry-after': String(failure.retryAfter) });
      return;
    }
    this.record({ ...record, status: failure.status });
    sendText(res, failure.status, failure.status === 503 ? 'Service Unavailable' : 'Internal Server Error');
  }

  // ---- internals ------------------------------------------------------------------------------------------

  private record(entry: RecordedCall | RecordedResponse): void {
    if ('method' in entry) this.calls.push(entry);
    else this.responses.push(entry);
    for (const waiter of [...this.waiters]) waiter.check();
  }

  private callSummary(): string {
    if (this.calls.length === 0) return '(none)';
    const counts = new Map<string, number>();
    for (const call of this.calls) counts.set(call.method, (counts.get(call.method) ?? 0) + 1);
    return [...counts].map(([method, n]) => `${method} ×${n}`).join(', ');
  }

  private waitUntil<T>(find: () => T | undefined, describe: () => string, timeoutMs?: number): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    const limit = timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<T>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        check: () => {
          const match = find();
          if (match === undefined) return;
          finish();
          resolve(match);
        },
        abort: (error) => {
          finish();
          reject(error);
        },
      };
      const timer = setTimeout(
        () => waiter.abort(new Error(`Timed out after ${limit} ms waiting for ${describe()}`)),
        limit,
      );
      this.waiters.add(waiter);
    });
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
