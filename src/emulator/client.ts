/**
 * The Slack side of a bot's conversation, for tests, the demo and the benchmarks: one client that sends
 * what Slack sends to a bot. Slash commands (form-encoded, with a `response_url` and `trigger_id` from the
 * emulator), Events API callbacks (JSON, with an `event_id` and optional retry headers) and interactivity
 * payloads (`payload=` JSON), either as HTTP requests signed with Slack's `v0` HMAC-SHA256 scheme or as
 * Socket Mode envelopes through the emulator's WebSocket server, waiting for the app's ack.
 *
 * The payload builders here are the only place these payloads are written: over Socket Mode the client
 * hands the emulator's Socket Mode server (`SlackEmulator.socketSend…`) what to send, and that server
 * builds the envelopes' payloads with these same functions.
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { SlackEmulator } from './slack-emulator';
import type { SocketAck } from './socket-mode';
import { type EmulatorState, SEEDED_CHANNELS } from './state';
import type { ViewRecord } from './types';

/** The `token` field Slack puts in payloads (the legacy verification token) of the emulator's workspace. */
export const EMULATOR_VERIFICATION_TOKEN = 'emulator-verification-token';

/** The slash command the client sends unless told otherwise. */
const DEFAULT_COMMAND = '/incident';

/** Epoch seconds now, as Slack's request timestamps and `event_time` are. */
function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

// ---- signing --------------------------------------------------------------------------------------------

/** Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` under the secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** How to sign one request (defaults: the client's secret, the current time, a correct signature). */
export interface SigningOptions {
  /** `X-Slack-Request-Timestamp` to send and sign (epoch seconds), e.g. a stale one. */
  timestamp?: number;
  /** Sign with this secret instead of the client's. */
  secret?: string;
  /** Send a deliberately wrong signature (the right one with its last hex digit changed). */
  badSignature?: boolean;
  /** Extra headers (they override the signing headers). */
  headers?: Record<string, string>;
}

