import { compilePostmortem, selectRelatedIncidents } from '../../../src/domain/postmortem/compile';
import { renderMarkdown } from '../../../src/domain/postmortem/markdown';
import type { RelatedCandidate } from '../../../src/domain/postmortem/model';
import { ALICE, BOB, bareInput, event, fieldEntry, oslo, smallInput } from './fixtures';

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
    expect(md).toContain('## 2. Executive summary\n\n_Not recorded_');
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
    const plain = renderMarkdown(compilePostmortem(smallInput()));

    expect(rootCause.contributing).toEqual(['No pooler']);
    expect(rootCause.whys).toEqual([
      { question: 'Why did users see errors?', answer: 'The API returned 503' },
    ]);
    expect(renderMarkdown(compilePostmortem(withWhys))).toContain('### 5 whys');
    expect(plain).not.toContain('5 whys');
  });

  it('adds one document-history row per compile after the previous ones', () => {
    const input = smallInput({
      history: [
        { version: 2, compiledAt: oslo(12, 0), author: BOB, changes: 'Recompiled' },
        { version: 1, compiledAt: oslo(11, 0), author: ALICE, changes: 'First' },
      ],
      compiledAt: oslo(13, 0),
    });

    const history = compilePostmortem(input).sections[0].history;

    expect(history.map((h) => [h.version, h.compiledAt.time])).toEqual([
      [1, '11:00:00'],
      [2, '12:00:00'],
      [3, '13:00:00'],
    ]);
  });

  it('uses a row the caller already added for this compile instead of adding a second one', () => {
    const input = smallInput({
      history: [
        { version: 1, compiledAt: oslo(11, 0), author: ALICE, changes: 'First' },
        { version: 2, compiledAt: oslo(13, 0), author: 'Firewatch', changes: 'Recompiled on close (2)' },
      ],
      compiledAt: oslo(13, 0),
    });

    const history = compilePostmortem(input).sections[0].history;

    expect(history.map((h) => [h.version, h.changes])).toEqual([
      [1, 'First'],
      [2, 'Recompiled on close (2)'],
    ]);
    expect(history[1]?.author).toEqual({ kind: 'system', label: 'Firewatch' });
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

describe('selectRelatedIncidents', () => {
  const day = 86_400_000;
  const now = Date.UTC(2026, 1, 20);
  function candidate(id: string, daysAgo: number, title: string, services: string[] = []): RelatedCandidate {
    return { id, title, declaredAt: now - daysAgo * day, resolvedAt: daysAgo > 1 ? now : null, services };
  }
  const current = {
    id: 'INC-2026-010',
    title: 'Payments API connection pool exhausted',
    services: ['payments-api'],
    declaredAt: now,
  };

  it('lists shared-service incidents first, then similar titles, newest first within each group', () => {
    const candidates = [
      candidate('INC-2025-001', 300, 'Checkout slow', ['payments-api']),
      candidate('INC-2025-050', 30, 'Connection pool exhausted on payments', ['ledger']),
      candidate('INC-2026-003', 10, 'DNS outage', ['Payments-API', 'dns']),
      candidate('INC-2025-040', 60, 'Pool exhausted in payments API', []),
      candidate('INC-2025-060', 20, 'Marketing site typo', ['www']),
    ];

    const related = selectRelatedIncidents(current, candidates);

    expect(related.map((r) => [r.id, r.similarity])).toEqual([
      ['INC-2026-003', 'same service: Payments-API'],
      ['INC-2025-001', 'same service: payments-api'],
      ['INC-2025-050', 'similar title'],
      ['INC-2025-040', 'similar title'],
    ]);
    expect(related[0]).toEqual({
      id: 'INC-2026-003',
      declaredAt: now - 10 * day,
      similarity: 'same service: Payments-API',
      resolved: true,
    });
  });

  it('ignores the incident itself and later incidents, and lists at most five', () => {
    const candidates = [
      candidate('INC-2026-010', 0, 'Payments API connection pool exhausted', ['payments-api']),
      candidate('INC-2026-011', -1, 'Payments API down', ['payments-api']),
      ...Array.from({ length: 8 }, (_, i) => candidate(`INC-2025-${100 + i}`, 10 + i, 'x', ['payments-api'])),
    ];

    const related = selectRelatedIncidents(current, candidates);

    expect(related).toHaveLength(5);
    expect(related.map((r) => r.id)).toEqual([
      'INC-2025-100',
      'INC-2025-101',
      'INC-2025-102',
      'INC-2025-103',
      'INC-2025-104',
    ]);
  });

  it('does not match titles on stop words or short words alone', () => {
    const candidates = [candidate('INC-2025-001', 5, 'The API is on fire for all of the users', [])];

    expect(selectRelatedIncidents({ ...current, services: [] }, candidates)).toEqual([]);
  });

  it('orders by incident number when the current declaration time is not given', () => {
    const candidates = [
      candidate('INC-2026-009', 1, 'x', ['payments-api']),
      candidate('INC-2026-012', 0, 'x', ['payments-api']),
    ];

    const related = selectRelatedIncidents(
      { id: 'INC-2026-010', title: 'y', services: ['payments-api'] },
      candidates,
    );

    expect(related.map((r) => r.id)).toEqual(['INC-2026-009']);
  });
});
