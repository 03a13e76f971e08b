import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_IMPACT_WINDOW_DAYS } from './domain/lifecycle';
import { DEFAULT_UPDATE_INTERVALS, parseUpdateIntervals, type UpdateIntervals } from './domain/reminders';
import { DEFAULT_TARGETS, type MetricTargets } from './domain/types';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevelName } from './logging';
import { isValidTimeZone } from './shared/time-zone';

/** Runtime configuration, validated once at start-up. */
export interface Config {
  botToken: string;
  signingSecret: string | null;
  appToken: string | null;
  slackApiUrl: string;
  port: number;
  databaseUrl: string;
  /** The most PostgreSQL connections the pool opens (DATABASE_POOL_MAX; SQLite ignores it). */
  databasePoolMax: number;
  /** FIREWATCH_OUTBOX_LEASE_SECONDS: how long a process's claim on an outbox job lasts unrenewed (ms). */
  outboxLeaseMs: number;
  timeZone: string;
  announceChannel: string | null;
  postmortemDir: string;
  targets: MetricTargets;
  reactions: ReactionMap;
  /** FIREWATCH_ADMINS: user ids who may run every command in every incident. */
  admins: string[];
  /** FIREWATCH_IMPACT_WINDOW_DAYS: how far before its declaration an incident's times may go. */
  impactWindowDays: number;
  /** FIREWATCH_UPDATE_REMINDERS: minutes without a status update before the roles are nudged, by severity. */
  updateReminders: UpdateIntervals;
  /** LOG_LEVEL: the least severe level written. */
  logLevel: LogLevelName;
  /** LOG_FORMAT: JSON lines, or pino-pretty's format for a person. */
  logFormat: LogFormat;
}

/** Which emoji (names without colons) trigger which capture. */
export interface ReactionMap {
  timeline: string[];
  lesson: string[];
  action: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Empty strings in the environment count as "not set". */
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const emojiList = (fallback: string) =>
  optional(
    z
      .string()
      .regex(/^[a-z0-9_+'-]+(,[a-z0-9_+'-]+)*$/, 'expected comma-separated emoji names without colons'),
  ).transform((v) => (v ?? fallback).split(','));

const minutes = (fallback: number) =>
  optional(
    z.coerce
      .number({ error: 'expected a positive number of minutes' })
      .positive('expected a positive number of minutes'),
  ).transform((v) => v ?? fallback);

