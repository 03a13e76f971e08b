import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { databasePath, isPostgresUrl } from '../config';
import { renderInsightsReport } from '../domain/insights-report';
import { rangeProblem, todayIn } from '../domain/stats-period';
import type { Clock } from '../services/clock';
import { systemClock } from '../services/clock';
import { StatsService } from '../services/stats-service';
import { openStore } from '../storage';
import { offlineConfig } from './offline-config';

export const REPORT_USAGE =
  'Usage: firewatch report --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE] [--include-private]';

/** Services and overdue action items the report lists (more than Slack's message has room for). */
const REPORT_LISTS = { topServices: 10, overdueItems: 50 };

/**
 * `firewatch report`: insights across incidents from `--from` to `--to` (calendar days in
 * FIREWATCH_TIMEZONE, both included) against the previous period of the same length, as Markdown
 * with Mermaid charts: printed, or written to `--out`. Private incidents are counted; their
 * services and action items are shown only with `--include-private`. Reads the database only.
 * Status 2 on a usage error, 1 when the configuration or the database is wrong.
 */
export async function runReportCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  clock: Clock = systemClock,
): Promise<number> {
  const usage = (problem: string) => {
    process.stderr.write(`${problem}\n${REPORT_USAGE}\n`);
    return 2;
  };
  let values: { from?: string; to?: string; out?: string; 'include-private'?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
        'include-private': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  const { from, to, out } = values;
  if (!from || !to) return usage('report needs --from and --to, each a date written YYYY-MM-DD.');
  if (out === '') return usage('--out needs a file name.');

  const config = offlineConfig(env);
  if (!config) return 1;
  const problem = rangeProblem(from, to, todayIn(clock(), config.timeZone));
  if (problem) return usage(problem);
  // A report only reads: a SQLite file that is not there is a wrong DATABASE_URL, not a new database.
  if (!isPostgresUrl(config.databaseUrl) && !fs.existsSync(databasePath(config.databaseUrl))) {
    process.stderr.write(`DATABASE_URL: no database at ${databasePath(config.databaseUrl)}.\n`);
    return 1;
  }

  const store = openStore(config.databaseUrl);
  try {
    const stats = new StatsService({
      store,
      clock,
      settings: { timeZone: config.timeZone, targets: config.targets, admins: config.admins },
    });
    const includePrivate = values['include-private'] === true;
    const insights = await stats.insights(
      { kind: 'range', from, to },
      { kind: includePrivate ? 'everything' : 'public' },
      REPORT_LISTS,
    );
    const owners = [...new Set(insights.actions.overdueItems.flatMap((a) => (a.owner ? [a.owner] : [])))];
    const markdown = renderInsightsReport(insights, {
      people: await store.people(owners),
      privateShown: includePrivate,
    });
    if (out) {
      fs.writeFileSync(out, markdown);
      process.stderr.write(
        `Wrote ${out}: ${insights.incidents.current.total} incidents from ${from} to ${to}.\n`,
      );
    } else {
      process.stdout.write(markdown);
    }
    return 0;
  } finally {
    await store.close();
  }
}
