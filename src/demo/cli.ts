/**
 * `npm run demo [-- --db <path>] [-- --tz <zone>]`: plays the worked example through the real bot against
 * the Slack emulator and prints what people would have seen in Slack.
 */
import { runDemo } from './demo';

const USAGE = 'Usage: npm run demo -- [--db <path>] [--tz <IANA zone>]';

/** Parsed command line of the demo. */
export interface DemoArgs {
  databaseUrl?: string;
  timeZone?: string;
  help: boolean;
}

/**
 * Parses `--db <path>` and `--tz <zone>` (also `--db=<path>`, `--tz=<zone>`) and `--help`.
 * @throws with a message naming the problem on an unknown option or a missing value
 */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const args: DemoArgs = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      args.help = true;
      continue;
    }
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (flag !== '--db' && flag !== '--tz') throw new Error(`Unknown option ${arg}`);
    const value = inline ?? argv[++i];
    if (!value || value.startsWith('--')) throw new Error(`${flag} needs a value`);
    if (flag === '--db') args.databaseUrl = value;
    else args.timeZone = value;
  }
  return args;
}

async function main(): Promise<number> {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  await runDemo({
    out: process.stdout,
    ...(args.databaseUrl ? { databaseUrl: args.databaseUrl } : {}),
    ...(args.timeZone ? { timeZone: args.timeZone } : {}),
  });
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
      // Everything is stopped; should a stray keep-alive socket linger, do not wait for it.
      setTimeout(() => process.exit(code), 1000).unref();
    },
    (error: unknown) => {
      process.stderr.write(
        `The demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