const schema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: 'is required: the bot token (xoxb-…) from your Slack app' })
    .regex(/^xoxb-\S+$/, 'expected a bot token starting with xoxb-'),
  SLACK_SIGNING_SECRET: optional(z.string()),
  SLACK_APP_TOKEN: optional(
    z.string().regex(/^xapp-\S+$/, 'expected an app-level token starting with xapp-'),
  ),
  SLACK_API_URL: optional(z.url({ error: 'expected an http(s) URL such as https://slack.com/api/' })),
  PORT: optional(
    z.coerce
      .number({ error: 'expected a port number' })
      .int('expected a whole port number')
      .min(0, 'expected a port from 0 to 65535')
      .max(65535, 'expected a port from 0 to 65535'),
  ),
  DATABASE_URL: optional(z.string()).refine(
    (v) => v === undefined || !isPostgresUrl(v) || URL.canParse(v),
    'expected a PostgreSQL URL such as postgres://user:password@host:5432/firewatch',
  ),
  DATABASE_POOL_MAX: optional(
    z.coerce
      .number({ error: 'expected a whole number of connections such as 10' })
      .int('expected a whole number of connections such as 10')
      .min(1, 'expected a whole number of connections such as 10')
      .max(1000, 'expected at most 1000 connections'),
  ),
  FIREWATCH_TIMEZONE: optional(
    z.string().trim().refine(isValidTimeZone, 'expected an IANA time zone such as UTC or Europe/Oslo'),
  ),
  ANNOUNCE_CHANNEL: optional(
    z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'expected a channel ID such as C0123ABCD'),
  ),
  POSTMORTEM_DIR: optional(z.string()),
  FIREWATCH_REACTION_TIMELINE: emojiList('pushpin'),
  FIREWATCH_REACTION_LESSON: emojiList('bulb'),
  FIREWATCH_REACTION_ACTION: emojiList('ballot_box_with_check'),
  FIREWATCH_TARGET_DETECT_MINUTES: minutes(DEFAULT_TARGETS.detectMinutes),
  FIREWATCH_TARGET_ACK_MINUTES: minutes(DEFAULT_TARGETS.acknowledgeMinutes),
  FIREWATCH_TARGET_DIAGNOSE_MINUTES: minutes(DEFAULT_TARGETS.diagnoseMinutes),
  FIREWATCH_TARGET_MITIGATE_MINUTES: minutes(DEFAULT_TARGETS.mitigateMinutes),
  FIREWATCH_TARGET_RESOLVE_MINUTES: minutes(DEFAULT_TARGETS.resolveMinutes),
  FIREWATCH_TARGET_MTTR_MINUTES: minutes(DEFAULT_TARGETS.mttrMinutes),
  FIREWATCH_TARGET_UPTIME_PERCENT: optional(
    z.coerce
      .number()
      .gt(0, 'expected a percentage such as 99.9')
      .lte(100, 'expected a percentage such as 99.9'),
  ).transform((v) => v ?? DEFAULT_TARGETS.uptimePercent),
  FIREWATCH_ADMINS: optional(
    z
      .string()
      .regex(
        /^\s*[UW][A-Z0-9]{2,}\s*(,\s*[UW][A-Z0-9]{2,}\s*)*$/,
        'expected comma-separated Slack user IDs such as U0123ABCD,U0456EFGH',
      ),
  ).transform((v) =>
    (v ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
  ),
  FIREWATCH_IMPACT_WINDOW_DAYS: optional(
    z.coerce
      .number({ error: 'expected a whole number of days such as 30' })
      .int('expected a whole number of days such as 30')
      .positive('expected a whole number of days such as 30'),
  ).transform((v) => v ?? DEFAULT_IMPACT_WINDOW_DAYS),
  FIREWATCH_OUTBOX_LEASE_SECONDS: optional(
    z.coerce
      .number({ error: 'expected a whole number of seconds from 3 to 3600, such as 30' })
      .int('expected a whole number of seconds from 3 to 3600, such as 30')
      .min(3, 'expected a whole number of seconds from 3 to 3600, such as 30')
      .max(3600, 'expected a whole number of seconds from 3 to 3600, such as 30'),
  ).transform((v) => (v ?? 30) * 1000),
  FIREWATCH_UPDATE_REMINDERS: optional(z.string())
    .superRefine((value, ctx) => {
      const parsed = value === undefined ? null : parseUpdateIntervals(value);
      if (parsed && !parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
    })
    .transform((value): UpdateIntervals => {
      const parsed = value === undefined ? null : parseUpdateIntervals(value);
      return parsed?.ok ? parsed.intervals : { ...DEFAULT_UPDATE_INTERVALS };
    }),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` })),
  LOG_FORMAT: optional(z.enum(LOG_FORMATS, { error: `expected one of ${LOG_FORMATS.join(', ')}` })),
});

const isSet = (v: string | undefined) => v !== undefined && v.trim() !== '';

/** Whether DATABASE_URL names a PostgreSQL database (`postgres://` or `postgresql://`) rather than a SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url.trim());
}

/** Strips a `file:` URL prefix so DATABASE_URL may be a path or a `file:` URL. */
export function databasePath(url: string): string {
  if (url.startsWith('file://')) return decodeURIComponent(new URL(url).pathname);
  if (url.startsWith('file:')) return decodeURIComponent(url.slice('file:'.length));
  return url;
}

/**
 * Validates the environment; throws ConfigError listing one line per problem. With
 * `{ slack: false }` (offline tools such as the postmortem CLI) the Slack credentials are not needed.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  /** `tty`: whether stdout is a terminal (LOG_FORMAT's default; default: asks process.stdout). */
  opts: { slack?: boolean; tty?: boolean } = {},
): Config {
  if (opts.slack === false)
    env = { SLACK_BOT_TOKEN: 'xoxb-offline', SLACK_SIGNING_SECRET: 'offline', ...env };
  const parsed = schema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        return `${name}: ${isSet(env[name]) ? issue.message : 'is required'}`;
      });
  if (!isSet(env.SLACK_APP_TOKEN) && !isSet(env.SLACK_SIGNING_SECRET)) {
    problems.push('SLACK_SIGNING_SECRET: is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  let apiUrl = e.SLACK_API_URL ?? 'https://slack.com/api/';
  if (!apiUrl.endsWith('/')) apiUrl += '/';
  return {
    botToken: e.SLACK_BOT_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET ?? null,
    appToken: e.SLACK_APP_TOKEN ?? null,
    slackApiUrl: apiUrl,
    port: e.PORT ?? 3000,
    databaseUrl: e.DATABASE_URL ?? 'data/firewatch.db',
    databasePoolMax: e.DATABASE_POOL_MAX ?? 10,
    outboxLeaseMs: e.FIREWATCH_OUTBOX_LEASE_SECONDS,
    timeZone: e.FIREWATCH_TIMEZONE ?? 'UTC',
    announceChannel: e.ANNOUNCE_CHANNEL ?? null,
    postmortemDir: e.POSTMORTEM_DIR ?? 'data/postmortems',
    targets: {
      detectMinutes: e.FIREWATCH_TARGET_DETECT_MINUTES,
      acknowledgeMinutes: e.FIREWATCH_TARGET_ACK_MINUTES,
      diagnoseMinutes: e.FIREWATCH_TARGET_DIAGNOSE_MINUTES,
      mitigateMinutes: e.FIREWATCH_TARGET_MITIGATE_MINUTES,
      resolveMinutes: e.FIREWATCH_TARGET_RESOLVE_MINUTES,
      uptimePercent: e.FIREWATCH_TARGET_UPTIME_PERCENT,
      mttrMinutes: e.FIREWATCH_TARGET_MTTR_MINUTES,
    },
    reactions: {
      timeline: e.FIREWATCH_REACTION_TIMELINE,
      lesson: e.FIREWATCH_REACTION_LESSON,
      action: e.FIREWATCH_REACTION_ACTION,
    },
    admins: e.FIREWATCH_ADMINS,
    impactWindowDays: e.FIREWATCH_IMPACT_WINDOW_DAYS,
    updateReminders: e.FIREWATCH_UPDATE_REMINDERS,
    logLevel: e.LOG_LEVEL ?? 'info',
    logFormat: e.LOG_FORMAT ?? ((opts.tty ?? process.stdout.isTTY === true) ? 'pretty' : 'json'),
  };
}

/** `ENOENT: no such file…` → `ENOENT`; the code is what a person can look up. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

/**
 * Creates `dir` and its missing parents one level at a time. (Node's recursive mkdir spins
 * forever at 100 % CPU on procfs, e.g. for /proc/x: it keeps retrying the ENOENT.)
 * @returns what went wrong, as `cannot create <folder> (<code>)`, or null when the folder exists
 */
export function createFolder(dir: string): string | null {
  const missing: string[] = [];
  let current = path.resolve(dir);
  while (!fs.existsSync(current)) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of missing) {
    try {
      fs.mkdirSync(folder);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') return `cannot create ${folder} (${errorCode(error)})`;
    }
  }
  try {
    if (!fs.statSync(dir).isDirectory()) return `${path.resolve(dir)} is not a folder`;
  } catch (error) {
    return `cannot read ${path.resolve(dir)} (${errorCode(error)})`;
  }
  return null;
}

