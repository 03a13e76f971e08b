import fs from 'node:fs';
import path from 'node:path';
import type { RecordedCall } from '../../src/emulator';
import {
  classifyError,
  DEFAULT_OUTBOX_OPTIONS,
  OutboxWorker,
  PermanentJobError,
  retryDelay,
} from '../../src/services/outbox';
import { classifySlackError } from '../../src/slack/gateway';
import { Harness } from '../support/harness';
import { bareIncident, openTempStore } from './fakes';

const platformError = (error: string) => ({
  code: 'slack_webapi_platform_error',
  data: { ok: false, error },
});

describe('classifySlackError (the gateway boundary)', () => {
  it.each([
    'channel_not_found',
    'is_archived',
    'not_in_channel',
    'invalid_blocks',
    'msg_too_long',
    'invalid_auth',
    'token_revoked',
    'missing_scope',
  ])('turns %s into a PermanentJobError that the outbox never retries', (code) => {
    const error = classifySlackError('chat.postMessage', platformError(code));
    expect(error).toBeInstanceOf(PermanentJobError);
    expect((error as PermanentJobError).slackError).toBe(code);
    expect((error as Error).message).toBe(`Slack refused chat.postMessage: ${code}`);
    expect(classifyError(error)).toEqual({ retry: false });
  });

  it('passes rate limits, HTTP, network and transient Slack errors on unchanged, to be retried', () => {
    const transient = [
      { code: 'slack_webapi_rate_limited_error', retryAfter: 3 },
      { code: 'slack_webapi_http_error', statusCode: 500 },
      { code: 'slack_webapi_request_error', original: new Error('The operation was aborted due to timeout') },
      platformError('internal_error'),
      platformError('service_unavailable'),
      new Error('Failed to upload file (id:F1, filename: INC-2026-001.md)'),
    ];
    for (const error of transient) {
      expect(classifySlackError('files.uploadV2', error)).toBe(error);
      expect(classifyError(error).retry).toBe(true);
    }
    expect(classifyError(transient[0])).toEqual({ retry: true, afterMs: 3000 });
  });
});

describe('retryDelay', () => {
  it('doubles from the base up to the cap, and never comes before Retry-After', () => {
    const options = { baseDelayMs: 1000, maxDelayMs: 5000, maxAttempts: 10 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, { retry: true }, options))).toEqual([
      1000, 2000, 4000, 5000, 5000,
    ]);
    expect(retryDelay(1, { retry: true, afterMs: 30_000 }, options)).toBe(30_000);
  });

  it('gives a job that keeps failing about an hour and a half by default, never forever', () => {
    let total = 0;
    for (let n = 1; n < DEFAULT_OUTBOX_OPTIONS.maxAttempts; n += 1) {
      total += retryDelay(n, { retry: true }, DEFAULT_OUTBOX_OPTIONS);
    }
    expect(total / 60_000).toBeGreaterThan(85);
    expect(total / 60_000).toBeLessThan(95);
  });
});

describe('OutboxWorker with a Slack that keeps failing', () => {
  it('fails a transient failure for good after maxAttempts, and says so to the listener once', async () => {
    const store = openTempStore().store;
    let now = 1_000_000;
    const incident = await bareIncident(store, now);
    const heard: boolean[] = [];
    const worker = new OutboxWorker(
      store,
      () => now,
      (_job, _error, willRetry) => heard.push(willRetry),
      { baseDelayMs: 1000, maxDelayMs: 2000, maxAttempts: 3 },
    );
    let calls = 0;
    worker.handleWith(async () => {
      calls += 1;
      throw { code: 'slack_webapi_http_error', message: 'HTTP 503' };
    });
    await store.applyChange(
      incident.id,
      { outbox: [{ type: 'post_message', channel: 'C1', text: 'x' }] },
      now,
    );
    worker.kick();
    await worker.idle();
    expect(await store.nextJobAt()).toBe(now + 1000);
    now += 1000;
    await worker.idle();
    expect(await store.nextJobAt()).toBe(now + 2000);
    now += 2000;
    await worker.idle();
    expect(calls).toBe(3);
    expect(heard).toEqual([true, true, false]);
    expect(await store.pendingJobs()).toBe(0);
    expect(await store.failedJobs(0)).toBe(1);
    now += 60_000;
    await worker.idle();
    expect(calls).toBe(3);
    await worker.stop();
    await store.close();
  });

  it('waits out Slack’s Retry-After when it is longer than the back-off', async () => {
    const store = openTempStore().store;
    const now = 1_000_000;
    const incident = await bareIncident(store, now);
    const worker = new OutboxWorker(
      store,
      () => now,
      () => undefined,
      { baseDelayMs: 1000, maxDelayMs: 2000, maxAttempts: 3 },
    );
    worker.handleWith(async () => {
      throw { code: 'slack_webapi_rate_limited_error', retryAfter: 7 };
    });
    await store.applyChange(
      incident.id,
      { outbox: [{ type: 'post_message', channel: 'C1', text: 'x' }] },
      now,
    );
    worker.kick();
    await worker.idle();
    expect(await store.nextJobAt()).toBe(now + 7000);
    await worker.stop();
    await store.close();
  });
});

