import fs from 'node:fs';
import { createFirewatch, type Firewatch } from './app';
import { type Config, ConfigError, checkPaths, loadConfig } from './config';
import { createLogger } from './logging';
import { installProcessGuard } from './process-guard';
import { TokenRefusedError } from './slack/connection';

/** Reads `.env` from the working directory when there is one (Node's own loader; no dependency). */
function loadDotEnv(): void {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
}

/** Ends the process with status 1 and these lines, no stack trace. */
function fail(lines: string[]): never {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}

/**
 * The configuration from the environment, with DATABASE_URL's folder and POSTMORTEM_DIR checked
 * (created, writable); invalid configuration ends the process with status 1.
 */
function configOrExit(): Config {
  try {
    const config = loadConfig(process.env);
    checkPaths(config);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      fail(['Firewatch cannot start: invalid configuration', ...error.problems]);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = configOrExit();
  let firewatch: Firewatch | null = null;
  const refused = (error: TokenRefusedError) => {
    void firewatch
      ?.stop()
      .catch(() => undefined)
      .finally(() => fail([`Firewatch stopped: ${error.message}`]));
  };
  // Runtime lines go to stdout as LOG_FORMAT says; start-up failures stay plain lines on stderr.
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  firewatch = createFirewatch(config, { onTokenRefused: refused, logger });
  const app = firewatch.app;
  installProcessGuard(() => app.logger);
  const { port } = await firewatch.start();
  const mode = config.appToken ? 'socket' : 'http';
  logger.info(
    { mode, port, slack: firewatch.slackStatus(), health: `http://localhost:${port}/healthz` },
    `Firewatch is running in ${config.appToken ? 'Socket Mode' : 'HTTP mode (POST /slack/events)'}`,
  );
  const running = firewatch;
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await running.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * Starts the bot and keeps it running until SIGINT / SIGTERM (`firewatch start`, `npm start`); a
 * failure to start ends the process with status 1 and one line.
 */
export function startBot(): void {
  main().catch((error: unknown) => {
    if (error instanceof TokenRefusedError) fail([`Firewatch cannot start: ${error.message}`]);
    fail([`Firewatch failed to start: ${error instanceof Error ? error.message : String(error)}`]);
  });
}

if (require.main === module) startBot();
