import { DEFAULT_UPDATE_INTERVALS, dueReminders } from '../../../src/domain/reminders';
import type { ActionItem } from '../../../src/domain/types';
import { overdueReminderMessage, updateReminderMessage } from '../../../src/slack/blocks/reminders';
import { IDS } from '../../../src/slack/ids';
import { expectWithinLimits, incident, NOW, nasty, TZ, terms } from '../../support/block-kit';

const item: ActionItem = {
  id: 1,
  incidentId: 'INC-2026-001',
  seq: 4,
  text: 'Alarm on <!channel> DatabaseConnections & friends',
  owner: 'UBOB',
  due: '2026-02-10',
  priority: 'P2',
  status: 'open',
  createdAt: NOW,
  createdBy: 'UALICE',
  doneAt: null,
  sourceRef: null,
};

const remindersAt = (over = {}) =>
  dueReminders({
    now: NOW,
    timeZone: TZ,
    intervals: DEFAULT_UPDATE_INTERVALS,
    incidents: [
      {
        incident: incident(1, nasty(600, 3), { severity: 'P1', declaredAt: NOW - 47 * 60_000, ...over }),
        timeline: [],
        terms: [...terms, { ...terms[0]!, id: 2, role: 'comms', userId: 'UCAROL' }],
      },
    ],
    actions: [{ incident: incident(1, 'Checkout <down>', over), items: [item] }],
  });

describe('reminder messages', () => {
  it('nudges the IC and the Communications Lead with a "Post an update" button naming the incident', () => {
    const [update] = remindersAt();
    if (update?.kind !== 'update') throw new Error('expected an update reminder');
    const message = updateReminderMessage(update, TZ);
    expectWithinLimits(message.blocks);
    expect(message.text).toContain(
      ':alarm_clock: <@UALICE> <@UCAROL> No status update on *INC-2026-001* (P1, investigating) for 47 min.',
    );
    expect(message.text).toContain('every 15 min at P1');
    expect(message.blocks[1]).toEqual({
      type: 'actions',
      block_id: 'reminder_actions',
      elements: [
        {
          type: 'button',
          action_id: IDS.card.updateAction,
          text: { type: 'plain_text', text: 'Post an update', emoji: true },
          style: 'primary',
          value: 'INC-2026-001',
        },
      ],
    });
  });

  it('tells the owner of an overdue action item what, where and how to close it, escaped', () => {
    const overdue = remindersAt().find((r) => r.kind === 'overdue');
    if (overdue?.kind !== 'overdue') throw new Error('expected an overdue reminder');
    const message = overdueReminderMessage(overdue);
    expectWithinLimits(message.blocks);
    expect(message.text).toBe(
      ':hourglass: Your action item #4 of *INC-2026-001* (Checkout &lt;down&gt;) was due on 2026-02-10: ' +
        'Alarm on &lt;!channel&gt; DatabaseConnections &amp; friends\nWhen it is done, run `/incident done 4` in <#C00000001>.',
    );
  });

  it('does not repeat a private incident’s title outside its channel', () => {
    const overdue = remindersAt({ isPrivate: true }).find((r) => r.kind === 'overdue');
    if (overdue?.kind !== 'overdue') throw new Error('expected an overdue reminder');
    expect(overdueReminderMessage(overdue).text).toMatch(
      /^:hourglass: Your action item #4 of \*INC-2026-001\* was due on/,
    );
  });
});
