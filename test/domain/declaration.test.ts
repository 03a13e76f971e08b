import { mergeChanges } from '../../src/domain/changes';
import { fieldsFromForm } from '../../src/domain/close-form';
import { declarationWithDetails, splitServices } from '../../src/domain/declaration';
import { declaration } from '../../src/domain/lifecycle';
import { foldFields } from '../../src/domain/postmortem/compile';
import type { FieldEntry } from '../../src/domain/types';
import { T0, testIncident } from './fixtures';

const ctx = { actor: 'UALICE', now: T0, timeZone: 'UTC' };
const MIN = 60_000;

describe('declarationWithDetails', () => {
  it('without details is the declaration itself', () => {
    const outcome = declarationWithDetails(testIncident(), {}, ctx);
    expect(outcome).toEqual({
      ok: true,
      change: mergeChanges(declaration(testIncident(), ctx)),
      incident: testIncident(),
    });
  });

  it('adds the impact start, the detection, services, a description and the source message, in that order', () => {
    const outcome = declarationWithDetails(
      testIncident(),
      {
        startedAt: T0 - 10 * MIN,
        detectedAt: T0 - 9 * MIN,
        detectedBy: 'BetterStack monitor',
        services: ['checkout', 'payments'],
        description: '  The pool ran dry  ',
        source: { channelId: 'CGENERAL', ts: '1', author: 'UBOB', at: T0 - 8 * MIN, text: 'db is down' },
      },
      ctx,
    );
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.incident).toMatchObject({
      startedAt: T0 - 10 * MIN,
      detectedAt: T0 - 9 * MIN,
      detectedBy: 'BetterStack monitor',
    });
    expect(outcome.change.incident).toEqual(outcome.incident);
    expect(outcome.change.timeline!.map((e) => [e.kind, e.at])).toEqual([
      ['declared', T0],
      ['role', T0],
      ['started', T0 - 10 * MIN],
      ['detected', T0 - 9 * MIN],
      ['note', T0 - 8 * MIN],
    ]);
    expect(outcome.change.timeline!.at(-1)!.text).toBe(
      'Declared from a message by <@UBOB> in <#CGENERAL>: db is down',
    );
    expect(outcome.change.fields!.map((f) => [f.field, f.value])).toEqual([
      ['services', 'checkout'],
      ['services', 'payments'],
      ['summary', 'The pool ran dry'],
    ]);
    expect(outcome.change.newRoleTerms).toHaveLength(1);
  });

  it('refuses by the rule of each part, naming the part', () => {
    const future = declarationWithDetails(testIncident(), { startedAt: T0 + MIN }, ctx);
    expect(future).toMatchObject({ ok: false, field: 'started', error: { code: 'time_in_future' } });
    const window = declarationWithDetails(testIncident(), { startedAt: T0 - 31 * 24 * 60 * MIN }, ctx);
    expect(window).toMatchObject({ ok: false, field: 'started', error: { code: 'time_outside_window' } });
    const order = declarationWithDetails(
      testIncident(),
      { startedAt: T0 - 5 * MIN, detectedAt: T0 - 6 * MIN },
      ctx,
    );
    expect(order).toMatchObject({ ok: false, field: 'detected', error: { code: 'time_before_start' } });
  });

  it('detected by someone without a time means at the declaration', () => {
    const outcome = declarationWithDetails(testIncident(), { detectedBy: '<@UBOB>' }, ctx);
    expect(outcome.ok && outcome.incident).toMatchObject({ detectedAt: T0, detectedBy: '<@UBOB>' });
  });

  it('puts a source message from a clock ahead of ours at the declaration', () => {
    const outcome = declarationWithDetails(
      testIncident(),
      { source: { channelId: 'C9', ts: '1', author: null, at: T0 + 5 * MIN, text: 'later?' } },
      ctx,
    );
    expect(outcome.ok && outcome.change.timeline!.at(-1)).toMatchObject({
      kind: 'note',
      at: T0,
      text: 'Declared from a message by someone in <#C9>: later?',
    });
  });
});

describe('splitServices', () => {
  it('takes one service a comma or line, folded and trimmed', () => {
    expect(splitServices(' checkout,  payments api \n\n search ,,')).toEqual([
      'checkout',
      'payments api',
      'search',
    ]);
    expect(splitServices('   ')).toEqual([]);
  });
});

describe('mergeChanges', () => {
  it('joins lists in order and keeps the last incident', () => {
    const a = testIncident({ severity: 'P2' });
    const b = testIncident({ severity: 'P1' });
    const merged = mergeChanges(
      { incident: a, fields: [{ field: 'summary', value: '1', at: 1, author: null, sourceRef: null }] },
      {},
      {
        incident: b,
        fields: [{ field: 'lessons', value: '2', at: 2, author: null, sourceRef: null }],
        outbox: [{ type: 'refresh_card' }],
      },
    );
    expect(merged.incident).toBe(b);
    expect(merged.fields!.map((f) => f.value)).toEqual(['1', '2']);
    expect(merged.outbox).toEqual([{ type: 'refresh_card' }]);
    expect(merged).not.toHaveProperty('timeline');
  });
});

describe('fieldsFromForm', () => {
  const entry = (id: number, field: FieldEntry['field'], value: string): FieldEntry => ({
    id,
    incidentId: 'INC-2026-001',
    field,
    value,
    at: id,
    author: 'UALICE',
    sourceRef: null,
  });
  const current = foldFields([
    entry(1, 'summary', 'As written'),
    entry(2, 'trigger', 'Deploy'),
    entry(3, 'lessons', 'Old'),
  ]);

  it('writes changed text fields, clears emptied ones, and adds each non-empty list line as a bullet', () => {
    expect(
      fieldsFromForm(current, {
        text: { summary: 'As written', trigger: '', 'root-cause': '  Pool too small ', impact: '' },
        lists: { lessons: '- Check capacity\n\n • Alarm earlier\n', 'went-well': '' },
      }),
    ).toEqual([
      { field: 'trigger', value: '' },
      { field: 'root-cause', value: 'Pool too small' },
      { field: 'lessons', value: 'Check capacity' },
      { field: 'lessons', value: 'Alarm earlier' },
    ]);
  });

  it('keeps a text field that was too long for the form when it comes back empty', () => {
    expect(fieldsFromForm(current, { text: { summary: '' }, lists: {}, keepIfEmpty: ['summary'] })).toEqual(
      [],
    );
    expect(
      fieldsFromForm(current, { text: { summary: 'New' }, lists: {}, keepIfEmpty: ['summary'] }),
    ).toEqual([{ field: 'summary', value: 'New' }]);
  });
});
