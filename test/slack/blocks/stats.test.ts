import {
  computeInsights,
  type IncidentFacts,
  type Insights,
  measureIncident,
} from '../../../src/domain/insights';
import { resolvePeriods } from '../../../src/domain/stats-period';
import { type ActionItem, DEFAULT_TARGETS, SEVERITIES } from '../../../src/domain/types';
import { SLACK_LIMITS } from '../../../src/shared/slack-limits';
import { STATS_HOME_BUDGET, statsHomeBlocks, statsMessage } from '../../../src/slack/blocks/stats';
import { costOf } from '../../../src/slack/blocks/text';
import { renderReply } from '../../../src/slack/replies';
import {
  action,
  expectWithinLimits,
  incident,
  moreCount,
  NOW,
  nasty,
  TZ,
  texts,
} from '../../support/block-kit';

const MIN = 60_000;
const periods = resolvePeriods({ kind: 'days', days: 30 }, NOW, TZ);

/** `n` incidents over the last 60 days, every severity, resolved after a varying time. */
function facts(n: number, over: (i: number) => Partial<IncidentFacts> = () => ({})): IncidentFacts[] {
  return Array.from({ length: n }, (_, k) => {
    const declaredAt = NOW - (k % 60) * 86_400_000 - 3_600_000;
    const i = incident(k + 1, `Incident ${k}`, {
      declaredAt,
      startedAt: declaredAt - (k % 7) * MIN,
      resolvedAt: k % 9 === 0 ? null : declaredAt + (20 + k * 3) * MIN,
    });
    return {
      incident: i,
      measures: measureIncident(i, [], [], [], DEFAULT_TARGETS),
      actions: [],
      services: [],
      visible: true,
      ...over(k),
    };
  });
}

const insightsOf = (list: IncidentFacts[], extra: { overdueItems?: number } = {}): Insights =>
  computeInsights({ incidents: list, periods, now: NOW, ...extra });

const allText = (blocks: unknown[]) =>
  texts(blocks)
    .map((t) => t.text)
    .join('\n');

/** An overdue action item with text of `length` nasty characters. */
const overdue = (seq: number, length: number): ActionItem => ({
  ...action(seq, nasty(length, seq)),
  status: 'open',
  due: '2026-01-15',
  owner: 'UBOB',
});

