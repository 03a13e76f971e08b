#!/usr/bin/env node
/**
 * The `firewatch` command of the installed package (`npx firewatch <command>`), also behind
 * `npm start` in a clone. Every command reads `.env` from the working directory when there is one.
 */
import fs from 'node:fs';
import { parseDemoArgs } from '../demo/cli';
import { runDemo } from '../demo/demo';
import { startBot } from '../main';
import { runBackupCli } from './backup';
import { runMigrateStoreCli } from './migrate-store';
import { runPostmortemCli } from './postmortem';
import { runReportCli } from './report';

/** The usage text of `firewatch help`. */
export const HELP = `Usage: firewatch <command> [options]

Commands:
  start                                  run the bot (configuration from the environment and .env)
  demo [--db <path>] [--tz <zone>]       play a whole incident against a local Slack emulator
  postmortem <INC-YYYY-NNN> [--format markdown|json] [--out <f>]
                                         recompile a postmortem from the database (no Slack)
  report --from <date> --to <date> [--out <f>] [--include-private]
                                         insights across incidents as Markdown with charts (no Slack)
  backup <file> [--force]                consistent copy of the SQLite database, also while the bot runs
  migrate-store --from <db> --to <url>   copy a SQLite database into an empty PostgreSQL one
  help                                   this text
`;

/** `firewatch demo`: status 2 on a usage error. */
async function demo(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseDemoArgs>;
  try {
    args = parseDemoArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nUsage: firewatch demo [--db <path>] [--tz <zone>]\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write('Usage: firewatch demo [--db <path>] [--tz <zone>]\n');
    return 0;
  }
  await runDemo({
    out: process.stdout,
    ...(args.databaseUrl ? { databaseUrl: args.databaseUrl } : {}),
    ...(args.timeZone ? { timeZone: args.timeZone } : {}),
  });
  return 0;
}

/**
 * Runs one command that ends (everything but `start`); resolves with its exit status. Unknown
 * commands print the usage and give 2.
 */
export async function runCommand(command: string | undefined, argv: string[]): Promise<number> {
  switch (command) {
    case 'demo':
      return demo(argv);
    case 'postmortem':
      return runPostmortemCli(argv, process.env);
    case 'report':
      return runReportCli(argv, process.env);
    case 'backup':
      return runBackupCli(argv, process.env);
    case 'migrate-store':
      return runMigrateStoreCli(argv);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    default:
      process.stderr.write(`${command ? `Unknown command ${command}.\n` : ''}${HELP}`);
      return 2;
  }
}

if (require.main === module) {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'start') {
    // startBot reads .env itself and runs until a signal.
    startBot();
  } else {
    if (fs.existsSync('.env')) process.loadEnvFile('.env');
    runCommand(command, rest).then(
      (code) => {
        process.exitCode = code;
        // Everything is closed; should a stray keep-alive socket linger (the demo), do not wait for it.
        setTimeout(() => process.exit(code), 1000).unref();
      },
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
  }
}
