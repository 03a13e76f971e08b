import fs from 'node:fs';
import { createFirewatch } from './app';
import { type Config, ConfigError, loadConfig } from './config';

/** Reads `.env` from the working directory when there is one (Node's own loader; no dependency). */
function loadDotEnv(): void {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
}

/** The configuration from the environment; invalid configuration ends the process with status 1. */
function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Firewatch cannot start: invalid configuration\n${error.problems.join('\n')}\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = configOrExit();
  const firewatch = createFirewatch(config);
  const { port } = await firewatch.start();
  const mode = config.appToken ? 'Socket Mode' : 'HTTP mode (POST /slack/events)';
  firewatch.app.logger.info(`Firewatch is running in ${mode}; health on http://localhost:${port}/healthz`);
  const shutdown = async (signal: string) => {
    firewatch.app.logger.info(`${signal}: shutting down`);
    await firewatch.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Firewatch failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