/**
 * Makes sure `dir` exists and a file can be written in it (a probe file, removed again).
 * @returns what went wrong, in one phrase naming the folder, or null when it is writable
 */
export function writableFolderProblem(dir: string): string | null {
  const created = createFolder(dir);
  if (created) return created;
  const probe = path.join(path.resolve(dir), `.firewatch-write-test-${process.pid}`);
  try {
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
    return null;
  } catch (error) {
    return `cannot write in ${path.resolve(dir)} (${errorCode(error)})`;
  }
}

/**
 * Checks at start-up that DATABASE_URL's folder and POSTMORTEM_DIR can be created and written,
 * creating them; throws ConfigError with one line per problem, naming the variable.
 */
export function checkPaths(config: Pick<Config, 'databaseUrl' | 'postmortemDir'>): void {
  const problems: string[] = [];
  const file = databasePath(config.databaseUrl);
  // A PostgreSQL URL names a server, not a file: the store reports it when it cannot be reached.
  if (file !== ':memory:' && !isPostgresUrl(config.databaseUrl)) {
    const problem = writableFolderProblem(path.dirname(path.resolve(file)));
    if (problem) problems.push(`DATABASE_URL: ${problem}`);
  }
  const postmortems = writableFolderProblem(config.postmortemDir);
  if (postmortems) problems.push(`POSTMORTEM_DIR: ${postmortems}`);
  if (problems.length > 0) throw new ConfigError(problems);
}
