import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../storage';

/** `GET /healthz`: 200 when the database answers, else 503 naming the failing check. */
export function healthRoute(store: Store) {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: async (_req: IncomingMessage, res: ServerResponse) => {
      let db = 'ok';
      try {
        await store.ping();
      } catch (error) {
        db = `fail: ${error instanceof Error ? error.message : String(error)}`;
      }
      const ok = db === 'ok';
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'down', checks: { db } }));
    },
  };
}
