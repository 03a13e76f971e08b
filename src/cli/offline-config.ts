import { type Config, ConfigError, loadConfig } from '../config';

/**
 * The configuration of a command that works without Slack (postmortem, report, backup): null when
 * it is wrong, after one line a problem on stderr (the caller exits 1).
 */
export function offlineConfig(env: NodeJS.ProcessEnv): Config | null {
  try {
    return loadConfig(env, { slack: false });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.problems.join('\n')}\n`);
    return null;
  }
}
