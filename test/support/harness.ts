import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { createFirewatch, type Firewatch } from '../../src/app';
import { type Config, loadConfig } from '../../src/config';
import { SlackEmulator } from '../../src/emulator';
import { slackSignature } from './signing';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Reuse a data folder (restart tests). */
  dataDir?: string;
  emulator?: SlackEmulator;
  clock?: () => number;
  outboxBaseDelayMs?: number;
}

export interface SlashOptions {
  user?: string;
  channel?: string;
  channelName?: string;
  triggerId?: string;
}

export interface HttpReply {
  status: number;
  body: string;
  json: any;
  ms: number;
}

/** The real Firewatch app on an ephemeral port, talking to a real Slack emulator over HTTP. */
export class Harness {
  private constructor(
    readonly firewatch: Firewatch,
    readonly slack: SlackEmulator,
    readonly baseUrl: string,
    readonly config: Config,
    readonly dataDir: string,
    private readonly ownsEmulator: boolean,
  ) {}

  static async start(opts: HarnessOptions = {}): Promise<Harness> {
    const slack = opts.emulator ?? (await SlackEmulator.start());
    const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-test-'));
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      PORT: '0',
      DATABASE_URL: path.join(dataDir, 'firewatch.db'),
      POSTMORTEM_DIR: path.join(dataDir, 'postmortems'),
      ...opts.env,
    });
    const firewatch = createFirewatch(config, {
      logLevel: LogLevel.ERROR,
      webApiRetries: 0,
      outbox: { baseDelayMs: opts.outboxBaseDelayMs ?? 20, maxDelayMs: 200 },
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    const { port } = await firewatch.start();
    return new Harness(firewatch, slack, `http://127.0.0.1:${port}`, config, dataDir, !opts.emulator);
  }

  get store() {
    return this.firewatch.store;
  }

  async stop(): Promise<void> {
    await this.firewatch.stop();
    if (this.ownsEmulator) await this.slack.stop();
  }

  /** Waits until background work and due outbox jobs are done. */
  idle(): Promise<void> {
    return this.firewatch.idle();
  }

  /** POSTs a correctly signed body to /slack/events. */
  async signedPost(
    body: string,
    contentType: string,
    headers: Record<string, string> = {},
    timestamp = Math.floor(Date.now() / 1000),
    secret = SIGNING_SECRET,
  ): Promise<HttpReply> {
    const started = performance.now();
    const res = await fetch(`${this.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(secret, timestamp, body),
        ...headers,
      },
      body,
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, body: text, json, ms: performance.now() - started };
  }

  /** Runs `/incident <text>` as a signed slash command; returns the HTTP reply. */
  async slash(text: string, opts: SlashOptions = {}): Promise<HttpReply & { responseUrl: string }> {
    const responseUrl = this.slack.responseUrl();
    const form = new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: 'T0001',
      team_domain: 'acme',
      channel_id: opts.channel ?? 'CGENERAL',
      channel_name: opts.channelName ?? 'general',
      user_id: opts.user ?? 'UALICE',
      // As Slack does: the caller's name (the emulator's user record when it has one).
      user_name:
        this.slack.user(opts.user ?? 'UALICE')?.name ?? (opts.user ?? 'UALICE').slice(1).toLowerCase(),
      command: '/incident',
      text,
      api_app_id: 'A0001',
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: opts.triggerId ?? '1337.42.abcdef',
    });
    const reply = await this.signedPost(form.toString(), 'application/x-www-form-urlencoded');
    return { ...reply, responseUrl };
  }

  /** Sends an Events API callback (optionally as a retry). */
  async event(
    event: Record<string, unknown>,
    opts: { eventId?: string; retryNum?: number; eventTime?: number } = {},
  ): Promise<HttpReply> {
    const payload = {
      token: 'legacy-verification-token',
      team_id: 'T0001',
      api_app_id: 'A0001',
      type: 'event_callback',
      event_id: opts.eventId ?? `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
      event_time: opts.eventTime ?? Math.floor(Date.now() / 1000),
      event,
      authorizations: [{ team_id: 'T0001', user_id: this.slack.botUserId, is_bot: true }],
    };
    const headers: Record<string, string> =
      opts.retryNum !== undefined
        ? { 'x-slack-retry-num': String(opts.retryNum), 'x-slack-retry-reason': 'http_timeout' }
        : {};
    return this.signedPost(JSON.stringify(payload), 'application/json', headers);
  }

  /** Sends an interactivity payload (view_submission, block_actions). */
  async interaction(payload: Record<string, unknown>): Promise<HttpReply> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.signedPost(body, 'application/x-www-form-urlencoded');
  }

  /** Declares an incident from #general and waits until its channel and card exist. */
  async declare(text: string, opts: SlashOptions = {}) {
    const reply = await this.slash(`declare ${text}`, opts);
    await this.idle();
    const incidents = await this.store.listIncidents('all', 1);
    const incident = incidents[0];
    if (!incident?.channelId) throw new Error(`declare failed: ${reply.body}`);
    return { reply, incident, channel: incident.channelId };
  }
}
