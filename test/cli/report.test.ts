/** `firewatch report` on a real SQLite file of generated incidents. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HELP, runCommand } from '../../src/cli/firewatch';
import { REPORT_USAGE, runReportCli } from '../../src/cli/report';
import { draftIncident } from '../../src/domain/lifecycle';
import { resolvePeriods } from '../../src/domain/stats-period';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store';
import { captured } from '../support/captured';
import { type Generated, generateIncidents } from '../support/generated-incidents';

/** 2026-02-20 12:00 UTC. */
const NOW = Date.UTC(2026, 1, 20, 12, 0);
const TZ = 'America/New_York';

describe('firewatch report', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let generated: Generated[];
  const report = (...argv: string[]) => captured(() => runReportCli(argv, env, () => NOW));

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fw-report-'));
    const file = path.join(dir, 'firewatch.db');
    const store = SqliteStore.open(file);
    generated = await generateIncidents(store, {
      count: 220,
      now: NOW,
      days: 120,
      privateEvery: 11,
      seed: 11,
    });
    // A private incident whose service and action item must not appear in a shared report.
    const declaredAt = Date.UTC(2026, 0, 10, 15);
    const draft = await store.createIncident(
      draftIncident({
        title: 'Payroll vault exposed',
        severity: 'P1',
        declaredBy: 'UCAROL',
        originChannelId: null,
        declaredAt,
        isPrivate: true,
      }),
      2026,
    );
    await store.applyChange(
      draft.id,
      {
        incident: { ...draft, channelId: 'GSECRET', channelName: 'inc-secret' },
        fields: [
          { field: 'services', value: 'Payroll | vault', at: declaredAt, author: null, sourceRef: null },
        ],
        actions: [
          {
            text: 'Rotate the payroll | vault key',
            owner: 'UCAROL',
            due: '2025-06-01',
            priority: 'P1',
            status: 'open',
            createdAt: declaredAt,
            createdBy: 'UCAROL',
            doneAt: null,
            sourceRef: null,
          },
        ],
      },
      declaredAt,
    );
    await store.savePeople({ UALICE: 'alice', UBOB: 'bob', UCAROL: 'carol' }, NOW);
    await store.close();
    env = { DATABASE_URL: file, FIREWATCH_TIMEZONE: TZ, POSTMORTEM_DIR: path.join(dir, 'postmortems') };
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints the insights as Markdown with two Mermaid xychart-beta charts', async () => {
    const run = await report('--from', '2026-01-01', '--to', '2026-01-31');
    expect(run.code).toBe(0);
    expect(run.err).toBe('');
    const md = run.out;
    const { current, previous } = resolvePeriods(
      { kind: 'range', from: '2026-01-01', to: '2026-01-31' },
      NOW,
      TZ,
    );
    const count = (p: typeof current) =>
      generated.filter((g) => g.declaredAt >= p.start && g.declaredAt < p.end).length +
      (p === current ? 1 : 0);

    expect(md.startsWith('# Incident report: 2026-01-01 to 2026-01-31\n')).toBe(true);
    expect(md).toContain('- **Compared with:** the previous 2025-12-01 to 2025-12-31 (31 days)');
    expect(md).toContain(`- **Days counted in:** ${TZ}`);
    expect(md).toContain(`| **All** | **${count(current)}** | **${count(previous)}** |`);
    for (const heading of [
      '## Incidents by severity',
      '## Response times',
      '### Time to detect',
      '### Time to acknowledge',
      '### Time to mitigate',
      '### Time to resolve',
      '## Action items',
      '## Services with most incidents',
      '## Weekly trend',
    ]) {
      expect(md).toContain(`\n${heading}\n`);
    }
    // 2026-01-01 is a Thursday: weeks from Monday 2025-12-29 to Monday 2026-01-26.
    const charts = [...md.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
    expect(charts).toHaveLength(2);
    for (const chart of charts) {
      const lines = chart.split('\n');
      expect(lines[0]).toBe('xychart-beta');
      expect(lines[1]).toMatch(/^ {2}title "[^"]+"$/);
      expect(lines[2]).toBe(
        '  x-axis "Week starting" ["2025-12-29", "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"]',
      );
      expect(lines[3]).toMatch(/^ {2}y-axis "(Incidents|Hours|Minutes)" 0 --> [\d.]+$/);
      expect(lines[4]).toMatch(/^ {2}bar \[(\d+(\.\d+)?, ){4}\d+(\.\d+)?\]$/);
    }
    const weekly = /bar \[([^\]]+)\]/.exec(charts[0]!)![1]!.split(', ').map(Number);
    expect(weekly.reduce((a, b) => a + b, 0)).toBe(count(current));
  });

  it('counts private incidents but lists neither their services nor their action items, unless asked', async () => {
    const shared = (await report('--from', '2026-01-01', '--to', '2026-01-31')).out;
    expect(shared).not.toContain('Payroll');
    expect(shared).toMatch(/\d+ private incidents are counted; what they are about is not shown\./);
    expect(shared).toMatch(/\d+ overdue action items of private incidents are counted, not listed\./);

    const own = (await report('--from', '2026-01-01', '--to', '2026-01-31', '--include-private')).out;
    // User text is escaped for a table cell; owners are shown by name.
    expect(own).toContain('| Payroll \\| vault | 1 | 0 |');
    expect(own).toContain('| Rotate the payroll \\| vault key | @carol | P1 |');
    expect(own).not.toContain('are counted, not listed');
  });

  it('--out writes the file and says so', async () => {
    const out = path.join(dir, 'report.md');
    const run = await report('--from', '2026-02-01', '--to', '2026-02-20', '--out', out);
    expect(run.code).toBe(0);
    expect(run.out).toBe('');
    expect(run.err).toMatch(/^Wrote .*report\.md: \d+ incidents from 2026-02-01 to 2026-02-20\.\n$/);
    expect(fs.readFileSync(out, 'utf8')).toContain('# Incident report: 2026-02-01 to 2026-02-20');
  });

  it('a period without incidents still gives a whole report', async () => {
    const run = await report('--from', '2020-01-01', '--to', '2020-01-31');
    expect(run.code).toBe(0);
    expect(run.out).toContain('| **All** | **0** | **0** | **0** |');
    expect(run.out).toContain('_No incidents in this period or the previous one._');
    expect(run.out).toContain('  y-axis "Incidents" 0 --> 1');
  });

  it.each([
    [[], 'report needs --from and --to'],
    [['--from', '2026-01-01'], 'report needs --from and --to'],
    [['--from', '2026-01-31', '--to', '2026-01-01'], 'starts (2026-01-31) after it ends (2026-01-01)'],
    [['--from', '2026-02-30', '--to', '2026-03-01'], '2026-02-30 is not a real calendar date'],
    [['--from', '2026-01-01', '--to', '2026-12-31'], 'ends after today (2026-02-20)'],
    [['--from', '2026-01-01', '--to', '2026-01-31', '--format', 'pdf'], "Unknown option '--format'"],
    [['--from', '2026-01-01', '--to', '2026-01-31', 'extra'], "Unexpected argument 'extra'"],
  ])('%j is a usage error (status 2)', async (argv, message) => {
    const run = await report(...argv);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toContain(message);
    expect(run.err).toContain(REPORT_USAGE);
  });

  it('a database that is not there is an error naming DATABASE_URL, and nothing is created', async () => {
    const missing = path.join(dir, 'nope', 'missing.db');
    const run = await captured(() =>
      runReportCli(
        ['--from', '2026-01-01', '--to', '2026-01-31'],
        { ...env, DATABASE_URL: missing },
        () => NOW,
      ),
    );
    expect(run.code).toBe(1);
    expect(run.err).toBe(`DATABASE_URL: no database at ${missing}.\n`);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('bad configuration is one line per problem, status 1', async () => {
    const run = await captured(() =>
      runReportCli(
        ['--from', '2026-01-01', '--to', '2026-01-31'],
        { ...env, FIREWATCH_TIMEZONE: 'Mars/Base' },
        () => NOW,
      ),
    );
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^FIREWATCH_TIMEZONE/m);
  });

  it('is a command of firewatch, listed in its help', async () => {
    expect(HELP).toMatch(/^ {2}report --from <date> --to <date>/m);
    const run = await captured(() => runCommand('report', []));
    expect(run.code).toBe(2);
    expect(run.err).toContain(REPORT_USAGE);
  });
});
