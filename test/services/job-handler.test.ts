import type { OutboxJob } from '../../src/domain/changes';
import type { Incident } from '../../src/domain/types';
import { createJobHandler, type JobHandlerDeps } from '../../src/services/job-handler';
import { OutboxWorker, PermanentJobError } from '../../src/services/outbox';
import type { StoredJob } from '../../src/storage';
import type { SqliteStore } from '../../src/storage/sqlite/sqlite-store';
import { FakeSlack, fakeRenderer, openTempStore, storedIncident } from './fakes';

const NOW = Date.UTC(2026, 1, 20, 10, 30);

/** Matches a {@link PermanentJobError} with exactly this message (the worker gives such a job up). */
const permanent = (message: string) =>
  expect.objectContaining({ name: 'PermanentJobError', message, constructor: PermanentJobError });

describe('createJobHandler', () => {
  let opened: ReturnType<typeof openTempStore>;
  let store: SqliteStore;
  let slack: FakeSlack;
  let incident: Incident;

  const handler = (over: Partial<JobHandlerDeps> = {}) =>
    createJobHandler({
      store,
      slack,
      clock: () => NOW,
      renderer: fakeRenderer,
      timeZone: 'Europe/Berlin',
      ...over,
    });

  /** Queues jobs for the incident and returns them as stored (with their ids). */
  const queue = async (...jobs: OutboxJob[]): Promise<StoredJob[]> => {
    const before = new Set((await store.dueJobs(Number.MAX_SAFE_INTEGER, 1000)).map((j) => j.id));
    await store.applyChange(incident.id, { outbox: jobs }, NOW);
    return (await store.dueJobs(Number.MAX_SAFE_INTEGER, 1000)).filter((j) => !before.has(j.id));
  };
  const stored = (job: OutboxJob, incidentId: string | null = incident.id): StoredJob => ({
    id: 99,
    incidentId,
    job,
    attempts: 0,
    nextAttemptAt: NOW,
    createdAt: NOW,
    claims: 1,
  });

  beforeEach(async () => {
    opened = openTempStore();
    store = opened.store;
    slack = new FakeSlack();
    incident = await storedIncident(store, { channelId: 'CINC' });
  });

  afterEach(async () => {
    await opened.dispose();
  });

  describe('post_message', () => {
    it('posts the text and blocks; without comms nothing follows', async () => {
      const result = await handler()(
        stored({ type: 'post_message', channel: 'CX', text: 'hi', blocks: [{ b: 1 }] }),
      );
      expect(result).toBeUndefined();
      expect(slack.calls).toEqual([{ method: 'postMessage', args: ['CX', 'hi', [{ b: 1 }], 'job-99'] }]);
    });

    it('looks for its post before posting again when an earlier claim never reported back, but not in a DM', async () => {
      const retried = (channel: string) => ({
        ...stored({ type: 'post_message', channel, text: 'hi' }),
        claims: 2,
      });
      await handler()(retried('CX'));
      expect(slack.calls.map((c) => c.method)).toEqual(['findPosted', 'postMessage']);
      slack.calls.length = 0;
      // A DM to a user (an overdue action item): its history cannot be read with our scopes.
      await handler()(retried('UOWNER'));
      expect(slack.calls.map((c) => c.method)).toEqual(['postMessage']);
    });

    it('returns the communication-log row as the follow-up, as the job says', async () => {
      const result = await handler()(
        stored({
          type: 'post_message',
          channel: 'CANNOUNCE',
          text: '*INC* · :bulb: *Status: identified*',
          comms: {
            channelLabel: 'Announcements',
            audience: 'Stakeholders',
            sentBy: 'UBOB',
            summary: 'Status investigating → identified',
            at: NOW - 60_000,
            status: 'identified',
          },
        }),
      );
      expect(result).toEqual({
        comms: [
          {
            at: NOW - 60_000,
            channelId: 'CANNOUNCE',
            channelLabel: 'Announcements',
            summary: 'Status investigating → identified',
            audience: 'Stakeholders',
            sentBy: 'UBOB',
            status: 'identified',
          },
        ],
      });
    });

    it('defaults the log row to now, the posted text and the incident’s status when the job is run', async () => {
      await store.applyChange(incident.id, { incident: { ...incident, status: 'monitoring' } }, NOW);
      const result = await handler()(
        stored({
          type: 'post_message',
          channel: 'CINC',
          text: 'Postmortem summary',
          comms: { channelLabel: '#inc', audience: 'Responders', sentBy: null },
        }),
      );
      expect(result).toEqual({
        comms: [
          {
            at: NOW,
            channelId: 'CINC',
            channelLabel: '#inc',
            summary: 'Postmortem summary',
            audience: 'Responders',
            sentBy: null,
            status: 'monitoring',
          },
        ],
      });
    });

    it('logs nothing for a job without an incident', async () => {
      const job: OutboxJob = {
        type: 'post_message',
        channel: 'CX',
        text: 'x',
        comms: { channelLabel: '#x', audience: 'Responders', sentBy: null },
      };
      expect(await handler()(stored(job, null))).toBeUndefined();
      expect(slack.argsOf('postMessage')).toEqual([['CX', 'x', undefined, 'job-99']]);
    });

    it('lets Slack’s error through, so the worker can retry, and logs nothing', async () => {
      const refusal = Object.assign(new Error('ratelimited'), { code: 'slack_webapi_rate_limited_error' });
      slack = new FakeSlack({
        postMessage: async () => {
          throw refusal;
        },
      });
      const job: OutboxJob = {
        type: 'post_message',
        channel: 'CX',
        text: 'x',
        comms: { channelLabel: '#x', audience: 'Responders', sentBy: null },
      };
      await expect(handler()(stored(job))).rejects.toBe(refusal);
    });
  });

  describe('refresh_card', () => {
    it('posts the card drawn from the incident as it is now, stores its ts and queues the pin', async () => {
      const [job] = await queue({ type: 'refresh_card' });
      await store.applyChange(incident.id, { incident: { ...incident, status: 'identified' } }, NOW);
      const result = await handler()(job!);
      expect(slack.calls).toEqual([
        {
          method: 'postMessage',
          args: [
            'CINC',
            `card ${incident.id} P2 identified`,
            [{ card: incident.id, status: 'identified', roles: 0, timeZone: 'Europe/Berlin', now: NOW }],
            // The job's key, so a retry after a crash finds this post instead of posting again.
            `job-${job!.id}`,
          ],
        },
      ]);
      expect((await store.getIncident(incident.id))?.cardTs).toBe('1800000000.000001');
      expect(result).toEqual({ outbox: [{ type: 'pin_message', channel: 'CINC', ts: '1800000000.000001' }] });
    });

    it('updates the card in place once it exists, with the current roles', async () => {
      await store.setCardTs(incident.id, '1700000000.000500');
      await store.applyChange(
        incident.id,
        { newRoleTerms: [{ role: 'ic', userId: 'UALICE', from: NOW, to: null, assignedBy: 'UALICE' }] },
        NOW,
      );
      const [job] = await queue({ type: 'refresh_card' });
      expect(await handler()(job!)).toBeUndefined();
      expect(slack.calls).toEqual([
        {
          method: 'updateMessage',
          args: [
            'CINC',
            '1700000000.000500',
            `card ${incident.id} P2 investigating`,
            [{ card: incident.id, status: 'investigating', roles: 1, timeZone: 'Europe/Berlin', now: NOW }],
          ],
        },
      ]);
    });

    it('skips a refresh that a later queued refresh supersedes', async () => {
      const [older, newer] = await queue({ type: 'refresh_card' }, { type: 'refresh_card' });
      expect(await handler()(older!)).toBeUndefined();
      expect(slack.calls).toEqual([]);
      expect(await handler()(newer!)).toEqual({ outbox: [expect.objectContaining({ type: 'pin_message' })] });
      expect(slack.argsOf('postMessage')).toHaveLength(1);
    });

    it('fails for good without an incident, or when the incident has no channel', async () => {
      await expect(handler()(stored({ type: 'refresh_card' }, null))).rejects.toEqual(
        permanent('refresh_card without an incident'),
      );
      await expect(handler()(stored({ type: 'refresh_card' }, 'INC-2026-404'))).rejects.toEqual(
        permanent('no channel for INC-2026-404'),
      );
      const draft = await store.createIncident({ ...incident, channelId: null, channelName: null }, 2026);
      await expect(handler()(stored({ type: 'refresh_card' }, draft.id))).rejects.toBeInstanceOf(
        PermanentJobError,
      );
      expect(slack.calls).toEqual([]);
    });

    it('through the outbox worker: the card is posted once, then pinned by a job of its own that is retried', async () => {
      let pinFailures = 1;
      slack = new FakeSlack({
        pin: async () => {
          if (pinFailures-- > 0)
            throw Object.assign(new Error('timeout'), { code: 'slack_webapi_request_error' });
        },
      });
      let now = NOW;
      const worker = new OutboxWorker(
        store,
        () => now,
        () => undefined,
        { baseDelayMs: 1000, maxDelayMs: 1000, maxAttempts: 3 },
      );
      worker.handleWith(handler());
      await queue({ type: 'refresh_card' });
      worker.kick();
      await worker.idle();
      now += 1000;
      await worker.idle();
      await worker.stop();
      expect(slack.calls.map((c) => c.method)).toEqual(['postMessage', 'pin', 'pin']);
      expect(slack.argsOf('pin')[1]).toEqual(['CINC', '1800000000.000001']);
      expect(await store.pendingJobs()).toBe(0);
    });
  });

  describe('other jobs', () => {
    it('pins the message named', async () => {
      expect(
        await handler()(stored({ type: 'pin_message', channel: 'CINC', ts: '1.000002' })),
      ).toBeUndefined();
      expect(slack.calls).toEqual([{ method: 'pin', args: ['CINC', '1.000002'] }]);
    });

    it('hands job types owned by other services to their handlers, returning what they return', async () => {
      const seen: StoredJob[] = [];
      const job = stored({ type: 'publish_postmortem', version: 2, closedBy: 'UBOB', responseUrl: null });
      const result = await handler({
        extra: {
          publish_postmortem: async (j) => {
            seen.push(j);
            return { outbox: [{ type: 'upload_postmortem', version: 2 }] };
          },
        },
      })(job);
      expect(seen).toEqual([job]);
      expect(result).toEqual({ outbox: [{ type: 'upload_postmortem', version: 2 }] });
    });

    it('fails for good on a job type nobody handles', async () => {
      const job = stored({ type: 'fetch_message', channel: 'CINC', ts: '1.000001', threadTs: null });
      await expect(handler()(job)).rejects.toEqual(permanent('no handler for job type fetch_message'));
      await expect(
        handler({ extra: { publish_postmortem: async () => undefined } })(job),
      ).rejects.toBeInstanceOf(PermanentJobError);
    });
  });
});
