/**
 * Socket Mode for the emulator: `apps.connections.open` hands out single-use WebSocket URLs on the emulator's
 * own HTTP server, the WebSocket endpoint greets each app with Slack's `hello`, and tests push envelopes
 * (`events_api`, `slash_commands`, `interactive`) to the connected app and get its ack back. The envelopes'
 * payloads are built by the signed request client's builders (`client.ts`), and that client's Socket Mode
 * transport sends through here.
 *
 * The WebSocket side is a small RFC 6455 server (handshake, masked client frames, fragmentation, ping/pong and
 * the close handshake) written on `node:http`'s `upgrade` event, so the emulator needs no extra dependency.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ok } from './api-common';
import {
  EMULATOR_VERIFICATION_TOKEN,
  eventCallbackPayload,
  type PayloadSource,
  type SlashCommandFields,
  slashCommandPayload,
} from './client';
import type { ApiResponse } from './types';

export type { SlashCommandFields } from './client';

/** The Web API method that opens a Socket Mode connection. */
export const APPS_CONNECTIONS_OPEN = 'apps.connections.open';

/** Path of the WebSocket endpoint on the emulator's HTTP server. */
export const SOCKET_PATH = '/socket';

/** The `token` field Slack puts in payloads (the legacy verification token). */
export const SOCKET_VERIFICATION_TOKEN = EMULATOR_VERIFICATION_TOKEN;

const DEFAULT_ACK_TIMEOUT_MS = 5000;
/** Larger messages are refused with close code 1009, as a real server would. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** How long a closing connection may take to answer our close frame before it is cut. */
const CLOSE_GRACE_MS = 500;
/** The GUID RFC 6455 appends to the client's key to prove the handshake. */
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const HOST = 'applink-emulator';

const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Envelope types Slack sends over a Socket Mode connection. */
export type SocketEnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

/** One envelope as Slack sends it over the socket. */
export interface SocketEnvelope {
  envelope_id: string;
  type: SocketEnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  /** events_api only: 0 on the first delivery. */
  retry_attempt?: number;
  /** events_api only: empty on the first delivery, e.g. `timeout` on a retry. */
  retry_reason?: string;
}

/** What the app sent back for an envelope. */
export interface SocketAck {
  envelope_id: string;
  /** The response payload, when the app sent one (Bolt always sends an object, possibly empty). */
  payload?: Record<string, unknown>;
}

/** Options shared by every envelope sent to the app. */
export interface SocketSendOptions {
  /** Reject when the app has not acked after this long (default 5000 ms). */
  timeoutMs?: number;
}

/** Options of {@link SocketModeServer.sendEvent}. */
export interface SocketEventOptions extends SocketSendOptions {
  /** `event_id` of the callback (a fresh `Ev…` when omitted); reuse it to play a redelivery. */
  eventId?: string;
  /** `event_time` in epoch seconds (default now). */
  eventTime?: number;
  /** `retry_attempt` of the envelope (default 0). */
  retryAttempt?: number;
  /** `retry_reason` of the envelope (default empty; Slack uses e.g. `timeout`). */
  retryReason?: string;
}

/** Options of {@link SocketModeServer.sendInteractive}. */
export interface SocketInteractiveOptions extends SocketSendOptions {
  /** `accepts_response_payload` of the envelope (default true, as Slack sends for interactivity). */
  acceptsResponsePayload?: boolean;
}

/** What the Socket Mode server needs from the emulator that hosts it. */
export interface SocketModeHost extends PayloadSource {
  /** `http://127.0.0.1:PORT` of the emulator (known once it listens). */
  origin: () => string;
}

interface PendingAck {
  connection: WebSocketConnection;
  resolve: (ack: SocketAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  label: string;
}

/** The Socket Mode side of the emulator; {@link SlackEmulator} exposes it as `socket…` methods. */
export class SocketModeServer {
  private readonly tickets = new Set<string>();
  private readonly connections: WebSocketConnection[] = [];
  private readonly pending = new Map<string, PendingAck>();
  private readonly startedAt = new Date().toISOString().replace('T', ' ').slice(0, 23);
  private rotation = 0;

  constructor(private readonly host: SocketModeHost) {}

  /** Open connections. */
  get connectionCount(): number {
    return this.connections.length;
  }

