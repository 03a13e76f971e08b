/**
 * The boundary between Slack's requests and Bolt: hostile or malformed input is answered and
 * ignored here, with one warning line, before Bolt or a listener can trip over it.
 *
 * - {@link guardProcessEvent} wraps `App#processEvent` (both receivers call it): a payload that fails
 *   the schemas of ./schemas is acknowledged and ignored; a request no listener acknowledged (an
 *   unknown action, view, shortcut, options request or slash command) is acknowledged at once.
 * - {@link GuardedHTTPReceiver} is Bolt's HTTP receiver plus: signed requests stamped more than five
 *   minutes from now (future as well as stale) are refused with 401, and a signed body that is not a
 *   JSON object (`null`, a number, an array, `payload=null`) gets an empty 200 instead of crashing
 *   Bolt's request handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type App,
  HTTPModuleFunctions,
  HTTPReceiver,
  type HTTPReceiverOptions,
  isValidSlackRequest,
  type Logger,
  type ReceiverEvent,
} from '@slack/bolt';
import { NO_RECEIVER_METRICS, type ReceiverMetrics, secondsSince } from '../../metrics/port';
import { problemWith } from './schemas';

/** How far a request's timestamp may be from our clock, either way (Slack's own rule is 5 minutes). */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

type ProcessEvent = (event: ReceiverEvent) => Promise<void>;

/** The acknowledgement of a request nothing else answered: block_suggestion wants an options list. */
export function emptyAnswer(body: unknown): { options: [] } | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  return record.type === 'block_suggestion' || record.name !== undefined ? { options: [] } : undefined;
}

/**
 * `processEvent` with the boundary in front of it. A listener that throws still makes it reject
 * (nothing is acknowledged), so a write that failed is delivered again by Slack.
 */
export function guardProcessEvent(
  app: App,
  logger: () => Logger,
  metrics: ReceiverMetrics = NO_RECEIVER_METRICS,
): ProcessEvent {
  return async (event) => {
    const problem = problemWith(event.body);
    if (problem) {
      // The message names the problem for a person; `problem` is the same for a query.
      logger().warn(`Ignored a malformed Slack request: ${problem}`, { problem });
      metrics.malformed(event.body);
      await event.ack(emptyAnswer(event.body));
      return;
    }
    let acked = false;
    await metrics.processing(event.body, () =>
      app.processEvent({
        ...event,
        ack: async (response?: unknown) => {
          acked = true;
          await event.ack(response);
        },
      }),
    );
    // Nothing matched: answer now rather than let Slack wait 3 s and show the user an error.
    if (!acked) await event.ack(emptyAnswer(event.body));
  };
}

/** `app` with its `processEvent` replaced, for a receiver's `init`. */
export function withProcessEvent(app: App, processEvent: ProcessEvent): App {
  return new Proxy(app, {
    get: (target, prop) => (prop === 'processEvent' ? processEvent : Reflect.get(target, prop)),
  });
}

/** Answers unless an answer already went out. */
function answer(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}

/**
 * Bolt's HTTP receiver with the boundary of this module; takes Bolt's options plus `metrics`, the
 * port it reports requests, malformed input and ack latency to (the time from the start of processing
 * to the acknowledgement, which processBeforeResponse sends once processing is done).
 */
export class GuardedHTTPReceiver extends HTTPReceiver {
  private log: Logger | null = null;
  private readonly metrics: ReceiverMetrics;

  constructor(options: HTTPReceiverOptions & { metrics?: ReceiverMetrics }) {
    super(options);
    this.metrics = options.metrics ?? NO_RECEIVER_METRICS;
    const endpoints = [options.endpoints ?? '/slack/events'].flat();
    const bodyLimit = options.bodyLimit ?? HTTPModuleFunctions.defaultBodyLimit;
    const inner = this.requestListener;
    this.requestListener = (req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method !== 'POST' || !endpoints.includes(path)) {
        inner(req, res);
        return;
      }
      const stamp = Number(req.headers['x-slack-request-timestamp']);
      if (Number.isFinite(stamp) && Math.abs(Date.now() / 1000 - stamp) > MAX_CLOCK_SKEW_SECONDS) {
        this.warn(
          `Refused a Slack request stamped more than ${MAX_CLOCK_SKEW_SECONDS / 60} minutes from now`,
          { requestTimestamp: stamp },
        );
        req.resume();
        answer(res, 401);
        return;
      }
      this.screen(req, res, options.signingSecret, bodyLimit, stamp).then(
        (handled) => {
          if (!handled) inner(req, res);
        },
        (error: unknown) => {
          const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && error.statusCode === 413;
          const reason = error instanceof Error ? error.message : String(error);
          this.warn(`Could not read a Slack request: ${reason}`, { reason });
          answer(res, tooLarge ? 413 : 400);
        },
      );
    };
  }

  override init(app: App): void {
    this.log = app.logger;
    const guarded = guardProcessEvent(app, () => app.logger, this.metrics);
    super.init(
      withProcessEvent(app, async (event) => {
        const start = performance.now();
        await guarded(event);
        this.metrics.acked(event.body, secondsSince(start));
      }),
    );
  }

  private warn(line: string, fields: Record<string, unknown>): void {
    this.log?.warn(line, fields);
  }

  /**
   * Reads the body (Bolt reuses what was read) and answers a signed one that is not a JSON object.
   * @returns whether the request was answered here
   */
  private async screen(
    req: IncomingMessage,
    res: ServerResponse,
    signingSecret: string,
    bodyLimit: number | string,
    stamp: number,
  ): Promise<boolean> {
    const buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, bodyLimit);
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      return false; // not JSON at all: Bolt answers 400
    }
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) return false;
    const signed = isValidSlackRequest({
      signingSecret,
      body: buffered.rawBody.toString(),
      headers: {
        'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''),
        'x-slack-request-timestamp': stamp,
      },
    });
    if (!signed) return false; // Bolt refuses it (401)
    const problem = problemWith(body);
    this.warn(`Ignored a malformed Slack request: ${problem}`, { problem });
    this.metrics.malformed(body);
    answer(res, 200);
    return true;
  }
}
