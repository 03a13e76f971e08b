import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/** `GET /metrics`: the instance's registry in the Prometheus text format. */
export function metricsRoute(registry: Registry) {
  return {
    path: '/metrics',
    method: ['GET'],
    handler: async (_req: IncomingMessage, res: ServerResponse) => {
      // Bolt does not catch a custom route that rejects: the request would never be answered.
      try {
        const text = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      } catch {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      }
    },
  };
}
