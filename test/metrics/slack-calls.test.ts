/** Web API calls counted by method and outcome, against the emulator's real answers. */
import { LogLevel } from '@slack/web-api';
import { SlackEmulator } from '../../src/emulator';
import { MeteredWebClient, type SlackCallOutcome, unreachableOutcome } from '../../src/metrics/slack-calls';

describe('MeteredWebClient', () => {
  let slack: SlackEmulator;
  beforeAll(async () => {
    slack = await SlackEmulator.start();
  });
  afterAll(() => slack.stop());

  function client(retries = 0, timeout = 2000) {
    const calls: [string, SlackCallOutcome][] = [];
    let retried = 0;
    const web = new MeteredWebClient(
      'xoxb-t',
      {
        slackApiUrl: slack.url,
        rejectRateLimitedCalls: true,
        retryConfig: { retries, factor: 1, minTimeout: 1, maxTimeout: 1 },
        timeout,
        logLevel: LogLevel.ERROR,
      },
      { call: (method, outcome) => calls.push([method, outcome]), retry: () => (retried += 1) },
    );
    return { web, calls, retried: () => retried };
  }

  it('reports ok, error, ratelimited, http_error, network and timeout by method', async () => {
    const { web, calls } = client();
    await web.auth.test();
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await expect(web.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toBeDefined();
    slack.failNext('chat.update', { status: 429, retryAfter: 1 });
    await expect(web.chat.update({ channel: 'C1', ts: '1.2', text: 'x' })).rejects.toBeDefined();
    slack.failNext('pins.add', { status: 503 });
    await expect(web.pins.add({ channel: 'C1', timestamp: '1.2' })).rejects.toBeDefined();
    slack.failNext('users.info', { network: true });
    await expect(web.users.info({ user: 'U1' })).rejects.toBeDefined();
    // A method outside the fixed list is `other`: label values stay bounded.
    await web.apiCall('emoji.list').catch(() => undefined);
    expect(calls).toEqual([
      ['auth.test', 'ok'],
      ['chat.postMessage', 'error'],
      ['chat.update', 'ratelimited'],
      ['pins.add', 'http_error'],
      ['users.info', 'network'],
      ['other', expect.stringMatching(/^(ok|error)$/)],
    ]);
  });

  it('reports a request Slack never answers as timeout', async () => {
    const { web, calls } = client(0, 100);
    slack.failNext('views.open', { hang: true });
    await expect(web.views.open({ trigger_id: 't', view: { type: 'modal' } as never })).rejects.toBeDefined();
    expect(calls).toEqual([['views.open', 'timeout']]);
  });

  it('counts the retries of the client, and the call once with its final outcome', async () => {
    const { web, calls, retried } = client(2);
    slack.failNext('conversations.history', { status: 500 }, 2);
    await web.conversations.history({ channel: 'C1' }).catch(() => undefined);
    expect(retried()).toBe(2);
    expect(calls).toEqual([['conversations.history', expect.any(String)]]);
  });

  it('asks Slack again only for outcomes that may mean it is unreachable', () => {
    expect(
      ['ok', 'error', 'ratelimited', 'http_error', 'network', 'timeout'].filter((o) =>
        unreachableOutcome(o as never),
      ),
    ).toEqual(['http_error', 'network', 'timeout']);
  });
});
