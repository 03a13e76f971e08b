import {
  type App,
  type Logger,
  type ReceiverEvent,
  SocketModeReceiver,
  type SocketModeReceiverOptions,
} from '@slack/bolt';
import { NO_RECEIVER_METRICS, type ReceiverMetrics, secondsSince } from '../metrics/port';
import { guardProcessEvent, withProcessEvent } from './boundary/guard';

/**
 * Socket Mode with the same promise as HTTP mode's `processBeforeResponse`: the acknowledgement
 * (with any reply a listener gave to ack()) goes back over the socket only after every listener
 * has finished, so an event is acknowledged only once it is stored. A listener that fails leaves
 * the envelope unacknowledged and Slack delivers it again. Malformed and unmatched envelopes are
 * acknowledged at once by the boundary guard (./boundary/guard).
 */
export class AckAfterProcessingReceiver extends SocketModeReceiver {
  private log: Logger | null = null;
  private readonly metrics: ReceiverMetrics;

  /** Bolt's options plus `metrics`: the port requests, malformed envelopes and ack latency are reported to. */
  constructor(options: SocketModeReceiverOptions & { metrics?: ReceiverMetrics }) {
    super(options);
    this.metrics = options.metrics ?? NO_RECEIVER_METRICS;
    screenSocketMessages(this.client, (line, fields) => this.log?.warn(line, fields), this.metrics);
  }

  override init(app: App): void {
    this.log = app.logger;
    const guarded = guardProcessEvent(app, () => app.logger, this.metrics);
    const processEvent = async (event: ReceiverEvent) => {
      const start = performance.now();
      let acked: { response: unknown } | null = null;
      await guarded({
        ...event,
        ack: async (response?: unknown) => {
          acked = { response };
        },
      });
      const held = acked as { response: unknown } | null;
      if (held) {
        await event.ack(held.response as never);
        this.metrics.acked(event.body, secondsSince(start));
      }
    };
    super.init(withProcessEvent(app, processEvent));
  }

  /** Waits until the socket is really closed (Bolt's stop does not). */
  override async stop(): Promise<void> {
    await Promise.all([this.client.disconnect(), super.stop()]);
  }
}

/**
 * The Socket Mode client's logger with its "Failed to retrieve a new WSS URL" errors demoted to
 * debug: our supervisor (./connection) reports each failed attempt itself, as one warning, and a
 * refused app token as the one line naming SLACK_APP_TOKEN.
 */
export function supervisedClientLogger(base: Logger): Logger {
  return {
    debug: (...msg) => base.debug(...msg),
    info: (...msg) => base.info(...msg),
    warn: (...msg) => base.warn(...msg),
    error: (...msg) =>
      String(msg[0]).startsWith('Failed to retrieve a new WSS URL') ? base.debug(...msg) : base.error(...msg),
    setLevel: (level) => base.setLevel(level),
    getLevel: () => base.getLevel(),
    setName: (name) => base.setName(name),
  };
}

type SocketClient = SocketModeReceiver['client'];
type MessageHandler = (data: unknown, isBinary: boolean) => unknown;

/**
 * Why the Socket Mode client itself would throw on this WebSocket message (it reads `message.type`
 * and, for events, `payload.event.type`, in a handler nobody awaits), or null when it is fine.
 */
function unreadableEnvelope(data: unknown): { reason: string; envelopeId: string | null } | null {
  let message: unknown;
  try {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data as ArrayBuffer);
    message = JSON.parse(text);
  } catch {
    return null; // the client ignores what is not JSON
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    return { reason: 'a Socket Mode message that is not a JSON object', envelopeId: null };
  }
  const { type, envelope_id: id, payload } = message as Record<string, unknown>;
  if (type !== 'events_api') return null;
  const event = (payload as { event?: unknown } | null)?.event;
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(payload) && isObject(event)) return null;
  return {
    reason: `events_api envelope: ${isObject(payload) ? 'payload.event' : 'payload'} is not an object`,
    envelopeId: typeof id === 'string' ? id : null,
  };
}

/**
 * Puts a screen in front of the client's own WebSocket message handler: a message it would throw
 * on is acknowledged (when it has an envelope id) and ignored with one warning, and a failure of
 * the handler is a warning rather than an unhandled rejection.
 */
function screenSocketMessages(
  client: SocketClient,
  warn: (line: string, fields: Record<string, unknown>) => void,
  metrics: ReceiverMetrics,
): void {
  const handlers = client.listeners('ws_message') as MessageHandler[];
  client.removeAllListeners('ws_message');
  client.on('ws_message', (data: unknown, isBinary: boolean) => {
    const problem = isBinary ? null : unreadableEnvelope(data);
    if (problem) {
      warn(`Ignored a malformed Slack request: ${problem.reason}`, {
        problem: problem.reason,
        envelopeId: problem.envelopeId,
      });
      metrics.malformed(null);
      // The client's own ack path (`send`, private in its types but what every ack goes through).
      const send = (client as unknown as { send(id: string): Promise<void> }).send.bind(client);
      if (problem.envelopeId) send(problem.envelopeId).catch(() => undefined);
      return;
    }
    for (const handler of handlers) {
      Promise.resolve()
        .then(() => handler.call(client, data, isBinary))
        .catch((error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          warn(`A Socket Mode message failed: ${reason}`, { reason });
        });
    }
  });
}
