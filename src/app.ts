import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import type { Config } from './config';
import { healthRoute } from './http/health';
import { BackgroundTasks } from './services/background-tasks';
import { CaptureService } from './services/capture-service';
import { CatchUp } from './services/catch-up';
import { type Clock, systemClock } from './services/clock';
import { IncidentService } from './services/incident-service';
import { reportJobFailures } from './services/job-failures';
import { createJobHandler } from './services/job-handler';
import { DEFAULT_OUTBOX_OPTIONS, type OutboxOptions, OutboxWorker } from './services/outbox';
import { PostmortemService } from './services/postmortem-service';
import { blockKitRenderer } from './slack/blocks/renderer';
import { registerCommands } from './slack/commands/incident';
import { registerEvents } from './slack/events';
import { WebClientGateway } from './slack/gateway';
import { responseUrlResponder } from './slack/responder';
import { botIdentity } from './slack/self';
import { AckAfterProcessingReceiver } from './slack/socket-receiver';
import { registerViews } from './slack/views/declare-submit';
import { openStore, type Store } from './storage';
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

/** The Bolt app over HTTP or Socket Mode; both modes acknowledge only after the listeners stored what arrived. */
function createBoltApp(config: Config, store: Store, options: FirewatchOptions): App {
  const logLevel = options.logLevel ?? LogLevel.INFO;
  const clientOptions = {
    slackApiUrl: config.slackApiUrl,
    // A 429 comes back at once with Slack's Retry-After; the outbox and catch-up wait it out
    // without holding up other work.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: options.webApiRetries ?? 3, factor: 2, minTimeout: 500, maxTimeout: 5000 },
  };
  const customRoutes = [healthRoute(store)];
  return new App({
    token: config.botToken,
    ...(config.appToken !== null
      ? {
          receiver: new AckAfterProcessingReceiver({
            appToken: config.appToken,
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
}

/** The composition root: config → store → Slack client → services → listeners → start. */
export function createFirewatch(config: Config, options: FirewatchOptions = {}): Firewatch {
  // Config.
  const clock = options.clock ?? systemClock;
  const socketMode = config.appToken !== null;

  // Store.
  const store = options.store ?? openStore(config.databaseUrl);

  // Slack: the Bolt app holds the Web API client the gateway talks through.
  const app = createBoltApp(config, store, options);
  const logger = app.logger;
  const slack = new WebClientGateway(app.client);

  // Services. The outbox worker comes first (the services kick it when they queue work) and is
  // given its job handler once the services that carry out jobs exist.
  const tasks = new BackgroundTasks((error, name) => logger.error(`${name} failed`, error));
  const outbox = new OutboxWorker(
    store,
    clock,
    reportJobFailures({
      tasks,
      responderAt: responseUrlResponder,
      postmortemDir: config.postmortemDir,
      log: (message) => logger.warn(message),
    }),
    { ...DEFAULT_OUTBOX_OPTIONS, ...options.outbox },
  );
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
    self: botIdentity(app.client),
    log: (message, error) => logger.warn(message, error),
  });
  const postmortems = new PostmortemService({
    store,
    slack,
    clock,
    renderer: blockKitRenderer,
    settings: {
      timeZone: config.timeZone,
      targets: config.targets,
      postmortemDir: config.postmortemDir,
      announceChannel: config.announceChannel,
    },
  });
  const service = new IncidentService({
    store,
    slack,
    clock,
    outbox,
    tasks,
    settings: {
      timeZone: config.timeZone,
      announceChannel: config.announceChannel,
      admins: config.admins,
      impactWindowDays: config.impactWindowDays,
    },
    renderer: blockKitRenderer,
    self: botIdentity(app.client),
  });
  outbox.handleWith(
    createJobHandler({
      store,
      slack,
      clock,
      renderer: blockKitRenderer,
      timeZone: config.timeZone,
      extra: {
        fetch_message: (job) => catchUp.fetchMessage(job),
        publish_postmortem: (job) => postmortems.publish(job),
        upload_postmortem: (job) => postmortems.upload(job),
      },
    }),
  );

  // Listeners.
  registerCommands(app, service);
  registerViews(app, service, slack, tasks);
  registerEvents(app, capture);
  app.error(async (error) => {
    logger.error('Unhandled error in a listener', error);
    // Re-thrown so the receiver answers 500 and Slack retries: an event whose write failed must
    // never be acknowledged.
    throw error;
  });

  // Start: the caller runs start() when it is ready (tests first reach in, e.g. to the store).
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
      const server = socketMode ? null : (started as Server);
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
