/**
 * The Prometheus metrics of one Firewatch instance, on a registry of its own (never prom-client's
 * global one: tests run several apps in one process). Every series starts with `firewatch_`,
 * including the default process metrics. Label values come from fixed lists (see ./labels).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { SEVERITIES, STATUSES } from '../domain/types';
import type { Store } from '../storage';
import {
  EVENT_TYPES,
  eventTypeOf,
  IGNORED_REASONS,
  isOwnMessage,
  REQUEST_KINDS,
  requestKindOf,
} from './labels';
import type { CaptureOutcome, EventOutcome, IgnoredReason, ReceiverMetrics } from './port';
import type { SlackCallObserver, SlackCallOutcome } from './slack-calls';

/** Where the gauges read their values at scrape time. */
export interface MetricsSources {
  store: Store;
  /** Whether the instance is ready (the checks of /readyz), for `firewatch_ready`. */
  ready: () => Promise<boolean>;
  /** Milliseconds since the epoch (the app's clock), for the age of the oldest pending job. */
  now: () => number;
}

/** The instruments of one instance and the ports the rest of the app reports through. */
export interface FirewatchMetrics {
  registry: Registry;
  /** The Slack boundary's port (request counts, event outcomes, ack latency). */
  receiver: ReceiverMetrics;
  /** The capture service's report of what became of the event it handles. */
  captureOutcome: CaptureOutcome;
  /** Every Web API call's outcome, and the WebClient's retries. */
  slackCalls: SlackCallObserver;
  /** One catch-up run: whether it completed, and how many messages it backfilled. */
  catchUpRun(result: 'ok' | 'failed' | 'skipped', messages: number): void;
  /** One postmortem compiled, in `seconds`. */
  postmortemCompiled(seconds: number): void;
  /** An outbox job's attempt failed: it will be retried, or it was given up on. */
  outboxAttemptFailed(willRetry: boolean): void;
}

/** Ack latency buckets (seconds): Slack gives up after 3 s. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];
/** Postmortem compile time buckets (seconds). */
const COMPILE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What the listeners made of the event being processed (one per request, via AsyncLocalStorage). */
interface EventTally {
  type: string;
  outcome: EventOutcome | null;
}

/**
 * Reads a gauge's figures from the store; null when the database does not answer, so the gauge
 * has no series and the rest of /metrics (`firewatch_ready 0` above all) is still served.
 */
async function fromStore<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch {
    return null;
  }
}

