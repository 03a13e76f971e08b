import fs from 'node:fs';
import path from 'node:path';
import { runPostmortemCli } from '../../src/cli/postmortem';
import { postmortemJsonSchema } from '../../src/domain/postmortem/json';
import { SlackEmulator } from '../../src/emulator';
import { expectWithinLimits } from '../support/block-kit';
import { Harness } from '../support/harness';
import { movableClock, tsAt } from '../support/movable-clock';

const ts = tsAt;

const SECTION_HEADINGS = [
  '# Postmortem: ',
  '## 1. Incident overview',
  '## 2. Executive summary',
  '## 3. Detection',
  '## 4. Detailed timeline',
  '## 5. Impact',
  '## 6. Root cause analysis',
  '## 7. Resolution',
  '## 8. Response metrics',
  '## 9. What went well',
  '## 10. Action items',
  '## 11. Lessons learned',
  '## 12. Related incidents',
  '## 13. Communication log',
  '## 14. Approval',
  '## Appendix A.',
];

/** Asserts a summary post respects Block Kit's limits (and has a fallback text). */
function expectSummaryWithinLimits(args: { text?: string; blocks?: unknown[] }) {
  expect(String(args.text ?? '').length).toBeGreaterThan(0);
  expectWithinLimits(args.blocks ?? []);
}

