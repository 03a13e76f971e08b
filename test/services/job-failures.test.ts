import { BackgroundTasks } from '../../src/services/background-tasks';
import { jobFailureNotice, reportJobFailures } from '../../src/services/job-failures';
import type { Responder } from '../../src/services/slack-gateway';
import type { StoredJob } from '../../src/storage';

const URL = 'https://hooks.example/response/1';

const job = (over: Partial<StoredJob> = {}): StoredJob => ({
  id: 7,
  incidentId: 'INC-2026-001',
  job: {
    type: 'post_message',
    channel: 'C1',
    text: 'summary',
    notify: URL,
  },
  attempts: 0,
  nextAttemptAt: 0,
  createdAt: 0,
  claims: 1,
  ...over,
});

describe('jobFailureNotice', () => {
  it('tells the closer on the first failure where the document is, and that Firewatch keeps trying', () => {
    const notice = jobFailureNotice(job(), 'ratelimited', true, 'data/postmortems');
    expect(notice?.responseUrl).toBe(URL);
    expect(notice?.text).toContain(
      ':hourglass: Slack did not take the postmortem of INC-2026-001 yet (ratelimited).',
    );
    expect(notice?.text).toContain('`data/postmortems/INC-2026-001.md`');
    expect(notice?.text).toContain('Firewatch keeps trying');
  });

  it('says nothing on later retries, and tells once more when Firewatch gives up', () => {
    expect(jobFailureNotice(job({ attempts: 3 }), 'ratelimited', true, 'pm')).toBeNull();
    const last = jobFailureNotice(job({ attempts: 24 }), 'channel_not_found', false, 'pm');
    expect(last?.text).toContain(':x: Slack refused the postmortem of INC-2026-001 (channel_not_found).');
    expect(last?.text).toContain('`/incident close` again after `/incident reopen`');
  });

  it('uses the response_url of publish_postmortem, and is silent for jobs that name nobody', () => {
    const publish = job({
      job: { type: 'publish_postmortem', version: 1, closedBy: 'U1', responseUrl: URL },
    });
    expect(jobFailureNotice(publish, 'boom', true, 'pm')?.responseUrl).toBe(URL);
    expect(jobFailureNotice(job({ job: { type: 'refresh_card' } }), 'boom', true, 'pm')).toBeNull();
    expect(
      jobFailureNotice(
        job({ job: { type: 'post_message', channel: 'C1', text: 'x', notify: null } }),
        'boom',
        false,
        'pm',
      ),
    ).toBeNull();
  });
});

describe('reportJobFailures', () => {
  it('logs every failure and sends the notice ephemerally through the responder of the job’s response_url', async () => {
    const logged: { message: string; fields: Record<string, unknown> }[] = [];
    const sent: { url: string; text: string; how: string }[] = [];
    const responderAt = (url: string): Responder => ({
      ephemeral: async (text) => {
        sent.push({ url, text, how: 'ephemeral' });
      },
      inChannel: async (text) => {
        sent.push({ url, text, how: 'in_channel' });
      },
    });
    const tasks = new BackgroundTasks((error) => {
      throw error;
    });
    const listener = reportJobFailures({
      tasks,
      responderAt,
      postmortemDir: 'pm',
      log: (message, fields) => logged.push({ message, fields }),
    });
    listener(job(), new Error('ratelimited'), true);
    listener(job({ attempts: 1 }), new Error('ratelimited'), true);
    await tasks.idle();
    const fields = { incident: 'INC-2026-001', job: 7, jobType: 'post_message', reason: 'ratelimited' };
    expect(logged).toEqual([
      { message: 'outbox job failed, will retry', fields: { ...fields, attempt: 1 } },
      { message: 'outbox job failed, will retry', fields: { ...fields, attempt: 2 } },
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ url: URL, how: 'ephemeral' });
    expect(sent[0]!.text).toContain('Firewatch keeps trying');
  });
});
