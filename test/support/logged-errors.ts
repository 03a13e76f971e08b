import { createLogger, type Logger, type LogLevelName } from '../../src/logging';

/**
 * A passing test run is quiet, and strict about it: every error line the bot logs (through the
 * logger of {@link testLogger}, which every test that builds an app gives it, or on the console)
 * fails the test that caused it, unless the test said it expects that error with
 * {@link expectLoggedError}. Installed for every test file by jest.config.js (`setupFilesAfterEnv`).
 *
 * An error logged after a file's last test (work still running after a test stopped the bot)
 * fails the file in `afterAll`.
 */

/** Error lines, split into those a test expected and those it did not. */
export class ErrorLog {
  private readonly expected: RegExp[] = [];
  private unexpected: string[] = [];

  /** Declares errors matching these patterns as expected, until {@link reset}. */
  expect(...patterns: RegExp[]): void {
    this.expected.push(...patterns);
  }

  /** Records one console.error call. */
  record(args: unknown[]): void {
    const line = args.map(describeArg).join(' ');
    if (!this.expected.some((pattern) => pattern.test(line))) this.unexpected.push(line);
  }

  /** Forgets what was expected (a new test starts). */
  reset(): void {
    this.expected.length = 0;
  }

  /** Throws, naming every unexpected line since the last call, when there was any. */
  check(when: string): void {
    const lines = this.unexpected;
    this.unexpected = [];
    if (lines.length > 0) {
      throw new Error(
        `The bot logged ${lines.length} error(s) ${when} that no test expected:\n${lines.join('\n')}`,
      );
    }
  }
}

function describeArg(arg: unknown): string {
  if (arg instanceof Error) return `${arg.name}: ${arg.message}`;
  if (typeof arg === 'string') return arg;
  try {
    return JSON.stringify(arg);
  } catch {
    return String(arg);
  }
}

const log = new ErrorLog();

/** Declares that the current test makes the bot log errors matching these patterns. */
export function expectLoggedError(...patterns: RegExp[]): void {
  log.expect(...patterns);
}

/** One JSON log line as the guard sees it: the message, then its fields (an error as `Type: message`). */
export function describeLogLine(line: Record<string, unknown>): string {
  const { level: _level, time: _time, component: _component, msg, err, ...fields } = line;
  const parts = [String(msg ?? '')];
  const error = err as { type?: string; message?: string } | undefined;
  if (error) parts.push(`${error.type ?? 'Error'}: ${error.message ?? ''}`);
  if (Object.keys(fields).length > 0) parts.push(JSON.stringify(fields));
  return parts.join(' ');
}

/**
 * The logger for an app under test: prints nothing, and hands every `error` line to the guard
 * (an unexpected one fails the test). `lines`, when given, receives every line written (parsed),
 * for tests of the logs themselves.
 */
export function testLogger(
  opts: { level?: LogLevelName; lines?: Record<string, unknown>[]; raw?: string[] } = {},
): Logger {
  return createLogger({
    level: opts.level ?? 'error',
    format: 'json',
    destination: {
      write(text: string) {
        opts.raw?.push(text);
        const line = JSON.parse(text) as Record<string, unknown>;
        opts.lines?.push(line);
        if (line.level === 'error') log.record([describeLogLine(line)]);
      },
    },
  });
}

const original = console.error;

beforeAll(() => {
  console.error = (...args: unknown[]) => log.record(args);
});

beforeEach(() => {
  log.check('between tests');
  log.reset();
});

afterEach(() => log.check('during this test'));

afterAll(() => {
  console.error = original;
  log.check("after this file's last test");
});
