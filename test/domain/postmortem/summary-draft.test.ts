import { compilePostmortem } from '../../../src/domain/postmortem/compile';
import { renderMarkdown } from '../../../src/domain/postmortem/markdown';
import { renderSummaryBlocks } from '../../../src/slack/blocks/postmortem';
import { ALICE, bareInput, baseIncident, event, fieldEntry, oslo, smallInput } from './fixtures';

const withoutSummary = (input = smallInput()) => ({
  ...input,
  fields: input.fields.filter((f) => f.field !== 'summary'),
});

describe('the drafted executive summary', () => {
  it('is built from the recorded facts of the worked example, and only from them', () => {
    const doc = compilePostmortem(withoutSummary());

    expect(doc.sections[2].text).toBeNull();
    expect(doc.sections[2].draft).toBe(
      'INC-2026-001, P1 — Critical (production down): Payments API returns 503: connection pool exhausted. ' +
        'Impact began at 2026-02-20 10:30:00 CET and lasted 28 minutes, until 2026-02-20 10:58:00 CET. ' +
        'Services affected: payments-api (production). ' +
        'Detected at 2026-02-20 10:30:30 CET by BetterStack monitor, 0.5 minutes (30 s) after impact began; ' +
        'declared at 2026-02-20 10:31:00 CET. ' +
        'Root cause: The payments API opened one connection per login callback with no pool limit. ' +
        'Immediate fix: restart the App Runner service.',
    );
  });

  it('leaves out what was not recorded instead of filling it in', () => {
    // Nothing but the declaration: no start, no detection, no services, no cause, no fix.
    const doc = compilePostmortem({ ...bareInput(), people: { [ALICE]: 'Alice' } });

    expect(doc.sections[2].draft).toBe(
      'INC-2026-001, P1 — Critical (production down): Payments API returns 503: connection pool exhausted. ' +
        'Impact is counted from the declaration at 2026-02-20 10:31:00 CET and lasted 27 minutes, until 2026-02-20 10:58:00 CET. ' +
        'Declared by Alice at 2026-02-20 10:31:00 CET.',
    );
    expect(doc.sections[2].draft).not.toMatch(/Root cause|Immediate fix|Services|Detected/);
  });

  it('says an open incident is not resolved, and never claims a duration', () => {
    const doc = compilePostmortem(
      withoutSummary(smallInput({ incident: baseIncident({ resolvedAt: null, status: 'monitoring' }) })),
    );

    expect(doc.sections[2].draft).toContain(
      'Impact began at 2026-02-20 10:30:00 CET; it was not resolved when this was compiled.',
    );
    expect(doc.sections[2].draft).not.toContain('lasted');
  });

  it('is marked as drafted by Firewatch in the Markdown and in the Slack post', () => {
    const doc = compilePostmortem(withoutSummary());
    const md = renderMarkdown(doc);
    const post = JSON.stringify(renderSummaryBlocks(doc).blocks);

    expect(md).toContain(
      '## 2. Executive summary\n\n_Drafted by Firewatch from the recorded facts: nobody has written a summary yet. ' +
        '`/incident set summary <text>` replaces it._\n\nINC-2026-001, P1',
    );
    expect(post).toContain('*Executive summary* _(drafted by Firewatch from the recorded facts;');
    expect(post).toContain('Services affected: payments-api (production).');
  });

  it('gives way the moment a person writes a summary, and comes back if they clear it', () => {
    const written = compilePostmortem(smallInput());
    const cleared = compilePostmortem({
      ...smallInput(),
      fields: [...smallInput().fields, fieldEntry('summary', '', oslo(11, 4))],
    });

    expect(written.sections[2]).toMatchObject({
      text: expect.stringContaining('A login burst'),
      draft: null,
    });
    expect(renderMarkdown(written)).not.toContain('Drafted by Firewatch');
    expect(JSON.stringify(renderSummaryBlocks(written).blocks)).not.toContain('drafted by Firewatch');
    expect(cleared.sections[2].text).toBeNull();
    expect(cleared.sections[2].draft).toContain('INC-2026-001');
  });

  it('quotes user text as written, escaped by each renderer: no ping, no broken Markdown', () => {
    const input = withoutSummary(
      smallInput({
        incident: baseIncident({ title: 'Checkout <!channel> &amp; payments | down' }),
        timeline: [event('note', oslo(10, 35), 'fix: flushed *all* caches &lt;b&gt;', ALICE)],
        fields: [fieldEntry('services', 'api &amp; web', oslo(10, 40))],
      }),
    );

    const doc = compilePostmortem(input);
    const md = renderMarkdown(doc);
    const post = JSON.stringify(renderSummaryBlocks(doc).blocks);

    expect(doc.sections[2].draft).toContain('Checkout <!channel> &amp; payments | down');
    expect(doc.sections[2].draft).toContain('Immediate fix: flushed *all* caches &lt;b&gt;.');
    expect(md).toContain('Checkout @channel & payments | down');
    expect(post).not.toContain('<!channel>');
    expect(post).toContain('Checkout &lt;!channel&gt; &amp; payments | down');
  });
});