describe('statsMessage (/incident stats)', () => {
  it('draws counts by severity, one table per measure, action items and services', () => {
    const list = facts(40, (k) => ({
      services: [k % 2 ? 'payments-api' : 'Checkout (web)'],
      actions: k === 3 ? [overdue(1, 20)] : [],
    }));
    const insights = insightsOf(list);
    const { text, blocks } = statsMessage(insights);
    expectWithinLimits(blocks);
    const all = allText(blocks);
    expect(text).toContain(`Incident stats, last 30 days: ${insights.incidents.current.total} incidents`);
    expect(all).toContain('Incident stats: last 30 days');
    expect(all).toContain(
      '2026-01-22 to 2026-02-20 (30 days), compared with the previous 2025-12-23 to 2026-01-21 (30 days)',
    );
    expect(all).toContain(
      `*Incidents*\n${insights.incidents.current.total} (previous ${insights.incidents.previous.total}`,
    );
    for (const s of SEVERITIES) expect(all).toContain(`*${s}*\n`);
    for (const label of ['Time to detect', 'Time to acknowledge', 'Time to mitigate', 'Time to resolve']) {
      expect(all).toContain(`*${label}*`);
    }
    expect(all).toMatch(/```\n\s+n\s+median \(prev\)\s+p90 \(prev\)\nAll /);
    expect(all).toContain('*Action items* (every incident, as of 2026-02-20): *1* open · *1* overdue');
    expect(all).toContain('• *INC-2026-004* #1 ');
    // 30 of the 40 fall in the last 30 days, half on each service; a tie goes by name.
    expect(all).toContain('*Services with most incidents*\n1. Checkout — 15 (previous 5, +10)');
    expect(all).toContain('2. payments-api — 15 (previous 5, +10)');
  });

  it('shows how many incidents had each measure when some lack it (unresolved)', () => {
    const { blocks } = statsMessage(insightsOf(facts(10)));
    // Incidents 1 and 10 (k = 0, 9) are not resolved.
    expect(allText(blocks)).toMatch(/Time to resolve[^`]*```[\s\S]*?\nAll\s+8\/10\s/);
  });

  it('says so when there were no incidents in either period', () => {
    const { text, blocks } = statsMessage(insightsOf([]));
    expectWithinLimits(blocks);
    expect(text).toContain('0 incidents (previous period 0)');
    expect(allText(blocks)).toContain('_No incidents in this period or the previous one._');
    expect(allText(blocks)).not.toContain('Time to resolve');
  });

  it('names private incidents only as a count, and their overdue items only as a number', () => {
    const list = facts(6, (k) =>
      k === 1
        ? { visible: false, services: ['payroll'], actions: [overdue(1, 30)] }
        : { services: ['search'] },
    ).map((f, k) => (k === 1 ? { ...f, incident: { ...f.incident, isPrivate: true } } : f));
    const all = allText(statsMessage(insightsOf(list)).blocks);
    expect(all).toContain(':lock: 1 private incident counted');
    expect(all).toContain('• :lock: 1 overdue in private incidents you are not a member of');
    expect(all).not.toContain('payroll');
    expect(all).not.toContain('Incident 1');
  });

  it('stays within the message budget with long, hostile service names and action items', () => {
    const list = facts(400, (k) => ({
      services: [nasty(300, k), `${nasty(200, k + 1)}, ${nasty(5000, k + 2)}`],
      actions: Array.from({ length: 3 }, (_, j) => overdue(j + 1, 2500)),
    }));
    const insights = insightsOf(list, { overdueItems: 200 });
    const { blocks } = statsMessage(insights);
    expectWithinLimits(blocks);
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    // Not every overdue item fits: the last line says how many more.
    const more = moreCount(blocks.slice(0, -2));
    expect(more).toBeGreaterThan(0);
    expect(allText(blocks)).toContain('*Time to resolve*');
    expect(allText(blocks)).toContain('*Services with most incidents*');
  });

  it('is what renderReply draws for a stats reply (ephemeral)', () => {
    const insights = insightsOf(facts(3));
    const reply = renderReply({ kind: 'stats', insights });
    expect(reply).toEqual({ ...statsMessage(insights) });
    expect(reply.inChannel).toBeUndefined();
  });
});

describe('statsHomeBlocks (App Home section)', () => {
  it('is compact: counts, every measure in one table, action items, top three services', () => {
    const list = facts(30, (k) => ({ services: [`svc-${k % 5}`], actions: k < 2 ? [overdue(1, 10)] : [] }));
    const blocks = statsHomeBlocks(insightsOf(list));
    expectWithinLimits(blocks);
    const used = costOf(blocks);
    expect(used.blocks).toBeLessThanOrEqual(STATS_HOME_BUDGET.blocks);
    expect(used.text).toBeLessThanOrEqual(STATS_HOME_BUDGET.text);
    expect(used.json).toBeLessThanOrEqual(STATS_HOME_BUDGET.json);
    const all = allText(blocks);
    expect(all).toMatch(/Time to detect\s+\S/);
    expect(all).toMatch(/Time to resolve\s+\S/);
    expect(all).toContain('*2* open · *2* overdue');
    expect(all).toMatch(/1\. svc-\d — /);
    expect(all).not.toMatch(/4\. svc-/);
  });

  it('stays within its budget, and any smaller budget, whatever the input', () => {
    const list = facts(300, (k) => ({
      services: [nasty(400, k), nasty(400, k + 3)],
      actions: [overdue(1, 3000)],
      visible: k % 2 === 0,
    })).map((f, k) => ({ ...f, incident: { ...f.incident, isPrivate: k % 2 === 1 } }));
    const insights = computeInsights({ incidents: list, periods, now: NOW, truncated: true });
    for (const budget of [
      STATS_HOME_BUDGET,
      { blocks: 4, text: 1500, json: 2500 },
      { blocks: 2, text: 400, json: 800 },
    ]) {
      const blocks = statsHomeBlocks(insights, budget);
      expectWithinLimits(blocks);
      const used = costOf(blocks);
      expect(used.blocks).toBeLessThanOrEqual(budget.blocks);
      expect(used.text).toBeLessThanOrEqual(budget.text);
      expect(used.json).toBeLessThanOrEqual(budget.json);
    }
    // The smallest keeps the most important: the header and the counts.
    const smallest = statsHomeBlocks(insights, { blocks: 2, text: 400, json: 800 });
    expect(smallest.map((b) => b.type)).toEqual(['header', 'section']);
  });

  it('with no incidents says so', () => {
    expect(allText(statsHomeBlocks(insightsOf([])))).toContain(
      '_No incidents in this period or the previous one._',
    );
  });
});
