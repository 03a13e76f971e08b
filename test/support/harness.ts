import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFirewatch, type Firewatch } from '../../src/app';
import { type Config, loadConfig } from '../../src/config';
import {
  type FormEntries,
  type InteractionPayload,
  SlackEmulator,
  type SlackReply,
  SlackRequestClient,
} from '../../src/emulator';
import type { Logger } from '../../src/logging';
import { testLogger } from './logged-errors';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

/** Users every harness workspace has (user id, name). */
export const TEST_USERS: ReadonlyArray<readonly [string, string]> = [
  ['UALICE', 'alice'],
  ['UBOB', 'bob'],
  ['UCAROL', 'carol'],
  ['UDAVE', 'dave'],
  ['UERIN', 'erin'],
  ['UFRANK', 'frank'],
  ['UGINA', 'gina'],
];

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Reuse a data folder (restart tests). */
  dataDir?: string;
  emulator?: SlackEmulator;
  clock?: () => number;
  outboxBaseDelayMs?: number;
  /** Time-out of one Web API request (the app's default is 10 s). */
  webApiTimeoutMs?: number;
  /** The app's logger (default: {@link testLogger}, error lines only, checked by the guard). */
  logger?: Logger;
  /** How long stop() sends due outbox jobs (default 0 here, so restart tests see what was left). */
  shutdownFlushMs?: number;
  /** How often the reminders are checked (default 0 here: tests run `firewatch.reminders.check()`). */
  reminderPeriodMs?: number;
}

export interface SlashOptions {
  user?: string;
  channel?: string;
  channelName?: string;
  triggerId?: string;
}

/** The bot's HTTP answer to a request. */
export type HttpReply = SlackReply;

/** The real Firewatch app on an ephemeral port, talking to a real Slack emulator over HTTP. */
export class Harness {
  private constructor(
    readonly firewatch: Firewatch,
    readonly slack: SlackEmulator,
    readonly baseUrl: string,
    readonly config: Config,
    readonly dataDir: string,
    private readonly ownsEmulator: boolean,
  ) {
    this.client = new SlackRequestClient({
      emulator: slack,
      http: { url: `${baseUrl}/slack/events`, signingSecret: SIGNING_SECRET },
    });
  }

  /** Sends the bot what Slack sends it, signed, over HTTP. */
  readonly client: SlackRequestClient;

  static async start(opts: HarnessOptions = {}): Promise<Harness> {
    const slack = opts.emulator ?? (await SlackEmulator.start());
    // The people the tests name: real users of the workspace, as role holders must be.
    for (const [id, name] of TEST_USERS) if (!slack.user(id)) slack.addUser(id, name);
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
      logger: opts.logger ?? testLogger(),
      webApiRetries: 0,
      shutdownFlushMs: opts.shutdownFlushMs ?? 0,
      reminderPeriodMs: opts.reminderPeriodMs ?? 0,
      ...(opts.webApiTimeoutMs ? { webApiTimeoutMs: opts.webApiTimeoutMs } : {}),
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

  /** POSTs a body to /slack/events, signed with `secret` over `timestamp` (default: correctly, now). */
  signedPost(
    body: string,
    contentType: string,
    headers: Record<string, string> = {},
    timestamp = Math.floor(Date.now() / 1000),
    secret = SIGNING_SECRET,
  ): Promise<HttpReply> {
    return this.client.post(body, contentType, { headers, timestamp, secret });
  }

  /** Runs `/incident <text>` as a signed slash command; returns the HTTP reply. */
  slash(text: string, opts: SlashOptions = {}): Promise<HttpReply & { responseUrl: string }> {
    const user = opts.user ?? 'UALICE';
    return this.client.slashCommand({
      token: 'legacy-verification-token',
      channel_id: opts.channel ?? 'CGENERAL',
      channel_name: opts.channelName ?? 'general',
      user_id: user,
      // As Slack does: the caller's name (the emulator's user record when it has one).
      user_name: this.slack.user(user)?.name ?? user.slice(1).toLowerCase(),
      command: '/incident',
      text,
      response_url: this.slack.responseUrl(),
      trigger_id: opts.triggerId ?? '1337.42.abcdef',
    });
  }

  /** Sends an Events API callback (optionally as a retry). */
  event(
    event: Record<string, unknown>,
    opts: { eventId?: string; retryNum?: number; eventTime?: number } = {},
  ): Promise<HttpReply> {
    return this.client.event(event, opts);
  }

  /** Sends an interactivity payload (view_submission, block_actions). */
  interaction(payload: InteractionPayload): Promise<HttpReply> {
    return this.client.interaction(payload);
  }

  /** The pinned card of an incident as the workspace shows it now. */
  async card(incidentId: string) {
    const incident = await this.store.getIncident(incidentId);
    if (!incident?.channelId || !incident.cardTs) throw new Error(`${incidentId} has no card`);
    const message = this.slack.message(incident.channelId, incident.cardTs);
    if (!message) throw new Error(`the card of ${incidentId} is not in its channel`);
    return message;
  }

  /**
   * `user` uses the control `actionId` on an incident's card (as it is drawn now), then waits for
   * what it set off (a form opening, outbox posts, the card's redraw).
   */
  async clickCard(
    incidentId: string,
    actionId: string,
    opts: { user?: string; selectedUser?: string; selectedOption?: string } = {},
  ): Promise<HttpReply> {
    const message = await this.card(incidentId);
    const channel = (await this.store.getIncident(incidentId))!.channelId!;
    const reply = await this.client.blockAction({
      channel,
      message,
      actionId,
      user: opts.user ?? 'UALICE',
      ...(opts.selectedUser ? { selectedUser: opts.selectedUser } : {}),
      ...(opts.selectedOption ? { selectedOption: opts.selectedOption } : {}),
    });
    await this.idle();
    return reply;
  }

  /** The modal the app opened last (App Homes are views too, published rather than opened). */
  lastView() {
    const view = this.slack
      .views()
      .filter((v) => v.view.type === 'modal')
      .at(-1);
    if (!view) throw new Error('no view was opened');
    return view;
  }

  /** `user` submits the view the app opened last with `entries` (by block_id); waits for what it set off. */
  async submitLastView(entries: FormEntries = {}, user = 'UALICE'): Promise<HttpReply> {
    const reply = await this.client.submitView(this.lastView(), { user, entries });
    await this.idle();
    return reply;
  }

  /** Ephemeral messages `user` was shown (by chat.postEphemeral or a response_url), oldest first. */
  ephemeralsFor(user: string): string[] {
    return this.slack
      .ephemerals()
      .filter((e) => e.user === user)
      .map((e) => e.text);
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
