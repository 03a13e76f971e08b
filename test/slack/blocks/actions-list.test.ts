import { actionsList } from '../../../src/slack/blocks/actions-list';
import { action, expectWithinLimits, incident, moreCount, nasty } from '../../support/block-kit';

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
