import { draftIncident } from '../../src/domain/lifecycle';
import type { ActionItem, Incident, RoleTerm } from '../../src/domain/types';
import { MAX_BLOCKS_JSON, MAX_BLOCKS_TEXT, messageBlocksRejection } from '../../src/emulator/validate';
import { blocksTextLength, MESSAGE_BUDGET, SLACK_LIMITS } from '../../src/shared/slack-limits';
import { slackSafe } from '../../src/shared/slack-text';
import { actionsList } from '../../src/slack/blocks/actions-list';
import { incidentCard } from '../../src/slack/blocks/card';
import { incidentList, incidentSummary } from '../../src/slack/blocks/incident-views';
import { clip, context, costOf, sectionsWithin } from '../../src/slack/blocks/text';

const NOW = Date.UTC(2026, 1, 20, 12, 0);
const TZ = 'Europe/Oslo';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** An `&` that does not start one of Slack's three entities. */
const BROKEN_ENTITY = /&(?!(?:amp|lt|gt);)/;
/** The `<…>` tokens the builders may emit: user mentions and channel references. */
const TOKEN = /<[@#][UWCG][A-Z0-9]+(?:\|[a-z0-9_-]+)?>/g;

/** Every string under a `text` key, with the kind of object it belongs to. */
function texts(node: unknown, kind = 'root', out: { kind: string; text: string }[] = []) {
  if (Array.isArray(node)) {
    for (const item of node) texts(item, kind, out);
  } else if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    const type = typeof obj.type === 'string' ? obj.type : kind;
    for (const [key, value] of Object.entries(obj)) {
      if (key === 'text' && typeof value === 'string') out.push({ kind: type, text: value });
      else texts(value, type, out);
    }
  }
  return out;
}

interface AnyBlock {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { text: string }[];
}

