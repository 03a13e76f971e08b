const USAGE = 'Usage: firewatch migrate-store --from <url> --to <url>';

/** The issue that brings the PostgreSQL store, which is what migrate-store is for. */
export const POSTGRES_ISSUE = 'issue 11';

/**
 * `firewatch migrate-store --from <url> --to <url>`: copying a store into another only makes sense
 * once there is a second kind of store. Until PostgreSQL arrives it checks its arguments and says
 * so with status 2 (a SQLite file is copied with `firewatch backup`).
 */
export function runMigrateStoreCli(argv: string[]): number {
  const from = flagValue(argv, '--from');
  const to = flagValue(argv, '--to');
  if (!from || !to) {
    process.stderr.write(`migrate-store needs --from and --to.\n${USAGE}\n`);
    return 2;
  }
  process.stderr.write(
    `migrate-store is not available yet: SQLite is the only store so far; the PostgreSQL store and ` +
      `copying between stores come with ${POSTGRES_ISSUE}. To copy a SQLite database use ` +
      '`firewatch backup <file>`.\n',
  );
  return 2;
}

/** The value after `flag` (or in `flag=value`), or null. */
function flagValue(argv: string[], flag: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === flag) return argv[i + 1] ?? null;
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1) || null;
  }
  return null;
}
