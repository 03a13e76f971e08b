import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { App, type LogLevel } from '@slack/bolt';
import type { Config } from './config';
import { type HealthCheck, healthRoute } from './http/health';
import { metricsRoute } from './http/metrics';
import { type Readiness, readiness, readinessRoute } from './http/ready';
import { boltLogger, createLogger, errorFields, type Logger } from './logging';
import { createMetrics, type FirewatchMetrics } from './metrics/registry';
import { MeteredWebClient, type SlackCallObserver, unreachableOutcome } from './metrics/slack-calls';
import { BackgroundTasks } from './services/background-tasks';
import { CaptureService } from './services/capture-service';
import { CatchUp } from './services/catch-up';
import { type Clock, systemClock } from './services/clock';
import { HomeService } from './services/home-service';
import { IncidentService } from './services/incident-service';
import { reportFileFailures, reportJobFailures } from './services/job-failures';
import { createJobHandler } from './services/job-handler';
import { type JobFailureListener, type OutboxOptions, OutboxWorker } from './services/outbox';
import { PostmortemService } from './services/postmortem-service';
import { DEFAULT_REMINDER_PERIOD_MS, ReminderService } from './services/reminder-service';
import { StatsService } from './services/stats-service';
import { registerActions } from './slack/actions';
import { blockKitRenderer } from './slack/blocks/renderer';
import { GuardedHTTPReceiver } from './slack/boundary/guard';
import { registerCommands } from './slack/commands/incident';
import {
  type Backoff,
  DEFAULT_BACKOFF,
  Reconnector,
  type SlackStatus,
  superviseSocket,
  type TokenRefusedError,
} from './slack/connection';
import { registerEvents } from './slack/events';
import { appHomeOpened } from './slack/events/app-home-opened';
import { WebClientGateway } from './slack/gateway';
import { responseUrlResponder } from './slack/responder';
import { registerShortcuts } from './slack/shortcuts';
import { AckAfterProcessingReceiver, supervisedClientLogger } from './slack/socket-receiver';
import { registerViews } from './slack/views';
import { openStore, type Store } from './storage';
export interface FirewatchOptions {
  clock?: Clock;
  /** The level of the logger made when `logger` is not given (default: LOG_LEVEL). */
  logLevel?: LogLevel;
  /** Where every line goes, Bolt's and the WebClient's too (default: LOG_LEVEL/LOG_FORMAT to stdout). */
  logger?: Logger;
  outbox?: Partial<OutboxOptions>;
  /** How long stop() goes on sending the outbox jobs due now (default 5 s; 0: stop at once). */
  shutdownFlushMs?: number;
  /** Retries of one Web API call by the WebClient before the outbox takes over. */
  webApiRetries?: number;
  /** Time-out of one Web API request (default 10 s). */
  webApiTimeoutMs?: number;
  /** How often reminders are checked (default 60 s; 0: never, e.g. in a one-off tool). */
  reminderPeriodMs?: number;
  /** An already opened store (tests, demo); otherwise DATABASE_URL is opened. */
  store?: Store;
  /** Back-off between attempts to reach Slack (auth.test, the Socket Mode connection). */
  slackBackoff?: Backoff;
  /**
   * Slack refused a token while Firewatch was retrying in the background (at start-up, start()
   * rejects instead). Default: one error line; main.ts exits 1.
   */
  onTokenRefused?: (error: TokenRefusedError) => void;
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
  /** The App Home (published on app_home_opened and by refresh_home jobs). */
  home: HomeService;
  /** Status-update nudges and overdue action items, checked on a timer from start() to stop(). */
  reminders: ReminderService;
  /** Whether Slack accepted our token(s) and answers: `unknown` before the first attempt. */
  slackStatus(): SlackStatus;
  /** The instance's Prometheus metrics (what `GET /metrics` serves). */
  metrics: FirewatchMetrics;
  /** What `GET /readyz` answers: database, Slack, not shutting down. */
  readiness(): Promise<Readiness>;
  /**
   * Starts listening, then asks Slack who we are (auth.test; in Socket Mode also connects), and
   * resolves with the HTTP port (health, and Slack requests in HTTP mode). When Slack is
   * unreachable it resolves all the same and keeps trying in the background; it rejects with
   * TokenRefusedError when Slack refuses a token.
   */
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
  /** Waits for background work and due outbox jobs (tests, graceful shutdown). */
  idle(): Promise<void>;
}

/** How long a graceful stop goes on sending due outbox jobs before it closes the database. */
const DEFAULT_SHUTDOWN_FLUSH_MS = 5000;

/** How long delivered event ids are remembered for deduplication (Slack retries within minutes). */
const PROCESSED_EVENT_RETENTION_MS = 7 * 24 * 3600_000;

