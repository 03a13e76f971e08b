/**
 * Firewatch's logs: one pino logger for our own lines and, through {@link boltLogger}, for Bolt's,
 * the receivers' and the Web API client's. JSON (one object a line: `level`, `time`, `component`,
 * `msg`, then the fields) or pino-pretty's format for a person at a terminal.
 *
 * What is never written: tokens and secrets (pino `redact` for the fields that carry them, and any
 * `xoxb-`/`xapp-`/`xoxp-`… value anywhere in a line is masked before it is written). Message text
 * of the people in an incident is the callers' duty: only at `debug` (see README, Logs).
 */
import type { Logger as SlackLogger, LogLevel as SlackLogLevel } from '@slack/logger';
import pino, { type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

export type { Logger } from 'pino';

/** The levels of LOG_LEVEL, from the most talkative. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** The formats of LOG_FORMAT. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Where a token could sit in a logged object (pino `redact` paths). */
export const REDACTED_PATHS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
];

/** Slack tokens (bot, user, app-level, refresh, config) wherever they appear in a line. */
const TOKEN_PATTERN = /\b(xox[abeoprs]|xapp)-[A-Za-z0-9-]+/g;

/** `line` with every Slack token in it masked. */
export function maskTokens(line: string): string {
  return line.replace(TOKEN_PATTERN, '$1-[redacted]');
}

/** A stream that masks tokens in each line before handing it on. */
function masking(target: DestinationStream): DestinationStream {
  return { write: (line: string) => target.write(maskTokens(line)) };
}

export interface LoggerOptions {
  level: LogLevelName;
  format: LogFormat;
  /** Where lines go (default: stdout). */
  destination?: DestinationStream;
  /** The `component` of lines logged through the root logger (default `firewatch`). */
  component?: string;
}

/** The root logger: levels by name, ISO times, tokens redacted and masked. */
export function createLogger(options: LoggerOptions): Logger {
  const out = options.destination ?? pino.destination({ fd: 1, sync: true });
  const stream =
    options.format === 'pretty'
      ? masking(
          pinoPretty({
            destination: options.destination ?? 1,
            sync: true,
            colorize: options.destination === undefined && Boolean(process.stdout.isTTY),
            translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
            messageFormat: '[{component}] {msg}',
            ignore: 'component',
          }),
        )
      : masking(out);
  return pino(
    {
      level: options.level,
      base: { component: options.component ?? 'firewatch' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    stream,
  );
}

/** Fields for what went wrong: `{ err }` for an Error, `{ reason }` for anything else. */
export function errorFields(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { err: error } : { reason: String(error) };
}

const isFields = (arg: unknown): arg is Record<string, unknown> =>
  arg !== null && typeof arg === 'object' && !Array.isArray(arg) && !(arg instanceof Error);

/**
 * Bolt's way of logging (`logger.warn('text', error, …)`) as one pino line: strings (and numbers)
 * make the message, an Error becomes `err`, a plain object adds its fields.
 */
function logArgs(logger: Logger, level: LogLevelName, args: unknown[]): void {
  if (!logger.isLevelEnabled(level)) return;
  const words: string[] = [];
  let fields: Record<string, unknown> = {};
  for (const arg of args) {
    if (arg instanceof Error) fields.err = arg;
    else if (isFields(arg)) fields = { ...fields, ...arg };
    else words.push(typeof arg === 'string' ? arg : String(arg));
  }
  logger[level](fields, words.join(' '));
}

/**
 * A `@slack/logger` Logger (what Bolt, its receivers and the WebClient take) over `base`: Bolt's
 * levels are pino's, and `setName` sets the `component` field of the lines that follow.
 */
export function boltLogger(base: Logger, name?: string): SlackLogger {
  let current = base.child(name ? { component: name } : {});
  return {
    debug: (...args) => logArgs(current, 'debug', args),
    info: (...args) => logArgs(current, 'info', args),
    warn: (...args) => logArgs(current, 'warn', args),
    error: (...args) => logArgs(current, 'error', args),
    setLevel: (level) => {
      current.level = level;
    },
    getLevel: () => current.level as SlackLogLevel,
    setName: (component) => {
      const level = current.level;
      current = base.child({ component });
      current.level = level;
    },
  };
}
