/**
 * `/incident stats` over real HTTP: signed slash commands against the real app, a real SQLite file
 * filled with generated incidents, the answer checked against what the generated times say.
 */
import { percentile, shortDuration } from '../../../src/domain/insights';
import { draftIncident } from '../../../src/domain/lifecycle';
import { resolvePeriods, todayIn } from '../../../src/domain/stats-period';
import { type Incident, SEVERITIES } from '../../../src/domain/types';
import { expectWithinLimits, texts } from '../../support/block-kit';
import { type Generated, generateIncidents } from '../../support/generated-incidents';
import { Harness } from '../../support/harness';

const MIN = 60_000;
const TZ = 'Europe/Oslo';
/** Friday 2026-02-20 12:00 UTC. */
const NOW = Date.UTC(2026, 1, 20, 12, 0);

// biome-ignore lint/suspicious/noExplicitAny: the bot's JSON answer
const textOfReply = (json: any): string =>
  texts(json.blocks ?? [])
    .map((t) => t.text)
    .join('\n');

/** The row of a measure's table: `[n, median (prev) …, p90 (prev) …]` as printed. */
function tableRow(all: string, label: string, row: string): { n: string; median: string; p90: string } {
  const table = new RegExp(`\\*${label}\\*[^\`]*\`\`\`\\n([\\s\\S]*?)\\n\`\`\``).exec(all);
  if (!table) throw new Error(`no table for ${label} in:\n${all}`);
  const line = table[1]!.split('\n').find((l) => l.startsWith(`${row} `));
  if (!line) throw new Error(`no row ${row} in:\n${table[1]}`);
  const [, n, median, p90] = /^\S+\s+(\S+)\s+(.+?) \(.*?\)(?: [↓↑=])?\s{2,}(.+?) \(/.exec(line)!;
  return { n: n!, median: median!, p90: p90! };
}

/** What the generated times say each measure is (computed here from the generator's own numbers). */
function expectedMinutes(g: Generated) {
  const impactStart = g.startedAt ?? g.declaredAt;
  const mitigatedAt = g.monitoringAt ?? g.resolvedAt;
  return {
    detect: ((g.detectedAt ?? g.declaredAt) - impactStart) / MIN,
    // Detection → the first human response: these incidents have no messages, so the declaration.
    acknowledge: Math.max(0, g.declaredAt - (g.detectedAt ?? g.declaredAt)) / MIN,
    mitigate: mitigatedAt === null ? null : (mitigatedAt - impactStart) / MIN,
    resolve: g.resolvedAt === null ? null : (g.resolvedAt - impactStart) / MIN,
  };
}

function expectedRow(list: readonly Generated[], key: keyof ReturnType<typeof expectedMinutes>) {
  const values = list.map((g) => expectedMinutes(g)[key]);
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const n = known.length === values.length ? String(known.length) : `${known.length}/${values.length}`;
  return { n, median: shortDuration(percentile(known, 50)), p90: shortDuration(percentile(known, 90)) };
}

describe('/incident stats over real HTTP, on 240 generated incidents', () => {
  let h: Harness;
  let generated: Generated[];

  beforeAll(async () => {
    h = await Harness.start({
      clock: () => NOW,
      env: { FIREWATCH_TIMEZONE: TZ, FIREWATCH_ADMINS: 'UADMIN' },
    });
    generated = await generateIncidents(h.store, {
      count: 240,
      now: NOW,
      days: 200,
      privateEvery: 12,
      seed: 7,
    });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('answers ephemerally with the right counts, medians and 90th percentiles for the last 90 days', async () => {
    const reply = await h.slash('stats 90d', { user: 'UADMIN' });
    expect(reply.status).toBe(200);
    expect(reply.json.response_type).toBe('ephemeral');
    expectWithinLimits(reply.json.blocks);
    const all = textOfReply(reply.json);

    const { current, previous } = resolvePeriods({ kind: 'days', days: 90 }, NOW, TZ);
    const inCurrent = generated.filter((g) => g.declaredAt >= current.start && g.declaredAt < current.end);
    const inPrevious = generated.filter((g) => g.declaredAt >= previous.start && g.declaredAt < previous.end);
    expect(inCurrent.length).toBeGreaterThan(50);
    expect(inPrevious.length).toBeGreaterThan(50);

    expect(all).toContain(`Incident stats: last 90 days`);
    expect(all).toContain(`*Incidents*\n${inCurrent.length} (previous ${inPrevious.length}`);
    for (const s of SEVERITIES) {
      const now = inCurrent.filter((g) => g.severity === s).length;
      const before = inPrevious.filter((g) => g.severity === s).length;
      expect(all).toContain(`*${s}*\n${now} (previous ${before}`);
    }
    const privates = inCurrent.filter((g) => g.isPrivate).length;
    expect(privates).toBeGreaterThan(0);
    expect(all).toContain(`:lock: ${privates} private incidents counted`);

    const measures = [
      ['Time to detect', 'detect'],
      ['Time to acknowledge', 'acknowledge'],
      ['Time to mitigate', 'mitigate'],
      ['Time to resolve', 'resolve'],
    ] as const;
    for (const [label, key] of measures) {
      expect(tableRow(all, label, 'All')).toEqual(expectedRow(inCurrent, key));
      for (const s of SEVERITIES) {
        const ofSeverity = inCurrent.filter((g) => g.severity === s);
        if (ofSeverity.length) expect(tableRow(all, label, s)).toEqual(expectedRow(ofSeverity, key));
      }
    }

    const today = todayIn(NOW, TZ);
    const actions = generated.flatMap((g) => g.actions);
    const open = actions.filter((a) => a.status === 'open');
    const overdue = open.filter((a) => a.due !== null && a.due < today);
    expect(all).toContain(`*${open.length}* open · *${overdue.length}* overdue`);
  });

  it('a range of dates compares with the period of the same length before it', async () => {
    const reply = await h.slash('stats 2025-12-01 2025-12-31', { user: 'UADMIN' });
    const all = textOfReply(reply.json);
    const { current, previous } = resolvePeriods(
      { kind: 'range', from: '2025-12-01', to: '2025-12-31' },
      NOW,
      TZ,
    );
    expect(previous.firstDay).toBe('2025-10-31');
    const inCurrent = generated.filter((g) => g.declaredAt >= current.start && g.declaredAt < current.end);
    const inPrevious = generated.filter((g) => g.declaredAt >= previous.start && g.declaredAt < previous.end);
    expect(all).toContain('Incident stats: 2025-12-01 to 2025-12-31');
    expect(all).toContain('compared with the previous 2025-10-31 to 2025-11-30 (31 days)');
    expect(all).toContain(`*Incidents*\n${inCurrent.length} (previous ${inPrevious.length}`);
    expect(tableRow(all, 'Time to resolve', 'All')).toEqual(expectedRow(inCurrent, 'resolve'));
  });

  it('works from an incident channel too, and defaults to 30 days', async () => {
    const reply = await h.slash('stats', { channel: generated[0]!.incident.channelId!, user: 'UBOB' });
    expect(reply.json.response_type).toBe('ephemeral');
    expect(textOfReply(reply.json)).toContain('Incident stats: last 30 days');
  });

  it('bad periods get a clear ephemeral error with the usage, never a crash', async () => {
    for (const [text, expected] of [
      ['stats 30', 'did you mean `30d`'],
      ['stats month', 'Did you mean `30d`?'],
      ['stats 2026-02-01', 'needs an end date too'],
      ['stats 2026-02-01 2026-01-01', 'after it ends (2026-01-01)'],
      ['stats 2026-02-01 2026-02-30', 'real calendar days'],
      ['stats 2026-02-01 2026-03-01', 'ends after today (2026-02-20)'],
    ] as const) {
      const reply = await h.slash(text);
      expect(reply.status).toBe(200);
      expect(reply.json.response_type).toBe('ephemeral');
      expect(reply.json.text).toContain(':warning:');
      expect(reply.json.text).toContain(expected);
      expect(reply.json.text).toContain('Usage: `/incident stats [30d|90d|&lt;from&gt; &lt;to&gt;]`');
    }
  });
});

describe('/incident stats and private incidents, over real HTTP', () => {
  let h: Harness;
  let secret: Incident;

  beforeEach(async () => {
    h = await Harness.start({
      clock: () => NOW,
      env: { FIREWATCH_TIMEZONE: TZ, FIREWATCH_ADMINS: 'UADMIN' },
    });
    // Two others: with at most four services between them, all five services are listed.
    await generateIncidents(h.store, { count: 2, now: NOW, days: 20, seed: 3 });
    // A private incident: its service and its overdue action item say what it is about.
    const declaredAt = NOW - 5 * 86_400_000;
    const draft = await h.store.createIncident(
      draftIncident({
        title: 'Payroll vault exposed',
        severity: 'P1',
        declaredBy: 'UCAROL',
        originChannelId: 'CGENERAL',
        declaredAt,
        isPrivate: true,
      }),
      2026,
    );
    secret = { ...draft, channelId: 'GSECRET', channelName: 'inc-secret' };
    await h.store.applyChange(
      secret.id,
      {
        incident: secret,
        newRoleTerms: [{ role: 'ic', userId: 'UCAROL', from: declaredAt, to: null, assignedBy: 'UCAROL' }],
        fields: [
          { field: 'services', value: 'Payroll vault', at: declaredAt, author: 'UCAROL', sourceRef: null },
        ],
        actions: [
          {
            text: 'Rotate the payroll vault key',
            owner: 'UCAROL',
            due: '2025-01-01',
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
    await h.store.applyCapture({
      eventId: null,
      now: declaredAt,
      participants: [{ incidentId: secret.id, userId: 'UERIN', joinedAt: declaredAt }],
    });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('counts it for everyone but shows what it is about only to its members, role holders and admins', async () => {
    const outsider = textOfReply((await h.slash('stats', { user: 'UDAVE' })).json);
    expect(outsider).toContain(':lock: 1 private incident counted');
    expect(outsider).toContain('1 overdue in private incidents you are not a member of');
    expect(outsider).not.toContain('Payroll');
    expect(outsider).not.toContain(secret.id);

    for (const user of ['UERIN', 'UCAROL', 'UADMIN']) {
      const insider = textOfReply((await h.slash('stats', { user })).json);
      expect(insider).toContain('Payroll vault — 1');
      expect(insider).toContain(`*${secret.id}* #1 Rotate the payroll vault key`);
      expect(insider).not.toContain('in private incidents you are not a member of');
    }
  });
});

describe('/incident stats after an incident run through the bot', () => {
  it('measures it as its commands recorded it', async () => {
    let now = Date.UTC(2026, 1, 20, 9, 0);
    const h = await Harness.start({ clock: () => now, env: { FIREWATCH_TIMEZONE: TZ } });
    try {
      const { channel } = await h.declare('P2 Checkout errors');
      now += 10 * MIN;
      await h.slash('started 2026-02-20T08:50:00Z', { channel });
      await h.slash('detected 2026-02-20T08:55:00Z by Datadog', { channel });
      await h.slash('set services Checkout, Payments API (EU)', { channel });
      now += 20 * MIN;
      await h.slash('status monitoring fix deployed', { channel });
      now += 30 * MIN;
      await h.slash('resolve', { channel });
      await h.idle();
      const all = textOfReply((await h.slash('stats 7d')).json);
      expect(all).toContain('*Incidents*\n1 (previous 0, +1)');
      // Impact 08:50, detected 08:55, declared 09:00 with the declarer as IC, monitoring 09:30, resolved 10:00 (UTC).
      expect(tableRow(all, 'Time to detect', 'P2')).toMatchObject({ n: '1', median: '5m' });
      expect(tableRow(all, 'Time to acknowledge', 'P2')).toMatchObject({ median: '5m' });
      expect(tableRow(all, 'Time to mitigate', 'P2')).toMatchObject({ median: '40m' });
      expect(tableRow(all, 'Time to resolve', 'All')).toMatchObject({
        n: '1',
        median: '1h 10m',
        p90: '1h 10m',
      });
      expect(all).toContain('1. Checkout — 1 (previous 0, +1)');
      expect(all).toContain('2. Payments API — 1 (previous 0, +1)');
    } finally {
      await h.stop();
    }
  });
});