/** The two headers Slack signs a request with. */
export function signingHeaders(
  secret: string,
  body: string,
  opts: SigningOptions = {},
): Record<string, string> {
  const timestamp = opts.timestamp ?? nowSeconds();
  let signature = slackSignature(opts.secret ?? secret, timestamp, body);
  if (opts.badSignature) signature = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

// ---- payloads -------------------------------------------------------------------------------------------

/** What a payload needs of the emulator it comes from: its workspace, and response_url minting. */
export interface PayloadSource {
  state: EmulatorState;
  /** Mints a response_url bound to a channel and user. */
  responseUrl: (target: { channel?: string; user?: string }) => string;
  /** The channel of slash commands that name none. */
  defaultChannel: string;
}

/**
 * Fields of a slash command as Slack sends them (all strings). Every field may be left out: the workspace
 * fields are filled in, the command defaults to `/incident`, the channel to the default one, the user to
 * the first person, and a `response_url` on the emulator is minted for that channel and user.
 */
export interface SlashCommandFields {
  command?: string;
  text?: string;
  channel_id?: string;
  channel_name?: string;
  user_id?: string;
  user_name?: string;
  response_url?: string;
  trigger_id?: string;
  [field: string]: string | undefined;
}

/** A fresh `trigger_id` in Slack's shape (`<digits>.<digits>.<hex>`). */
export function newTriggerId(): string {
  return `${Date.now()}.${randomBytes(4).readUInt32BE(0)}.${randomBytes(16).toString('hex')}`;
}

/** A fresh trigger_id, remembered by the workspace so that views.open takes it once, within 3 seconds. */
export function mintTrigger(state: EmulatorState): string {
  const id = newTriggerId();
  state.triggers.set(id, { mintedAt: Date.now(), exchanged: false });
  return id;
}

/** A fresh `event_id` in Slack's shape (`Ev` + upper-case hex). */
export function newEventId(): string {
  return `Ev${randomBytes(6).toString('hex').toUpperCase()}`;
}

/** The form fields of a slash command, with the defaults of {@link SlashCommandFields} filled in. */
export function slashCommandPayload(
  source: PayloadSource,
  fields: SlashCommandFields,
): Record<string, string> {
  const { state } = source;
  const { identity } = state;
  const channelId = fields.channel_id ?? source.defaultChannel;
  const userId = fields.user_id ?? state.humans()[0]?.id ?? identity.botUserId;
  const payload: Record<string, string> = {
    token: EMULATOR_VERIFICATION_TOKEN,
    team_id: identity.teamId,
    team_domain: identity.teamDomain,
    channel_id: channelId,
    channel_name: state.resolveChannel(channelId)?.name ?? 'unknown',
    user_id: userId,
    user_name: state.users.get(userId)?.name ?? userId,
    command: DEFAULT_COMMAND,
    text: '',
    api_app_id: identity.appId,
    is_enterprise_install: 'false',
    trigger_id: fields.trigger_id ?? mintTrigger(state),
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) payload[key] = value;
  payload.response_url ??= source.responseUrl({ channel: channelId, user: userId });
  return payload;
}

/** Options of an Events API callback. */
export interface EventCallbackOptions {
  /** `event_id` of the callback (a fresh `Ev…` when omitted); reuse it to play a redelivery. */
  eventId?: string;
  /** `event_time` in epoch seconds (default now). */
  eventTime?: number;
}

/** The Events API callback body wrapping `event`, as Slack delivers it to the emulator's bot. */
export function eventCallbackPayload(
  state: EmulatorState,
  event: Record<string, unknown>,
  opts: EventCallbackOptions = {},
): Record<string, unknown> {
  const { identity } = state;
  return {
    token: EMULATOR_VERIFICATION_TOKEN,
    team_id: identity.teamId,
    context_team_id: identity.teamId,
    context_enterprise_id: null,
    api_app_id: identity.appId,
    event,
    type: 'event_callback',
    event_id: opts.eventId ?? newEventId(),
    event_time: opts.eventTime ?? nowSeconds(),
    authorizations: [
      {
        enterprise_id: null,
        team_id: identity.teamId,
        user_id: identity.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(12).toString('base64url')}`,
  };
}

/**
 * The `app_home_opened` event Slack sends when `user` opens the app's Home (or Messages) tab: the
 * app's DM channel with the user, and the Home view last published for them, if any.
 */
export function appHomeOpenedEvent(
  state: EmulatorState,
  user: string,
  tab: 'home' | 'messages' = 'home',
): Record<string, unknown> {
  const published = [...state.views.values()].find((v) => v.user === user && v.view.type === 'home');
  return {
    type: 'app_home_opened',
    user,
    channel: state.imWith(user).id,
    tab,
    event_ts: `${nowSeconds()}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
    ...(published
      ? { view: { id: published.id, type: 'home', hash: published.hash, ...published.view } }
      : {}),
  };
}

/** Kinds of interactivity payload Slack sends. */
export type InteractionType =
  | 'block_actions'
  | 'view_submission'
  | 'view_closed'
  | 'shortcut'
  | 'message_action'
  | 'block_suggestion';

/** An interactivity payload; sent as given. */
export interface InteractionPayload {
  type: InteractionType;
  [field: string]: unknown;
}

/** The form body Slack posts an interactivity payload in: one field, `payload`, holding its JSON. */
export function interactionBody(payload: InteractionPayload | Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

// ---- interactivity payloads ------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `user` as interactivity payloads carry it. */
function userField(state: EmulatorState, userId: string): Json {
  const name = state.users.get(userId)?.name ?? userId;
  return { id: userId, username: name, name, team_id: state.identity.teamId };
}

/** `team` as interactivity payloads carry it. */
function teamField(state: EmulatorState): Json {
  return { id: state.identity.teamId, domain: state.identity.teamDomain };
}

/** The fields every interactivity payload has. */
function interactionBase(source: PayloadSource, userId: string): Json {
  const { state } = source;
  return {
    token: EMULATOR_VERIFICATION_TOKEN,
    team: teamField(state),
    user: userField(state, userId),
    api_app_id: state.identity.appId,
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** An `action_ts` of now. */
const actionTs = () => (Date.now() / 1000).toFixed(6);

/** Every interactive element of a message's or view's blocks, with the block it is in. */
function elementsOf(blocks: unknown): { element: Json; blockId: string }[] {
  const out: { element: Json; blockId: string }[] = [];
  for (const block of Array.isArray(blocks) ? blocks : []) {
    if (!isObject(block)) continue;
    const blockId = typeof block.block_id === 'string' ? block.block_id : '';
    if (isObject(block.accessory)) out.push({ element: block.accessory, blockId });
    if (isObject(block.element)) out.push({ element: block.element, blockId });
    for (const element of Array.isArray(block.elements) ? block.elements : []) {
      if (isObject(element) && typeof element.action_id === 'string') out.push({ element, blockId });
    }
  }
  return out;
}

/** The options of a select (also in option groups) or of radio buttons and checkboxes. */
function optionsOf(element: Json): Json[] {
  const direct = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.flatMap((g) => (isObject(g) && Array.isArray(g.options) ? g.options : []))
    : [];
  return [...direct, ...grouped].filter(isObject);
}

/** The option of `element` with `value`; throws when the element offers none (the person could not pick it). */
function pickOption(element: Json, value: string): Json {
  const found = optionsOf(element).find((o) => o.value === value);
  if (!found) {
    throw new Error(`${String(element.action_id)} offers no option ${JSON.stringify(value)}`);
  }
  return found;
}

/** What a person does to a message's control: click a button, or pick in a menu. */
export interface BlockActionInput {
  /** Who clicks (default: the first person of the workspace). */
  user?: string;
  channel: string;
  /** The message holding the control, as the workspace shows it (e.g. `emulator.message(channel, ts)`). */
  message: { ts: string; blocks?: unknown[] };
  /** The control's action_id: it must be on the message. */
  actionId: string;
  /** A users_select: who is picked. */
  selectedUser?: string;
  /** A static_select or radio buttons: the value of the option picked (it must be offered). */
  selectedOption?: string;
  /** A datepicker: the date picked. */
  selectedDate?: string;
}

/**
 * A `block_actions` payload for a control on a message, as Slack sends it when a person uses it:
 * the element is looked up on the message (a control that is not there cannot be clicked, and
 * throws), with a fresh trigger_id and a response_url for the channel and person.
 */
export function blockActionsPayload(source: PayloadSource, input: BlockActionInput): InteractionPayload {
  const { state } = source;
  const userId = input.user ?? state.humans()[0]?.id ?? state.identity.botUserId;
  const found = elementsOf(input.message.blocks).find((e) => e.element.action_id === input.actionId);
  if (!found) throw new Error(`The message ${input.message.ts} has no control ${input.actionId}`);
  const { element, blockId } = found;
  const type = String(element.type);
  const action: Json = { type, action_id: input.actionId, block_id: blockId, action_ts: actionTs() };
  if (type === 'button') {
    Object.assign(action, {
      text: element.text,
      ...(element.value !== undefined ? { value: element.value } : {}),
    });
    if (element.style) action.style = element.style;
  } else if (type === 'users_select') {
    if (!input.selectedUser) throw new Error(`${input.actionId} needs selectedUser`);
    action.selected_user = input.selectedUser;
    if (element.initial_user) action.initial_user = element.initial_user;
  } else if (type.endsWith('static_select') || type === 'radio_buttons' || type === 'overflow') {
    if (input.selectedOption === undefined) throw new Error(`${input.actionId} needs selectedOption`);
    action.selected_option = pickOption(element, input.selectedOption);
    if (element.initial_option) action.initial_option = element.initial_option;
  } else if (type === 'datepicker') {
    action.selected_date = input.selectedDate ?? null;
  }
  const channel = state.resolveChannel(input.channel);
  return {
    type: 'block_actions',
    ...interactionBase(source, userId),
    container: {
      type: 'message',
      message_ts: input.message.ts,
      channel_id: input.channel,
      is_ephemeral: false,
    },
    trigger_id: mintTrigger(state),
    channel: { id: input.channel, name: channel?.name ?? 'unknown' },
    message: structuredClone(input.message),
    state: { values: {} },
    response_url: source.responseUrl({ channel: input.channel, user: userId }),
    actions: [action],
  };
}

/** What a person enters in a form: by block_id, a text, an option value, a user id, a date, or ticked values. */
export type FormEntries = Record<string, string | string[] | null>;

/** What a submitted view's state holds for one input element, from what was entered (else its initial value). */
function elementState(element: Json, entered: string | string[] | null | undefined): Json {
  const type = String(element.type);
  const given = entered !== undefined;
  const one = Array.isArray(entered) ? entered[0] : entered;
  switch (type) {
    case 'plain_text_input':
      return { type, value: given ? (one ?? null) : ((element.initial_value as string | undefined) ?? null) };
    case 'users_select':
      return { type, selected_user: given ? (one ?? null) : ((element.initial_user as string) ?? null) };
    case 'datepicker':
      return { type, selected_date: given ? (one ?? null) : ((element.initial_date as string) ?? null) };
    case 'checkboxes':
    case 'multi_static_select': {
      const values = given ? (Array.isArray(entered) ? entered : entered === null ? [] : [entered]) : null;
      return {
        type,
        selected_options:
          values === null
            ? ((element.initial_options as Json[] | undefined) ?? [])
            : values.map((v) => pickOption(element, v)),
      };
    }
    default:
      // static_select, radio_buttons and the other single choices.
      return {
        type,
        selected_option: given
          ? one == null
            ? null
            : pickOption(element, one)
          : ((element.initial_option as Json | undefined) ?? null),
      };
  }
}

/**
 * A `view_submission` payload for a view the app opened (`emulator.views()`), filled in as a
 * person would: `entries` by block_id (each must be an input block of the view, and an option must
 * be offered), every other input as it started (its initial value, or empty).
 */
export function viewSubmissionPayload(
  source: PayloadSource,
  opened: ViewRecord,
  input: { user?: string; entries?: FormEntries },
): InteractionPayload {
  const { state } = source;
  const { identity } = state;
  const userId = input.user ?? state.humans()[0]?.id ?? identity.botUserId;
  const view = opened.view;
  const entries = input.entries ?? {};
  const blocks = (Array.isArray(view.blocks) ? view.blocks : []).filter(isObject);
  const inputs = new Map(blocks.filter((b) => b.type === 'input').map((b) => [String(b.block_id), b]));
  for (const blockId of Object.keys(entries)) {
    if (!inputs.has(blockId)) throw new Error(`The view ${opened.id} has no input block ${blockId}`);
  }
  const values: Record<string, Json> = {};
  for (const [blockId, block] of inputs) {
    const element = block.element as Json;
    values[blockId] = { [String(element.action_id)]: elementState(element, entries[blockId]) };
  }
  return {
    type: 'view_submission',
    ...interactionBase(source, userId),
    trigger_id: mintTrigger(state),
    view: {
      id: opened.id,
      team_id: identity.teamId,
      type: view.type,
      blocks: structuredClone(view.blocks),
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id ?? '',
      state: { values },
      hash: opened.hash,
      title: view.title,
      clear_on_close: false,
      notify_on_close: false,
      close: view.close ?? null,
      submit: view.submit ?? null,
      previous_view_id: opened.previous_view_id,
      root_view_id: opened.root_view_id,
      app_id: identity.appId,
      external_id: opened.external_id ?? '',
      app_installed_team_id: identity.teamId,
      bot_id: identity.botId,
    },
    response_urls: [],
  };
}

/** A global shortcut (`shortcut`) used by `user` (default: the first person). */
export function globalShortcutPayload(
  source: PayloadSource,
  input: { callbackId: string; user?: string },
): InteractionPayload {
  const { state } = source;
  const userId = input.user ?? state.humans()[0]?.id ?? state.identity.botUserId;
  return {
    type: 'shortcut',
    ...interactionBase(source, userId),
    action_ts: actionTs(),
    callback_id: input.callbackId,
    trigger_id: mintTrigger(state),
  };
}

/** A message shortcut (`message_action`) used by `user` on `message` in `channel`. */
export function messageShortcutPayload(
  source: PayloadSource,
  input: { callbackId: string; channel: string; message: { ts: string }; user?: string },
): InteractionPayload {
  const { state } = source;
  const userId = input.user ?? state.humans()[0]?.id ?? state.identity.botUserId;
  const channel = state.resolveChannel(input.channel);
  return {
    type: 'message_action',
    ...interactionBase(source, userId),
    action_ts: actionTs(),
    callback_id: input.callbackId,
    trigger_id: mintTrigger(state),
    channel: { id: input.channel, name: channel?.name ?? 'unknown' },
    response_url: source.responseUrl({ channel: input.channel, user: userId }),
    message_ts: input.message.ts,
    message: structuredClone(input.message),
  };
}

// ---- HTTP -----------------------------------------------------------------------------------------------

/** The app's answer to one request (over Socket Mode: its ack). */
export interface SlackReply {
  /** HTTP status (200 for a Socket Mode ack). */
  status: number;
  /** Raw response body ('' when empty; over Socket Mode the ack's payload as JSON, if any). */
  body: string;
  /** The body parsed as JSON, or null. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the bot's answers
  json: any;
  /** Send to full answer, in milliseconds. */
  ms: number;
  /** Socket Mode only: the envelope the ack answered. */
  envelopeId?: string;
}

/** Options of {@link SignedHttpSender}. */
export interface SignedHttpOptions {
  /** Where the app takes Slack's requests, e.g. `http://127.0.0.1:3000/slack/events`. */
  url: string;
  signingSecret: string;
  /**
   * Reuse connections (for benchmarks): `true`, or the number of sockets to keep (default 8). Without it
   * every request has its own connection, closed after the answer.
   */
  keepAlive?: boolean | number;
}

/** Parses a body as JSON; null when it is empty or not JSON. */
function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** POSTs bodies to an app, signed as Slack signs them. */
export class SignedHttpSender {
  private readonly target: URL;
  private readonly agent: http.Agent;

  constructor(private readonly opts: SignedHttpOptions) {
    this.target = new URL(opts.url);
    const sockets = typeof opts.keepAlive === 'number' ? opts.keepAlive : 8;
    this.agent = opts.keepAlive
      ? new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets })
      : new http.Agent({ keepAlive: false });
  }

  /** POSTs `body`, signed at send time; resolves once the answer is read completely. */
  post(body: string, contentType: string, signing: SigningOptions = {}): Promise<SlackReply> {
    const headers = {
      'content-type': contentType,
      'content-length': String(Buffer.byteLength(body)),
      ...signingHeaders(this.opts.signingSecret, body, signing),
      ...signing.headers,
    };
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.request(
        {
          agent: this.agent,
          hostname: this.target.hostname,
          port: this.target.port,
          path: `${this.target.pathname}${this.target.search}`,
          method: 'POST',
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              body: text,
              json: parseJson(text),
              ms: performance.now() - started,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Closes kept connections. */
  close(): void {
    this.agent.destroy();
  }
}

// ---- the client -----------------------------------------------------------------------------------------

/** Options of {@link SlackRequestClient}. */
export interface SlackRequestClientOptions {
  /** The emulator playing Slack: its workspace fills the payloads and mints response_urls. */
  emulator: SlackEmulator;
  /** Send over HTTP to this app; without it, over the emulator's Socket Mode connection. */
  http?: SignedHttpOptions;
  /** Socket Mode: reject when the app has not acked after this long (default 5000 ms). */
  ackTimeoutMs?: number;
}

/** Options of {@link SlackRequestClient.event}. */
export interface EventOptions extends EventCallbackOptions {
  /** Deliver as Slack's retry number `retryNum` (HTTP: `X-Slack-Retry-Num`; Socket Mode: `retry_attempt`). */
  retryNum?: number;
  /** Reason of the retry (default `http_timeout` over HTTP, `timeout` over Socket Mode). */
  retryReason?: string;
  /** HTTP only: how to sign the request. */
  signing?: SigningOptions;
}

/** A slash command's reply, with the response_url and trigger_id it was sent with. */
export interface SlashReply extends SlackReply {
  responseUrl: string;
  triggerId: string;
}

/** Turns a Socket Mode ack into a reply. */
function ackReply(ack: SocketAck, started: number): SlackReply {
  const body = ack.payload === undefined ? '' : JSON.stringify(ack.payload);
  return {
    status: 200,
    body,
    json: ack.payload ?? null,
    ms: performance.now() - started,
    envelopeId: ack.envelope_id,
  };
}

/**
 * Sends a bot what Slack sends it, over signed HTTP or the emulator's Socket Mode. Every method resolves
 * with the app's answer (its HTTP response or its ack); HTTP answers are returned whatever their status.
 */
export class SlackRequestClient {
  private readonly sender: SignedHttpSender | null;
  private readonly source: PayloadSource;

  constructor(private readonly opts: SlackRequestClientOptions) {
    this.sender = opts.http ? new SignedHttpSender(opts.http) : null;
    const { emulator } = opts;
    this.source = {
      state: emulator.state,
      responseUrl: (target) => emulator.responseUrl(target),
      defaultChannel: SEEDED_CHANNELS.general,
    };
  }

  /** `'http'` or `'socket'`. */
  get transport(): 'http' | 'socket' {
    return this.sender ? 'http' : 'socket';
  }

  /** HTTP only: POSTs a raw body, signed (or mis-signed) as `signing` says. */
  post(body: string, contentType: string, signing: SigningOptions = {}): Promise<SlackReply> {
    if (!this.sender) return Promise.reject(new Error('SlackRequestClient.post needs the HTTP transport'));
    return this.sender.post(body, contentType, signing);
  }

  /**
   * A slash command (`/incident` unless `fields.command` says otherwise); see {@link SlashCommandFields}.
   * `signing` applies over HTTP only.
   */
  async slashCommand(fields: SlashCommandFields = {}, signing: SigningOptions = {}): Promise<SlashReply> {
    const payload = slashCommandPayload(this.source, fields);
    const urls = { responseUrl: payload.response_url ?? '', triggerId: payload.trigger_id ?? '' };
    if (this.sender) {
      const body = new URLSearchParams(payload).toString();
      return { ...(await this.sender.post(body, 'application/x-www-form-urlencoded', signing)), ...urls };
    }
    const started = performance.now();
    const ack = await this.opts.emulator.socketSendSlashCommand(payload, this.timeout());
    return { ...ackReply(ack, started), ...urls };
  }

  /** An Events API callback wrapping `event` (optionally as a redelivery). */
  async event(event: Record<string, unknown>, opts: EventOptions = {}): Promise<SlackReply> {
    if (this.sender) {
      const payload = eventCallbackPayload(this.opts.emulator.state, event, opts);
      const retry: Record<string, string> =
        opts.retryNum === undefined
          ? {}
          : {
              'x-slack-retry-num': String(opts.retryNum),
              'x-slack-retry-reason': opts.retryReason ?? 'http_timeout',
            };
      const signing = { ...opts.signing, headers: { ...retry, ...opts.signing?.headers } };
      return this.sender.post(JSON.stringify(payload), 'application/json', signing);
    }
    const started = performance.now();
    const ack = await this.opts.emulator.socketSendEvent(event, {
      ...(opts.eventId === undefined ? {} : { eventId: opts.eventId }),
      ...(opts.eventTime === undefined ? {} : { eventTime: opts.eventTime }),
      retryAttempt: opts.retryNum ?? 0,
      retryReason: opts.retryNum === undefined ? '' : (opts.retryReason ?? 'timeout'),
      ...this.timeout(),
    });
    return ackReply(ack, started);
  }

  /** `user` opens the app's Home tab (or Messages tab): an `app_home_opened` event ({@link appHomeOpenedEvent}). */
  openHome(user: string, opts: EventOptions & { tab?: 'home' | 'messages' } = {}): Promise<SlackReply> {
    const { tab, ...eventOpts } = opts;
    return this.event(appHomeOpenedEvent(this.opts.emulator.state, user, tab), eventOpts);
  }

  /** An interactivity payload (block_actions, view_submission, shortcut, …), sent as given; `signing`: HTTP only. */
  async interaction(payload: InteractionPayload, signing: SigningOptions = {}): Promise<SlackReply> {
    if (this.sender) {
      return this.sender.post(interactionBody(payload), 'application/x-www-form-urlencoded', signing);
    }
    const started = performance.now();
    const ack = await this.opts.emulator.socketSendInteractive(payload, this.timeout());
    return ackReply(ack, started);
  }

  /** A person uses a control on a message (see {@link blockActionsPayload}). */
  blockAction(input: BlockActionInput, signing: SigningOptions = {}): Promise<SlackReply> {
    return this.interaction(blockActionsPayload(this.source, input), signing);
  }

  /** A person submits a view the app opened (see {@link viewSubmissionPayload}). */
  submitView(
    opened: ViewRecord,
    input: { user?: string; entries?: FormEntries } = {},
    signing: SigningOptions = {},
  ): Promise<SlackReply> {
    return this.interaction(viewSubmissionPayload(this.source, opened, input), signing);
  }

  /** A person uses a global shortcut. */
  globalShortcut(callbackId: string, user?: string, signing: SigningOptions = {}): Promise<SlackReply> {
    return this.interaction(
      globalShortcutPayload(this.source, { callbackId, ...(user ? { user } : {}) }),
      signing,
    );
  }

  /** A person uses a message shortcut on a message. */
  messageShortcut(
    input: {
      callbackId: string;
      channel: string;
      message: { ts: string };
      user?: string;
    },
    signing: SigningOptions = {},
  ): Promise<SlackReply> {
    return this.interaction(messageShortcutPayload(this.source, input), signing);
  }

  /** Closes kept HTTP connections. */
  close(): void {
    this.sender?.close();
  }

  private timeout(): { timeoutMs?: number } {
    return this.opts.ackTimeoutMs === undefined ? {} : { timeoutMs: this.opts.ackTimeoutMs };
  }
}
