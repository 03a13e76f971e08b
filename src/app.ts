import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import type { Config } from './config';
import { healthRoute } from './http/health';
import { CaptureService, type Self } from './services/capture-service';
import { CatchUp } from './services/catch-up';
import { type Clock, systemClock } from './services/clock';
import { createJobHandler } from './services/effects';
import { IncidentService } from './services/incident-service';
import { BackgroundTasks } from './services/keyed-mutex';
import { DEFAULT_OUTBOX_OPTIONS, type OutboxOptions, OutboxWorker } from './services/outbox';
import { PostmortemService } from './services/postmortem-service';
import { declareModal } from './slack/blocks/declare-modal';
import { registerCommands } from './slack/commands/incident';
import { registerEvents } from './slack/events';
import { WebClientGateway } from './slack/gateway';
import { AckAfterProcessingReceiver } from './slack/socket-receiver';
import { registerViews } from './slack/views/declare-submit';
import { openStore, type Store, type StoredJob } from './storage';

export interface FirewatchOptions {
  clock?: Clock;
  logLevel?: LogLevel;
  outbox?: Partial<OutboxOptions>;
  /** Retries of one Web API call by the WebClient before the outbox takes over. */
  webApiRetries?: number;
  /** An already opened store (tests, demo); otherwise DATABASE_URL is opened. */
  store?: Store;
}

export interface Firewatch {
  app: App;
  store: Store;
  service: IncidentService;
  postmortems: PostmortemService;
  capture: CaptureService;
  catchUp: CatchUp;
  outbox: OutboxWorker;
  tasks: BackgroundTasks;
  /** Starts listening; resolves with the HTTP port (health, and Slack requests in HTTP mode). */
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
  /** Waits for background work and due outbox jobs (tests, graceful shutdown). */
  idle(): Promise<void>;
}

/** How long delivered event ids are remembered for deduplication (Slack retries within minutes). */
const PROCESSED_EVENT_RETENTION_MS = 7 * 24 * 3600_000;