/** What Firewatch knows about its own bot user, from auth.test (unset until Slack answered). */
interface BotIdentity {
  botId?: string;
  botUserId?: string;
  teamId?: string;
}

/**
 * The Bolt app over HTTP or Socket Mode; both modes acknowledge only after the listeners stored what
 * arrived, and both put the boundary guard (./slack/boundary/guard) in front of Bolt. Bolt never
 * calls auth.test itself (it would crash the process when Slack is down at start-up): `authorize`
 * answers from `identity`, which the start-up probe fills in.
 */
function createBoltApp(
  config: Config,
  store: Store,
  options: FirewatchOptions,
  log: Logger,
  identity: BotIdentity,
  health: HealthCheck[],
  ops: { metrics: FirewatchMetrics; calls: SlackCallObserver; ready: () => Promise<Readiness> },
): { app: App; socketReceiver: AckAfterProcessingReceiver | null } {
  // Bolt, the receivers and the WebClient log through `log`, each under its own `component`.
  const logger = boltLogger(log, 'bolt-app');
  const logLevel = logger.getLevel();
  // Bolt puts its own logger into the client options it is given: the WebClient gets this one back.
  const webApiLogger = boltLogger(log, 'web-api');
  const clientOptions = {
    slackApiUrl: config.slackApiUrl,
    // A 429 comes back at once with Slack's Retry-After; the outbox and catch-up wait it out
    // without holding up other work.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: options.webApiRetries ?? 3, factor: 2, minTimeout: 500, maxTimeout: 5000 },
    // A Slack that hangs must not hold up the outbox forever: the call fails and is retried.
    timeout: options.webApiTimeoutMs ?? 10_000,
  };
  const customRoutes = [
    healthRoute(store, health),
    readinessRoute(ops.ready),
    metricsRoute(ops.metrics.registry),
  ];
  const socketReceiver =
    config.appToken !== null
      ? new AckAfterProcessingReceiver({
          appToken: config.appToken,
          logger: supervisedClientLogger(boltLogger(log, 'socket-mode')),
          customRoutes,
          metrics: ops.metrics.receiver,
          // Our supervisor reconnects (./slack/connection): the client's own reconnect can crash.
          autoReconnectEnabled: false,
          // apps.connections.open: one try with a timeout per attempt; the supervisor retries.
          installerOptions: {
            port: config.port,
            clientOptions: { ...clientOptions, retryConfig: { retries: 0 }, timeout: 10_000 },
          },
        })
      : null;
  const app = new App({
    receiver:
      socketReceiver ??
      new GuardedHTTPReceiver({
        signingSecret: config.signingSecret!,
        processBeforeResponse: true,
        port: config.port,
        customRoutes,
        logger: boltLogger(log, 'http-receiver'),
        metrics: ops.metrics.receiver,
      }),
    authorize: async () => ({ botToken: config.botToken, ...identity }),
    // Firewatch keeps its own state; Bolt's conversation store would only cost time on every event.
    convoStore: false,
    logger,
    logLevel,
    clientOptions,
  });
  // Without a `token` option Bolt's own client has none: the gateway talks through this one.
  // Every call it makes is counted by method and outcome (./metrics/slack-calls).
  app.client = new MeteredWebClient(
    config.botToken,
    { ...app.webClientOptions, logger: webApiLogger },
    ops.calls,
  );
  return { app, socketReceiver };
}

/** Our way to Slack: auth.test until it answers, and in Socket Mode the supervised socket. */
interface SlackConnection {
  /** The first attempt of each; rejects with TokenRefusedError when Slack refuses a token. */
  start(): Promise<void>;
  stop(): void;
  /** `ok` when every part answers, `unreachable` when one does not, else `unknown`. */
  status(): SlackStatus;
  /** Asks auth.test again soon (a Web API call failed as if Slack were unreachable). */
  recheck(): void;
}

/**
 * Asks Slack who we are (our own auth.test: one try per attempt, a timeout, back-off between
 * attempts), filling `identity` for Bolt's `authorize`; in Socket Mode also keeps the socket
 * connected. The first Socket Mode attempt is Bolt's start (health server, then the socket);
 * later ones only reconnect the socket.
 */
