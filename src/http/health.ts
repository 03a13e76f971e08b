import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../storage';

/**
 * One named check of `/healthz`: its answer is `'ok'` or a short description of what is wrong.
 * Only a `critical` check that is not ok makes the answer 503 (liveness: restart me); the others
 * are reported and leave the status alone.
 */
export interface HealthCheck {
  name: string;
  critical: boolean;
  run: () => Promise<string> | string;
}

/** The database answers a query. */
export function databaseCheck(store: Store): HealthCheck {
  return {
    name: 'db',
    critical: true,
    run: async () => {
      await store.ping();
      return 'ok';
    },
  };
}

/** Runs one check; a check that throws reports `fail: <message>`. */
async function runCheck(check: HealthCheck): Promise<string> {
  try {
    return await check.run();
  } catch (error) {
    return `fail: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * `GET /healthz`: 200 when the database and every other critical check answer ok, else 503
 * naming the failing check; `checks` lists every check (the database first, then `extra`).
 */
export function healthRoute(store: Store, extra: HealthCheck[] = []) {
  const checks = [databaseCheck(store), ...extra];
  return {
    path: '/healthz',
    method: ['GET'],
    handler: async (_req: IncomingMessage, res: ServerResponse) => {
      try {
        const results: Record<string, string> = {};
        let ok = true;
        for (const check of checks) {
          results[check.name] = await runCheck(check);
          if (check.critical && results[check.name] !== 'ok') ok = false;
        }
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: ok ? 'ok' : 'down', checks: results }));
      } catch {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      }
    },
  };
}
