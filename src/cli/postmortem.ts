import fs from 'node:fs';
import { ConfigError, loadConfig } from '../config';
import { parseIncidentId } from '../domain/ids';
import { systemClock } from '../services/clock';
import { PostmortemService } from '../services/postmortem-service';
import { blockKitRenderer } from '../slack/blocks/renderer';
import { openStore } from '../storage';

const USAGE = 'Usage: firewatch postmortem INC-YYYY-NNN [--out FILE] (in a clone: npm run postmortem -- …)';

/**
 * Recompiles an incident's postmortem from the database, with no Slack at all: prints the
 * Markdown, or writes it to --out. Nothing is stored.
 */
export async function runPostmortemCli(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = [...argv];
  let out: string | null = null;
  const outAt = args.indexOf('--out');
  if (outAt >= 0) {
    out = args[outAt + 1] ?? null;
    if (!out) {
      process.stderr.write(`--out needs a file name.\n${USAGE}\n`);
      return 2;
    }
    args.splice(outAt, 2);
  }
  const parsed = args.length === 1 ? parseIncidentId(args[0]!) : null;
  if (!parsed) {
    process.stderr.write(`Expected one incident id such as INC-2026-001.\n${USAGE}\n`);
    return 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env, { slack: false });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.problems.join('\n')}\n`);
      return 1;
    }
    throw error;
  }
  const store = openStore(config.databaseUrl);
  try {
    if (!(await store.getIncident(parsed.id))) {
      process.stderr.write(`No incident ${parsed.id} in ${config.databaseUrl}.\n`);
      return 1;
    }
    const service = new PostmortemService({
      store,
      slack: null,
      clock: systemClock,
      // Only previews here: nothing is posted, but the service is complete.
      renderer: blockKitRenderer,
      settings: {
        timeZone: config.timeZone,
        targets: config.targets,
        postmortemDir: config.postmortemDir,
        announceChannel: null,
      },
    });
    const { markdown } = await service.preview(parsed.id);
    if (out) {
      fs.writeFileSync(out, markdown);
      process.stderr.write(`Wrote ${out}\n`);
    } else {
      process.stdout.write(markdown);
    }
    return 0;
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  runPostmortemCli(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
