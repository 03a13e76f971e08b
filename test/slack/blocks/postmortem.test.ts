import { compilePostmortem } from '../../../src/domain/postmortem/compile';
import {
  blocksTextLength,
  FALLBACK_TEXT_MAX,
  MESSAGE_BUDGET,
  SLACK_LIMITS,
} from '../../../src/shared/slack-limits';
import { renderSummaryBlocks } from '../../../src/slack/blocks/postmortem';
import { baseIncident, largeInput, smallInput } from '../../domain/postmortem/fixtures';

interface TextObject {
  type: string;
  text: string;
}
interface AnyBlock {
  type: string;
  text?: TextObject;
  fields?: TextObject[];
  elements?: TextObject[];
}

/** Every text object of a message, with the block it sits in. */
function texts(
  blocks: object[],
): { block: AnyBlock; text: TextObject; kind: 'text' | 'field' | 'element' }[] {
  return (blocks as AnyBlock[]).flatMap((block) => [
    ...(block.text ? [{ block, text: block.text, kind: 'text' as const }] : []),
    ...(block.fields ?? []).map((text) => ({ block, text, kind: 'field' as const })),
    ...(block.elements ?? []).map((text) => ({ block, text, kind: 'element' as const })),
  ]);
}

function expectWithinLimits(message: { text: string; blocks: object[] }): void {
  const all = texts(message.blocks);
  expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
  expect(message.text.length).toBeLessThanOrEqual(FALLBACK_TEXT_MAX);
  for (const { block, text, kind } of all) {
    if (block.type === 'header') expect(text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    else if (kind === 'field') expect(text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    else expect(text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(text.text.length).toBeGreaterThan(0);
  }
  for (const block of message.blocks as AnyBlock[]) {
    expect((block.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
  }
  const total = all.reduce((sum, t) => sum + t.text.text.length, 0);
  expect(total).toBe(blocksTextLength(message.blocks));
  expect(total).toBeLessThanOrEqual(MESSAGE_BUDGET.text);
}

describe('renderSummaryBlocks', () => {
  it('summarises the small example: header, fields, summary, metrics, timeline, actions, attachment note', () => {
    const message = renderSummaryBlocks(compilePostmortem(smallInput()), {
      markdownFileName: 'INC-2026-001.md',
    });
    const all = texts(message.blocks).map((t) => t.text.text);

    expect((message.blocks[0] as AnyBlock).text?.text).toBe(
      'INC-2026-001: Payments API returns 503: connection pool exhausted',
    );
    expect(all).toContain('*Severity*\nP1 — Critical (production down)');
    expect(all).toContain('*Incident Commander*\nAlice');
    expect(all).toContain('*Technical Lead*\nBob');
    expect(all.join('\n')).toContain('• SLA: 28 minutes downtime → monthly uptime: 99.94%');
    expect(all.join('\n')).toContain('`10:30:30` BetterStack alert fired in <#C0OPS> · Alice');
    expect(all.join('\n')).toContain('`10:32:00` Role assigned — @Bob is Technical Lead · Alice');
    expect(all.join('\n')).toContain('• #1 Put PgBouncer in front of the payments database — <@U02BOB>');
    expect(all.join('\n')).not.toContain('#2 Alarm');
    expect(all[all.length - 1]).toBe('The full postmortem is attached: *INC-2026-001.md*');
    expectWithinLimits(message);
  });

  it('stays within every Block Kit limit for a huge incident', () => {
    // 5,000 timeline entries, 500 action items, 10,000-character fields and title.
    const input = largeInput(5000, 500, 10_000);
    input.incident = { ...input.incident, title: `<!channel> ${'T'.repeat(10_000)}` };
    input.people = { U01ALICE: 'A'.repeat(5000) };

    const message = renderSummaryBlocks(compilePostmortem(input));
    const joined = texts(message.blocks)
      .map((t) => t.text.text)
      .join('\n');

    expectWithinLimits(message);
    expect(joined).toMatch(/… and 4988 more \(see the attached document\)/);
    expect(joined).toMatch(/… and \d+ more \(see the attached document\)/);
    expect(joined).toContain('*Open action items* (400)');
  });

  it('escapes <!channel> and <!here> in the title and user text so they never ping', () => {
    const input = smallInput({ incident: baseIncident({ title: '<!channel> DB down & <!here> <b>' }) });

    const message = renderSummaryBlocks(compilePostmortem(input));
    const everything = [message.text, ...texts(message.blocks).map((t) => t.text.text)].join('\n');

    expect((message.blocks[0] as AnyBlock).text?.text).toBe(
      'INC-2026-001: &lt;!channel&gt; DB down &amp; &lt;!here&gt; &lt;b&gt;',
    );
    expect(message.text).toContain('&lt;!channel&gt; DB down &amp; &lt;!here&gt;');
    expect(everything).not.toContain('<!channel>');
    expect(everything).not.toContain('<!here>');
  });

  it('does not encode Slack entities twice, and shows user mentions as names', () => {
    const input = smallInput();
    input.fields = [
      {
        id: 1,
        incidentId: 'INC-2026-001',
        field: 'summary',
        value: 'A &amp; B &lt;3 <@U02BOB|bob> <!everyone>',
        at: 0,
        author: null,
        sourceRef: null,
      },
    ];

    const message = renderSummaryBlocks(compilePostmortem(input));
    const summary = texts(message.blocks).find((t) => t.text.text.startsWith('*Executive summary*'));

    expect(summary?.text.text).toBe('*Executive summary*\nA &amp; B &lt;3 @Bob &lt;!everyone&gt;');
  });

  it('notifies nobody but the owners of open action items', () => {
    const input = smallInput();
    input.fields = [
      ...input.fields,
      {
        id: 9,
        incidentId: 'INC-2026-001',
        field: 'summary',
        value: 'Thanks <@U03CAROL> and <@U01ALICE|al>',
        at: Date.UTC(2026, 2, 1),
        author: null,
        sourceRef: null,
      },
    ];

    const message = renderSummaryBlocks(compilePostmortem(input));
    const everything = [message.text, ...texts(message.blocks).map((t) => t.text.text)].join('\n');

    expect(everything.match(/<@U[A-Z0-9]+>/g)).toEqual(['<@U02BOB>']);
    expect(everything).toContain('Thanks @Carol and @Alice');
    expect(everything).toContain('— <@U02BOB>, due 2026-03-06, P1');
  });

  it('enforces the total text budget in code, cutting the longest parts first', () => {
    const doc = compilePostmortem(largeInput(5000, 500, 10_000));
    const full = renderSummaryBlocks(doc, { markdownFileName: 'INC-2026-001.md' });

    const capped = renderSummaryBlocks(doc, { markdownFileName: 'INC-2026-001.md', maxTotalText: 4000 });
    const tiny = renderSummaryBlocks(doc, { maxTotalText: 300 });
    const cappedTexts = texts(capped.blocks).map((t) => t.text.text);

    expect(blocksTextLength(full.blocks)).toBeGreaterThan(4000);
    expect(blocksTextLength(capped.blocks)).toBeLessThanOrEqual(4000);
    expect(capped.blocks).toHaveLength(full.blocks.length);
    expect(cappedTexts.some((t) => t.endsWith('… (see the attached document)'))).toBe(true);
    expect(cappedTexts[cappedTexts.length - 1]).toBe('The full postmortem is attached: *INC-2026-001.md*');
    expect(blocksTextLength(tiny.blocks)).toBeLessThanOrEqual(300);
    expect((tiny.blocks[0] as AnyBlock).type).toBe('header');
    expectWithinLimits(capped);
    expect(
      renderSummaryBlocks(doc, { markdownFileName: 'INC-2026-001.md', maxTotalText: 50_000 }).blocks,
    ).toEqual(full.blocks);
  });

  it('shows _Not recorded_ for unknown values of an unresolved incident', () => {
    const input = smallInput({
      incident: baseIncident({ resolvedAt: null, mitigatedAt: null, status: 'monitoring' }),
    });

    const message = renderSummaryBlocks(compilePostmortem(input));
    const all = texts(message.blocks).map((t) => t.text.text);

    expect(all).toContain('*Duration*\n_Not recorded_');
    expect(all.join('\n')).not.toMatch(/NaN|undefined/);
  });
});
