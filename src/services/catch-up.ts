import type { Store, StoredJob } from '../storage';
import type { CaptureService, Self } from './capture-service';
import type { Clock } from './clock';
import type { Page, SlackGateway } from './slack-gateway';

export interface CatchUpDeps {
  store: Store;
  slack: SlackGateway;
  capture: CaptureService;
  clock: Clock;
  /** Who the bot is (its own posts are never captured as people's messages). */
  self: () => Promise<Self>;
  /** A warning line: a fixed message, its fields (`incident`, `channel`) and what went wrong. */
  log: (message: string, fields: Record<string, unknown>, error?: unknown) => void;
  sleep?: (ms: number) => Promise<void>;
  maxRateLimitWaits?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The lease under which one process of a group sharing a database catches up. */
export const CATCH_UP_LEASE = 'catch-up';
/** How long a catch-up may hold the lease before another process may start one. */
export const CATCH_UP_LEASE_MS = 15 * 60_000;
/**
 * How long after a catch-up finished the others of the group skip theirs: replicas started
 * together catch up once. A replica started later catches up again (it costs Slack calls, never
 * duplicates: capture is idempotent).
 */
export const CATCH_UP_SETTLE_MS = 2 * 60_000;

export type CatchUpResult = { incidents: number; messages: number; failed: number };

/** Reads history after downtime, and fetches single messages that a reaction pointed at. */
export class CatchUp {
  constructor(private readonly deps: CatchUpDeps) {}

  /** Calls Slack, waiting out 429s for as long as Slack's Retry-After says. */
  private async call(fetchPage: () => Promise<Page>): Promise<Page & { readAt: number }> {
    const sleep = this.deps.sleep ?? defaultSleep;
    for (let waits = 0; ; waits++) {
      const readAt = this.deps.clock();
      try {
        return { ...(await fetchPage()), readAt };
      } catch (error) {
        const e = error as { code?: string; retryAfter?: number };
        if (e?.code !== 'slack_webapi_rate_limited_error' || waits >= (this.deps.maxRateLimitWaits ?? 10))
          throw error;
        await sleep((e.retryAfter ?? 1) * 1000);
      }
    }
  }

  /** Every page of a thread (`ts` may be the parent or any reply), applied as it is read. */
  private async thread(channel: string, ts: string, self: Self, skip?: string): Promise<number> {
    let total = 0;
    let cursor: string | undefined;
    do {
      const page = await this.call(() => this.deps.slack.replies(channel, ts, cursor));
      const messages = skip ? page.messages.filter((m) => m.ts !== skip) : page.messages;
      total += await this.deps.capture.applyFetched(channel, messages, self, page.readAt);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return total;
  }

  /**
   * {@link run} once for the group of processes sharing the database: under the catch-up lease,
   * taken for `holder`; null when another process is catching up or just did.
   */
  async runForGroup(holder: string): Promise<CatchUpResult | null> {
    const { store, clock } = this.deps;
    if (!(await store.holdLease(CATCH_UP_LEASE, holder, clock(), clock() + CATCH_UP_LEASE_MS))) return null;
    let result: CatchUpResult;
    try {
      result = await this.run();
    } catch (error) {
      // Let the next process (or the next try) catch up at once.
      await store.holdLease(CATCH_UP_LEASE, holder, clock(), clock()).catch(() => undefined);
      throw error;
    }
    await store.holdLease(CATCH_UP_LEASE, holder, clock(), clock() + CATCH_UP_SETTLE_MS);
    return result;
  }

  /**
   * For every incident not closed yet: history since the last captured message (all pages) and
   * the threads in it, through the same idempotent path as live events. One channel failing does
   * not stop the others.
   */
  async run(): Promise<CatchUpResult> {
    const { store, slack, capture } = this.deps;
    const self = await this.deps.self();
    let total = 0;
    let failed = 0;
    const incidents = await store.listIncidents('unclosed', 1000);
    for (const incident of incidents) {
      const channel = incident.channelId!;
      try {
        const last = await store.lastMessageTs(incident.id);
        const oldest = last ?? (incident.declaredAt / 1000 - 60).toFixed(6);
        let cursor: string | undefined;
        do {
          const query = { oldest, inclusive: true, limit: 200, ...(cursor ? { cursor } : {}) };
          const page = await this.call(() => slack.history(channel, query));
          total += await capture.applyFetched(channel, page.messages, self, page.readAt);
          for (const parent of page.messages) {
            if (parent.ts && (parent.reply_count ?? 0) > 0)
              total += await this.thread(channel, parent.ts, self, parent.ts);
          }
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      } catch (error) {
        failed += 1;
        this.deps.log('catch-up of a channel failed', { incident: incident.id, channel }, error);
      }
    }
    return { incidents: incidents.length, messages: total, failed };
  }

  /** Outbox job: fetch one message a reaction pointed at (history first, then its thread). */
  async fetchMessage(stored: StoredJob): Promise<undefined> {
    if (stored.job.type !== 'fetch_message') return undefined;
    const { channel, ts } = stored.job;
    const self = await this.deps.self();
    const page = await this.call(() =>
      this.deps.slack.history(channel, { latest: ts, inclusive: true, limit: 1 }),
    );
    const found = page.messages.find((m) => m.ts === ts);
    if (found) {
      await this.deps.capture.applyFetched(channel, [found], self, page.readAt, false);
      return undefined;
    }
    const thread = await this.call(() => this.deps.slack.replies(channel, ts)).catch(() => null);
    const reply = thread?.messages.find((m) => m.ts === ts);
    if (thread && reply) await this.deps.capture.applyFetched(channel, [reply], self, thread.readAt, false);
    return undefined;
  }
}
