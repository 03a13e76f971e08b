import {
  compilePostmortem,
  parseDocumentStatus,
  parseWhy,
  stepFromEvent,
} from '../../../src/domain/postmortem/compile';
import { renderMarkdown } from '../../../src/domain/postmortem/markdown';
import type { GanttTask } from '../../../src/domain/postmortem/model';
import { ALICE, BOB, bareInput, baseIncident, CAROL, event, fieldEntry, oslo, smallInput } from './fixtures';

describe('compilePostmortem', () => {
  it('produces sections 0–14 in order, then the appendix', () => {
    const doc = compilePostmortem(smallInput());

    expect(doc.sections.map((s) => s.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(doc.sections.map((s) => s.key)).toEqual([
      'header',
      'overview',
      'summary',
      'detection',
      'timeline',
      'impact',
      'root-cause',
      'resolution',
      'metrics',
      'retrospective',
      'actions',
      'lessons',
      'related',
      'comms',
      'approval',
    ]);
    expect(doc.appendix.number).toBe('A');
  });

  it('fills in what the bot saw: severity label, roles, author, reviewers, detection', () => {
    const [header, overview, , detection] = compilePostmortem(smallInput()).sections;

    expect(overview.severityLabel).toBe('P1 — Critical (production down)');
    expect(overview.durationMinutes).toBe(28);
    expect(header.author).toEqual({ kind: 'person', id: ALICE, name: 'Alice' });
    expect(header.reviewers.map((p) => (p.kind === 'person' ? p.name : p.label))).toEqual(['Bob', 'Carol']);
    expect(detection.detectedBy).toEqual({ kind: 'system', label: 'BetterStack monitor' });
    expect(detection.lagMinutes).toBe(0.5);
  });

  it('marks unwritten human fields _Not recorded_ and never leaves a placeholder or an empty table', () => {
    const input = bareInput({
      resolvedAt: null,
      mitigatedAt: null,
      identifiedAt: null,
      status: 'investigating',
    });

    const doc = compilePostmortem(input);
    const md = renderMarkdown(doc);

    expect(doc.sections[2].text).toBeNull();
    expect(doc.sections[6].trigger).toBeNull();
    // Nobody wrote a summary: Firewatch drafts one from the record and says so.
    expect(md).toContain('## 2. Executive summary\n\n_Drafted by Firewatch from the recorded facts');
    expect(md).toContain('### Trigger\n\n_Not recorded_');
    expect(md).toContain('## 11. Lessons learned\n\n_Not recorded_');
    expect(md).toContain('## 10. Action items\n\n_None recorded_');
    expect(md).toContain('| Resolved at | _Not recorded_ |');
    expect(md).not.toContain('{{');
    expect(md).not.toMatch(/NaN|undefined|null/);
    // Every table header is followed by its separator and at least one row.
    const lines = md.split('\n');
    lines.forEach((line, i) => {
      if (line.startsWith('| --- ')) expect(lines[i + 1]?.startsWith('| ')).toBe(true);
    });
  });

  it('has no {{ anywhere in the full example either', () => {
    expect(renderMarkdown(compilePostmortem(smallInput()))).not.toContain('{{');
  });

  it('sorts the timeline by when things happened, not by arrival', () => {
    const input = smallInput({
      timeline: [
        event('note', oslo(10, 50), 'arrived first, happened last', ALICE, null, oslo(10, 50)),
        event('note', oslo(10, 40), 'same time, recorded later', ALICE, null, oslo(10, 45)),
        event('note', oslo(10, 40), 'same time, recorded earlier', ALICE, null, oslo(10, 41)),
        event('note', oslo(10, 30), 'backdated, arrived last', BOB, null, oslo(10, 55)),
      ],
    });

    const rows = compilePostmortem(input).sections[4].rows;

    expect(rows.map((r) => r.event)).toEqual([
      'backdated, arrived last',
      'same time, recorded earlier',
      'same time, recorded later',
      'arrived first, happened last',
    ]);
    expect(rows.map((r) => r.at.short)).toEqual(['10:30:00', '10:40:00', '10:40:00', '10:50:00']);
  });

  it('keeps the last value of a text field and every entry of a list field, in order', () => {
    const input = smallInput({
      fields: [
        fieldEntry('summary', 'later summary', oslo(11, 2)),
        fieldEntry('summary', 'first summary', oslo(11, 1)),
        fieldEntry('went-well', 'second', oslo(11, 3)),
        fieldEntry('went-well', 'first', oslo(11, 2)),
        fieldEntry('went-well', '   ', oslo(11, 4)),
      ],
    });

    const doc = compilePostmortem(input);
    const md = renderMarkdown(doc);

    expect(doc.sections[2].text).toBe('later summary');
    expect(doc.sections[9].wentWell).toEqual(['first', 'second']);
    expect(md).toContain('### What went well\n\n- first\n- second\n');
  });

  it('takes resolution steps from status changes and action/fix/mitigation notes only', () => {
    const input = smallInput({
      timeline: [
        event('note', oslo(10, 32), 'just chatting'),
        event('status', oslo(10, 34), 'found it', BOB, 'identified'),
        event('pin', oslo(10, 35), 'Mitigated by shedding load -> errors dropped', BOB),
        event('note', oslo(10, 36), 'Action: scaled the pool', BOB),
        event('status', oslo(10, 37), '', BOB, 'investigating'),
        event('status', oslo(10, 58), 'done', ALICE, 'resolved'),
        event('resolved', oslo(10, 58), 'done', ALICE),
      ],
    });

    const resolution = compilePostmortem(input).sections[7];

    expect(resolution.steps.map((s) => [s.step, s.at.short, s.action, s.result])).toEqual([
      [1, '10:34:00', 'found it', 'Cause identified'],
      [2, '10:35:00', 'Mitigated by shedding load', 'errors dropped'],
      [3, '10:36:00', 'scaled the pool', null],
      [4, '10:58:00', 'done', 'Incident resolved'],
    ]);
    expect(resolution.immediateFix).toBe('Mitigated by shedding load');
  });

  it('reads 5 whys only when someone wrote them as why: entries', () => {
    const withWhys = smallInput({
      fields: [
        fieldEntry('contributing', 'No pooler', oslo(11, 0)),
        fieldEntry('contributing', 'Why 1: Why did users see errors? The API returned 503', oslo(11, 1)),
      ],
    });

    const rootCause = compilePostmortem(withWhys).sections[6];
    const plain = renderMarkdown(compilePostmortem(smallInput({ fields: [] })));

    expect(rootCause.contributing).toEqual(['No pooler']);
    expect(rootCause.whys).toEqual([
      { question: 'Why did users see errors?', answer: 'The API returned 503' },
    ]);
    expect(renderMarkdown(compilePostmortem(withWhys))).toContain('### 5 whys');
    expect(plain).not.toContain('5 whys');
  });

  it('puts the current row, stamped at compiledAt, after the previous rows by version', () => {
    const input = smallInput({
      history: [
        { version: 2, compiledAt: oslo(12, 0), author: BOB, changes: 'Recompiled' },
        { version: 1, compiledAt: oslo(11, 0), author: ALICE, changes: 'First' },
      ],
      current: { version: 3, changes: 'Recompiled on close (3)', author: 'Firewatch' },
      compiledAt: oslo(13, 0),
    });

    const history = compilePostmortem(input).sections[0].history;

    expect(history.map((h) => [h.version, h.compiledAt.time, h.changes])).toEqual([
      [1, '11:00:00', 'First'],
      [2, '12:00:00', 'Recompiled'],
      [3, '13:00:00', 'Recompiled on close (3)'],
    ]);
    expect(history[1]?.author).toEqual({ kind: 'person', id: BOB, name: 'Bob' });
    expect(history[2]?.author).toEqual({ kind: 'system', label: 'Firewatch' });
  });

  it('adds no row without current: the history is exactly what the caller passed', () => {
    const previewed = compilePostmortem(smallInput({ current: undefined })).sections[0].history;
    const passed = compilePostmortem(
      smallInput({
        current: undefined,
        history: [{ version: 1, compiledAt: oslo(11, 5), author: ALICE, changes: 'First' }],
      }),
    ).sections[0].history;

    expect(previewed).toEqual([]);
    expect(renderMarkdown(compilePostmortem(smallInput({ current: undefined })))).toContain(
      '### Document history\n\n_None recorded_',
    );
    expect(passed.map((h) => [h.version, h.changes])).toEqual([[1, 'First']]);
  });

  it('lets current replace a previous row of the same version (a retried compile)', () => {
    const input = smallInput({
      history: [
        { version: 1, compiledAt: oslo(11, 0), author: ALICE, changes: 'First' },
        { version: 2, compiledAt: oslo(12, 0), author: ALICE, changes: 'stored earlier' },
      ],
      current: { version: 2, changes: 'Recompiled on close (2)', author: BOB },
      compiledAt: oslo(12, 0),
    });

    const history = compilePostmortem(input).sections[0].history;

    expect(history.map((h) => [h.version, h.changes])).toEqual([
      [1, 'First'],
      [2, 'Recompiled on close (2)'],
    ]);
  });

  it('is deterministic and does not modify its input', () => {
    const input = smallInput();
    const before = JSON.stringify(input);

    const first = renderMarkdown(compilePostmortem(input));
    const second = renderMarkdown(compilePostmortem(input));

    expect(first).toBe(second);
    expect(JSON.stringify(input)).toBe(before);
  });
});

describe('new postmortem fields', () => {
  it('fills the impact rows from their fields, _Not recorded_ when unwritten, with the narrative and SLA', () => {
    const doc = compilePostmortem(smallInput());
    const md = renderMarkdown(doc);
    const bare = renderMarkdown(compilePostmortem(bareInput()));

    expect(doc.sections[5]).toMatchObject({
      description: 'All users saw errors; about 5 payments were blocked.',
      usersAffected: 'All active users (100% &amp; full outage)',
      dataImpact: null,
    });
    expect(md).toContain('## 5. Impact\n\nAll users saw errors; about 5 payments were blocked.\n');
    expect(md).toContain('| Users affected | All active users (100% & full outage) |');
    expect(md).toContain('| Transactions / revenue | About 5 payments blocked (NOK 6,000–10,000) |');
    expect(md).toContain('| Data loss / corruption / exposure | _Not recorded_ |');
    expect(md).toContain(
      '| Customer-facing behaviour | Error screens everywhere; /api/health returned 503 |',
    );
    expect(md).toContain('| SLA | 28 minutes downtime → monthly uptime: 99.94% |');
    for (const row of [
      'Users affected',
      'Transactions / revenue',
      'Data loss / corruption / exposure',
      'Customer-facing behaviour',
    ]) {
      expect(bare).toContain(`| ${row} | _Not recorded_ |`);
    }
    expect(bare).toContain('## 5. Impact\n\n_Not recorded_\n');
  });

  it('takes the immediate fix from its field over the timeline', () => {
    const input = smallInput();
    input.fields = [...input.fields, fieldEntry('immediate-fix', 'Restarted App Runner', oslo(11, 4))];

    expect(compilePostmortem(input).sections[7].immediateFix).toBe('Restarted App Runner');
  });

  it('never takes the immediate fix from a mere monitoring status text', () => {
    const input = smallInput({
      timeline: [
        event('status', oslo(10, 34), 'found it', BOB, 'identified'),
        event('note', oslo(10, 35), 'Action: paged the DBA', BOB),
        event('status', oslo(10, 38), 'Health check green; watching', BOB, 'monitoring'),
        event('status', oslo(10, 58), 'done', ALICE, 'resolved'),
      ],
    });

    const doc = compilePostmortem(input);

    expect(doc.sections[7].immediateFix).toBeNull();
    expect(renderMarkdown(doc)).toContain('### Immediate fix\n\n_Not recorded_\n');
  });

  it('lists permanent fixes from the field first, then the action items', () => {
    const fixes = compilePostmortem(smallInput()).sections[7].permanentFixes;

    expect(fixes).toEqual([
      { source: 'field', text: 'Rate-limit login bursts across all IPs' },
      { source: 'action', seq: 1, text: 'Put PgBouncer in front of the payments database', status: 'open' },
      { source: 'action', seq: 2, text: 'Alarm on DatabaseConnections &gt; 70', status: 'done' },
    ]);
  });

  it('reads 5 whys from the why field (question? answer, or just an answer) and from why: contributing entries', () => {
    const input = smallInput({
      fields: [
        fieldEntry('why', 'Why did users see errors? The API returned 503', oslo(11, 0)),
        fieldEntry('why', 'Nobody load-tested the login path', oslo(11, 1)),
        fieldEntry('why', 'Why 3: Why no alarm?', oslo(11, 2)),
        fieldEntry('contributing', 'Why 4: Why was review missed? Friday deploy', oslo(11, 3)),
        fieldEntry('contributing', 'No pooler', oslo(11, 3)),
      ],
    });

    const rootCause = compilePostmortem(input).sections[6];
    const md = renderMarkdown(compilePostmortem(input));

    expect(rootCause.contributing).toEqual(['No pooler']);
    expect(rootCause.whys).toEqual([
      { question: 'Why did users see errors?', answer: 'The API returned 503' },
      { question: '', answer: 'Nobody load-tested the login path' },
      { question: 'Why no alarm?', answer: '' },
      { question: 'Why was review missed?', answer: 'Friday deploy' },
    ]);
    expect(md).toContain('| 2 | _Not recorded_ | Nobody load-tested the login path |');
    expect(md).toContain('| 3 | Why no alarm? | _Not recorded_ |');
  });

  it('splits a why at the first ? outside links and entities', () => {
    expect(parseWhy('See <https://x.io/runbook?id=1|the runbook>')).toEqual({
      question: '',
      answer: 'See <https://x.io/runbook?id=1|the runbook>',
    });
    expect(parseWhy('why 2: Why A &amp; B? because &lt;x&gt;')).toEqual({
      question: 'Why A &amp; B?',
      answer: 'because &lt;x&gt;',
    });
  });

  it('shows the approver from a mention or a name', () => {
    const withMention = smallInput();
    withMention.fields = [fieldEntry('approver', '<@U03CAROL|carol>', oslo(11, 0))];
    const none = smallInput({ fields: [] });

    const mentioned = compilePostmortem(withMention).sections[14].rows.at(-1);
    const named = compilePostmortem(smallInput()).sections[14].rows.at(-1);

    expect(mentioned).toEqual({ role: 'Approver', person: { kind: 'person', id: CAROL, name: 'Carol' } });
    expect(named).toEqual({
      role: 'Approver',
      person: { kind: 'system', label: 'Dana Lee (VP Engineering)' },
    });
    expect(compilePostmortem(none).sections[14].rows.at(-1)).toEqual({ role: 'Approver', person: null });
    expect(renderMarkdown(compilePostmortem(withMention))).toContain('| Approver | Carol | _Not recorded_ |');
  });

  it('takes the document status from doc-status when valid, else Draft', () => {
    expect(['draft', 'In Review', 'in-review', 'IN  REVIEW', 'Approved'].map(parseDocumentStatus)).toEqual([
      'Draft',
      'In Review',
      'In Review',
      'In Review',
      'Approved',
    ]);
    expect(parseDocumentStatus('done')).toBeNull();
    expect(parseDocumentStatus(null)).toBeNull();

    const status = (value: string | null, config?: 'Approved') => {
      const input = smallInput({
        fields: value === null ? [] : [fieldEntry('doc-status', value, oslo(11, 0))],
      });
      if (config) input.config = { ...input.config, documentStatus: config };
      return compilePostmortem(input).documentStatus;
    };
    expect(status('in review')).toBe('In Review');
    expect(status('approved', undefined)).toBe('Approved');
    expect(status('signed off')).toBe('Draft');
    expect(status(null)).toBe('Draft');
    expect(status('in-review', 'Approved')).toBe('In Review');
    expect(
      renderMarkdown(compilePostmortem(smallInput({ fields: [fieldEntry('doc-status', 'APPROVED', 0)] }))),
    ).toContain('| Document status | Approved |');
  });
});

describe('Slack-encoded text', () => {
  it('decodes entities before matching the action prefix and the result arrow, keeping raw slices', () => {
    const step = (text: string) => {
      const draft = stepFromEvent(event('note', oslo(10, 35), text, BOB));
      return draft && [draft.action, draft.result, draft.isFix];
    };

    expect(step('fix: restart -&gt; new pool')).toEqual(['restart', 'new pool', true]);
    expect(step('Action: drain A &amp; B =&gt; queue empty')).toEqual([
      'drain A &amp; B',
      'queue empty',
      false,
    ]);
    expect(step('mitigated: shed load → errors &lt; 1%')).toEqual([
      'mitigated: shed load',
      'errors &lt; 1%',
      true,
    ]);
    // `&amp;gt;` is a literal "&gt;" someone typed, not an arrow.
    expect(step('fix: compare x -&amp;gt; y')).toEqual(['compare x -&amp;gt; y', null, true]);
    expect(step('just chatting -&gt; nothing')).toBeNull();
  });

  it('renders encoded text once: no &amp; or &gt; left, no raw <@U', () => {
    const md = renderMarkdown(compilePostmortem(smallInput()));

    expect(md).not.toContain('&amp;');
    expect(md).not.toContain('&gt;');
    expect(md).not.toContain('<@U');
    expect(md).not.toContain('<#C');
    expect(md).toContain('| 2 | 10:35:00 | restart the App Runner service | deployment started |');
    expect(md).toContain('| 10:32:00 | Role assigned | Alice | @Bob is Technical Lead |');
    expect(md).toContain('| 10:30:30 | BetterStack alert fired in #drop-ops | Alice | — |');
    expect(md).toContain(
      '| 10:34:00 | Status changed to identified | Bob | Pool exhaustion in the payments API & its workers |',
    );
    expect(md).toContain('- Add an alarm on DatabaseConnections > 70');
    expect(md).toContain('- **10:31:30** Carol: @channel payments down, see status & updates _(edited)_');
  });
});

describe('timeline labels', () => {
  it('labels an action entry with a ref as a completed action item', () => {
    const input = smallInput({
      timeline: [
        event('action', oslo(10, 45), 'Action item: Put PgBouncer in front', ALICE),
        event('action', oslo(11, 4), 'Action item #1 done: Put PgBouncer in front', BOB, '1'),
      ],
    });

    const rows = compilePostmortem(input).sections[4].rows;

    expect(rows.map((r) => [r.event, r.notes])).toEqual([
      ['Action item added', 'Action item: Put PgBouncer in front'],
      ['Action item done', 'Action item #1 done: Put PgBouncer in front'],
    ]);
  });
});

describe('gantt chart', () => {
  const line = (t: GanttTask) => [t.label, t.start.time, t.end.time, t.milestone];

  it('names each phase after the state it starts from', () => {
    const phases = compilePostmortem(smallInput()).sections[4].gantt.phases;

    expect(phases.map(line)).toEqual([
      ['Impact before detection', '10:30:00', '10:30:30', false],
      ['Detected, not yet declared', '10:30:30', '10:31:00', false],
      ['Investigating', '10:31:00', '10:34:00', false],
      ['Mitigating', '10:34:00', '10:38:30', false],
      ['Monitoring', '10:38:30', '10:58:00', false],
    ]);
  });

  it('keeps Investigating from the declaration to the mitigation when identified was never recorded', () => {
    const input = smallInput({
      incident: baseIncident({ startedAt: null, detectedAt: null, identifiedAt: null }),
      timeline: [],
    });

    const phases = compilePostmortem(input).sections[4].gantt.phases;

    expect(phases.map(line)).toEqual([
      ['Detected', '10:31:00', '10:31:00', true],
      ['Declared', '10:31:00', '10:31:00', true],
      ['Investigating', '10:31:00', '10:38:30', false],
      ['Monitoring', '10:38:30', '10:58:00', false],
    ]);
  });

  it('decides milestone or bar on the rendered second, not on milliseconds', () => {
    const input = smallInput({
      incident: baseIncident({ detectedAt: oslo(10, 30) + 400, identifiedAt: oslo(10, 34) }),
    });

    const { gantt } = compilePostmortem(input).sections[4];
    const md = renderMarkdown(compilePostmortem(input));

    expect(gantt.phases.slice(0, 2).map(line)).toEqual([
      ['Detected', '10:30:00', '10:30:00', true],
      ['Detected, not yet declared', '10:30:00', '10:31:00', false],
    ]);
    expect(md).toContain('  Detected :milestone, 2026-02-20 10:30:00, 2026-02-20 10:30:00');
    const tasks = md.split('\n').flatMap((l) => {
      const m = / :(crit, )?(milestone, )?(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d), (\S+ \S+)$/.exec(l);
      return m ? [{ milestone: m[2] !== undefined, start: m[3], end: m[4] }] : [];
    });
    expect(tasks.length).toBeGreaterThan(5);
    for (const t of tasks) expect(t.milestone).toBe(t.start === t.end);
  });

  it('shows a reopen as a critical milestone, and an open incident running to the compile', () => {
    const input = smallInput({
      incident: baseIncident({ resolvedAt: null, status: 'investigating' }),
      timeline: [
        event('status', oslo(10, 50), 'All clear', ALICE, 'resolved'),
        event('reopened', oslo(10, 52), 'Reopened (was resolved)', ALICE, 'investigating'),
      ],
      compiledAt: oslo(11, 5),
    });

    const doc = compilePostmortem(input);
    const md = renderMarkdown(doc);

    expect(doc.sections[4].gantt.phases.map(line).slice(-3)).toEqual([
      ['Monitoring', '10:38:30', '11:05:00', false],
      ['Reopened', '10:52:00', '10:52:00', true],
      ['Not resolved when compiled', '11:05:00', '11:05:00', true],
    ]);
    expect(md).toContain('  Reopened :crit, milestone, 2026-02-20 10:52:00, 2026-02-20 10:52:00');
  });
});
