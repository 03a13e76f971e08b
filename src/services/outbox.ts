import type { ChangeSet } from '../domain/changes';
import type { Store, StoredJob } from '../storage';
import type { Clock } from './clock';

/** Thrown by a job handler when the job can never succeed (e.g. the channel is gone). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export interface RetryAdvice {
  retry: boolean;
  /** Milliseconds to wait at least (e.g. Slack's Retry-After). */
  afterMs?: number;
}

/** Classifies Slack Web API client errors: rate limits, HTTP and network errors are worth retrying. */
export function classifyError(error: unknown): RetryAdvice {
  if (error instanceof PermanentJobError) return { retry: false };
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string } };
  switch (e?.code) {
    case 'slack_webapi_rate_limited_error':
      return { retry: true, afterMs: (e.retryAfter ?? 1) * 1000 };
    case 'slack_webapi_request_error':
    case 'slack_webapi_http_error':
      return { retry: true };
    case 'slack_webapi_platform_error': {
      const transient = [
        'ratelimited',
        'internal_error',
        'fatal_error',
        'service_unavailable',
        'request_timeout',
      ];
      return { retry: transient.includes(e.data?.error ?? '') };
    }
    default:
      // Unknown failures (a bug, a full disk) are retried: giving up would lose acknowledged work.
      return { retry: true };
  }
}

export interface OutboxOptions {
  /** First retry delay; doubles each attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  baseDelayMs: 2000,
  maxDelayMs: 5 * 60_000,
  maxAttempts: 25,
};

/** Carries out a job; may return what to write with its completion (a log row, the next jobs). */
export type JobHandler = (job: StoredJob) => Promise<ChangeSet | undefined>;
export type JobFailureListener = (job: StoredJob, error: unknown, willRetry: boolean) => void;

/**
 * Drains the persistent outbox: Slack work stored in the same transaction as the change that
 * caused it, so an acknowledged command's effects survive a crash or a Slack outage.
 * One job at a time, oldest first.
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

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onFailure: JobFailureListener,
    private readonly options: OutboxOptions = DEFAULT_OUTBOX_OPTIONS,
  ) {}

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

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async pass(): Promise<void> {
    for (;;) {
      if (this.stopped || !this.handle) return;
      const [job] = await this.store.dueJobs(this.clock(), 1);
      if (!job) return;
      await this.runOne(job, this.handle);
    }
  }

  private async runOne(job: StoredJob, handle: JobHandler): Promise<void> {
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
      const willRetry = advice.retry && attempts < this.options.maxAttempts;
      const message = error instanceof Error ? error.message : String(error);
      if (willRetry) {
        const backoff = Math.min(this.options.baseDelayMs * 2 ** (attempts - 1), this.options.maxDelayMs);
        await this.store.retryJob(job.id, this.clock() + Math.max(backoff, advice.afterMs ?? 0), message);
      } else {
        await this.store.failJob(job.id, message, this.clock());
      }
      this.onFailure(job, error, willRetry);
    }
  }

  /** Wakes up when the next delayed job is due. */
  private async schedule(): Promise<void> {
    if (this.stopped) return;
    const next = await this.store.nextJobAt();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (next === null) return;
    const delay = Math.max(0, next - this.clock());
    this.timer = setTimeout(() => this.kick(), Math.min(delay, 2 ** 31 - 1));
    this.timer.unref();
  }
}
