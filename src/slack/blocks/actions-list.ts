import type { ActionItem, Incident } from '../../domain/types';
import { MESSAGE_BUDGET } from '../../shared/slack-limits';
import { slackSafe } from '../../shared/slack-text';
import { context, costOf, header, remaining, section, sectionsWithin } from './text';

/** Longest line for one action item, so that one long item cannot crowd out the others. */
const MAX_LINE = 1000;

const line = (a: ActionItem) =>
  `${a.status === 'done' ? ':white_check_mark:' : ':white_square:'} *#${a.seq}* ${slackSafe(a.text)} — ${
    a.owner ? `<@${a.owner}>` : '_no owner_'
  } · ${a.due ?? 'no due date'} · ${a.priority}`;

/** `/incident actions`: every action item, numbered for `/incident done <n>`, within one message's budget. */
export function actionsList(incident: Incident, actions: readonly ActionItem[]) {
  if (actions.length === 0) {
    return {
      text: `${incident.id} has no action items yet.`,
      blocks: [
        section(
          `${incident.id} has no action items yet. Add one with \`/incident action &lt;text&gt; [@owner] [due YYYY-MM-DD] [P1-P4]\`.`,
        ),
      ],
    };
  }
  const open = actions.filter((a) => a.status === 'open').length;
  const title = header(`${incident.id} action items (${open} open)`);
  const hint = context('`/incident done &lt;n&gt;` marks one done.');
  const laid = sectionsWithin(actions.map(line), remaining(MESSAGE_BUDGET, costOf([title, hint])), {
    maxLine: MAX_LINE,
    more: (n) =>
      `… and ${n} more (the postmortem lists all ${actions.length}) · \`/incident done &lt;n&gt;\` works for any of them.`,
  });
  return {
    text: `${incident.id}: ${open} open of ${actions.length} action items`,
    blocks: [title, ...laid.blocks, ...(laid.omitted > 0 ? [] : [hint])],
  };
}
