import { computeInsights, measureIncident } from '../../../src/domain/insights';
import { resolvePeriods } from '../../../src/domain/stats-period';
import { type ActionItem, DEFAULT_TARGETS } from '../../../src/domain/types';
import type { HomeView } from '../../../src/services/replies';
import { SLACK_LIMITS } from '../../../src/shared/slack-limits';
import { age, HOME_LISTS, HOME_OWN_BLOCKS, homeTab, INSIGHTS_BLOCKS } from '../../../src/slack/blocks/home';
import { blockKitRenderer } from '../../../src/slack/blocks/renderer';
import { expectViewWithinLimits, incident, NOW, nasty, TZ, texts } from '../../support/block-kit';

const item = (seq: number, text: string, over: Partial<ActionItem> = {}): ActionItem => ({
  id: seq,
  incidentId: 'INC-2026-001',
  seq,
  text,
  owner: 'UBOB',
  due: '2026-03-01',
  priority: 'P2',
  status: 'open',
  createdAt: NOW,
  createdBy: 'UALICE',
  doneAt: null,
  sourceRef: null,
  ...over,
});

const view = (over: Partial<HomeView> = {}): HomeView => ({
  userId: 'UBOB',
  timeZone: TZ,
  now: NOW,
  open: [],
  openCapped: false,
  actions: [],
  postmortems: [],
  people: {},
  reminders: 'P1 every 15 min, P2 every 30 min, P3 every 60 min, P4 never',
  insights: null,
  ...over,
});

/** Every mrkdwn and plain text of the Home, joined. */
const allText = (home: { blocks: unknown[] }) =>
  texts(home.blocks)
    .map((t) => t.text)
    .join('\n');

