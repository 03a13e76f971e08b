import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../storage';

/**
 * How one part of the bot is doing. `down` means the process cannot do its work (the database does
 * not answer): `/healthz` answers 503. `degraded` means it works but someone should look (jobs Slack
 * refused for good, Slack unreachable): visible in the body, still 200, because restarting the
 * process would not fix it and a liveness probe must not put the bot into a restart loop.
 */
export interface CheckResult {
  level: 'ok' | 'degraded' | 'down';
  /** What `/healthz` shows under the check's name: `ok`, `2 failed`, `fail: …`. */
  value: string;
}

/** One named check of `/healthz`; other modules add theirs (e.g. whether Slack answers). */
export interface HealthCheck {
  name: string;
  run(): Promise<CheckResult>;
}

/** Failed jobs are shown for this long after they failed. */
export const FAILED_JOBS_WINDOW_MS = 24 * 3600_000;

/** The database answers a trivial query. */
export function dbCheck(store: Store): HealthCheck {
  return {
    name: 'db',
    run: async () => {
      try {
        await store.ping();
        return { level: 'ok', value: 'ok' };
      } catch (error) {
        return { level: 'down', value: `fail: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
  };
}

/** Outbox jobs failed for good in the last 24 hours (`"2 failed"`): degraded, not down. */
export function outboxCheck(store: Store, now: () => number = Date.now): HealthCheck {
  return {
    name: 'outbox',
    run: async () => {
      const failed = await store.failedJobs(now() - FAILED_JOBS_WINDOW_MS);
      return failed === 0 ? { level: 'ok', value: 'ok' } : { level: 'degraded', value: `${failed} failed` };
    },
  };
}

/** Runs the checks in order; a check that throws counts as down. */
async function runChecks(checks: readonly HealthCheck[]): Promise<Record<string, CheckResult>> {
  const out: Record<string, CheckResult> = {};
  for (const check of checks) {
    out[check.name] = await check.run().catch(
      (error: unknown): CheckResult => ({
        level: 'down',
        value: `fail: ${error instanceof Error ? error.message : String(error)}`,
      }),
    );
  }
  return out;
}

/**
 * `GET /healthz`: 200 with `status: "ok"` (or `"degraded"`, see {@link CheckResult}), else 503
 * `"down"`, with every check's value by name. The database and the outbox are always checked (the
 * outbox only when the database answers); `extra` checks follow.
 */
export function healthRoute(store: Store, extra: readonly HealthCheck[] = []) {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: async (_req: IncomingMessage, res: ServerResponse) => {
      // Bolt does not catch a custom route that rejects: the request would never be answered.
      try {
        const results = await runChecks([dbCheck(store)]);
        const more = results.db?.level === 'down' ? extra : [outboxCheck(store), ...extra];
        Object.assign(results, await runChecks(more));
        const levels = Object.values(results).map((r) => r.level);
        const status = levels.includes('down') ? 'down' : levels.includes('degraded') ? 'degraded' : 'ok';
        const checks = Object.fromEntries(Object.entries(results).map(([name, r]) => [name, r.value]));
        res.writeHead(status === 'down' ? 503 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status, checks }));
      } catch {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      }
    },
  };
}