/** The composition root: config → store → services → listeners. */
export function createFirewatch(config: Config, options: FirewatchOptions = {}): Firewatch {
  const clock = options.clock ?? systemClock;
  const store = options.store ?? openStore(config.databaseUrl);
  const socketMode = config.appToken !== null;
  const logLevel = options.logLevel ?? LogLevel.INFO;
  const clientOptions = {
    slackApiUrl: config.slackApiUrl,
    // A 429 comes back at once with Slack's Retry-After; the outbox and catch-up wait it out
    // without holding up other work.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: options.webApiRetries ?? 3, factor: 2, minTimeout: 500, maxTimeout: 5000 },
  };
  const customRoutes = [healthRoute(store)];
  const app = new App({
    token: config.botToken,
    // Both modes acknowledge only after the listeners have stored what arrived.
    ...(socketMode
      ? {
          receiver: new AckAfterProcessingReceiver({
            appToken: config.appToken!,
            logLevel,
            customRoutes,
            installerOptions: { port: config.port, clientOptions },
          }),
        }
      : {
          signingSecret: config.signingSecret!,
          processBeforeResponse: true,
          port: config.port,
          customRoutes,
        }),
    // Firewatch keeps its own state; Bolt's conversation store would only cost time on every event.
    convoStore: false,
    logLevel,
    clientOptions,
  });
  const logger = app.logger;
  const tasks = new BackgroundTasks((error, name) => logger.error(`${name} failed`, error));
  const slack = new WebClientGateway(app.client);

  let service: IncidentService;
  let outbox: OutboxWorker;
  let self: Promise<Self> | null = null;
  /** The bot's own ids, from auth.test once (asked again after a failure). */
  const whoAmI = (): Promise<Self> => {
    self ??= app.client.auth.test().then(
      (auth) => ({ botUserId: auth.user_id, botId: auth.bot_id }),
      (error: unknown) => {
        self = null;
        throw error;
      },
    );
    return self;
  };
  const capture = new CaptureService({
    store,
    clock,
    reactions: config.reactions,
    onQueued: () => outbox.kick(),
  });
  const catchUp = new CatchUp({
    store,
    slack,
    capture,
    clock,
    self: whoAmI,
    log: (message, error) => logger.warn(message, error),
  });
  const postmortems = new PostmortemService({
    store,
    slack,
    clock,
    settings: {
      timeZone: config.timeZone,
      targets: config.targets,
      postmortemDir: config.postmortemDir,
      announceChannel: config.announceChannel,
    },
  });
  const handler = createJobHandler({
    store,
    slack,
    clock,
    card: (id) => service.card(id),
    extra: {
      fetch_message: (job) => catchUp.fetchMessage(job),
      publish_postmortem: (job) => postmortems.publish(job),
      upload_postmortem: (job) => postmortems.upload(job),
    },
  });
  outbox = new OutboxWorker(
    store,
    handler,
    clock,
    (job, error, willRetry) => {
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn(
        `outbox job ${job.id} (${job.job.type}) failed${willRetry ? ', will retry' : ' for good'}: ${reason}`,
      );
      tasks.run('tell about a failed job', () =>
        tellAboutFailure(job, reason, willRetry, config.postmortemDir),
      );
    },
    { ...DEFAULT_OUTBOX_OPTIONS, ...options.outbox },
  );
  service = new IncidentService({
    store,
    slack,
    clock,
    outbox,
    tasks,
    settings: { timeZone: config.timeZone, announceChannel: config.announceChannel },
    declareModal,
  });

  registerCommands(app, service);
  registerViews(app, service, slack, tasks);
  registerEvents(app, capture);
  app.error(async (error) => {
    logger.error('Unhandled error in a listener', error);
    // Re-thrown so the receiver answers 500 and Slack retries: an event whose write failed must
    // never be acknowledged.
    throw error;
  });

  let server: Server | null = null;
  return {
    app,
    store,
    service,
    postmortems,
    capture,
    catchUp,
    outbox,
    tasks,
    async start() {
      const started = (await app.start(config.port)) as unknown;
      server = socketMode ? null : (started as Server);
      await store.wakeJobs(clock());
      await store.pruneProcessedEvents(clock() - PROCESSED_EVENT_RETENTION_MS);
      // A declaration interrupted by a crash leaves a draft without a channel: nobody can see it.
      await store.sweepDrafts(clock() - 10 * 60_000);
      outbox.kick();
      // Catch up on what happened in incident channels while we were down (after listening, so the
      // ack path is live at once; both paths are idempotent).
      tasks.run('catch-up', async () => {
        const result = await catchUp.run();
        if (result.messages > 0) {
          logger.info(`Caught up ${result.messages} message(s) in ${result.incidents} open incident(s)`);
        }
      });
      const address = server?.address() as AddressInfo | null | undefined;
      return { port: address?.port ?? config.port };
    },
    async stop() {
      await app.stop().catch(() => undefined);
      await tasks.idle();
      await outbox.stop();
      await store.close();
    },
    async idle() {
      // Background tasks queue outbox jobs and jobs start tasks (e.g. failure notices): settle both.
      do {
        await tasks.idle();
        await outbox.idle();
      } while (tasks.busy);
    },
  };
}

/**
 * Tells the person who closed an incident (through the command's response_url) that Slack did not
 * take the postmortem yet, once on the first failure and once if Firewatch gives up.
 */
async function tellAboutFailure(
  job: StoredJob,
  reason: string,
  willRetry: boolean,
  dir: string,
): Promise<void> {
  const payload = job.job;
  const notify =
    'notify' in payload ? payload.notify : payload.type === 'publish_postmortem' ? payload.responseUrl : null;
  if (!notify || (willRetry && job.attempts > 0)) return;
  const where = job.incidentId ? ` It is stored, and written to \`${dir}/${job.incidentId}.md\`.` : '';
  const text = willRetry
    ? `:hourglass: Slack did not take the postmortem of ${job.incidentId} yet (${reason}).${where} Firewatch keeps trying and will post it as soon as Slack answers.`
    : `:x: Slack refused the postmortem of ${job.incidentId} (${reason}).${where} Post it by hand, or run \`/incident close\` again after \`/incident reopen\`.`;
  const res = await fetch(notify, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
  });
  // A response_url lives 30 minutes; past that (or while Slack is down) the log is all we have.
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}