const isSummary = (channel: string) => (c: RecordedCall) =>
  c.method === 'chat.postMessage' && c.args.channel === channel && /postmortem/i.test(String(c.args.text));

describe('the postmortem when Slack refuses it for good', () => {
  it('fails the summary and the upload at once (no retries), shows them in /healthz and tells the closer once each', async () => {
    const h = await Harness.start();
    try {
      const { channel, incident } = await h.declare('P2 Queue backlog');
      await h.idle();
      h.slack.failAlways('files.getUploadURLExternal', { error: 'not_in_channel' });
      h.slack.failAlways('chat.postMessage', { error: 'is_archived' });
      const close = await h.slash('close', { channel });
      expect(close.status).toBe(200);
      await h.idle();

      expect(await h.store.postmortems(incident.id)).toHaveLength(1);
      expect(await h.store.pendingJobs()).toBe(0);
      // One attempt each: a refusal is never retried.
      expect(h.slack.calls.filter(isSummary(channel))).toHaveLength(1);
      expect(h.slack.callsTo('files.getUploadURLExternal')).toHaveLength(1);
      const failed = await h.store.failedJobs(0);
      expect(failed).toBeGreaterThanOrEqual(2);

      const health = await fetch(`${h.baseUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({
        status: 'degraded',
        checks: { db: 'ok', outbox: `${failed} failed`, slack: 'ok' },
      });

      const told = h.slack.responsesFor(close.responseUrl).map((r) => String(r.body.text));
      const refusals = told.filter((t) => t.startsWith(':x:'));
      expect(refusals).toEqual([
        expect.stringContaining(
          `Slack refused the postmortem of ${incident.id} (Slack refused chat.postMessage: is_archived)`,
        ),
        expect.stringContaining(
          `Slack refused the Markdown file of the postmortem of ${incident.id} (Slack refused files.uploadV2: not_in_channel)`,
        ),
      ]);
      expect(told.some((t) => t.startsWith(':hourglass:'))).toBe(false);
    } finally {
      await h.stop();
    }
  });
});

describe('the postmortem when POSTMORTEM_DIR cannot be written', () => {
  it('still posts the summary and uploads the stored document, and tells the closer about the file', async () => {
    const h = await Harness.start();
    try {
      const { channel, incident } = await h.declare('P3 Disk full');
      // The folder becomes a file after start-up: every write into it fails (ENOTDIR / EEXIST).
      fs.rmSync(h.config.postmortemDir, { recursive: true, force: true });
      fs.writeFileSync(h.config.postmortemDir, 'not a folder');
      const close = await h.slash('close', { channel });
      await h.idle();

      const [record] = await h.store.postmortems(incident.id);
      expect(record?.version).toBe(1);
      expect(h.slack.calls.filter(isSummary(channel))).toHaveLength(1);
      const uploaded = h.slack.callsTo('files.completeUploadExternal');
      expect(uploaded).toHaveLength(1);
      const [file] = h.slack.state.files.values();
      expect(file?.bytes?.toString('utf8')).toBe(record!.markdown);
      expect(await h.store.pendingJobs()).toBe(0);
      expect(await h.store.failedJobs(0)).toBe(0);

      const told = h.slack.responsesFor(close.responseUrl).map((r) => String(r.body.text));
      const warning = told.filter((t) => t.startsWith(':warning: The postmortem'));
      expect(warning).toHaveLength(1);
      expect(warning[0]).toContain(
        `could not be written to \`${path.join(h.config.postmortemDir, `${incident.id}.md`)}\``,
      );
      expect(warning[0]).toContain('stored in the database and posted here all the same');
      const health = await fetch(`${h.baseUrl}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', checks: { db: 'ok', outbox: 'ok', slack: 'ok' } });
    } finally {
      await h.stop();
    }
  });
});
