/**
 * What the rest of Firewatch may tell the metrics (./registry): plain calls, no prom-client types,
 * so the services and the Slack boundary stay free of the metrics library. Every label value is
 * chosen here from a fixed list: no user text, no incident or channel ids.
 */

/** What became of one Events API event that reached a listener. */
export type EventOutcome = 'stored' | 'deduplicated' | 'ignored';

/**
 * Why an event was ignored: `malformed` (the boundary refused it), `self` (the bot's own message),
 * `not_incident` (not an incident channel), `noise` (a subtype or reaction we do not capture),
 * `unhandled` (no listener took it).
 */
export type IgnoredReason = 'malformed' | 'self' | 'not_incident' | 'noise' | 'unhandled';

/** What the Slack boundary (./slack/boundary/guard, ./slack/socket-receiver) reports. */
export interface ReceiverMetrics {
  /**
   * Runs the processing of one request that passed the boundary (counting it as received; for
   * events, what the listeners made of it is tallied while `process` runs).
   */
  processing(body: unknown, process: () => Promise<void>): Promise<void>;
  /** A request the boundary refused as malformed (`body` may be anything, or null when unreadable). */
  malformed(body: unknown): void;
  /** The receiver acknowledged a request `seconds` after it started processing it. */
  acked(body: unknown, seconds: number): void;
}

/** What the capture service reports about the event it is handling (outside an event: ignored). */
export type CaptureOutcome = (
  outcome: EventOutcome,
  reason?: Exclude<IgnoredReason, 'malformed' | 'unhandled'>,
) => void;

/** Does nothing: for receivers and services built without metrics (unit tests, tools). */
export const NO_RECEIVER_METRICS: ReceiverMetrics = {
  processing: (_body, process) => process(),
  malformed: () => undefined,
  acked: () => undefined,
};

/** Seconds elapsed since `start` (a `performance.now()` reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