describe('the worked example, played through the real app', () => {
  it('gives 28 minutes, 99.94 %, a 0.5-minute detection lag, the template measures and every section in order', async () => {
    // Alem acknowledges the 10:30:30 alert by declaring the incident at 10:30:45.
    const clock = movableClock('2026-02-20T10:30:45Z');
    const slack = await SlackEmulator.start();
    const announce = slack.createChannel('announcements', { botIsMember: true }).id;
    // Handles as slash commands carry them; full names as users.info gives them (real_name).
    slack.addUser('UALEM', 'alem', { realName: 'Alem Bašić' });
    slack.addUser('UDEV', 'dev', { realName: 'Dev Okafor' });
    slack.addUser('UCOMMS', 'comms', { realName: 'Cora Mills' });
    const h = await Harness.start({ emulator: slack, clock: clock.now, env: { ANNOUNCE_CHANNEL: announce } });
    try {
      const { channel, incident } = await h.declare('P1 Database connection pool exhausted', {
        user: 'UALEM',
      });
      const run = async (text: string, user = 'UALEM') => {
        const reply = await h.slash(text, { channel, user });
        expect(reply.json.text).not.toContain(':warning:');
        await h.idle();
      };
      await run('started 10:30');
      await run('detected 10:30:30 by BetterStack monitor');
      await run('tech <@UDEV|dev>');
      await run('comms <@UCOMMS>');
      clock.set('2026-02-20T10:40:00Z');
      const said = [
        ['2026-02-20T10:31:30Z', 'UALEM', '/api/health returns 503, db check failing'],
        ['2026-02-20T10:32:00Z', 'UDEV', 'CloudWatch shows connection refused to RDS'],
        ['2026-02-20T10:35:00Z', 'UALEM', 'fix: restarting App Runner (start-deployment)'],
        ['2026-02-20T10:38:30Z', 'UDEV', 'health check green again'],
      ] as const;
      for (const [i, [at, user, text]] of said.entries()) {
        await h.event({ type: 'message', channel, user, text, ts: ts(at, i + 1), event_ts: ts(at, i + 1) });
        await h.event({
          type: 'reaction_added',
          user: 'UALEM',
          reaction: 'pushpin',
          item: { type: 'message', channel, ts: ts(at, i + 1) },
          event_ts: ts('2026-02-20T10:39:00Z', i + 1),
        });
      }
      await run('status identified at 10:34 Pool exhaustion after a login burst', 'UDEV');
      await run('update Restarting the app servers; payments failing meanwhile', 'UCOMMS');
      await run('status monitoring at 10:38:30 Health check green', 'UDEV');
      clock.set('2026-02-20T11:00:00Z');
      await run('resolve at 10:58 Stable for 15 minutes');
      await run(
        'set summary A login burst exhausted the database pool; the API returned 503 for 28 minutes.',
      );
      await run('set root-cause RDS PostgreSQL connection pool exhausted by concurrent logins');
      await run('set services drop-api');
      await run('set environment production');
      await run('set went-well BetterStack alerted within 30 seconds');
      await run('set went-wrong No alarm on DatabaseConnections');
      await run('set lessons Marketing campaigns need a capacity check');
      await run('action Configure PgBouncer or RDS Proxy <@UALEM> due 2026-03-01 P1');
      await run('action Alarm on DatabaseConnections > 70 <@UDEV> due 2026-02-27 P2');
      await run('close');

      // Stored first, written to POSTMORTEM_DIR, posted, uploaded and announced.
      const [record] = await h.store.postmortems(incident.id);
      expect(record?.version).toBe(1);
      const file = path.join(h.config.postmortemDir, `${incident.id}.md`);
      const markdown = fs.readFileSync(file, 'utf8');
      expect(markdown).toBe(record!.markdown);
      // The machine-readable document beside it, in the documented schema.
      const json = postmortemJsonSchema.parse(
        JSON.parse(fs.readFileSync(path.join(h.config.postmortemDir, `${incident.id}.json`), 'utf8')),
      );
      expect(json.incidentId).toBe(incident.id);
      expect(json.overview).toMatchObject({
        impactStart: '2026-02-20T10:30:00.000Z',
        detectedAt: '2026-02-20T10:30:30.000Z',
        resolvedAt: '2026-02-20T10:58:00.000Z',
        durationSeconds: 28 * 60,
      });
      expect(json.responseMetrics.metrics.map((m) => [m.key, m.seconds, m.verdict])).toEqual([
        ['detect', 30, 'Good'],
        ['acknowledge', 15, 'Good'],
        ['diagnose', 210, 'Fair'],
        ['mitigate', 510, 'Good'],
        ['resolve', 1680, 'Good'],
      ]);
      expect(json.executiveSummary.draftedByFirewatch).toBe(false);

      let last = -1;
      for (const heading of SECTION_HEADINGS) {
        const at = markdown.indexOf(heading);
        expect({ heading, found: at > last }).toEqual({ heading, found: true });
        last = at;
      }
      expect(markdown).toContain('| Duration | 28 minutes |');
      expect(markdown).toContain('28 minutes downtime → monthly uptime: 99.94%');
      expect(markdown).toContain('**Lag from impact start to detection:** 0.5 minutes');
      // The template's response measures, each against its target.
      const metrics = markdown.slice(markdown.indexOf('## 8.'), markdown.indexOf('## 9.'));
      expect(metrics).toContain(
        '| Time to detect | impact start → detection | 0.5 minutes (30 s) | ≤ 5 minutes | Good |',
      );
      expect(metrics).toMatch(
        /\| Time to acknowledge \| detection → first human response \| 0\.25 minutes \(15 s\) \| ≤ 5 minutes \| Good \|/,
      );
      expect(metrics).toContain(
        '| Time to diagnose | detection → identified | 3.5 minutes | ≤ 3 minutes | Fair |',
      );
      expect(metrics).toContain(
        '| Time to mitigate | impact start → monitoring | 8.5 minutes | ≤ 30 minutes | Good |',
      );
      expect(metrics).toContain(
        '| Time to resolve | impact start → resolved | 28 minutes | ≤ 60 minutes | Good |',
      );
      expect(markdown).toContain('P1 — Critical (production down)');
      // People by their full names, as the team's template names them.
      expect(markdown).toContain('| Incident Commander | Alem Bašić |');
      expect(markdown).toContain('| Technical Lead | Dev Okafor |');
      expect(markdown).toContain('| Communications Lead | Cora Mills |');
      expect(markdown).not.toMatch(/\| (alem|dev) \|/);
      expect(markdown).toContain('Configure PgBouncer or RDS Proxy');
      expect(markdown).toContain('CloudWatch shows connection refused to RDS');
      expect(markdown).toContain('Restarting the app servers');
      expect(markdown).not.toContain('{{');
      // The timeline is in the order things happened: the backdated identification sits between messages.
      expect(markdown.indexOf('connection refused to RDS')).toBeLessThan(markdown.indexOf('identified'));
      expect(markdown.indexOf('identified')).toBeLessThan(markdown.indexOf('fix: restarting App Runner'));

      const summary = h.slack
        .callsTo('chat.postMessage')
        .find((c) => c.args.channel === channel && JSON.stringify(c.args.blocks ?? '').includes('99.94%'));
      expect(summary).toBeDefined();
      expectSummaryWithinLimits(summary!.args as never);
      const summaryBlocks = JSON.stringify(summary!.args.blocks);
      expect(summaryBlocks).toContain('Time to acknowledge: 15 s (target 5 min): *Good*');
      expect(summaryBlocks).toContain('Time to diagnose: 3.5 min (target 3 min): *Fair*');
      const complete = h.slack.lastCall('files.completeUploadExternal')!;
      expect(complete.args.channel_id).toBe(channel);
      const fileId = (complete.args.files as { id: string }[])[0]!.id;
      expect(h.slack.uploadedFile(fileId)?.bytes?.toString('utf8')).toBe(markdown);
      const announced = h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === announce);
      expect(announced.some((c) => String(c.args.text).includes('postmortem'))).toBe(true);

      // Reopen and close again: a new history row, human fields kept.
      await run('reopen');
      await run('set lessons Recompiles keep what people wrote');
      await run('close');
      const records = await h.store.postmortems(incident.id);
      expect(records.map((r) => r.version)).toEqual([1, 2]);
      const second = fs.readFileSync(file, 'utf8');
      expect(second).toContain('Marketing campaigns need a capacity check');
      expect(second).toContain('Recompiles keep what people wrote');
      // A reopen only to add late edits does not move the end of the incident.
      expect(second).toContain('| Duration | 28 minutes |');
      expect(second).toContain('28 minutes downtime → monthly uptime: 99.94%');
      const history = second.slice(second.indexOf('### Document history'), second.indexOf('## 1.'));
      expect(history.match(/^\| [12] \|/gm)).toHaveLength(2);

      // The CLI recompiles from the database with no Slack at all.
      const out = path.join(h.dataDir, 'cli.md');
      const cliEnv = { DATABASE_URL: h.config.databaseUrl, FIREWATCH_TIMEZONE: 'UTC' };
      const code = await runPostmortemCli([incident.id, '--out', out], cliEnv);
      expect(code).toBe(0);
      const cli = fs.readFileSync(out, 'utf8');
      expect(cli).toContain('28 minutes downtime → monthly uptime: 99.94%');
      expect(cli).toContain('## 14. Approval');
      // Names come from the database (full names learned from users.info), not from Slack.
      expect(cli).toContain('| Incident Commander | Alem Bašić |');
      expect(cli).not.toMatch(/\bUALEM\b/);
      const jsonOut = path.join(h.dataDir, 'cli.json');
      expect(await runPostmortemCli([incident.id, '--format', 'json', '--out', jsonOut], cliEnv)).toBe(0);
      const fromCli = postmortemJsonSchema.parse(JSON.parse(fs.readFileSync(jsonOut, 'utf8')));
      expect(fromCli.responseMetrics.metrics.find((m) => m.key === 'acknowledge')?.seconds).toBe(15);
      expect(fromCli.document.history.map((r) => r.version)).toEqual([1, 2]);
      expect(fromCli.overview.incidentCommanders).toEqual([
        { type: 'person', slackUserId: 'UALEM', name: 'Alem Bašić' },
      ]);
    } finally {
      await h.stop();
      await slack.stop();
    }
  });
});