  /**
   * Answers `apps.connections.open`: needs an app-level token (`xapp-…`); returns a single-use WebSocket URL.
   */
  open(token: string | undefined): ApiResponse {
    if (!token) return { ok: false, error: 'not_authed' };
    if (!token.startsWith('xapp-')) {
      return { ok: false, error: /^xox[bpa]-/.test(token) ? 'not_allowed_token_type' : 'invalid_auth' };
    }
    const ticket = randomUUID();
    this.tickets.add(ticket);
    const base = this.host.origin().replace(/^http/, 'ws');
    const query = new URLSearchParams({ ticket, app_id: this.host.state.identity.appId });
    return ok({ url: `${base}${SOCKET_PATH}?${query.toString()}` });
  }

  /** Handles an HTTP upgrade: accepts WebSocket handshakes to {@link SOCKET_PATH} with a fresh ticket. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (url.pathname !== SOCKET_PATH) {
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    const key = req.headers['sec-websocket-key'];
    const isWebSocket =
      req.method === 'GET' &&
      String(req.headers.upgrade ?? '').toLowerCase() === 'websocket' &&
      req.headers['sec-websocket-version'] === '13' &&
      typeof key === 'string' &&
      key.length > 0;
    if (!isWebSocket) {
      refuseUpgrade(socket, 400, 'Bad Request');
      return;
    }
    const ticket = url.searchParams.get('ticket') ?? '';
    // Tickets are single use: a reconnecting app calls apps.connections.open again.
    if (!this.tickets.delete(ticket)) {
      refuseUpgrade(socket, 401, 'Unauthorized');
      return;
    }
    const accept = createHash('sha1').update(`${key}${HANDSHAKE_GUID}`).digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\n' +
        'Upgrade: websocket\r\n' +
        'Connection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const connection = new WebSocketConnection(socket, {
      message: (text) => this.onMessage(text),
      closed: () => this.onClosed(connection),
    });
    this.connections.push(connection);
    connection.sendText(
      JSON.stringify({
        type: 'hello',
        num_connections: this.connections.length,
        debug_info: {
          host: HOST,
          started: this.startedAt,
          build_number: 1,
          approximate_connection_time: 18060,
        },
        connection_info: { app_id: this.host.state.identity.appId },
      }),
    );
    if (head.length > 0) connection.receive(head);
  }

  /** Sends an `events_api` envelope whose payload is the Events API callback body wrapping `event`. */
  sendEvent(event: Record<string, unknown>, opts: SocketEventOptions = {}): Promise<SocketAck> {
    const payload = eventCallbackPayload(this.host.state, event, opts);
    return this.deliver(
      {
        envelope_id: randomUUID(),
        type: 'events_api',
        payload,
        accepts_response_payload: false,
        retry_attempt: opts.retryAttempt ?? 0,
        retry_reason: opts.retryReason ?? '',
      },
      `events_api envelope (${String(event.type)} event ${String(payload.event_id)})`,
      opts.timeoutMs,
    );
  }

  /** Sends a `slash_commands` envelope; see {@link SlashCommandFields} for the defaults filled in. */
  sendSlashCommand(fields: SlashCommandFields, opts: SocketSendOptions = {}): Promise<SocketAck> {
    const payload = slashCommandPayload(this.host, fields);
    return this.deliver(
      { envelope_id: randomUUID(), type: 'slash_commands', payload, accepts_response_payload: true },
      `slash_commands envelope (${payload.command} ${fields.text ?? ''})`.trim(),
      opts.timeoutMs,
    );
  }

  /** Sends an `interactive` envelope carrying `payload` as given (block_actions, view_submission, …). */
  sendInteractive(payload: Record<string, unknown>, opts: SocketInteractiveOptions = {}): Promise<SocketAck> {
    return this.deliver(
      {
        envelope_id: randomUUID(),
        type: 'interactive',
        payload,
        accepts_response_payload: opts.acceptsResponsePayload ?? true,
      },
      `interactive envelope (${String(payload.type)})`,
      opts.timeoutMs,
    );
  }

  /**
   * Sends an envelope of `type` whose payload is anything at all (`null`, a string, an event that is
   * not an object…): hostile-input tests. Resolves with the app's ack like the other senders.
   */
  sendMalformed(
    type: SocketEnvelopeType,
    payload: unknown,
    opts: SocketSendOptions = {},
  ): Promise<SocketAck> {
    return this.deliver(
      { envelope_id: randomUUID(), type, payload: payload as never, accepts_response_payload: false },
      `malformed ${type} envelope`,
      opts.timeoutMs,
    );
  }

