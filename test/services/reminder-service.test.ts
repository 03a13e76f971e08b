import { DEFAULT_UPDATE_INTERVALS } from '../../src/domain/reminders';
import type { Every } from '../../src/services/clock';
import { ReminderService } from '../../src/services/reminder-service';
import { fakeRenderer, openTempStore, storedIncident } from './fakes';

const T0 = Date.UTC(2026, 1, 20, 10, 0);
const MIN = 60_000;

describe('ReminderService', () => {
  let opened: ReturnType<typeof openTempStore>;
  let now: number;
  let kicks: number;
  let errors: unknown[];

  const service = (every?: Every) =>
    new ReminderService({
      store: opened.store,
      clock: () => now,
      renderer: fakeRenderer,
      settings: { timeZone: 'UTC', updateReminders: DEFAULT_UPDATE_INTERVALS },
      onQueued: () => {
        kicks += 1;
      },
      onError: (error) => errors.push(error),
      ...(every ? { every } : {}),
    });

  beforeEach(() => {
    opened = openTempStore();
    now = T0;
    kicks = 0;
    errors = [];
  });

  afterEach(async () => {
    await opened.dispose();
  });

  it('queues each due reminder with its post once, and kicks the outbox only when it queued something', async () => {
    const incident = await storedIncident(opened.store, { severity: 'P1', declaredAt: T0 });
    const reminders = service();
    now = T0 + 14 * MIN;
    expect(await reminders.check()).toBe(0);
    now = T0 + 15 * MIN;
    expect(await reminders.check()).toBe(1);
    expect(await reminders.check()).toBe(0);
    expect(kicks).toBe(1);
    const [job] = await opened.store.dueJobs(Number.MAX_SAFE_INTEGER, 10);
    expect(job).toMatchObject({
      incidentId: incident.id,
      job: { type: 'post_message', channel: incident.channelId, text: `update ${incident.id} UALICE` },
    });
  });

  it('fires once when several checks run on the same database at once (the race across processes: test/storage/postgres)', async () => {
    await storedIncident(opened.store, { severity: 'P1', declaredAt: T0 });
    now = T0 + 16 * MIN;
    const counts = await Promise.all([service().check(), service().check(), service().check()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await opened.store.pendingJobs()).toBe(1);
  });

  it('joins a check under way instead of running a second one', async () => {
    await storedIncident(opened.store, { severity: 'P1', declaredAt: T0 });
    now = T0 + 16 * MIN;
    const reminders = service();
    const [a, b] = [reminders.check(), reminders.check()];
    expect(a).toBe(b);
    expect(await a).toBe(1);
  });

  it('checks on the injected timer from start() until stop(), reporting a failed check and going on', async () => {
    const ticks: (() => Promise<void>)[] = [];
    let cancelled = 0;
    const every: Every = (ms, tick) => {
      expect(ms).toBe(30_000);
      ticks.push(tick);
      return () => {
        cancelled += 1;
      };
    };
    await storedIncident(opened.store, { severity: 'P1', declaredAt: T0 });
    const reminders = service(every);
    reminders.start(30_000);
    reminders.start(30_000);
    expect(ticks).toHaveLength(1);

    now = T0 + 15 * MIN;
    await ticks[0]!();
    expect(await opened.store.pendingJobs()).toBe(1);

    await opened.store.close();
    await ticks[0]!();
    expect(errors).toHaveLength(1);

    await reminders.stop();
    expect(cancelled).toBe(1);
    // A zero period means no timer at all.
    service(every).start(0);
    expect(ticks).toHaveLength(1);
  });
});
