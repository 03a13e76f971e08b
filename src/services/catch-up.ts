import type { Store, StoredJob } from '../storage';
import type { CaptureService, Self, SlackMessage } from './capture-service';
import type { Page, SlackGateway } from './slack-gateway';

export interface CatchUpDeps {
  store: Store;
  slack: SlackGateway;
  capture: CaptureService;
  self: () => Self;
  sleep?: (ms: number) => Promise<void>;
  maxRateLimitWaits?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reads history after downtime, and fetches single messages that a reaction pointed at. */
export class CatchUp {
  constructor(private readonly deps: CatchUpDeps) {}

  /** Calls Slack, waiting out 429s for as long as Slack's Retry-After says. */
  private async call(fetchPage: () => Promise<Page>): Promise<Page> {
    const sleep = this.deps.sleep ?? defaultSleep;
    for (let waits = 0; ; waits++) {
      try {
        return await fetchPage();
      } catch (error) {
        const e = error as { code?: string; retryAfter?: number };
        if (e?.code !== 'slack_webapi_rate_limited_error' || waits >= (this.deps.maxRateLimitWaits ?? 10))
          throw error;
        await sleep((e.retryAfter ?? 1) * 1000);
      }
    }
  }

  /** Every page of a thread; `ts` may be the parent or any reply. */
  private async thread(channel: string, ts: string): Promise<SlackMessage[]> {
    const out: SlackMessage[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.call(() => this.deps.slack.replies(channel, ts, cursor));
      out.push(...page.messages);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }

  /** For every open incident: history since the last captured message, and the threads in it. */
  async run(): Promise<{ incidents: number; messages: number }> {
    const { store, slack, capture } = this.deps;
    let total = 0;
    const open = await store.listIncidents('open', 1000);
    for (const incident of open) {
      const channel = incident.channelId!;
      const last = await store.lastMessageTs(incident.id);
      const oldest = last ?? (incident.declaredAt / 1000 - 60).toFixed(6);
      let cursor: string | undefined;
      do {
        const query = { oldest, inclusive: true, limit: 200, ...(cursor ? { cursor } : {}) };
        const page = await this.call(() => slack.history(channel, query));
        total += await capture.applyFetched(channel, page.messages, this.deps.self());
        for (const parent of page.messages) {
          if (parent.ts && (parent.reply_count ?? 0) > 0) {
            const replies = (await this.thread(channel, parent.ts)).filter((m) => m.ts !== parent.ts);
            total += await capture.applyFetched(channel, replies, this.deps.self());
          }
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    return { incidents: open.length, messages: total };
  }

  /** Outbox job: fetch one message a reaction pointed at (history first, then its thread). */
  async fetchMessage(stored: StoredJob): Promise<undefined> {
    if (stored.job.type !== 'fetch_message') return undefined;
    const { channel, ts } = stored.job;
    const { messages } = await this.call(() =>
      this.deps.slack.history(channel, { latest: ts, inclusive: true, limit: 1 }),
    );
    let found = messages.find((m) => m.ts === ts);
    if (!found) found = (await this.thread(channel, ts).catch(() => [])).find((m) => m.ts === ts);
    if (found) await this.deps.capture.applyFetched(channel, [found], this.deps.self(), false);
    return undefined;
  }
}
