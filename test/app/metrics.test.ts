/**
 * GET /metrics over real HTTP after a scripted incident: the output parses as Prometheus text and
 * carries every Firewatch series, with bounded label values.
 */

import { Harness } from '../support/harness';
import { type Family, parsePrometheusText, sampleValue } from '../support/prometheus-text';

const base = Math.floor(Date.now() / 1000) - 3600;
const tsAt = (n: number) => `${base + n}.000100`;

async function scrape(h: Harness): Promise<{ families: Map<string, Family>; contentType: string }> {
  const res = await fetch(`${h.baseUrl}/metrics`);
  expect(res.status).toBe(200);
  return {
    families: parsePrometheusText(await res.text()),
    contentType: res.headers.get('content-type') ?? '',
  };
}

describe('GET /metrics', () => {
  let h: Harness;
  let families: Map<string, Family>;
  let channel: string;
  let incidentId: string;
  const value = (name: string, labels: Record<string, string> = {}) => sampleValue(families, name, labels);

  beforeAll(async () => {
    h = await Harness.start();
    ({
      channel,
      incident: { id: incidentId },
    } = await h.declare('P2 Checkout errors for some customers'));
    const message = {
      type: 'message',
      channel,
      user: 'UBOB',
      text: 'secret user text',
      channel_type: 'channel',
    };
    await h.event({ ...message, ts: tsAt(1), event_ts: tsAt(1) }, { eventId: 'EvOne' });
    // The same delivery again (a Slack retry): deduplicated.
    await h.event({ ...message, ts: tsAt(1), event_ts: tsAt(1) }, { eventId: 'EvOne', retryNum: 1 });
    await h.event({ ...message, ts: 'abc', event_ts: tsAt(2) }, { eventId: 'EvBad' });
    await h.event({ ...message, channel: 'CGENERAL', ts: tsAt(3), event_ts: tsAt(3) }, { eventId: 'EvElse' });
    // The bot's own post in the channel: Bolt drops it, counted as ignored (self).
    await h.event(
      { ...message, user: h.slack.botUserId, bot_id: h.slack.botId, ts: tsAt(4), event_ts: tsAt(4) },
      { eventId: 'EvSelf' },
    );
    await h.event(
      {
        type: 'reaction_added',
        user: 'UBOB',
        reaction: 'pushpin',
        item: { type: 'message', channel, ts: tsAt(1) },
      },
      { eventId: 'EvPin' },
    );
    // Slack answers one post with 429: the outbox waits it out.
    h.slack.failNext('chat.postMessage', { status: 429, retryAfter: 0 });
    const run = async (text: string) => {
      const reply = await h.slash(text, { channel });
      expect(reply.status).toBe(200);
      await h.idle();
    };
    await run('status identified The payment provider rejects our certificate');
    await run('resolve Certificate renewed');
    await run('close');
    // An interaction nobody listens to: acknowledged at once by the boundary.
    await h.interaction({
      type: 'block_actions',
      user: { id: 'UALICE' },
      team: { id: 'T1' },
      actions: [{ action_id: 'nobody_listens', block_id: 'b', type: 'button', value: 'v' }],
      trigger_id: 't',
    });
    await h.idle();
    let contentType: string;
    ({ families, contentType } = await scrape(h));
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
  afterAll(() => h.stop());

  it('names every series firewatch_…, default process metrics included', () => {
    expect(families.size).toBeGreaterThan(20);
    for (const name of families.keys()) expect(name).toMatch(/^firewatch_/);
    expect(families.get('firewatch_process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(families.get('firewatch_process_resident_memory_bytes')?.type).toBe('gauge');
    expect(families.get('firewatch_nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
  });

  it('counts incidents by status and severity (read from the store at scrape time)', () => {
    expect(families.get('firewatch_incidents')?.type).toBe('gauge');
    expect(value('firewatch_incidents', { status: 'closed', severity: 'P2' })).toBe(1);
    expect(value('firewatch_incidents', { status: 'investigating', severity: 'P2' })).toBe(0);
    expect(value('firewatch_incidents', { status: 'investigating', severity: 'P1' })).toBe(0);
  });

  it('counts events received, stored, deduplicated and ignored by type and reason', () => {
    expect(value('firewatch_events_received_total', { type: 'message' })).toBe(5);
    expect(value('firewatch_events_stored_total', { type: 'message' })).toBe(1);
    expect(value('firewatch_events_deduplicated_total', { type: 'message' })).toBe(1);
    expect(value('firewatch_events_ignored_total', { type: 'message', reason: 'malformed' })).toBe(1);
    expect(value('firewatch_events_ignored_total', { type: 'message', reason: 'not_incident' })).toBe(1);
    expect(value('firewatch_events_ignored_total', { type: 'message', reason: 'self' })).toBe(1);
    expect(value('firewatch_events_ignored_total', { type: 'message', reason: 'unhandled' })).toBe(0);
    expect(value('firewatch_events_received_total', { type: 'reaction_added' })).toBe(1);
    expect(value('firewatch_events_stored_total', { type: 'reaction_added' })).toBe(1);
    expect(value('firewatch_events_received_total', { type: 'other' })).toBe(0);
  });

  it('has the ack latency of events, commands and interactions as a histogram', () => {
    expect(families.get('firewatch_ack_duration_seconds')?.type).toBe('histogram');
    expect(value('firewatch_ack_duration_seconds_count', { kind: 'events' })).toBe(6);
    // declare, status, resolve, close.
    expect(value('firewatch_ack_duration_seconds_count', { kind: 'commands' })).toBe(4);
    expect(value('firewatch_ack_duration_seconds_count', { kind: 'interactions' })).toBe(1);
    expect(value('firewatch_ack_duration_seconds_bucket', { kind: 'commands', le: '+Inf' })).toBe(4);
    expect(value('firewatch_ack_duration_seconds_sum', { kind: 'events' })).toBeGreaterThan(0);
  });

  it('counts Web API calls by method and outcome, 429s and retries', () => {
    expect(value('firewatch_slack_api_calls_total', { method: 'auth.test', outcome: 'ok' })).toBe(1);
    expect(value('firewatch_slack_api_calls_total', { method: 'conversations.create', outcome: 'ok' })).toBe(
      1,
    );
    expect(
      value('firewatch_slack_api_calls_total', { method: 'chat.postMessage', outcome: 'ratelimited' }),
    ).toBe(1);
    // The emulator records the refused call too.
    expect(value('firewatch_slack_api_calls_total', { method: 'chat.postMessage', outcome: 'ok' })).toBe(
      h.slack.callsTo('chat.postMessage').length - 1,
    );
    expect(value('firewatch_slack_api_rate_limited_total', { method: 'chat.postMessage' })).toBe(1);
    // The harness runs the client without retries (webApiRetries: 0).
    expect(value('firewatch_slack_api_retries_total')).toBe(0);
  });

  it('has the outbox jobs by state and the age of the oldest pending one', async () => {
    const stats = await h.store.outboxStats();
    expect(stats.done).toBeGreaterThan(3);
    expect(value('firewatch_outbox_jobs', { state: 'done' })).toBe(stats.done);
    expect(value('firewatch_outbox_jobs', { state: 'pending' })).toBe(0);
    expect(value('firewatch_outbox_jobs', { state: 'failed' })).toBe(0);
    expect(value('firewatch_outbox_oldest_pending_age_seconds')).toBe(0);
    // The post Slack answered with 429 was tried again.
    expect(value('firewatch_outbox_retries_total')).toBe(1);
    expect(value('firewatch_outbox_given_up_total')).toBe(0);
  });

  it('counts catch-up runs and messages backfilled, postmortems compiled and their compile time', () => {
    expect(value('firewatch_catch_up_runs_total', { result: 'ok' })).toBe(1);
    expect(value('firewatch_catch_up_runs_total', { result: 'failed' })).toBe(0);
    expect(value('firewatch_catch_up_messages_total')).toBe(0);
    expect(value('firewatch_postmortems_compiled_total')).toBe(1);
    expect(value('firewatch_postmortem_compile_duration_seconds_count')).toBe(1);
    expect(value('firewatch_postmortem_compile_duration_seconds_sum')).toBeGreaterThan(0);
    expect(value('firewatch_ready')).toBe(1);
  });

  it('never puts ids or user text in a label value', () => {
    const values = [...families.values()].flatMap((f) => f.samples.flatMap((s) => Object.values(s.labels)));
    expect(values.length).toBeGreaterThan(100);
    for (const v of values) {
      expect(v).not.toContain(incidentId);
      expect(v).not.toContain(channel);
      expect(v).not.toMatch(/secret|Checkout|certificate|^[CU][A-Z0-9]{5,}$/);
    }
  });

  it('shows a pending job, its age and http_error calls while Slack answers posts with 503', async () => {
    h.slack.failAlways('chat.postMessage', { status: 503 });
    try {
      const queuedAt = Date.now() - 5000;
      await h.store.applyChange(
        incidentId,
        { outbox: [{ type: 'post_message', channel, text: 'late' }] },
        queuedAt,
      );
      h.firewatch.outbox.kick();
      const failing = async () => {
        const now = (await scrape(h)).families;
        // The series appears with the first such call.
        if (
          !now.get('firewatch_slack_api_calls_total')?.samples.some((x) => x.labels.outcome === 'http_error')
        ) {
          return 0;
        }
        return sampleValue(now, 'firewatch_slack_api_calls_total', {
          method: 'chat.postMessage',
          outcome: 'http_error',
        });
      };
      for (let i = 0; i < 100 && (await failing()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      const now = (await scrape(h)).families;
      expect(sampleValue(now, 'firewatch_outbox_jobs', { state: 'pending' })).toBe(1);
      expect(sampleValue(now, 'firewatch_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(5);
      expect(sampleValue(now, 'firewatch_outbox_oldest_pending_age_seconds')).toBeLessThan(60);
    } finally {
      h.slack.clearFailures();
    }
    // The failed job waits out its back-off (at most 200 ms here) before it is tried again.
    for (let i = 0; i < 100 && (await h.store.pendingJobs()) > 0; i++) {
      h.firewatch.outbox.kick();
      await h.idle();
      if ((await h.store.pendingJobs()) > 0) await new Promise((r) => setTimeout(r, 20));
    }
    const after = (await scrape(h)).families;
    expect(sampleValue(after, 'firewatch_outbox_retries_total')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(after, 'firewatch_outbox_given_up_total')).toBe(0);
    expect(sampleValue(after, 'firewatch_outbox_jobs', { state: 'pending' })).toBe(0);
    expect(sampleValue(after, 'firewatch_outbox_oldest_pending_age_seconds')).toBe(0);
  });
});

describe('two instances in one process', () => {
  it('keep their own registries', async () => {
    const one = await Harness.start();
    const two = await Harness.start();
    try {
      await one.declare('P1 Only in the first');
      const first = (await scrape(one)).families;
      const second = (await scrape(two)).families;
      expect(sampleValue(first, 'firewatch_incidents', { status: 'investigating', severity: 'P1' })).toBe(1);
      expect(sampleValue(second, 'firewatch_incidents', { status: 'investigating', severity: 'P1' })).toBe(0);
      expect(
        sampleValue(second, 'firewatch_slack_api_calls_total', { method: 'auth.test', outcome: 'ok' }),
      ).toBe(1);
    } finally {
      await one.stop();
      await two.stop();
    }
  });
});
