/** The `firewatch` command's dispatcher: help, unknown commands, each command's own usage errors. */
import { HELP, runCommand } from '../../src/cli/firewatch';
import { captured } from '../support/captured';

describe('firewatch', () => {
  it('help lists every command', async () => {
    const { code, out } = await captured(() => runCommand('help', []));
    expect(code).toBe(0);
    expect(out).toBe(HELP);
    for (const command of ['start', 'demo', 'postmortem', 'backup', 'migrate-store', 'help']) {
      expect(out).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  it('an unknown or missing command prints the usage with status 2', async () => {
    const unknown = await captured(() => runCommand('strat', []));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe(`Unknown command strat.\n${HELP}`);
    const none = await captured(() => runCommand(undefined, []));
    expect(none.code).toBe(2);
    expect(none.err).toBe(HELP);
  });

  it('migrate-store is dispatched, with its own usage errors (status 2)', async () => {
    const backwards = await captured(() =>
      runCommand('migrate-store', ['--from', 'postgres://db/firewatch', '--to', 'postgres://db/other']),
    );
    expect(backwards.code).toBe(2);
    expect(backwards.err).toContain('migrate-store copies SQLite → PostgreSQL only');
    const missing = await captured(() => runCommand('migrate-store', ['--from', 'a.db']));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('migrate-store needs --from and --to.');
  });

  it('postmortem and demo keep their own usage errors', async () => {
    const postmortem = await captured(() => runCommand('postmortem', []));
    expect(postmortem.code).toBe(2);
    expect(postmortem.err).toContain('Expected one incident id such as INC-2026-001.');
    const format = await captured(() => runCommand('postmortem', ['INC-2026-001', '--format', 'yaml']));
    expect(format.code).toBe(2);
    expect(format.err).toContain('--format needs markdown or json, not "yaml".');
    expect(format.err).toContain('Usage: firewatch postmortem INC-YYYY-NNN [--format markdown|json]');
    const bare = await captured(() => runCommand('postmortem', ['INC-2026-001', '--format']));
    expect(bare.err).toContain('--format needs markdown or json.');
    const demo = await captured(() => runCommand('demo', ['--speed', '2']));
    expect(demo.code).toBe(2);
    expect(demo.err).toContain('Unknown option --speed');
  });
});
