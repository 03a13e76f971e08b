import { classifyError, OutboxWorker, PermanentJobError } from '../../src/services/outbox';
import { bareIncident, openTempStore } from './fakes';

describe('classifyError', () => {
  it('retries rate limits (with Retry-After), HTTP and network errors; not Slack refusals', () => {
    expect(classifyError({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 })).toEqual({
      retry: true,
      afterMs: 7000,
    });
    expect(classifyError({ code: 'slack_webapi_http_error' })).toEqual({ retry: true });
    expect(classifyError({ code: 'slack_webapi_request_error' })).toEqual({ retry: true });
    expect(
      classifyError({ code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } }),
    ).toEqual({ retry: false });
    expect(classifyError({ code: 'slack_webapi_platform_error', data: { error: 'internal_error' } })).toEqual(
      { retry: true },
    );
    expect(classifyError(new PermanentJobError('gone'))).toEqual({ retry: false });
  });
});

describe('OutboxWorker over a real SQLite file', () => {
  it('runs jobs in order, backs off on failure, gives up on permanent errors', async () => {
    const store = openTempStore().store;
    let now = 1_000_000;
    const incident = await bareIncident(store, now);
    const seen: string[] = [];
    const failures: { text: string; error: unknown; willRetry: boolean }[] = [];
    let failuresLeft = 2;
    const worker = new OutboxWorker(
      store,
      () => now,
      (job, error, willRetry) => {
        if (job.job.type === 'post_message') failures.push({ text: job.job.text, error, willRetry });
      },
      {
        baseDelayMs: 1000,
        maxDelayMs: 10_000,
        maxAttempts: 5,
      },
    );
    worker.handleWith(async (job) => {
      if (job.job.type !== 'post_message') return undefined;
      if (job.job.text === 'flaky' && failuresLeft-- > 0) throw { code: 'slack_webapi_http_error' };
      if (job.job.text === 'doomed') throw new PermanentJobError('channel is gone');
      seen.push(job.job.text);
      return undefined;
    });
    await store.applyChange(
      incident.id,
      {
        outbox: ['first', 'flaky', 'doomed', 'last'].map((text) => ({
          type: 'post_message' as const,
          channel: 'C1',
          text,
        })),
      },
      now,
    );
    worker.kick();
    await worker.idle();
    expect(seen).toEqual(['first', 'last']);
    expect(await store.nextJobAt()).toBe(now + 1000);

    now += 1000;
    await worker.idle();
    expect(seen).toEqual(['first', 'last']);
    expect(await store.nextJobAt()).toBe(now + 2000);

    now += 2000;
    await worker.idle();
    expect(seen).toEqual(['first', 'last', 'flaky']);
    expect(await store.pendingJobs()).toBe(0);
    // The worker gave up on the permanent error only (that the store keeps it as the job's last
    // error is checked in test/storage/sqlite/sqlite-store.test.ts, which may read SQLite).
    expect(failures).toEqual([
      { text: 'flaky', error: { code: 'slack_webapi_http_error' }, willRetry: true },
      { text: 'doomed', error: new PermanentJobError('channel is gone'), willRetry: false },
      { text: 'flaky', error: { code: 'slack_webapi_http_error' }, willRetry: true },
    ]);
    expect(failures[1]!.error).toBeInstanceOf(PermanentJobError);
    await worker.stop();
    await store.close();
  });
});

describe('OutboxWorker before it has a handler', () => {
  it('runs nothing until handleWith, then carries out the waiting jobs; a second handler is refused', async () => {
    const store = openTempStore().store;
    const now = 1_000_000;
    const incident = await bareIncident(store, now);
    const worker = new OutboxWorker(
      store,
      () => now,
      () => undefined,
    );
    await store.applyChange(
      incident.id,
      { outbox: [{ type: 'post_message', channel: 'C1', text: 'hello' }] },
      now,
    );
    worker.kick();
    await worker.idle();
    expect(await store.pendingJobs()).toBe(1);

    const seen: string[] = [];
    worker.handleWith(async (job) => {
      if (job.job.type === 'post_message') seen.push(job.job.text);
      return undefined;
    });
    expect(() => worker.handleWith(async () => undefined)).toThrow('has a job handler already');
    worker.kick();
    await worker.idle();
    expect(seen).toEqual(['hello']);
    expect(await store.pendingJobs()).toBe(0);
    await worker.stop();
    await store.close();
  });
});