  /**
   * Sends Slack's `disconnect` message (`refresh_requested`, `warning`, `link_disabled`) to every connection;
   * a Socket Mode client then closes and reconnects. Returns how many connections were told.
   */
  disconnect(reason = 'refresh_requested'): number {
    const message = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: HOST } });
    for (const connection of this.connections) connection.sendText(message);
    return this.connections.length;
  }

  /** Closes every connection (close code 1001), rejects pending acks and forgets unused tickets. */
  close(): void {
    this.tickets.clear();
    for (const connection of [...this.connections]) connection.close(1001, 'emulator stopping');
    for (const [id, pending] of [...this.pending]) {
      this.settle(id);
      pending.reject(new Error(`SlackEmulator stopped before the ack of the ${pending.label}`));
    }
  }

  private deliver(
    envelope: SocketEnvelope,
    label: string,
    timeoutMs = DEFAULT_ACK_TIMEOUT_MS,
  ): Promise<SocketAck> {
    const connection = this.pick();
    if (!connection) {
      return Promise.reject(
        new Error(`SlackEmulator: no Socket Mode connection to send the ${label} to (is the app started?)`),
      );
    }
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(envelope.envelope_id);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for the ack of the ${label}`));
      }, timeoutMs);
      this.pending.set(envelope.envelope_id, { connection, resolve, reject, timer, label });
      connection.sendText(JSON.stringify(envelope));
    });
  }

  /** Slack spreads envelopes over an app's connections; round robin is one fair reading of that. */
  private pick(): WebSocketConnection | undefined {
    if (this.connections.length === 0) return undefined;
    this.rotation = (this.rotation + 1) % this.connections.length;
    return this.connections[this.rotation];
  }

  private settle(envelopeId: string): PendingAck | undefined {
    const pending = this.pending.get(envelopeId);
    if (!pending) return undefined;
    clearTimeout(pending.timer);
    this.pending.delete(envelopeId);
    return pending;
  }

  private onMessage(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return; // Slack ignores what it cannot parse.
    }
    if (typeof message !== 'object' || message === null) return;
    const { envelope_id: envelopeId, payload } = message as { envelope_id?: unknown; payload?: unknown };
    if (typeof envelopeId !== 'string') return;
    // Acks for unknown or already settled envelopes (duplicates, late acks) are dropped, as Slack does.
    const pending = this.settle(envelopeId);
    if (!pending) return;
    const isObject = typeof payload === 'object' && payload !== null && !Array.isArray(payload);
    pending.resolve({
      envelope_id: envelopeId,
      ...(isObject ? { payload: payload as Record<string, unknown> } : {}),
    });
  }

  private onClosed(connection: WebSocketConnection): void {
    const index = this.connections.indexOf(connection);
    if (index !== -1) this.connections.splice(index, 1);
    for (const [id, pending] of [...this.pending]) {
      if (pending.connection !== connection) continue;
      this.settle(id);
      pending.reject(new Error(`The Socket Mode connection closed before the ack of the ${pending.label}`));
    }
  }
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Encodes one unfragmented server frame (servers never mask). */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const extra = length < 126 ? 0 : length <= 0xffff ? 2 : 8;
  const header = Buffer.alloc(2 + extra);
  header[0] = 0x80 | opcode;
  if (extra === 0) header[1] = length;
  else if (extra === 2) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

function closePayload(code: number, reason = ''): Buffer {
  const body = Buffer.alloc(2 + Buffer.byteLength(reason));
  body.writeUInt16BE(code, 0);
  body.write(reason, 2);
  return body;
}

interface ConnectionEvents {
  message: (text: string) => void;
  closed: () => void;
}

/** One server-side WebSocket: frame decoding, text messages, ping/pong and the close handshake. */
class WebSocketConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentOpcode: number | null = null;
  private fragmentBytes = 0;
  private closeSent = false;
  private done = false;

  constructor(
    private readonly socket: Duplex,
    private readonly events: ConnectionEvents,
  ) {
    if ('setNoDelay' in socket && typeof socket.setNoDelay === 'function') socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.finish());
    socket.on('end', () => socket.end());
  }

  /** Sends a text message (ignored once closing). */
  sendText(text: string): void {
    if (this.closeSent || this.done) return;
    this.socket.write(encodeFrame(OPCODE.text, Buffer.from(text, 'utf8')));
  }

  /** Starts the close handshake; the socket is cut if the peer does not answer in time. */
  close(code: number, reason = ''): void {
    if (this.done) return;
    if (!this.closeSent) {
      this.closeSent = true;
      this.socket.write(encodeFrame(OPCODE.close, closePayload(code, reason)));
    }
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  /** Feeds bytes read from the socket. */
  receive(chunk: Buffer): void {
    if (this.done) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (!this.done && this.readFrame()) {
      // Each successful read consumed one frame.
    }
  }

  /** Decodes one frame from the buffer; false when more bytes are needed (or the connection failed). */
  private readFrame(): boolean {
    const buffer = this.buffer;
    if (buffer.length < 2) return false;
    const first = buffer[0] ?? 0;
    const second = buffer[1] ?? 0;
    const fin = (first & 0x80) !== 0;
    const opcode = first & 0x0f;
    let length = second & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buffer.length < 4) return false;
      length = buffer.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buffer.length < 10) return false;
      const big = buffer.readBigUInt64BE(2);
      if (big > BigInt(MAX_MESSAGE_BYTES)) return this.fail(1009, 'message too big');
      length = Number(big);
      offset = 10;
    }
    // No extension was negotiated, so the reserved bits must be clear; clients must mask every frame.
    if ((first & 0x70) !== 0) return this.fail(1002, 'reserved bits set');
    if ((second & 0x80) === 0) return this.fail(1002, 'client frames must be masked');
    if (buffer.length < offset + 4 + length) return false;
    const mask = buffer.subarray(offset, offset + 4);
    const data = Buffer.from(buffer.subarray(offset + 4, offset + 4 + length));
    for (let i = 0; i < data.length; i++) data[i] = (data[i] ?? 0) ^ (mask[i & 3] ?? 0);
    this.buffer = buffer.subarray(offset + 4 + length);
    this.onFrame(fin, opcode, data);
    return true;
  }

  private onFrame(fin: boolean, opcode: number, data: Buffer): void {
    if (opcode >= OPCODE.close) {
      if (!fin || data.length > 125) {
        this.fail(1002, 'invalid control frame');
        return;
      }
      if (opcode === OPCODE.ping) this.socket.write(encodeFrame(OPCODE.pong, data));
      else if (opcode === OPCODE.close) this.onClose(data);
      return;
    }
    if (opcode === OPCODE.continuation) {
      if (this.fragmentOpcode === null) {
        this.fail(1002, 'unexpected continuation frame');
        return;
      }
    } else if (opcode === OPCODE.text || opcode === OPCODE.binary) {
      if (this.fragmentOpcode !== null) {
        this.fail(1002, 'expected a continuation frame');
        return;
      }
      this.fragmentOpcode = opcode;
    } else {
      this.fail(1002, 'unknown opcode');
      return;
    }
    this.fragments.push(data);
    this.fragmentBytes += data.length;
    if (this.fragmentBytes > MAX_MESSAGE_BYTES) {
      this.fail(1009, 'message too big');
      return;
    }
    if (!fin) return;
    const message = Buffer.concat(this.fragments);
    const isText = this.fragmentOpcode === OPCODE.text;
    this.fragments = [];
    this.fragmentBytes = 0;
    this.fragmentOpcode = null;
    // Slack speaks JSON text; binary messages are ignored.
    if (isText) this.events.message(message.toString('utf8'));
  }

  /** The peer sent a close frame: answer it (unless we started) and end the TCP connection. */
  private onClose(data: Buffer): void {
    if (!this.closeSent) {
      this.closeSent = true;
      const code = data.length >= 2 ? data.readUInt16BE(0) : null;
      this.socket.write(encodeFrame(OPCODE.close, code === null ? Buffer.alloc(0) : closePayload(code)));
    }
    this.socket.end();
    this.finish();
  }

  private fail(code: number, reason: string): false {
    this.close(code, reason);
    this.finish();
    return false;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.buffer = Buffer.alloc(0);
    this.events.closed();
  }
}