describe('homeTab', () => {
  it('shows each open incident with severity, status, IC by full name, age and a link to its channel', () => {
    const home = homeTab(
      view({
        open: [
          {
            incident: incident(1, 'Checkout down', { severity: 'P1', declaredAt: NOW - 42 * 60_000 }),
            commander: 'UALEM',
          },
          {
            incident: incident(2, 'Slow search', { isPrivate: true, declaredAt: NOW - 3 * 3600_000 }),
            commander: 'UNAMELESS',
          },
        ],
        people: { UALEM: 'Alem Bašić' },
      }),
    );
    const text = allText(home);
    expectViewWithinLimits(home);
    expect(home.type).toBe('home');
    expect(text).toContain('Open incidents (2)');
    expect(text).toContain(
      ':red_circle: *INC-2026-001* · P1 · :mag: investigating · <#C00000001>\nCheckout down\nIncident Commander: Alem Bašić · open for 42 min',
    );
    // Nobody remembered the name: a mention, which Slack shows with the person's name.
    expect(text).toContain('Incident Commander: <@UNAMELESS> · open for 3 h 0 min · :lock: private');
    expect(text).toContain('_Nothing assigned to you._');
    expect(text).toContain('_No postmortems yet._');
    expect(text).toContain('Status-update reminders: P1 every 15 min');
  });

  it('lists the person’s action items with due dates, marking the overdue ones', () => {
    const inc = incident(1, 'Checkout down');
    const home = homeTab(
      view({
        actions: [
          { incident: inc, item: item(2, 'Add a <b>pool</b> alarm', { due: '2026-02-01' }), overdue: true },
          {
            incident: inc,
            item: item(3, 'Write the runbook', { due: null, priority: 'P4' }),
            overdue: false,
          },
        ],
      }),
    );
    const text = allText(home);
    expectViewWithinLimits(home);
    expect(text).toContain('Your open action items (2)');
    expect(text).toContain(
      '*INC-2026-001* #2 · Add a &lt;b&gt;pool&lt;/b&gt; alarm\nDue 2026-02-01 · :warning: *overdue* · P2',
    );
    expect(text).toContain(
      '*INC-2026-001* #3 · Write the runbook\nNo due date · P4 · <#C00000001> (`/incident done 3` there)',
    );
  });

  it('lists recent postmortems with when they closed and where they were posted', () => {
    const closedAt = NOW - 86_400_000;
    const home = homeTab(view({ postmortems: [incident(7, 'DB pool', { status: 'closed', closedAt })] }));
    expectViewWithinLimits(home);
    expect(allText(home)).toContain(
      '*INC-2026-007* P4 · DB pool\nClosed 2026-02-19 13:00 CET · postmortem posted in <#C00000007>',
    );
  });

  it('stays within 100 blocks however many incidents, items and postmortems there are, saying how many more', () => {
    const open = Array.from({ length: 500 }, (_, i) => ({
      incident: incident(i + 1, nasty(400, i)),
      commander: `U${String(i).padStart(8, '0')}`,
    }));
    const people = Object.fromEntries(open.map((o, i) => [o.commander, nasty(120, i)]));
    const actions = Array.from({ length: 300 }, (_, i) => ({
      incident: incident(i + 1, 't'),
      item: item(i + 1, nasty(3000, i)),
      overdue: i % 2 === 0,
    }));
    const postmortems = Array.from({ length: 80 }, (_, i) =>
      incident(i + 1, nasty(500, i), { status: 'closed' as const }),
    );
    const home = homeTab(view({ open, openCapped: true, actions, postmortems, people }));
    const text = allText(home);

    expectViewWithinLimits(home);
    expect(home.blocks.length).toBeLessThanOrEqual(HOME_OWN_BLOCKS);
    expect(text).toContain('Open incidents (500+)');
    expect(text).toContain(`… and ${500 - HOME_LISTS.incidents}+ more open incidents`);
    expect(text).toContain(`… and ${300 - HOME_LISTS.actions} more of your action items`);
    expect(text).toContain(`… and ${80 - HOME_LISTS.postmortems} more recently closed incidents.`);
  });

  it('keeps a slot for insights after the lists, cut so the Home never passes 100 blocks', () => {
    const insight = (i: number) => ({ type: 'section', text: { type: 'mrkdwn', text: `insight ${i}` } });
    const few = homeTab(view(), [insight(1), insight(2)]);
    expect(texts(few.blocks.slice(-3)).map((t) => t.text)).toEqual([
      'insight 1',
      'insight 2',
      expect.stringContaining('Status-update reminders'),
    ]);
    expect(INSIGHTS_BLOCKS).toBeGreaterThanOrEqual(40);
    const full = homeTab(
      view({
        open: Array.from({ length: 40 }, (_, i) => ({ incident: incident(i + 1, 'x'), commander: null })),
        actions: Array.from({ length: 40 }, (_, i) => ({
          incident: incident(1, 'x'),
          item: item(i + 1, 'y'),
          overdue: false,
        })),
        postmortems: Array.from({ length: 40 }, (_, i) =>
          incident(i + 1, 'z', { status: 'closed' as const }),
        ),
      }),
      Array.from({ length: 200 }, (_, i) => insight(i)),
    );
    expectViewWithinLimits(full);
    expect(full.blocks).toHaveLength(SLACK_LIMITS.blocksPerView);
  });

  it('draws the stats section from insights (the renderer), full lists and all, within 100 blocks', () => {
    const periods = resolvePeriods({ kind: 'days', days: 30 }, NOW, TZ);
    const incidents = Array.from({ length: 300 }, (_, k) => {
      const declaredAt = NOW - (k % 60) * 86_400_000 - 3_600_000;
      const i = incident(k + 1, nasty(200, k), {
        declaredAt,
        startedAt: declaredAt - (k % 7) * 60_000,
        resolvedAt: declaredAt + (20 + k) * 60_000,
      });
      return {
        incident: i,
        measures: measureIncident(i, [], [], [], DEFAULT_TARGETS),
        actions: [],
        services: [nasty(80, k)],
        visible: true,
      };
    });
    const insights = computeInsights({ incidents, periods, now: NOW });
    const lists = {
      open: Array.from({ length: 40 }, (_, i) => ({
        incident: incident(i + 1, nasty(300, i)),
        commander: null,
      })),
      postmortems: Array.from({ length: 40 }, (_, i) => incident(i + 1, 'z', { status: 'closed' as const })),
    };
    const home = blockKitRenderer.home(view({ ...lists, insights })) as { type: 'home'; blocks: unknown[] };
    const without = blockKitRenderer.home(view(lists)) as { type: 'home'; blocks: unknown[] };
    expectViewWithinLimits(home);
    expect(allText(home)).toContain('Incident stats');
    expect(allText(without)).not.toContain('Incident stats');
    expect(home.blocks.length).toBeGreaterThan(without.blocks.length);
  });

  it('says how long ago in minutes, hours or days', () => {
    expect(age(NOW - 59 * 60_000, NOW)).toBe('59 min');
    expect(age(NOW - 125 * 60_000, NOW)).toBe('2 h 5 min');
    expect(age(NOW - 50 * 3600_000, NOW)).toBe('2 d 2 h');
    expect(age(NOW + 60_000, NOW)).toBe('0 min');
  });
});
