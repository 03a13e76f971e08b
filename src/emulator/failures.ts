/**
 * Failure injection: queued (`failNext`) and permanent (`failAlways`) failures per method, and how each
 * kind of failure goes on the wire.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendText } from './http';
import type { ApiResponse, Failure } from './types';

/** Pseudo-method under which POSTs to an `upload_url` are recorded and can be failed. */
export const FILE_UPLOAD = 'file_upload';
/** Pseudo-method under which POSTs to a `response_url` can be failed. */
export const RESPONSE_URL = 'response_url';
/** Pseudo-method matching every method. */
export const ANY_METHOD = '*';

/** Failures waiting to happen, per method name. */
export class FailureInjector {
  private readonly queued = new Map<string, Failure[]>();
  private readonly permanent = new Map<string, Failure>();

  /** Queues `failure` for the next `times` calls to `method`. */
  next(method: string, failure: Failure, times: number): void {
    const queue = this.queued.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    this.queued.set(method, queue);
  }

  /** Fails every call to `method` until cleared. */
  always(method: string, failure: Failure): void {
    this.permanent.set(method, failure);
  }

  /** Drops every failure. */
  clear(): void {
    this.queued.clear();
    this.permanent.clear();
  }

  /** The failure the current call to `method` must suffer, if any (queued ones first). */
  take(method: string): Failure | undefined {
    for (const key of [method, ANY_METHOD]) {
      const failure = this.queued.get(key)?.shift();
      if (failure) return failure;
    }
    return this.permanent.get(method) ?? this.permanent.get(ANY_METHOD);
  }
}

/**
 * Sends `failure` as the answer: an ok:false body, an HTTP 5xx, a 429 with `Retry-After`, a destroyed
 * socket, or nothing at all (a hang: the request stays open until the client times out).
 * @returns the status sent (0 for a dropped or hanging connection) and the JSON body, if one was sent
 */
export function sendFailure(
  req: IncomingMessage,
  res: ServerResponse,
  failure: Failure,
): { status: number; response?: ApiResponse } {
  if ('hang' in failure) return { status: 0 };
  if ('network' in failure) {
    req.socket.destroy();
    return { status: 0 };
  }
  if ('error' in failure) {
    const response: ApiResponse = { ...failure, ok: false, error: failure.error };
    sendJson(res, 200, response);
    return { status: 200, response };
  }
  if (failure.status === 429) {
    const response: ApiResponse = { ok: false, error: 'ratelimited' };
    sendJson(res, 429, response, { 'retry-after': String(failure.retryAfter) });
    return { status: 429, response };
  }
  sendText(res, failure.status, failure.status === 503 ? 'Service Unavailable' : 'Internal Server Error');
  return { status: failure.status };
}