describe('OutboxWorker.stop with a flush', () => {
  const setup = async () => {
    const store = openTempStore().store;
    const now = 1_000_000;
    const incident = await bareIncident(store, now);
    const worker = new OutboxWorker(
      store,
      () => now,
      () => undefined,
    );
    const seen: string[] = [];
    worker.handleWith(async (job) => {
      if (job.job.type === 'post_message') seen.push(job.job.text);
      return undefined;
    });
    // Stored without a kick: due, but no pass has started.
    await store.applyChange(
      incident.id,
      { outbox: [{ type: 'post_message', channel: 'C1', text: 'on the way out' }] },
      now,
    );
    return { store, worker, seen };
  };

  it('runs the jobs due now before it stops; without a flush they stay stored', async () => {
    const flushed = await setup();
    await flushed.worker.stop(1000);
    expect(flushed.seen).toEqual(['on the way out']);
    expect(await flushed.store.pendingJobs()).toBe(0);
    await flushed.store.close();

    const kept = await setup();
    await kept.worker.stop();
    expect(kept.seen).toEqual([]);
    expect(await kept.store.pendingJobs()).toBe(1);
    await kept.store.close();
  });

  it('still stops when the flush cannot run (the database is already closed)', async () => {
    const { store, worker, seen } = await setup();
    await store.close();
    await expect(worker.stop(1000)).resolves.toBeUndefined();
    expect(seen).toEqual([]);
  });
});

describe('OutboxWorkers of two processes on one database', () => {
  it('takes over the job of a worker that died holding it once its lease is out, without being kicked', async () => {
    const opened = openTempStore();
    const store = opened.store;
    const incident = await bareIncident(store, Date.now());
    const ran: string[] = [];
    // The first worker takes the job and is never heard of again: its process died (so its
    // claim is not renewed either; it never finishes, so it is not stopped here).
    const silent = Object.assign(Object.create(store) as typeof store, { renewClaim: async () => false });
    const dead = new OutboxWorker(silent, Date.now, () => undefined, { leaseMs: 300, holder: 'dead' });
    dead.handleWith(() => new Promise(() => undefined));
    await store.applyChange(
      incident.id,
      { outbox: [{ type: 'post_message', channel: 'C1', text: 'held' }] },
      Date.now(),
    );
    dead.kick();
    await until(async () => (await store.dueJobs(Date.now(), 10)).length === 0);
    const [held] = await store.claimJobs(Date.now(), 1, { holder: 'probe', until: Date.now() });
    expect(held).toBeUndefined();

    const survivor = new OutboxWorker(store, Date.now, () => undefined, { leaseMs: 300, holder: 'survivor' });
    survivor.handleWith(async (job) => {
      if (job.job.type === 'post_message') ran.push(`${job.job.text} (claims ${job.claims})`);
      return undefined;
    });
    // Nothing kicks the survivor: it finds the job by its own polling once the lease is out.
    survivor.kick();
    await until(async () => ran.length > 0, 5000);
    expect(ran).toEqual(['held (claims 2)']);
    expect(await store.pendingJobs()).toBe(0);
    await survivor.stop();
    await opened.dispose();
  });
});

describe('an idle OutboxWorker', () => {
  it('looks for jobs that another process queued and never ran, every lease period', async () => {
    const opened = openTempStore();
    const store = opened.store;
    const incident = await bareIncident(store, Date.now());
    const ran: string[] = [];
    const worker = new OutboxWorker(store, Date.now, () => undefined, { leaseMs: 300, holder: 'idle' });
    worker.handleWith(async (job) => {
      if (job.job.type === 'post_message') ran.push(job.job.text);
      return undefined;
    });
    worker.kick();
    await worker.idle();
    // Another process commits a job and dies before its own worker runs it: nobody kicks this one.
    await store.applyChange(
      incident.id,
      { outbox: [{ type: 'post_message', channel: 'C1', text: 'orphan' }] },
      Date.now(),
    );
    await until(async () => ran.length > 0, 3000);
    expect(ran).toEqual(['orphan']);
    await worker.stop();
    await opened.dispose();
  });
});

async function until(probe: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