/** Creates the registry, the default process metrics and every Firewatch instrument. */
export function createMetrics(sources: MetricsSources): FirewatchMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'firewatch_' });
  const registers = [registry];

  new Gauge({
    name: 'firewatch_incidents',
    help: 'Incidents in the database, by status and severity.',
    labelNames: ['status', 'severity'],
    registers,
    async collect() {
      this.reset();
      const rows = await fromStore(() => sources.store.incidentCounts());
      if (!rows) return;
      for (const status of STATUSES) for (const severity of SEVERITIES) this.set({ status, severity }, 0);
      for (const row of rows) this.set({ status: row.status, severity: row.severity }, row.count);
    },
  });
  new Gauge({
    name: 'firewatch_outbox_jobs',
    help: 'Outbox jobs (Slack work queued with the change that caused it), by state.',
    labelNames: ['state'],
    registers,
    async collect() {
      this.reset();
      const stats = await fromStore(() => sources.store.outboxStats());
      if (!stats) return;
      this.set({ state: 'pending' }, stats.pending);
      this.set({ state: 'done' }, stats.done);
      this.set({ state: 'failed' }, stats.failed);
    },
  });
  new Gauge({
    name: 'firewatch_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest pending outbox job, in seconds (0 when none is pending).',
    registers,
    async collect() {
      this.reset();
      const stats = await fromStore(() => sources.store.outboxStats());
      if (!stats) return;
      const { oldestPendingAt } = stats;
      this.set(oldestPendingAt === null ? 0 : Math.max(0, (sources.now() - oldestPendingAt) / 1000));
    },
  });
  new Gauge({
    name: 'firewatch_db_pool_connections',
    help: 'PostgreSQL pool connections by state (busy, idle, max: DATABASE_POOL_MAX); no series with SQLite.',
    labelNames: ['state'],
    registers,
    collect() {
      this.reset();
      const pool = sources.store.pool();
      if (!pool) return;
      this.set({ state: 'busy' }, pool.open - pool.idle);
      this.set({ state: 'idle' }, pool.idle);
      this.set({ state: 'max' }, pool.max);
    },
  });
  new Gauge({
    name: 'firewatch_db_pool_waiting',
    help: 'Callers waiting for a free PostgreSQL pool connection; no series with SQLite.',
    registers,
    collect() {
      this.reset();
      const pool = sources.store.pool();
      if (pool) this.set(pool.waiting);
    },
  });
  new Gauge({
    name: 'firewatch_ready',
    help: '1 when the instance is ready (database answers, Slack accepted the token, not shutting down), else 0.',
    registers,
    async collect() {
      this.set((await sources.ready().catch(() => false)) ? 1 : 0);
    },
  });

  const received = new Counter({
    name: 'firewatch_events_received_total',
    help: 'Events API events that reached the bot (malformed ones included), by event type.',
    labelNames: ['type'],
    registers,
  });
  const stored = new Counter({
    name: 'firewatch_events_stored_total',
    help: 'Events API events whose effect was stored, by event type.',
    labelNames: ['type'],
    registers,
  });
  const deduplicated = new Counter({
    name: 'firewatch_events_deduplicated_total',
    help: 'Events API deliveries already applied before (Slack retries, duplicates), by event type.',
    labelNames: ['type'],
    registers,
  });
  const ignored = new Counter({
    name: 'firewatch_events_ignored_total',
    help: 'Events API events ignored, by event type and reason (malformed, self, not_incident, noise, unhandled).',
    labelNames: ['type', 'reason'],
    registers,
  });
  for (const type of EVENT_TYPES) {
    received.inc({ type }, 0);
    stored.inc({ type }, 0);
    deduplicated.inc({ type }, 0);
    for (const reason of IGNORED_REASONS) ignored.inc({ type, reason }, 0);
  }
  const ackDuration = new Histogram({
    name: 'firewatch_ack_duration_seconds',
    help: 'Time from receiving a Slack request to acknowledging it, by kind (events, commands, interactions).',
    labelNames: ['kind'],
    buckets: ACK_BUCKETS,
    registers,
  });
  for (const kind of REQUEST_KINDS) ackDuration.zero({ kind });

  const apiCalls = new Counter({
    name: 'firewatch_slack_api_calls_total',
    help: 'Slack Web API calls, by method and outcome (ok, error, ratelimited, http_error, network, timeout).',
    labelNames: ['method', 'outcome'],
    registers,
  });
  const rateLimited = new Counter({
    name: 'firewatch_slack_api_rate_limited_total',
    help: 'Slack Web API calls answered with 429 (rate limited), by method.',
    labelNames: ['method'],
    registers,
  });
  const retries = new Counter({
    name: 'firewatch_slack_api_retries_total',
    help: 'Web API requests the Slack client retried after a failed attempt.',
    registers,
  });
  retries.inc(0);

  const catchUpRuns = new Counter({
    name: 'firewatch_catch_up_runs_total',
    help: 'Catch-up runs (reading incident channels after downtime), by result (ok, failed; skipped: another replica sharing the database caught up).',
    labelNames: ['result'],
    registers,
  });
  const backfilled = new Counter({
    name: 'firewatch_catch_up_messages_total',
    help: 'Messages backfilled by catch-up runs.',
    registers,
  });
  catchUpRuns.inc({ result: 'ok' }, 0);
  catchUpRuns.inc({ result: 'failed' }, 0);
  catchUpRuns.inc({ result: 'skipped' }, 0);
  backfilled.inc(0);

  const outboxRetries = new Counter({
    name: 'firewatch_outbox_retries_total',
    help: 'Outbox job attempts that failed and were scheduled again (Slack down, 5xx, 429, time-outs).',
    registers,
  });
  const outboxGivenUp = new Counter({
    name: 'firewatch_outbox_given_up_total',
    help: 'Outbox jobs given up on (Slack refused them for good, or too many attempts).',
    registers,
  });
  outboxRetries.inc(0);
  outboxGivenUp.inc(0);

  const compiled = new Counter({
    name: 'firewatch_postmortems_compiled_total',
    help: 'Postmortems compiled (every version).',
    registers,
  });
  compiled.inc(0);
  const compileDuration = new Histogram({
    name: 'firewatch_postmortem_compile_duration_seconds',
    help: 'Time to compile and store one postmortem version, in seconds.',
    buckets: COMPILE_BUCKETS,
    registers,
  });

  const tally = new AsyncLocalStorage<EventTally>();

  const receiver: ReceiverMetrics = {
    async processing(body, process) {
      if (requestKindOf(body) !== 'events') return process();
      const current: EventTally = { type: eventTypeOf(body), outcome: null };
      received.inc({ type: current.type });
      await tally.run(current, process);
      // Nothing was reported: Bolt dropped it (the bot's own message) or no listener took it.
      if (current.outcome === null) {
        ignored.inc({ type: current.type, reason: isOwnMessage(body) ? 'self' : 'unhandled' });
      }
    },
    malformed(body) {
      const type = eventTypeOf(body);
      received.inc({ type });
      ignored.inc({ type, reason: 'malformed' });
    },
    acked(body, seconds) {
      ackDuration.observe({ kind: requestKindOf(body) }, seconds);
    },
  };

  const captureOutcome: CaptureOutcome = (outcome, reason) => {
    const current = tally.getStore();
    // Catch-up and single fetches go through the capture service too: they are not events.
    if (!current || current.outcome !== null) return;
    current.outcome = outcome;
    const type = current.type;
    if (outcome === 'stored') stored.inc({ type });
    else if (outcome === 'deduplicated') deduplicated.inc({ type });
    else ignored.inc({ type, reason: (reason ?? 'noise') satisfies IgnoredReason });
  };

  const slackCalls: SlackCallObserver = {
    call(method: string, outcome: SlackCallOutcome) {
      apiCalls.inc({ method, outcome });
      if (outcome === 'ratelimited') rateLimited.inc({ method });
    },
    retry() {
      retries.inc();
    },
  };

  return {
    registry,
    receiver,
    captureOutcome,
    slackCalls,
    catchUpRun(result, messages) {
      catchUpRuns.inc({ result });
      backfilled.inc(messages);
    },
    postmortemCompiled(seconds) {
      compiled.inc();
      compileDuration.observe(seconds);
    },
    outboxAttemptFailed(willRetry) {
      (willRetry ? outboxRetries : outboxGivenUp).inc();
    },
  };
}
