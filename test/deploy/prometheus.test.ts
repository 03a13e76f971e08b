/**
 * The Prometheus alert rules: `promtool check rules` and `promtool test rules` pass, and every
 * metric an alert names is one GET /metrics serves. promtool comes from Debian's `prometheus`
 * package (.ci/run installs it); without it these tests fail under CI=true and are skipped, with
 * the reason printed, elsewhere.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Harness } from '../support/harness';
import { parsePrometheusText } from '../support/prometheus-text';

const DIR = path.join(__dirname, '../../deploy/prometheus');
const RULES = path.join(DIR, 'alerts.yml');

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const havePromtool = promtool.status === 0;
const inCi = process.env.CI === 'true';
if (!havePromtool && !inCi) {
  console.warn('Skipping the promtool checks: promtool is not installed (apt-get install prometheus).');
}
const withPromtool = havePromtool || inCi ? it : it.skip;

function run(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd: DIR, encoding: 'utf8' });
  if (result.error)
    throw new Error(
      `promtool could not run (${result.error.message}): install it (apt-get install prometheus)`,
    );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('deploy/prometheus/alerts.yml', () => {
  withPromtool('passes promtool check rules', () => {
    const { status, output } = run(['check', 'rules', 'alerts.yml']);
    expect(output).toContain('SUCCESS: 8 rules found');
    expect(status).toBe(0);
  });

  withPromtool('passes its unit tests (promtool test rules alerts.test.yml)', () => {
    const { status, output } = run(['test', 'rules', 'alerts.test.yml']);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('has the alerts an operator needs, each with a severity, a summary and a description', () => {
    const text = fs.readFileSync(RULES, 'utf8');
    const alerts = [...text.matchAll(/^\s+- alert: (\w+)$/gm)].map((m) => m[1]);
    expect(alerts).toEqual([
      'FirewatchDown',
      'FirewatchNotReady',
      'FirewatchOutboxBacklogGrowing',
      'FirewatchOutboxJobOld',
      'FirewatchOutboxJobsFailed',
      'FirewatchSlackErrors',
      'FirewatchSlackRateLimited',
      'FirewatchAcksSlow',
    ]);
    for (const block of text.split(/^\s+- alert: /m).slice(1)) {
      expect(block).toMatch(/severity: (critical|warning)\n/);
      expect(block).toMatch(/summary: "/);
      expect(block).toMatch(/description: >-\n/);
    }
  });

  it('uses only metrics that GET /metrics serves (and `up`, which Prometheus adds)', async () => {
    const text = fs.readFileSync(RULES, 'utf8');
    const exprs = [...text.matchAll(/expr: (?:>-\n)?((?:.|\n)*?)\n\s+(?:for|labels):/g)].map((m) => m[1]!);
    expect(exprs).toHaveLength(8);
    const used = new Set(
      exprs.flatMap((e) => [...e.matchAll(/\b(firewatch_[a-z0-9_]+)\b/g)].map((m) => m[1]!)),
    );
    expect(exprs.some((e) => /^up\{/.test(e))).toBe(true);
    const h = await Harness.start();
    try {
      const families = parsePrometheusText(await (await fetch(`${h.baseUrl}/metrics`)).text());
      const served = new Set<string>();
      for (const family of families.values()) {
        served.add(family.name);
        for (const sample of family.samples) served.add(sample.name);
      }
      expect([...used].sort()).toEqual([
        'firewatch_ack_duration_seconds_bucket',
        'firewatch_outbox_jobs',
        'firewatch_outbox_oldest_pending_age_seconds',
        'firewatch_ready',
        'firewatch_slack_api_calls_total',
        'firewatch_slack_api_rate_limited_total',
      ]);
      for (const name of used) expect({ name, served: served.has(name) }).toEqual({ name, served: true });
    } finally {
      await h.stop();
    }
  });
});
