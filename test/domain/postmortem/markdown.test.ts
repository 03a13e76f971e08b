import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilePostmortem } from '../../../src/domain/postmortem/compile';
import { mermaidText } from '../../../src/domain/postmortem/format';
import { renderMarkdown } from '../../../src/domain/postmortem/markdown';
import { mdCell, mrkdwnToPlain, slackToMarkdown } from '../../../src/shared/slack-text';
import { ALICE, BOB, CAROL, event, fieldEntry, INC, largeInput, oslo, smallInput } from './fixtures';

const GOLDEN = join(__dirname, '../../fixtures/postmortem-small.md');

describe('renderMarkdown', () => {
  it('matches the golden file for the small example in Europe/Oslo', () => {
    const md = renderMarkdown(compilePostmortem(smallInput()));
    // Regenerate (after checking the output by eye) with UPDATE_GOLDEN=1.
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, md);

    expect(md).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('renders every section heading in order, then the appendix', () => {
    const md = renderMarkdown(compilePostmortem(smallInput()));

    const headings = md.split('\n').filter((l) => /^#{1,2} /.test(l));

    expect(headings).toEqual([
      '# Postmortem: INC-2026-001 — Payments API returns 503: connection pool exhausted',
      '## 1. Incident overview',
      '## 2. Executive summary',
      '## 3. Detection',
      '## 4. Detailed timeline',
      '## 5. Impact',
      '## 6. Root cause analysis',
      '## 7. Resolution',
      '## 8. Response metrics',
      '## 9. What went well and what went wrong',
      '## 10. Action items',
      '## 11. Lessons learned',
      '## 12. Related incidents',
      '## 13. Communication log',
      '## 14. Approval',
      '## Appendix A. Channel transcript',
    ]);
  });

  it('names the zone, draws the phases as a gantt chart and states the SLA line', () => {
    const md = renderMarkdown(compilePostmortem(smallInput()));

    expect(md).toContain('Timezone: All times in Europe/Oslo (CET)');
    expect(md).toContain('| Impact start | 2026-02-20 10:30:00 CET |');
    expect(md).toContain('```mermaid\ngantt\n');
    expect(md).toContain('  Customer impact :crit, 2026-02-20 10:30:00, 2026-02-20 10:58:00');
    expect(md).toContain('  IC Alice :milestone, 2026-02-20 10:31:00, 2026-02-20 10:31:00');
    expect(md).toContain('  Investigating :2026-02-20 10:31:00, 2026-02-20 10:34:00');
    expect(md).toContain('| SLA | 28 minutes downtime → monthly uptime: 99.94% |');
    expect(md).toContain('| Monthly uptime | ≥ 99.9% | 99.94% | No |');
  });

  it('renders times in summer time with the summer zone label', () => {
    const summer = Date.UTC(2026, 6, 1, 8, 0);
    const input = smallInput();
    input.incident = {
      ...input.incident,
      startedAt: summer,
      detectedAt: summer,
      declaredAt: summer,
      resolvedAt: summer + 600_000,
    };

    const md = renderMarkdown(compilePostmortem(input));

    expect(md).toContain('Timezone: All times in Europe/Oslo (CEST)');
    expect(md).toContain('| Impact start | 2026-07-01 10:00:00 CEST |');
  });

  it('escapes table cells and converts Slack markup in user text', () => {
    const input = smallInput({
      timeline: [
        event(
          'note',
          oslo(10, 40),
          'ask <@U02BOB|bob> and <@U01ALICE> in <#C1|ops> | now\nthen <b>x</b>',
          BOB,
        ),
      ],
    });

    const md = renderMarkdown(compilePostmortem(input));

    expect(md).toContain(
      '| 10:40:00 | ask @Bob and @Alice in #ops \\| now<br>then &lt;b>x&lt;/b> | Bob | — |',
    );
  });

  it('keeps Mermaid syntax intact whatever the names are', () => {
    const input = smallInput({
      people: { [ALICE]: 'Al: ice; #1 %%' },
      fields: [fieldEntry('summary', 's', oslo(11, 0))],
    });

    const md = renderMarkdown(compilePostmortem(input));
    const chart = md.slice(md.indexOf('```mermaid'), md.indexOf('```', md.indexOf('```mermaid') + 3));

    expect(chart).toContain('  IC Al ice 1 :milestone, ');
    for (const line of chart.split('\n').filter((l) => l.includes(' :'))) {
      expect(line.slice(0, line.indexOf(' :'))).not.toMatch(/[:;#]/);
    }
  });

  it('renders exactly 10,000 timeline rows for 10,000 entries, deterministically (speed: npm run bench:postmortem)', () => {
    const input = largeInput(10_000);
    const md = renderMarkdown(compilePostmortem(input));
    const section = md.slice(md.indexOf('\n## 4. '), md.indexOf('\n## 5. '));
    const tableLines = section.split('\n').filter((l) => l.startsWith('| '));

    expect(md).toBe(renderMarkdown(compilePostmortem(input)));
    expect(tableLines[0]).toBe('| Time (CET) | Event | Actor | Notes |');
    expect(tableLines[1]).toBe('| --- | --- | --- | --- |');
    expect(tableLines.length - 2).toBe(10_000);
  });

  it('renders the communication log as plain text: no mrkdwn markers, quotes, emoji codes or raw refs', () => {
    const base = { incidentId: INC, channelId: 'C0ANN', channelLabel: '#announcements', audience: 'Company' };
    const input = smallInput({
      comms: [
        {
          ...base,
          id: 1,
          at: oslo(10, 40),
          summary:
            ':rotating_light: *INC-2026-001* is _now_ ~P2~ *P1*\n&gt; see <#C0OPS|ops> and <#C0INC001>\n>>> done :custom_party: 10:41:00',
          sentBy: CAROL,
          status: 'investigating',
        },
        {
          ...base,
          id: 2,
          at: oslo(10, 41),
          summary: 'Keep snake_case names, 2 * 3 = 6, and <https://x.io/a_b_c|the_runbook> :+1:',
          sentBy: null,
          status: 'investigating',
        },
      ],
    });

    const md = renderMarkdown(compilePostmortem(input));

    expect(md).toContain(
      '| 10:40:00 | #announcements | 🚨 INC-2026-001 is now P2 P1 — see #ops and #C0INC001 — done 10:41:00 | Company | Carol |',
    );
    expect(md).toContain(
      '| 10:41:00 | #announcements | Keep snake_case names, 2 * 3 = 6, and [the_runbook](https://x.io/a_b_c) 👍 | Company | Firewatch |',
    );
    expect(mrkdwnToPlain('*_both_* :unknown_code: a:b:c')).toBe('both a:b:c');
  });
});

describe('format helpers', () => {
  it('converts Slack markup to readable Markdown', () => {
    const people = { U1: 'Alice' };

    expect(
      slackToMarkdown('<@U1|al> <@U1> <@U9> <#C1|ops> <#C2> <!here> <!subteam^S1|@oncall>', people),
    ).toBe('@Alice @Alice @U9 #ops #C2 @here @oncall');
    // A mention's label is a handle: shown only when no full name is known.
    expect(slackToMarkdown('<@U7|al>', people)).toBe('@al');
    expect(mermaidText('<@U1|al> <@U7|bo>', people)).toBe('Alice bo');
    expect(slackToMarkdown('<https://x.io/a|docs> <https://x.io/b> a &amp; b &gt; c &lt; d', people)).toBe(
      '[docs](https://x.io/a) https://x.io/b a & b > c &lt; d',
    );
    expect(mdCell('', people)).toBe('—');
    expect(mermaidText('a: b; c # d <@U1>', people)).toBe('a b c d Alice');
  });
});
