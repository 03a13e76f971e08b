/**
 * Getting through to Slack, and staying there. A token Slack refuses is a configuration error
 * (the caller exits naming the variable); Slack being unreachable or failing (network error, 5xx,
 * 429, a platform error other than a refusal) is not: we retry with capped exponential back-off,
 * honouring Retry-After, and report `unreachable` meanwhile.
 */
import type { SocketModeReceiver } from '@slack/bolt';
import { ErrorCode } from '@slack/web-api';

type SocketModeClient = SocketModeReceiver['client'];

/** How Slack looks from here: not asked yet, answering, or not answering. */
export type SlackStatus = 'unknown' | 'ok' | 'unreachable';

/** Slack errors that mean "this token will never work": retrying cannot help. */
export const REFUSED_TOKEN_ERRORS: ReadonlySet<string> = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
  'team_disabled',
  'user_removed_from_team',
]);

/** Delays between attempts: `baseMs`, doubling each time, never above `maxMs`. */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, maxMs: 60_000 };

/** A token Slack refused; its message is the one line to print, naming the variable. */
export class TokenRefusedError extends Error {
  constructor(
    readonly variable: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN',
    readonly slackError: string,
  ) {
    const what = variable === 'SLACK_BOT_TOKEN' ? 'bot token' : 'app-level token';
    super(`${variable}: Slack refused the ${what} (${slackError})`);
    this.name = 'TokenRefusedError';
  }
}

interface SlackErrorShape {
  code?: unknown;
  data?: { error?: unknown };
  retryAfter?: unknown;
  statusCode?: unknown;
  original?: { cause?: { code?: unknown; message?: unknown }; message?: unknown };
  message?: unknown;
}

/** The Slack error code when `error` is Slack refusing the token, else null. */
export function refusedToken(error: unknown): string | null {
  const e = (error ?? {}) as SlackErrorShape;
  const code = e.data?.error;
  return e.code === ErrorCode.PlatformError && typeof code === 'string' && REFUSED_TOKEN_ERRORS.has(code)
    ? code
    : null;
}

/** A short reason for a failed call, for a warning line (`ECONNREFUSED`, `HTTP 503`, `ratelimited`…). */
export function failureReason(error: unknown): string {
  const e = (error ?? {}) as SlackErrorShape;
  if (e.code === ErrorCode.RateLimitedError) return `rate limited, retry after ${String(e.retryAfter)} s`;
  if (e.code === ErrorCode.HTTPError) return `HTTP ${String(e.statusCode)}`;
  if (e.code === ErrorCode.PlatformError) return String(e.data?.error);
  const cause = e.original?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return typeof e.message === 'string' ? e.message : String(error);
}

/** How long to wait before attempt `attempt + 1` (0-based), at least what a 429's Retry-After asks. */
export function retryDelayMs(attempt: number, error: unknown, backoff: Backoff): number {
  const exponential = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
  const e = (error ?? {}) as SlackErrorShape;
  const retryAfter =
    e.code === ErrorCode.RateLimitedError && typeof e.retryAfter === 'number' ? e.retryAfter * 1000 : 0;
  return Math.max(exponential, retryAfter);
}

/** Options of {@link Reconnector}. */
export interface ReconnectorOptions {
  /** One attempt; rejects on failure. */
  attempt: () => Promise<void>;
  variable: TokenRefusedError['variable'];
  backoff: Backoff;
  /** One warning line per failed attempt. */
  warn: (line: string) => void;
  /** A refusal found while retrying in the background (at start-up, `start()` rejects instead). */
  onRefused: (error: TokenRefusedError) => void;
  /** Called on every status change. */
  onStatus?: (status: SlackStatus) => void;
}

/**
 * Runs `attempt` until it succeeds, with back-off; again whenever {@link retry} is called (a
 * dropped connection). Never more than one attempt or timer at a time.
 */
export class Reconnector {
  private state: SlackStatus = 'unknown';
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;

  constructor(private readonly opts: ReconnectorOptions) {}

  get status(): SlackStatus {
    return this.state;
  }

  /**
   * The first attempt. Resolves once it is made (successful or not: failures are retried in the
   * background); rejects with {@link TokenRefusedError} when Slack refused the token.
   */
  async start(): Promise<void> {
    const refused = await this.tryOnce();
    if (refused) throw refused;
  }

  /**
   * Asks again soon, keeping the current status until the attempt answers (a Web API call just
   * failed as if Slack were unreachable: in HTTP mode nothing else would notice). Does nothing
   * while an attempt or a retry is already on its way, so failing calls never pile up probes.
   */
  recheck(): void {
    if (this.stopped || this.running || this.timer) return;
    this.schedule(0);
  }

  /** Connects again (after a drop), unless an attempt is already on its way. */
  retry(): void {
    if (this.stopped || this.running || this.timer) return;
    this.setStatus('unreachable');
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tryOnce().then((refused) => {
        if (refused) this.opts.onRefused(refused);
      });
    }, delayMs);
    this.timer.unref?.();
  }

  /** @returns the refusal, if Slack refused the token (then nothing is retried) */
  private async tryOnce(): Promise<TokenRefusedError | null> {
    if (this.stopped || this.running) return null;
    this.running = true;
    try {
      await this.opts.attempt();
      this.failures = 0;
      this.setStatus('ok');
      return null;
    } catch (error) {
      const code = refusedToken(error);
      if (code) {
        this.stop();
        return new TokenRefusedError(this.opts.variable, code);
      }
      const delay = retryDelayMs(this.failures, error, this.opts.backoff);
      this.failures += 1;
      this.setStatus('unreachable');
      this.opts.warn(
        `Slack is unreachable for ${this.opts.variable} (${failureReason(error)}); retrying in ${Math.round(delay / 100) / 10} s`,
      );
      this.running = false;
      this.schedule(delay);
      return null;
    } finally {
      this.running = false;
    }
  }

  private setStatus(status: SlackStatus): void {
    if (status === this.state) return;
    this.state = status;
    this.opts.onStatus?.(status);
  }
}

/**
 * Keeps a Socket Mode client connected. The client's own reconnection must be off
 * (`autoReconnectEnabled: false`): it lets a failed reconnect crash the process, or never comes back.
 */
export function superviseSocket(
  client: SocketModeClient,
  opts: Omit<ReconnectorOptions, 'attempt' | 'variable'> & {
    /** One connection attempt (default: `client.start()`). */
    connect?: () => Promise<void>;
  },
): Reconnector {
  const { connect, ...rest } = opts;
  const reconnector = new Reconnector({
    ...rest,
    variable: 'SLACK_APP_TOKEN',
    attempt:
      connect ??
      (async () => {
        await client.start();
      }),
  });
  client.on('disconnected', () => reconnector.retry());
  return reconnector;
}