describe('a late-declared incident, played through the real app', () => {
  it('draws the chart in parts around the night, with every response phase visible', async () => {
    // The alert fired yesterday at 10:30:30; nobody declared until 06:30 the next morning.
    const clock = movableClock('2026-02-21T06:30:00Z');
    const h = await Harness.start({ clock: clock.now });
    try {
      const { channel, incident } = await h.declare('P2 Checkout errors overnight', { user: 'UALEM' });
      const run = async (text: string) => {
        const reply = await h.slash(text, { channel, user: 'UALEM' });
        expect(reply.json.text).not.toContain(':warning:');
        await h.idle();
      };
      await run('started 10:30');
      await run('detected 10:30:30 by BetterStack monitor');
      clock.set('2026-02-21T06:34:00Z');
      await run('status identified Stale cache entries');
      clock.set('2026-02-21T06:38:30Z');
      await run('status monitoring Cache flushed');
      clock.set('2026-02-21T06:58:00Z');
      await run('resolve');
      await run('close');

      const markdown = fs.readFileSync(path.join(h.config.postmortemDir, `${incident.id}.md`), 'utf8');
      const timeline = markdown.slice(markdown.indexOf('## 4.'), markdown.indexOf('## 5.'));
      const charts = timeline.split('```mermaid').slice(1);
      expect(charts).toHaveLength(2);
      expect(timeline).toContain(
        '_Break in the chart: 20 h with nothing recorded, 2026-02-20 10:30:30 UTC → 2026-02-21 06:30:00 UTC; ' +
          'running through it: Customer impact (20 h 28 min in all), Detected, not yet declared (20 h in all)._',
      );
      // Every phase is drawn, and no bar of a chart is squashed by another.
      const drawn = charts.join('\n');
      for (const phase of [
        'Impact before detection',
        'Detected, not yet declared',
        'Investigating',
        'Mitigating',
        'Monitoring',
      ]) {
        expect(drawn).toContain(`  ${phase}`);
      }
      for (const chart of charts) {
        const bars = [
          ...chart.matchAll(
            / :(?:crit, )?(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d), (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)$/gm,
          ),
        ].map(([, from, to]) => [Date.parse(`${from}Z`), Date.parse(`${to}Z`)] as const);
        const span = Math.max(...bars.map(([, to]) => to)) - Math.min(...bars.map(([from]) => from));
        for (const [from, to] of bars) expect((to - from) / span).toBeGreaterThanOrEqual(0.01);
      }
      // The measures stay honest: the response was slow, and the document says so.
      expect(markdown).toMatch(
        /\| Time to acknowledge \| detection → first human response \| 1199\.5 minutes \(20 h\) \| ≤ 5 minutes \| Poor \|/,
      );
    } finally {
      await h.stop();
    }
  });
});

