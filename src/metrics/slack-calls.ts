/**
 * Counting Slack Web API calls: a WebClient whose every call (they all go through `apiCall`,
 * which the client binds its method functions to when it is built) reports its method and outcome.
 */
import { ErrorCode, WebClient, type WebClientOptions } from '@slack/web-api';
import { methodLabel } from './labels';

/** How one Web API call ended. */
export type SlackCallOutcome = 'ok' | 'error' | 'ratelimited' | 'http_error' | 'network' | 'timeout';

/** Told about every call (method already bounded to a label value) and every retried attempt. */
export interface SlackCallObserver {
  call(method: string, outcome: SlackCallOutcome): void;
  retry(): void;
}

interface ErrorShape {
  code?: unknown;
  original?: { code?: unknown; message?: unknown; cause?: { code?: unknown } };
}

/** The outcome of a call that threw (a platform error is `error`: Slack answered `ok: false`). */
export function outcomeOf(error: unknown): SlackCallOutcome {
  const e = (error ?? {}) as ErrorShape;
  if (e.code === ErrorCode.RateLimitedError) return 'ratelimited';
  if (e.code === ErrorCode.HTTPError) return 'http_error';
  if (e.code === ErrorCode.RequestError) {
    const code = e.original?.code ?? e.original?.cause?.code;
    const message = typeof e.original?.message === 'string' ? e.original.message : '';
    return code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message)
      ? 'timeout'
      : 'network';
  }
  return 'error';
}

/** Whether an outcome says Slack itself may be unreachable (worth asking auth.test again). */
export function unreachableOutcome(outcome: SlackCallOutcome): boolean {
  return outcome === 'network' || outcome === 'timeout' || outcome === 'http_error';
}

/** WebClient options with the retry hook added (the client retries with p-retry). */
export function withRetryHook(options: WebClientOptions, observer: SlackCallObserver): WebClientOptions {
  if (!options.retryConfig) return options;
  return {
    ...options,
    // The client hands retryConfig to p-retry as it is: p-retry's onFailedAttempt is honoured.
    retryConfig: {
      ...options.retryConfig,
      onFailedAttempt: (error: { retriesLeft?: number }) => {
        if ((error.retriesLeft ?? 0) > 0) observer.retry();
      },
    } as WebClientOptions['retryConfig'],
  };
}

/** A WebClient that reports every call to `observer`. */
export class MeteredWebClient extends WebClient {
  constructor(
    token: string | undefined,
    options: WebClientOptions,
    private readonly observer: SlackCallObserver,
  ) {
    super(token, withRetryHook(options, observer));
  }

  override async apiCall(...args: Parameters<WebClient['apiCall']>): ReturnType<WebClient['apiCall']> {
    const method = methodLabel(args[0]);
    try {
      const result = await super.apiCall(...args);
      // `this.observer` is set after super() bound the methods; it is there by the first call.
      this.observer.call(method, 'ok');
      return result;
    } catch (error) {
      this.observer.call(method, outcomeOf(error));
      throw error;
    }
  }
}
