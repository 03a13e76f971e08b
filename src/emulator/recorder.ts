/**
 * Records what the emulator received (Web API calls and response_url posts) and lets tests wait for a
 * record to arrive.
 */
import type { RecordedCall, RecordedResponse } from './types';

/** Options of {@link Recorder.waitForCall} and {@link Recorder.waitForResponse}. */
export interface WaitOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Only consider records from this index on (e.g. `emu.calls.length` taken before acting). */
  since?: number;
}

interface Waiter {
  check: () => void;
  abort: (error: Error) => void;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** The emulator's memory of requests, with waiters notified on every new record. */
export class Recorder {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  private readonly waiters = new Set<Waiter>();

  /** Stores a record and wakes up waiters. */
  record(entry: RecordedCall | RecordedResponse): void {
    if ('method' in entry) this.calls.push(entry);
    else this.responses.push(entry);
    for (const waiter of [...this.waiters]) waiter.check();
  }

  /** Forgets every record. */
  clear(): void {
    this.calls.length = 0;
    this.responses.length = 0;
  }

  /** Rejects every pending wait (used on shutdown). */
  abortAll(reason: string): void {
    for (const waiter of [...this.waiters]) waiter.abort(new Error(reason));
  }

  /** `auth.test ×1, chat.postMessage ×2`, or `(none)`. */
  callSummary(): string {
    if (this.calls.length === 0) return '(none)';
    const counts = new Map<string, number>();
    for (const call of this.calls) counts.set(call.method, (counts.get(call.method) ?? 0) + 1);
    return [...counts].map(([method, n]) => `${method} ×${n}`).join(', ');
  }

  /** First call (received or to come) with method `matcher` or satisfying it. */
  waitForCall(
    matcher: string | ((call: RecordedCall) => boolean),
    opts: WaitOptions = {},
  ): Promise<RecordedCall> {
    const matches = typeof matcher === 'string' ? (c: RecordedCall) => c.method === matcher : matcher;
    const label = typeof matcher === 'string' ? `a call to ${matcher}` : 'a call matching the predicate';
    return this.waitUntil(
      () => this.calls.slice(opts.since ?? 0).find(matches),
      () => `${label}; methods called so far: ${this.callSummary()}`,
      opts.timeoutMs,
    );
  }

  /** First response_url post (received or to come) to url `matcher`, satisfying it, or any when omitted. */
  waitForResponse(
    matcher?: string | ((response: RecordedResponse) => boolean),
    opts: WaitOptions = {},
  ): Promise<RecordedResponse> {
    const matches =
      typeof matcher === 'function'
        ? matcher
        : (r: RecordedResponse) => matcher === undefined || r.url === matcher;
    return this.waitUntil(
      () => this.responses.slice(opts.since ?? 0).find(matches),
      () =>
        `a response_url post${typeof matcher === 'string' ? ` to ${matcher}` : ''}; ` +
        `${this.responses.length} received; methods called so far: ${this.callSummary()}`,
      opts.timeoutMs,
    );
  }

  private waitUntil<T>(find: () => T | undefined, describe: () => string, timeoutMs?: number): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    const limit = timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        check: () => {
          const match = find();
          if (match === undefined) return;
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(match);
        },
        abort: (error) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          reject(error);
        },
      };
      timer = setTimeout(
        () => waiter.abort(new Error(`Timed out after ${limit} ms waiting for ${describe()}`)),
        limit,
      );
      this.waiters.add(waiter);
    });
  }
}