describe('the drafted executive summary, through the real app', () => {
  it('is drafted from the record while nobody wrote one, and replaced by the written one on the next compile', async () => {
    const h = await Harness.start();
    try {
      const { channel, incident } = await h.declare('P2 Search results empty');
      await h.slash('set services search-api', { channel });
      await h.slash('close', { channel });
      await h.idle();
      const file = path.join(h.config.postmortemDir, `${incident.id}.md`);
      const drafted = fs.readFileSync(file, 'utf8');
      const summarySection = (md: string) => md.slice(md.indexOf('## 2.'), md.indexOf('## 3.'));
      expect(summarySection(drafted)).toContain('_Drafted by Firewatch from the recorded facts');
      expect(summarySection(drafted)).toContain(
        `${incident.id}, P2 — High (major degradation): Search results empty.`,
      );
      expect(summarySection(drafted)).toContain('Services affected: search-api.');
      const post = h.slack
        .callsTo('chat.postMessage')
        .find(
          (c) =>
            c.args.channel === channel && JSON.stringify(c.args.blocks ?? '').includes('Executive summary'),
        );
      expect(JSON.stringify(post?.args.blocks)).toContain('drafted by Firewatch');
      const json = JSON.parse(
        fs.readFileSync(path.join(h.config.postmortemDir, `${incident.id}.json`), 'utf8'),
      );
      expect(json.executiveSummary.draftedByFirewatch).toBe(true);

      await h.slash('reopen', { channel });
      await h.slash('set summary An index rebuild left search empty for 20 minutes.', { channel });
      await h.slash('close', { channel });
      await h.idle();
      const written = summarySection(fs.readFileSync(file, 'utf8'));
      expect(written).toContain('An index rebuild left search empty for 20 minutes.');
      expect(written).not.toContain('Drafted by Firewatch');
    } finally {
      await h.stop();
    }
  });
});

describe('related incidents', () => {
  it('lists an earlier incident on the same service, newest first, through the real app', async () => {
    const h = await Harness.start();
    try {
      const first = await h.declare('P2 Checkout latency');
      await h.slash('set services payments-api, checkout', { channel: first.channel });
      await h.slash('close', { channel: first.channel });
      const other = await h.declare('P4 Office wifi flaky');
      await h.slash('close', { channel: other.channel });
      const second = await h.declare('P1 Payments failing');
      await h.slash('set services Payments-API (EU)', { channel: second.channel });
      await h.slash('close', { channel: second.channel });
      await h.idle();
      const markdown = fs.readFileSync(path.join(h.config.postmortemDir, `${second.incident.id}.md`), 'utf8');
      const related = markdown.slice(markdown.indexOf('## 12.'), markdown.indexOf('## 13.'));
      expect(related).toContain(first.incident.id);
      expect(related).toMatch(/same service/);
      expect(related).not.toContain(other.incident.id);
    } finally {
      await h.stop();
    }
  });
});

