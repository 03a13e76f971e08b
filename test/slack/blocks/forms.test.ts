import type { FieldValues } from '../../../src/domain/postmortem/compile';
import {
  ACTIVE_STATUSES,
  LIST_FIELDS,
  type RoleTerm,
  STATUSES,
  TEXT_FIELDS,
} from '../../../src/domain/types';
import { messageBlocksRejection } from '../../../src/emulator/validate';
import { incidentCard } from '../../../src/slack/blocks/card';
import { closeFieldBlock, closeModal } from '../../../src/slack/blocks/close-modal';
import { declareModal, titleFromMessage } from '../../../src/slack/blocks/declare-modal';
import { plainError } from '../../../src/slack/blocks/forms';
import {
  actionItemModal,
  resolveModal,
  statusModal,
  updateModal,
} from '../../../src/slack/blocks/incident-forms';
import { IDS } from '../../../src/slack/ids';
import {
  expectViewWithinLimits,
  expectWithinLimits,
  incident,
  LONE_SURROGATE,
  NOW,
  nasty,
  TZ,
} from '../../support/block-kit';

const everyRole: RoleTerm[] = (['ic', 'tech', 'comms'] as const).map((role, i) => ({
  id: i + 1,
  incidentId: 'INC-2026-001',
  role,
  userId: `U${role.toUpperCase()}1`,
  from: NOW - 1,
  to: null,
  assignedBy: 'UALICE',
}));

function fieldValues(text: (i: number) => string | null, bullets: (i: number) => string[]): FieldValues {
  return {
    text: Object.fromEntries(TEXT_FIELDS.map((f, i) => [f, text(i)])) as FieldValues['text'],
    lists: Object.fromEntries(LIST_FIELDS.map((f, i) => [f, bullets(i)])) as FieldValues['lists'],
  };
}

describe('the card with its controls', () => {
  it.each(STATUSES)(
    'stays within every limit when %s, with every role held and a huge nasty title',
    (status) => {
      const inc = incident(1, nasty(20_000, 3), {
        status,
        resolvedAt: status === 'resolved' || status === 'closed' ? NOW - 60_000 : null,
        closedAt: status === 'closed' ? NOW : null,
      });
      const { blocks } = incidentCard({ incident: inc, terms: everyRole, timeZone: TZ, now: NOW });
      expectWithinLimits(blocks);
      expect(messageBlocksRejection(blocks)).toBeUndefined();
      const json = JSON.stringify(blocks);
      // Every role holder is named (as a menu's initial user while open, as a field once closed).
      for (const term of everyRole) expect(json).toContain(term.userId);
    },
  );

  it('draws a new revision into its block ids each time, so that a redraw resets a menu', () => {
    const inc = incident(1, 'Database down');
    const ids = (now: number) =>
      (incidentCard({ incident: inc, terms: everyRole, timeZone: TZ, now }).blocks as { block_id?: string }[])
        .map((b) => b.block_id)
        .filter(Boolean);
    expect(ids(NOW)).toHaveLength(4);
    for (const [a, b] of ids(NOW).map((id, i) => [id, ids(NOW + 1000)[i]])) expect(a).not.toBe(b);
  });
});