/** Asserts everything this module promises about a message's blocks. */
function expectWithinLimits(blocks: unknown[]) {
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
  expect(messageBlocksRejection(blocks)).toBeUndefined();
  expect(blocksTextLength(blocks)).toBeLessThanOrEqual(MESSAGE_BUDGET.text);
  expect(blocksTextLength(blocks)).toBeLessThan(MAX_BLOCKS_TEXT);
  expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(MESSAGE_BUDGET.json);
  expect(JSON.stringify(blocks).length).toBeLessThan(MAX_BLOCKS_JSON);
  for (const block of blocks as AnyBlock[]) {
    if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (block.type === 'section' && block.text) {
      expect(block.text.text.length).toBeGreaterThan(0);
      expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
    if (block.type === 'section' && block.fields) {
      expect(block.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of block.fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (block.type === 'context') {
      for (const e of block.elements!) expect(e.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
    }
  }
  for (const { kind, text } of texts(blocks)) {
    expect(text).not.toMatch(LONE_SURROGATE);
    expect(text).not.toMatch(BROKEN_ENTITY);
    expect(text).not.toContain('<!channel>');
    // Once the well-formed tokens are gone, no angle bracket may be left (nothing cut in half).
    const rest = kind === 'mrkdwn' ? text.replace(TOKEN, '') : text;
    expect(rest).not.toMatch(/[<>]/);
  }
  expect(JSON.stringify(blocks)).not.toContain('<!channel>');
}

/** The `N` of a closing "… and N more" line, or null when there is none. */
function moreCount(blocks: unknown[]): number | null {
  const last = texts(blocks.at(-1)).map((t) => t.text);
  const match = /^… and (\d+) more/.exec(last[0] ?? '');
  return match ? Number(match[1]) : null;
}

// Nasty text: entities to escape, a broadcast, mentions, and emoji of one, two and several code units
// (a ZWJ sequence, a flag, a skin tone) so that cuts land everywhere.
const NASTY = Array.from('R&D <!channel> 🔥 ops & <@U0ALICE> "db" 👩🏽‍💻 <b>x</b> 🇳🇴 a<b&c>d 😀😀 ');

/** `length` code points of nasty text, starting `shift` code points in (never a broken surrogate). */
function nasty(length: number, shift: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += NASTY[(i + shift) % NASTY.length];
  return out;
}

function incident(n: number, title: string, overrides: Partial<Incident> = {}): Incident {
  return {
    ...draftIncident({
      title,
      severity: (['P1', 'P2', 'P3', 'P4'] as const)[n % 4]!,
      declaredBy: 'UALICE',
      originChannelId: null,
      declaredAt: NOW - n * 60_000,
    }),
    id: `INC-2026-${String(n).padStart(3, '0')}`,
    year: 2026,
    seq: n,
    channelId: `C${String(n).padStart(8, '0')}`,
    channelName: `inc-2026-${n}`,
    ...overrides,
  };
}

function action(seq: number, text: string): ActionItem {
  return {
    id: seq,
    incidentId: 'INC-2026-001',
    seq,
    text,
    owner: seq % 3 === 0 ? null : 'UBOB',
    due: seq % 2 === 0 ? '2026-03-01' : null,
    priority: 'P2',
    status: seq % 5 === 0 ? 'done' : 'open',
    createdAt: NOW,
    createdBy: 'UALICE',
    doneAt: null,
    sourceRef: null,
  };
}

const terms: RoleTerm[] = [
  {
    id: 1,
    incidentId: 'INC-2026-001',
    role: 'ic',
    userId: 'UALICE',
    from: NOW - 1,
    to: null,
    assignedBy: 'UALICE',
  },
];

describe('clip', () => {
  const samples = [
    slackSafe(nasty(200, 0)),
    slackSafe(nasty(200, 7)),
    slackSafe('<#C0OPS|ops> <@U0BOB|bob> & <@U0ALICE>'.repeat(10)),
    '&amp;&lt;&gt;'.repeat(20),
    '😀'.repeat(100),
  ];

  it('never cuts a surrogate pair, an entity or a token, at any length', () => {
    for (const sample of samples) {
      for (let max = 1; max <= sample.length + 1; max++) {
        const cut = clip(sample, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cut).not.toMatch(LONE_SURROGATE);
        expect(cut).not.toMatch(BROKEN_ENTITY);
        expect(cut.replace(TOKEN, '')).not.toMatch(/[<>]/);
        if (max >= sample.length) expect(cut).toBe(sample);
        else expect(cut.endsWith('…')).toBe(true);
      }
    }
  });
});

describe('sectionsWithin', () => {
  it('keeps everything when it fits, without a closing line', () => {
    const laid = sectionsWithin(['a', 'b', 'c'], MESSAGE_BUDGET);
    expect(laid).toMatchObject({ shown: 3, omitted: 0 });
    expect(laid.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'a\nb\nc' } }]);
  });

  it('stops in order and counts what is left out, within the budget given', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i + 1} ${'x'.repeat(300)}`);
    const budget = { blocks: 5, text: 4000, json: 5000 };
    const laid = sectionsWithin(lines, budget);
    const used = costOf(laid.blocks);
    expect(used.blocks).toBeLessThanOrEqual(budget.blocks);
    expect(used.text).toBeLessThanOrEqual(budget.text);
    expect(used.json).toBeLessThanOrEqual(budget.json);
    expect(laid.shown + laid.omitted).toBe(100);
    expect(moreCount(laid.blocks)).toBe(laid.omitted);
    const shownText = texts(laid.blocks.slice(0, -1))
      .map((t) => t.text)
      .join('\n');
    expect(shownText.split('\n').map((l) => l.split(' ')[1])).toEqual(
      Array.from({ length: laid.shown }, (_, i) => String(i + 1)),
    );
  });

  it('packs sections up to 3,000 characters and cuts over-long lines', () => {
    const laid = sectionsWithin(['y'.repeat(5000), ...Array.from({ length: 30 }, () => 'z'.repeat(199))], {
      blocks: 50,
      text: 100_000,
      json: 100_000,
    });
    expect(laid.omitted).toBe(0);
    for (const { text } of texts(laid.blocks)) expect(text.length).toBeLessThanOrEqual(3000);
    expect(texts(laid.blocks)[0]!.text.startsWith(`${'y'.repeat(2999)}…`)).toBe(true);
  });

  it('returns nothing when not even the closing line fits', () => {
    const laid = sectionsWithin(['a'.repeat(50)], { blocks: 1, text: 10, json: 1000 });
    expect(laid).toEqual({ blocks: [], shown: 0, omitted: 1 });
  });

  it('uses the closing line it is given', () => {
    const more = (n: number) => `… and ${n} more things`;
    const laid = sectionsWithin(
      ['a'.repeat(100), 'b'.repeat(100)],
      { blocks: 2, text: 130, json: 1000 },
      { more },
    );
    expect(laid.blocks.at(-1)).toEqual(context('… and 1 more things'));
  });
});

describe('/incident actions', () => {
  it.each([60, 500])('%i action items stay within every limit and say how many are left out', (count) => {
    const actions = Array.from({ length: count }, (_, i) => action(i + 1, nasty(150 + (i % 60), i)));
    const { blocks, text } = actionsList(incident(1, 'Checkout down'), actions);
    expectWithinLimits(blocks);
    expect(text).toContain(`of ${count} action items`);
    const shown = [...JSON.stringify(blocks).matchAll(/\*#(\d+)\*/g)].map((m) => Number(m[1]));
    expect(shown).toEqual(Array.from({ length: shown.length }, (_, i) => i + 1));
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(count);
    expect(moreCount(blocks)).toBe(count - shown.length);
  });

  it('keeps the hint and no closing line when everything fits', () => {
    const actions = Array.from({ length: 5 }, (_, i) => action(i + 1, `Fix thing ${i + 1} & <!here>`));
    const { blocks } = actionsList(incident(1, 'Checkout down'), actions);
    expectWithinLimits(blocks);
    expect(moreCount(blocks)).toBeNull();
    expect(JSON.stringify(blocks)).toContain('marks one done');
    expect(JSON.stringify(blocks)).toContain('Fix thing 5 &amp; &lt;!here&gt;');
  });

  it('cuts a single huge action item safely', () => {
    const { blocks } = actionsList(incident(1, 'x'), [action(1, nasty(5000, 3))]);
    expectWithinLimits(blocks);
    expect(moreCount(blocks)).toBeNull();
  });
});

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
