import { MESSAGE_BUDGET } from '../../../src/shared/slack-limits';
import { slackSafe } from '../../../src/shared/slack-text';
import { clip, context, costOf, sectionsWithin } from '../../../src/slack/blocks/text';
import { BROKEN_ENTITY, LONE_SURROGATE, moreCount, nasty, TOKEN, texts } from '../../support/block-kit';

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