describe('the forms', () => {
  const huge = incident(7, nasty(20_000, 11));

  it('the declare form, empty, private, and pre-filled from a huge nasty message', () => {
    expectViewWithinLimits(declareModal('C1'));
    expectViewWithinLimits(declareModal('C1', { isPrivate: true, timeZone: TZ }));
    const text = nasty(50_000, 5);
    const form = declareModal('C1', {
      title: titleFromMessage(text),
      source: { channel: 'C1', ts: '1700000000.000100', user: 'UBOB', text },
      timeZone: TZ,
    });
    expectViewWithinLimits(form);
    const title = (form.blocks[0] as { element: { initial_value: string; max_length: number } }).element;
    expect(title.initial_value.length).toBeLessThanOrEqual(title.max_length);
    const meta = JSON.parse(form.private_metadata) as { source: { text: string } };
    expect(meta.source.text.endsWith('…')).toBe(true);
    expect(meta.source.text).not.toMatch(LONE_SURROGATE);
  });

  it.each(ACTIVE_STATUSES)('the status, update, action item and resolve forms of a %s incident', (status) => {
    const inc = { ...huge, status };
    for (const form of [
      statusModal(inc, TZ),
      updateModal(inc),
      actionItemModal(inc),
      resolveModal(inc, TZ),
    ]) {
      expectViewWithinLimits(form);
    }
    const options = JSON.stringify(statusModal(inc, TZ).blocks[1]);
    expect(options).not.toContain(`"value":"${status}"`);
  });

  it.each([
    [
      'nothing written yet',
      fieldValues(
        () => null,
        () => [],
      ),
    ],
    [
      'every field at the input limit',
      fieldValues(
        (i) => nasty(1000, i).slice(0, 2999),
        () => [nasty(80, 1)],
      ),
    ],
    [
      'every field too long and 500 long bullets each',
      fieldValues(
        (i) => nasty(20_000, i),
        (i) => Array.from({ length: 500 }, (_, j) => nasty(5000, i + j)),
      ),
    ],
  ])('the close form with %s', (_label, fields) => {
    const form = closeModal(huge, fields);
    expectViewWithinLimits(form);
    const blocks = form.blocks as { block_id?: string; element?: { initial_value?: string } }[];
    for (const field of [
      'summary',
      'impact',
      'root-cause',
      'trigger',
      'contributing',
      'went-well',
      'went-wrong',
      'lessons',
      'users-affected',
      'revenue-impact',
      'data-impact',
      'customer-impact',
    ] as const) {
      expect(blocks.some((b) => b.block_id === closeFieldBlock(field))).toBe(true);
    }
    const tooLong = JSON.parse(form.private_metadata).keep as string[];
    for (const b of blocks) {
      if (b.element?.initial_value !== undefined)
        expect(b.element.initial_value.length).toBeLessThanOrEqual(3000);
    }
    if (_label.startsWith('every field too long')) {
      expect(tooLong.sort()).toEqual([
        'customer-impact',
        'data-impact',
        'impact',
        'revenue-impact',
        'root-cause',
        'summary',
        'trigger',
        'users-affected',
      ]);
      expect(JSON.stringify(blocks)).toMatch(/… and \d+ more/);
    } else {
      expect(tooLong).toEqual([]);
    }
  });
});

describe('text in forms', () => {
  it('a rule’s message as plain text next to a field: no code marks, entities decoded, at most 500 characters', () => {
    expect(plainError('The impact start (`2026-02-20 10:30`) is &lt;odd&gt; for <@U1>')).toBe(
      'The impact start (2026-02-20 10:30) is <odd> for @U1',
    );
    expect([...plainError('x'.repeat(2000))]).toHaveLength(500);
  });

  it('a title from a message: its first line that says something, plain, at most 150 characters', () => {
    expect(titleFromMessage('\n\n  <@U1|alem> says *DB* &amp; <https://x.io|x.io> down  \nmore')).toBe(
      '@alem says *DB* & https://x.io down',
    );
    expect(titleFromMessage('')).toBe('');
    expect([...titleFromMessage('😀'.repeat(400))]).toHaveLength(150);
  });

  it('every form names its ids from src/slack/ids.ts', () => {
    const callbackIds = [
      declareModal('C1'),
      statusModal(incident(1, 't'), TZ),
      updateModal(incident(1, 't')),
      actionItemModal(incident(1, 't')),
      resolveModal(incident(1, 't'), TZ),
      closeModal(
        incident(1, 't'),
        fieldValues(
          () => null,
          () => [],
        ),
      ),
    ].map((f) => f.callback_id);
    expect(callbackIds).toEqual([
      IDS.declareModal.callbackId,
      IDS.statusModal.callbackId,
      IDS.updateModal.callbackId,
      IDS.actionItemModal.callbackId,
      IDS.resolveModal.callbackId,
      IDS.closeModal.callbackId,
    ]);
  });
});