function connectSlack(
  config: Config,
  app: App,
  socketReceiver: AckAfterProcessingReceiver | null,
  identity: BotIdentity,
  opts: {
    backoff: Backoff;
    warn: (line: string) => void;
    onRefused: (error: TokenRefusedError) => void;
    /** Called once, the first time auth.test succeeds. */
    onFirstAnswer: () => void;
    /** Told about the probe's calls (metrics). */
    calls: SlackCallObserver;
  },
): SlackConnection {
  const { backoff, warn, onRefused } = opts;
  const probe = new MeteredWebClient(
    config.botToken,
    { ...app.webClientOptions, retryConfig: { retries: 0 }, timeout: 10_000 },
    opts.calls,
  );
  let answered = false;
  const auth = new Reconnector({
    variable: 'SLACK_BOT_TOKEN',
    backoff,
    warn,
    onRefused,
    attempt: async () => {
      const who = await probe.auth.test();
      if (who.bot_id) identity.botId = who.bot_id;
      if (who.user_id) identity.botUserId = who.user_id;
      if (who.team_id) identity.teamId = who.team_id;
    },
    onStatus: (status) => {
      if (status === 'ok' && !answered) {
        answered = true;
        opts.onFirstAnswer();
      }
    },
  });
  let socketStarted = false;
  const socket = socketReceiver
    ? superviseSocket(socketReceiver.client, {
        backoff,
        warn,
        onRefused,
        connect: async () => {
          if (socketStarted) {
            await socketReceiver.client.start();
            return;
          }
          socketStarted = true;
          await app.start(config.port);
        },
      })
    : null;
  return {
    async start() {
      await Promise.all([auth.start(), socket?.start()]);
    },
    stop() {
      auth.stop();
      socket?.stop();
    },
    status() {
      const statuses = [auth.status, ...(socket ? [socket.status] : [])];
      if (statuses.every((s) => s === 'ok')) return 'ok';
      return statuses.includes('unreachable') ? 'unreachable' : 'unknown';
    },
    recheck() {
      auth.recheck();
    },
  };
}

