import { randomUUID } from 'node:crypto';
import type { ChangeSet } from '../domain/changes';
import type { Store, StoredJob } from '../storage';
import type { Clock } from './clock';

/**
 * Thrown when a job can never succeed (the channel is gone, Slack refuses the blocks, the token is
 * revoked): the outbox fails it at once instead of retrying. The Slack gateway turns Slack's refusals
 * into this error (src/slack/gateway.ts), so the outbox never needs to know Slack's error codes.
 */
export class PermanentJobError extends Error {
  constructor(
    message: string,
    /** Slack's error code when Slack refused the call (`channel_not_found`, `invalid_blocks`, …). */
    readonly slackError: string | null = null,
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export interface RetryAdvice {
  retry: boolean;
  /** Milliseconds to wait at least (e.g. Slack's Retry-After). */
  afterMs?: number;
}

/**
 * Slack error codes that may pass: an outage or a rate limit on Slack's side. Every other code Slack
 * answers with (`channel_not_found`, `is_archived`, `not_in_channel`, `invalid_blocks`,
 * `msg_too_long`, `invalid_auth`, `missing_scope`, …) will be answered again on a retry.
 */
export const TRANSIENT_SLACK_ERRORS: readonly string[] = [
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
];

/**
 * Whether and when to try a failed job again. Permanent errors never; rate limits (after Retry-After),
 * HTTP 5xx, network errors and time-outs are worth retrying; so are unknown failures (a bug, a full
 * disk), because giving up at once would lose acknowledged work; the attempt cap of the outbox ends
 * them all eventually ({@link OutboxOptions.maxAttempts}).
 */
export function classifyError(error: unknown): RetryAdvice {
  if (error instanceof PermanentJobError) return { retry: false };
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string } };
  switch (e?.code) {
    case 'slack_webapi_rate_limited_error':
      return { retry: true, afterMs: (e.retryAfter ?? 1) * 1000 };
    case 'slack_webapi_request_error':
    case 'slack_webapi_http_error':
      return { retry: true };
    case 'slack_webapi_platform_error':
      return { retry: TRANSIENT_SLACK_ERRORS.includes(e.data?.error ?? '') };
    default:
      return { retry: true };
  }
}

/** The delay before attempt `attempts + 1` of a job: doubling from the base, capped, never before Retry-After. */
export function retryDelay(
  attempts: number,
  advice: RetryAdvice,
  options: Pick<OutboxOptions, 'baseDelayMs' | 'maxDelayMs'>,
): number {
  const backoff = Math.min(options.baseDelayMs * 2 ** (attempts - 1), options.maxDelayMs);
  return Math.max(backoff, advice.afterMs ?? 0);
}

/**
 * Whether an earlier attempt of this job may have reached Slack without the outbox hearing back: it
 * was tried before (a time-out may come after Slack took the post), or a worker claimed it before
 * and never reported back (it crashed, or was killed, between Slack's answer and
 * {@link Store.completeJob}; in this process or another sharing the database). Such a job looks
 * for its post before posting again.
 */
export function mayHaveReachedSlack(job: StoredJob): boolean {
  return job.attempts > 0 || job.claims > 1;
}

export interface OutboxOptions {
  /** First retry delay; doubles each attempt. */
  baseDelayMs: number;
  /** The longest wait between two attempts (a longer Retry-After from Slack is still honoured). */
  maxDelayMs: number;
  /** Attempts after which a job that keeps failing is failed for good. */
  maxAttempts: number;
  /**
   * How long a claim on a job lasts; the worker renews it every third of that while the job runs,
   * so only a worker that died (or hangs) loses its jobs, to another worker, once the lease is out.
   */
  leaseMs: number;
  /** Who claims: one id a process (default: a random one). */
  holder: string;
}

/**
 * 2 s, 4 s, … doubling to 5 minutes, 25 attempts: a job that keeps failing is given up after about
 * 1 h 30 min of trying (8.5 min of waits to reach the cap, then 16 waits of 5 minutes; longer when
 * Slack asks for more with Retry-After). A restart makes waiting jobs due at once but keeps their count.
 */
export const DEFAULT_OUTBOX_OPTIONS: Omit<OutboxOptions, 'holder'> = {
  baseDelayMs: 2000,
  maxDelayMs: 5 * 60_000,
  maxAttempts: 25,
  leaseMs: 30_000,
};

/** The shortest wait before a worker looks again for work it could not claim. */
const IDLE_RETRY_MS = 250;

/** Carries out a job; may return what to write with its completion (a log row, the next jobs). */
export type JobHandler = (job: StoredJob) => Promise<ChangeSet | undefined>;
export type JobFailureListener = (job: StoredJob, error: unknown, willRetry: boolean) => void;

