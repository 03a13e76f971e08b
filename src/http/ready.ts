import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackStatus } from '../slack/connection';
import type { PoolFigures, Store } from '../storage';

/** What `/readyz` answers: each check's value (`ok` when it passes), and the database pool's figures when there is a pool. */
export interface Readiness {
  status: 'ok' | 'down';
  checks: { db: string; slack: string; shutdown: string };
  pool?: PoolFigures;
}

/** Where readiness is read from. */
export interface ReadinessSources {
  store: Store;
  /** Whether Slack accepted the token and answers (./slack/connection). */
  slack: () => SlackStatus;
  /** Whether stop() has begun. */
  stopping: () => boolean;
}

/**
 * Ready means: the database answers, Slack accepted our token (auth.test) and answers, and the
 * instance is not shutting down. Slack `unknown` (not asked yet) is not ready either.
 */
export async function readiness(sources: ReadinessSources): Promise<Readiness> {
  let db = 'ok';
  try {
    await sources.store.ping();
  } catch (error) {
    db = `fail: ${error instanceof Error ? error.message : String(error)}`;
  }
  const slack = sources.slack();
  const shutdown = sources.stopping() ? 'stopping' : 'ok';
  const checks = { db, slack, shutdown };
  const ok = Object.values(checks).every((value) => value === 'ok');
  const pool = sources.store.pool();
  return { status: ok ? 'ok' : 'down', checks, ...(pool ? { pool } : {}) };
}

/** `GET /readyz`: 200 when {@link readiness} is ok, else 503; the body names every check. */
export function readinessRoute(check: () => Promise<Readiness>) {
  return {
    path: '/readyz',
    method: ['GET'],
    handler: async (_req: IncomingMessage, res: ServerResponse) => {
      try {
        const result = await check();
        res.writeHead(result.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(result));
      } catch {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      }
    },
  };
}