/** The composition root: config → store → Slack client → services → listeners → start. */
export function createFirewatch(config: Config, options: FirewatchOptions = {}): Firewatch {
  // Config. The instance id names this process where it holds outbox jobs and leases in the store.
  const clock = options.clock ?? systemClock;
  const instanceId = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

  // Store.
  const store = options.store ?? openStore(config.databaseUrl, { poolMax: config.databasePoolMax });

  // Slack: the Bolt app holds the Web API client the gateway talks through. Our own auth.test
  // (one attempt at a time, no retries inside the client, a timeout) finds out who we are.
  const identity: BotIdentity = {};
  /** The bot's own ids, as the start-up probe found them (empty until Slack first answers). */
  const whoAmI = async () => ({ botUserId: identity.botUserId, botId: identity.botId });
  // Liveness is not Slack's: when only Slack is down /healthz stays 200 and says `slack: unreachable`.
  const slackHealth: HealthCheck = {
    name: 'slack',
    run: async () => {
      const value = connection.status();
      return { level: value === 'unreachable' ? 'degraded' : 'ok', value };
    },
  };
  const logger =
    options.logger ?? createLogger({ level: options.logLevel ?? config.logLevel, format: config.logFormat });
  // Operations: readiness (stop() sets `stopping` before anything else) and the metrics. A Web API
  // call that fails as if Slack were unreachable makes auth.test ask again, so that readiness
  // follows Slack in HTTP mode too (in Socket Mode a dropped socket says it already).
  let stopping = false;
  const ready = () => readiness({ store, slack: () => connection.status(), stopping: () => stopping });
  const metrics = createMetrics({ store, now: clock, ready: async () => (await ready()).status === 'ok' });
  const calls: SlackCallObserver = {
    call(method, outcome) {
      metrics.slackCalls.call(method, outcome);
      if (unreachableOutcome(outcome)) connection.recheck();
    },
    retry: () => metrics.slackCalls.retry(),
  };
  const { app, socketReceiver } = createBoltApp(config, store, options, logger, identity, [slackHealth], {
    metrics,
    calls,
    ready,
  });
  const slack = new WebClientGateway(app.client);
  const connection = connectSlack(config, app, socketReceiver, identity, {
    backoff: options.slackBackoff ?? DEFAULT_BACKOFF,
    warn: (line) => logger.warn(line),
    onRefused: options.onTokenRefused ?? ((error) => logger.error(error.message)),
    onFirstAnswer: () => runCatchUp(),
    calls,
  });
  // Services. The outbox worker comes first (the services kick it when they queue work) and is
  // given its job handler once the services that carry out jobs exist.
  const tasks = new BackgroundTasks((error, name) =>
    logger.error({ task: name, ...errorFields(error) }, `${name} failed`),
  );
  const failures = {
    tasks,
    responderAt: responseUrlResponder,
    postmortemDir: config.postmortemDir,
    log: (message: string, fields: Record<string, unknown>) => logger.warn(fields, message),
  };
  const reportFailure = reportJobFailures(failures);
  const onJobFailure: JobFailureListener = (job, error, willRetry) => {
    metrics.outboxAttemptFailed(willRetry);
    reportFailure(job, error, willRetry);
  };
  const outbox = new OutboxWorker(store, clock, onJobFailure, {
    leaseMs: config.outboxLeaseMs,
    ...options.outbox,
    holder: instanceId,
  });
  const capture = new CaptureService({
    store,
    clock,
    reactions: config.reactions,
    onQueued: () => outbox.kick(),
    onOutcome: metrics.captureOutcome,
  });
  const catchUp = new CatchUp({
    store,
    slack,
    capture,
    clock,
    // Catch-up runs once auth.test succeeded: the ids are known by then.
    self: whoAmI,
    log: (message, fields, error) => logger.warn({ ...fields, ...errorFields(error) }, message),
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
    onFileError: reportFileFailures(failures),
    onCompiled: (seconds) => metrics.postmortemCompiled(seconds),
  });
  const stats = new StatsService({
    store,
    clock,
    settings: { timeZone: config.timeZone, targets: config.targets, admins: config.admins },
  });
  const service = new IncidentService({
    store,
    slack,
    clock,
    stats,
    outbox,
    tasks,
    settings: {
      timeZone: config.timeZone,
      announceChannel: config.announceChannel,
      admins: config.admins,
      impactWindowDays: config.impactWindowDays,
    },
    renderer: blockKitRenderer,
    self: whoAmI,
    log: {
      info: (message, fields) => logger.info(fields, message),
      warn: (message, fields) => logger.warn(fields, message),
    },
  });
  const home = new HomeService({
    store,
    slack,
    clock,
    renderer: blockKitRenderer,
    settings: { timeZone: config.timeZone, admins: config.admins, updateReminders: config.updateReminders },
    stats,
  });
  const reminders = new ReminderService({
    store,
    clock,
    renderer: blockKitRenderer,
    settings: { timeZone: config.timeZone, updateReminders: config.updateReminders },
    onQueued: () => outbox.kick(),
    onError: (error) => logger.error(errorFields(error), 'reminder check failed'),
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
        refresh_home: (job) => home.refresh(job),
      },
    }),
  );

  // Listeners.
  registerCommands(app, service);
  const controls = { service, capture, slack, tasks, timeZone: config.timeZone };
  registerActions(app, controls);
  registerViews(app, controls);
  registerShortcuts(app, controls);
  registerEvents(app, capture);
  app.event('app_home_opened', appHomeOpened(home, tasks));
  app.error(async (error) => {
    logger.error(errorFields(error), 'Unhandled error in a listener');
    // Re-thrown so the receiver answers 500 and Slack retries: an event whose write failed must
    // never be acknowledged.
    throw error;
  });

  /** Catch up on what happened in incident channels while we were down (once Slack answers). */
  function runCatchUp(): void {
    tasks.run('catch-up', async () => {
      const result = await catchUp.runForGroup(instanceId).catch((error: unknown) => {
        metrics.catchUpRun('failed', 0);
        throw error;
      });
      if (!result) {
        metrics.catchUpRun('skipped', 0);
        logger.info('catch-up skipped: another process sharing the database is catching up or just did');
        return;
      }
      metrics.catchUpRun(result.failed > 0 ? 'failed' : 'ok', result.messages);
      if (result.messages > 0 || result.failed > 0) {
        logger.info(
          { messages: result.messages, incidents: result.incidents, failed: result.failed },
          'caught up on open incidents',
        );
      }
    });
  }

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
    home,
    reminders,
    slackStatus: () => connection.status(),
    metrics,
    readiness: ready,
    async start() {
      // Socket Mode starts listening with its first connection attempt (connection.start()).
      const server = socketReceiver ? null : ((await app.start(config.port)) as Server);
      await store.wakeJobs(clock());
      await store.pruneProcessedEvents(clock() - PROCESSED_EVENT_RETENTION_MS);
      // A declaration interrupted by a crash leaves a draft without a channel: nobody can see it.
      await store.sweepDrafts(clock() - 10 * 60_000);
      outbox.kick();
      reminders.start(options.reminderPeriodMs ?? DEFAULT_REMINDER_PERIOD_MS);
      // Who are we? Then catch up (after listening, so the ack path is live at once; both paths
      // are idempotent). Slack being down is retried in the background; a refused token is fatal.
      await connection.start();
      const address = server?.address() as AddressInfo | null | undefined;
      return { port: address?.port ?? config.port };
    },
    async stop() {
      // Not ready from the first moment: a load balancer stops sending before we stop answering.
      stopping = true;
      connection.stop();
      await reminders.stop();
      await app.stop().catch(() => undefined);
      await tasks.idle();
      // Post what Slack will take now; the rest stays in the outbox for the next start.
      await outbox.stop(options.shutdownFlushMs ?? DEFAULT_SHUTDOWN_FLUSH_MS);
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