/**
 * Drains the persistent outbox: Slack work stored in the same transaction as the change that
 * caused it, so an acknowledged command's effects survive a crash or a Slack outage.
 * One job at a time, oldest first, each claimed in the store before it runs
 * ({@link Store.claimJobs}): several processes sharing one database each run a job once.
 *
 * The worker is made first and given its {@link JobHandler} afterwards ({@link handleWith}):
 * services that queue work need the worker to kick, and the handler needs those services to
 * carry out their jobs. Until it has a handler the worker runs nothing; jobs wait in the store.
 */
export class OutboxWorker {
  private handle: JobHandler | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly options: OutboxOptions;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onFailure: JobFailureListener,
    options: Partial<OutboxOptions> = {},
  ) {
    this.options = { ...DEFAULT_OUTBOX_OPTIONS, holder: randomUUID(), ...options };
  }

  /** Gives the worker what carries out its jobs (once); the next {@link kick} starts on them. */
  handleWith(handler: JobHandler): void {
    if (this.handle) throw new Error('the outbox worker has a job handler already');
    this.handle = handler;
  }

  /** Asks for a pass soon; cheap to call after every change. */
  kick(): void {
    if (this.stopped || !this.handle) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      } else {
        void this.schedule();
      }
    });
  }

  /** Waits until no job is due now and no pass is running. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.running) {
        await this.running;
        continue;
      }
      const next = await this.store.nextJobAt();
      if (next === null || next > this.clock() || this.stopped || !this.handle) return;
      this.kick();
    }
  }

  /**
   * Stops the worker. With `flushMs` (graceful shutdown) it first goes on running the jobs due now,
   * until none is due or the time is up; then the job in hand is finished, and whatever is left
   * stays stored for the next start.
   */
  async stop(flushMs = 0): Promise<void> {
    if (flushMs > 0 && !this.stopped && this.handle) {
      let timer: NodeJS.Timeout | undefined;
      const timeUp = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, flushMs);
      });
      try {
        // A flush that cannot run (the database is gone) must not stop the stop.
        await Promise.race([this.idle().catch(() => undefined), timeUp]);
      } finally {
        clearTimeout(timer);
      }
    }
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async pass(): Promise<void> {
    for (;;) {
      if (this.stopped || !this.handle) return;
      const [job] = await this.store.claimJobs(this.clock(), 1, this.lease());
      if (!job) return;
      await this.runOne(job, this.handle);
    }
  }

  private lease() {
    return { holder: this.options.holder, until: this.clock() + this.options.leaseMs };
  }

  private async runOne(job: StoredJob, handle: JobHandler): Promise<void> {
    // Keeps the claim while the job runs; a renewal that fails is retried at the next tick. A
    // renewal the store refuses means the lease ran out and another worker took the job.
    const claim = { lost: false };
    const renewal = setInterval(
      () =>
        void this.store.renewClaim(job.id, this.lease()).then(
          (held) => {
            if (!held) claim.lost = true;
          },
          () => undefined,
        ),
      Math.max(1, Math.floor(this.options.leaseMs / 3)),
    );
    renewal.unref();
    try {
      await this.attempt(job, handle, claim);
    } finally {
      clearInterval(renewal);
    }
  }

  /**
   * Runs a job and stores how it went. Done is stored even when the claim was lost meanwhile (the
   * work reached Slack; the new holder finds the job done, or finds its post). A failure is not:
   * the job is the new holder's, whose attempt must not be cut short or failed from here.
   */
  private async attempt(job: StoredJob, handle: JobHandler, claim: { lost: boolean }): Promise<void> {
    try {
      const followUp = await handle(job);
      await this.store.completeJob(
        job.id,
        this.clock(),
        followUp && job.incidentId ? { incidentId: job.incidentId, change: followUp } : undefined,
      );
    } catch (error) {
      const advice = classifyError(error);
      const attempts = job.attempts + 1;
      const willRetry = claim.lost || (advice.retry && attempts < this.options.maxAttempts);
      const message = error instanceof Error ? error.message : String(error);
      if (claim.lost) {
        // Another worker holds the job now.
      } else if (willRetry) {
        await this.store.retryJob(job.id, this.clock() + retryDelay(attempts, advice, this.options), message);
      } else {
        await this.store.failJob(job.id, message, this.clock());
      }
      this.onFailure(job, error, willRetry);
    }
  }

  /**
   * Wakes up when the next delayed job is due, and at least once a lease period: another process
   * sharing the database may have queued jobs and died before running them, or died holding one.
   */
  private async schedule(): Promise<void> {
    if (this.stopped) return;
    const next = await this.store.nextJobAt();
    if (this.timer) clearTimeout(this.timer);
    // A job due now that the pass just ended could not claim is another process's to run (it took
    // the job a moment ago): look again a little later rather than at once.
    const delay = next === null ? this.options.leaseMs : Math.max(IDLE_RETRY_MS, next - this.clock());
    this.timer = setTimeout(() => this.kick(), Math.min(delay, this.options.leaseMs));
    this.timer.unref();
  }
}
