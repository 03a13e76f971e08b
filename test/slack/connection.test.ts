import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { SlackEmulator } from '../../src/emulator';
import {
  failureReason,
  Reconnector,
  refusedToken,
  retryDelayMs,
  type SlackStatus,
  TokenRefusedError,
} from '../../src/slack/connection';

/** The error a real WebClient throws when the emulator answers auth.test with `failure`. */
async function errorFor(failure: Parameters<SlackEmulator['failNext']>[1]): Promise<unknown> {
  const slack = await SlackEmulator.start();
  try {
    slack.failNext('auth.test', failure);
    const client = new WebClient('xoxb-t', {
      slackApiUrl: slack.url,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    });
    return await client.auth.test().then(
      () => null,
      (error: unknown) => error,
    );
  } finally {
    await slack.stop();
  }
}

describe('classifying Slack errors (real WebClient errors from the emulator)', () => {
  it('a refused token is a refusal; 5xx, 429, a dropped connection and internal_error are not', async () => {
    expect(refusedToken(await errorFor({ error: 'invalid_auth' }))).toBe('invalid_auth');
    expect(refusedToken(await errorFor({ error: 'token_revoked' }))).toBe('token_revoked');
    for (const failure of [
      { status: 500 as const },
      { status: 429 as const, retryAfter: 7 },
      { network: true as const },
      { error: 'internal_error' },
    ]) {
      expect(refusedToken(await errorFor(failure))).toBeNull();
    }
  });

  it('names the reason in a few words', async () => {
    expect(failureReason(await errorFor({ status: 503 }))).toBe('HTTP 503');
    expect(failureReason(await errorFor({ status: 429, retryAfter: 7 }))).toBe(
      'rate limited, retry after 7 s',
    );
    expect(failureReason(await errorFor({ error: 'fatal_error' }))).toBe('fatal_error');
  });

  it('back-off doubles from the base, is capped, and waits at least what Retry-After asks', async () => {
    const backoff = { baseMs: 1000, maxMs: 60_000 };
    const plain = new Error('x');
    expect([0, 1, 2, 3, 5, 6, 20, 100].map((n) => retryDelayMs(n, plain, backoff))).toEqual([
      1000, 2000, 4000, 8000, 32_000, 60_000, 60_000, 60_000,
    ]);
    const limited = await errorFor({ status: 429, retryAfter: 30 });
    expect((limited as { code?: string }).code).toBe(ErrorCode.RateLimitedError);
    expect(retryDelayMs(0, limited, backoff)).toBe(30_000);
    expect(retryDelayMs(6, limited, backoff)).toBe(60_000);
    expect(retryDelayMs(0, await errorFor({ status: 429, retryAfter: 120 }), backoff)).toBe(120_000);
  });
});

describe('Reconnector', () => {
  const platform = (error: string) =>
    Object.assign(new Error(error), { code: ErrorCode.PlatformError, data: { ok: false, error } });

  it('retries with back-off until an attempt succeeds, reporting each status change once', async () => {
    const outcomes = [new Error('down'), new Error('down'), null];
    const statuses: SlackStatus[] = [];
    const warnings: string[] = [];
    let attempts = 0;
    const r = new Reconnector({
      variable: 'SLACK_BOT_TOKEN',
      backoff: { baseMs: 5, maxMs: 20 },
      warn: (line) => warnings.push(line),
      onRefused: () => undefined,
      onStatus: (s) => statuses.push(s),
      attempt: async () => {
        const outcome = outcomes[attempts++];
        if (outcome) throw outcome;
      },
    });
    await r.start();
    expect(r.status).toBe('unreachable');
    while (r.status !== 'ok') await new Promise((resolve) => setTimeout(resolve, 5));
    expect(attempts).toBe(3);
    expect(statuses).toEqual(['unreachable', 'ok']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^Slack is unreachable for SLACK_BOT_TOKEN \(down\); retrying in /);
    r.stop();
  });

  it('a refusal at the first attempt rejects start(); later, it is handed to onRefused and retrying stops', async () => {
    const first = new Reconnector({
      variable: 'SLACK_APP_TOKEN',
      backoff: { baseMs: 5, maxMs: 20 },
      warn: () => undefined,
      onRefused: () => undefined,
      attempt: async () => {
        throw platform('invalid_auth');
      },
    });
    await expect(first.start()).rejects.toEqual(new TokenRefusedError('SLACK_APP_TOKEN', 'invalid_auth'));

    const refused: string[] = [];
    let attempts = 0;
    const later = new Reconnector({
      variable: 'SLACK_BOT_TOKEN',
      backoff: { baseMs: 5, maxMs: 20 },
      warn: () => undefined,
      onRefused: (e) => refused.push(e.message),
      attempt: async () => {
        attempts += 1;
        throw attempts === 1 ? new Error('down') : platform('account_inactive');
      },
    });
    await later.start();
    while (refused.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(refused).toEqual(['SLACK_BOT_TOKEN: Slack refused the bot token (account_inactive)']);
    expect(attempts).toBe(2);
  });

  it('retry() after a drop reconnects once, however often it is called', async () => {
    let attempts = 0;
    const r = new Reconnector({
      variable: 'SLACK_APP_TOKEN',
      backoff: { baseMs: 5, maxMs: 20 },
      warn: () => undefined,
      onRefused: () => undefined,
      attempt: async () => {
        attempts += 1;
      },
    });
    await r.start();
    r.retry();
    r.retry();
    r.retry();
    expect(r.status).toBe('unreachable');
    while (r.status !== 'ok') await new Promise((resolve) => setTimeout(resolve, 5));
    expect(attempts).toBe(2);
    r.stop();
  });

  it('recheck() asks once, however often it is called, keeping the status until the answer', async () => {
    let attempts = 0;
    let failing = false;
    const statuses: SlackStatus[] = [];
    const r = new Reconnector({
      variable: 'SLACK_BOT_TOKEN',
      backoff: { baseMs: 5, maxMs: 20 },
      warn: () => undefined,
      onRefused: () => undefined,
      onStatus: (status) => statuses.push(status),
      attempt: async () => {
        attempts += 1;
        if (failing) throw Object.assign(new Error('down'), { code: ErrorCode.RequestError });
      },
    });
    await r.start();
    r.recheck();
    r.recheck();
    expect(r.status).toBe('ok');
    while (attempts < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(attempts).toBe(2);
    expect(statuses).toEqual(['ok']);
    // Slack gone: the recheck finds out, and retries with back-off until it is back.
    failing = true;
    r.recheck();
    const status = (): SlackStatus => r.status;
    while (status() !== 'unreachable') await new Promise((resolve) => setTimeout(resolve, 5));
    failing = false;
    while (status() !== 'ok') await new Promise((resolve) => setTimeout(resolve, 5));
    expect(statuses).toEqual(['ok', 'unreachable', 'ok']);
    r.stop();
    r.recheck();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const after = attempts;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(attempts).toBe(after);
  });
});
