import fs from 'node:fs';
import { parseIncidentId } from '../domain/ids';
import { systemClock } from '../services/clock';
import { PostmortemService } from '../services/postmortem-service';
import { blockKitRenderer } from '../slack/blocks/renderer';
import { openStore } from '../storage';
import { offlineConfig } from './offline-config';

const USAGE =
  'Usage: firewatch postmortem INC-YYYY-NNN [--format markdown|json] [--out FILE] (in a clone: npm run postmortem -- …)';

const FORMATS = ['markdown', 'json'] as const;

/**
 * Recompiles an incident's postmortem from the database, with no Slack at all: prints the
 * Markdown (or, with `--format json`, the JSON of docs/postmortem-json.md), or writes it to --out.
 * Nothing is stored.
 */
export async function runPostmortemCli(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = [...argv];
  let format: (typeof FORMATS)[number] = 'markdown';
  const formatAt = args.findIndex((a) => a === '--format' || a.startsWith('--format='));
  if (formatAt >= 0) {
    const given = args[formatAt]!.startsWith('--format=') ? args[formatAt]!.slice(9) : args[formatAt + 1];
    const known = FORMATS.find((f) => f === given);
    if (!known) {
      process.stderr.write(`--format needs markdown or json${given ? `, not "${given}"` : ''}.\n${USAGE}\n`);
      return 2;
    }
    format = known;
    args.splice(formatAt, args[formatAt] === '--format' ? 2 : 1);
  }
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
  const config = offlineConfig(env);
  if (!config) return 1;
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
    const preview = await service.preview(parsed.id);
    const text = format === 'json' ? preview.json : preview.markdown;
    if (out) {
      fs.writeFileSync(out, text);
      process.stderr.write(`Wrote ${out}\n`);
    } else {
      process.stdout.write(text);
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
