import { incidentCard } from '../../../src/slack/blocks/card';
import { incidentList, incidentSummary } from '../../../src/slack/blocks/incident-views';
import {
  type AnyBlock,
  expectWithinLimits,
  incident,
  LONE_SURROGATE,
  NOW,
  nasty,
  TZ,
  terms,
} from '../../support/block-kit';

describe('/incident list', () => {
  const titles = (n: number) => nasty(200, n * 5);

  it.each([
    [20, 10],
    [150, 50],
    [0, 200],
    [200, 0],
  ])('%i open and %i closed nasty incidents stay within every limit', (openCount, closedCount) => {
    const open = Array.from({ length: openCount }, (_, i) => incident(i + 1, titles(i)));
    const closed = Array.from({ length: closedCount }, (_, i) =>
      incident(openCount + i + 1, titles(i), { status: 'closed', closedAt: NOW, resolvedAt: NOW }),
    );
    const { blocks } = incidentList(open, closed, TZ);
    expectWithinLimits(blocks);
    const json = JSON.stringify(blocks);
    expect(json.indexOf('Open incidents')).toBeLessThan(json.indexOf('Recently resolved or closed'));
    const shown = [...json.matchAll(/\*(INC-2026-\d+)\*/g)].map((m) => m[1]);
    expect(shown.length).toBeGreaterThan(0);
    const omitted = [...json.matchAll(/… and (\d+) more/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(shown.length + omitted).toBe(openCount + closedCount);
    if (openCount + closedCount > 30) expect(omitted).toBeGreaterThan(0);
    expect(json).toContain('&lt;!channel&gt;');
  });

  it('shows all 30 incidents (the most the service asks for) with 200-character titles', () => {
    const open = Array.from({ length: 20 }, (_, i) => incident(i + 1, titles(i)));
    const closed = Array.from({ length: 10 }, (_, i) => incident(21 + i, titles(i), { status: 'resolved' }));
    const { blocks } = incidentList(open, closed, TZ);
    expectWithinLimits(blocks);
    expect(JSON.stringify(blocks)).not.toMatch(/… and \d+ more/);
  });

  it('says so when there are none', () => {
    const { blocks } = incidentList([], [], TZ);
    expectWithinLimits(blocks);
    expect(JSON.stringify(blocks)).toContain('No open incidents');
    expect(JSON.stringify(blocks)).toContain('None yet');
  });
});

describe('incident card and summary', () => {
  it.each([
    ['nasty 200-character title', nasty(200, 1)],
    ['huge title', nasty(20_000, 2)],
    ['emoji at the header cut', `${'e'.repeat(131)}😀😀😀`],
    ['entity at the header cut', `${'e'.repeat(130)}&&&&&&`],
  ])('the card stays within every limit with a %s', (_name, title) => {
    const resolved = incident(1, title, { resolvedAt: NOW - 60_000, startedAt: NOW - 3_600_000 });
    for (const inc of [incident(1, title), resolved]) {
      const card = incidentCard({ incident: inc, terms, timeZone: TZ, now: NOW });
      expectWithinLimits(card.blocks);
      const [head] = card.blocks as AnyBlock[];
      expect(head!.text!.text.startsWith('🔥 INC-2026-001: ')).toBe(true);
      expect(card.text).not.toMatch(LONE_SURROGATE);
      expect(card.text).not.toContain('<!channel>');
      const summary = incidentSummary({
        incident: inc,
        terms,
        timeline: [],
        actions: [],
        timeZone: TZ,
        now: NOW,
      });
      expectWithinLimits(summary.blocks);
    }
  });

  it('shares roles and duration between the card and the summary', () => {
    const inc = incident(1, 'Database down', { startedAt: NOW - 42 * 60_000 });
    const card = JSON.stringify(incidentCard({ incident: inc, terms, timeZone: TZ, now: NOW }).blocks);
    const summary = JSON.stringify(
      incidentSummary({ incident: inc, terms, timeline: [], actions: [], timeZone: TZ, now: NOW }).blocks,
    );
    for (const part of [
      '*Incident Commander*\\n<@UALICE>',
      '*Technical Lead*\\n_unassigned_',
      '*Duration so far*\\n42 min',
    ]) {
      expect(card).toContain(part);
      expect(summary).toContain(part);
    }
  });

  it('escapes a detected-by text and never lets a title ping', () => {
    const inc = incident(1, '<!channel> & <!here>', { detectedBy: '<!everyone> via Datadog' });
    const summary = incidentSummary({
      incident: inc,
      terms,
      timeline: [],
      actions: [],
      timeZone: TZ,
      now: NOW,
    });
    expectWithinLimits(summary.blocks);
    const json = JSON.stringify(summary);
    expect(json).not.toMatch(/<!(channel|here|everyone)>/);
    expect(json).toContain('&lt;!everyone&gt; via Datadog');
  });
});