describe('large incidents and Slack outages', () => {
  it('posts 5,000 timeline entries within Block Kit limits while the Markdown holds all of them', async () => {
    const h = await Harness.start();
    try {
      const { channel, incident } = await h.declare('P2 Noisy incident');
      const start = Math.floor(Date.now() / 1000) - 10_000;
      // Messages go through the store's capture path in bulk (the HTTP path is covered by the capture tests).
      await h.store.applyCapture({
        eventId: null,
        now: Date.now(),
        messages: Array.from({ length: 5000 }, (_, i) => ({
          incidentId: incident.id,
          channelId: channel,
          ts: `${start + i}.000001`,
          threadTs: null,
          userId: 'UBOB',
          botId: null,
          text: `step ${i} <!channel>`,
          files: [],
          version: '',
          editedAt: null,
        })),
      });
      await h.store.applyCapture({
        eventId: null,
        now: Date.now(),
        reactions: Array.from({ length: 5000 }, (_, i) => ({
          channelId: channel,
          ts: `${start + i}.000001`,
          userId: 'UBOB',
          emoji: 'pushpin',
          purpose: 'timeline' as const,
          present: true,
          changedAt: `${start + 20_000}.000000`,
        })),
      });
      expect((await h.store.timeline(incident.id)).filter((e) => e.kind === 'pin')).toHaveLength(5000);
      await h.slash('close', { channel });
      await h.idle();

      const summary = h.slack
        .callsTo('chat.postMessage')
        .find((c) => c.args.channel === channel && JSON.stringify(c.args.blocks ?? '').includes('uptime'));
      expect(summary).toBeDefined();
      expectSummaryWithinLimits(summary!.args as never);
      expect(JSON.stringify(summary!.args.blocks)).not.toContain('<!channel>');
      const markdown = fs.readFileSync(path.join(h.config.postmortemDir, `${incident.id}.md`), 'utf8');
      for (const i of [0, 1234, 4999]) expect(markdown).toContain(`step ${i} `);
      const timeline = markdown.slice(markdown.indexOf('## 4.'), markdown.indexOf('## 5.'));
      expect(
        timeline.match(/\| step \d+ /g)?.length ?? timeline.match(/step \d+/g)?.length,
      ).toBeGreaterThanOrEqual(5000);
    } finally {
      await h.stop();
    }
  });

  it('survives a Slack outage during close: stored at once, posted from the outbox later, even after a restart', async () => {
    const slack = await SlackEmulator.start();
    const first = await Harness.start({ emulator: slack, outboxBaseDelayMs: 60_000 });
    const { channel, incident } = await first.declare('P1 Outage during close');
    slack.failAlways('chat.postMessage', { status: 503 });
    slack.failAlways('files.getUploadURLExternal', { network: true });
    slack.failAlways('users.info', { status: 503 });
    const reply = await first.slash('close', { channel });
    expect(reply.json.text).toContain('closed');
    await first.idle();

    // The document is stored and written although Slack is down; the closer was told.
    expect(await first.store.postmortems(incident.id)).toHaveLength(1);
    expect(fs.existsSync(path.join(first.config.postmortemDir, `${incident.id}.md`))).toBe(true);
    expect(await first.store.pendingJobs()).toBeGreaterThan(0);
    const told = slack.responsesFor(reply.responseUrl).map((r) => String(r.body.text));
    expect(told.filter((t) => t.includes('Firewatch keeps trying'))).toHaveLength(1);
    // Names still come from what users.info said before the outage (the declarer, at the declaration).
    const [stored] = await first.store.postmortems(incident.id);
    expect(stored!.markdown).toContain('| Incident Commander | alice |');
    await first.stop();

    // Slack recovers; a restarted bot drains the persistent outbox.
    slack.clearFailures();
    const second = await Harness.start({ emulator: slack, dataDir: first.dataDir });
    try {
      await second.idle();
      await new Promise((r) => setTimeout(r, 50));
      await second.idle();
      expect(await second.store.pendingJobs()).toBe(0);
      const summary = slack
        .callsTo('chat.postMessage')
        .filter(
          (c) =>
            c.status === 200 &&
            c.args.channel === channel &&
            JSON.stringify(c.args.blocks ?? '').includes('uptime'),
        );
      expect(summary).toHaveLength(1);
      expect(slack.callsTo('files.completeUploadExternal').filter((c) => c.status === 200)).toHaveLength(1);
      expect(await second.store.postmortems(incident.id)).toHaveLength(1);
      // The communication log keeps when the change was made, not when Slack finally took it.
      const closedAt = (await second.store.getIncident(incident.id))!.closedAt;
      const closeNotice = (await second.store.comms(incident.id)).find(
        (c) => c.summary === 'Incident closed',
      );
      expect(closeNotice).toMatchObject({ at: closedAt, status: 'closed' });
    } finally {
      await second.stop();
      await slack.stop();
    }
  });
});
