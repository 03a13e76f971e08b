import { slackSafe } from '../../domain/escape';
import type { ActionItem, Incident } from '../../domain/types';
import { context, header, LIMITS, section } from './text';

const line = (a: ActionItem) =>
  `${a.status === 'done' ? ':white_check_mark:' : ':white_square:'} *#${a.seq}* ${slackSafe(a.text)} — ${
    a.owner ? `<@${a.owner}>` : '_no owner_'
  } · ${a.due ?? 'no due date'} · ${a.priority}`;

/** `/incident actions`: every action item, numbered for `/incident done <n>`, within Block Kit limits. */
export function actionsList(incident: Incident, actions: readonly ActionItem[]) {
  if (actions.length === 0) {
    return {
      text: `${incident.id} has no action items yet.`,
      blocks: [
        section(
          `${incident.id} has no action items yet. Add one with \`/incident action <text> [@owner] [due YYYY-MM-DD] [P1-P4]\`.`,
        ),
      ],
    };
  }
  const sections: ReturnType<typeof section>[] = [];
  let current = '';
  for (const l of actions.map(line)) {
    const clipped = l.length > 1000 ? `${l.slice(0, 999)}…` : l;
    if (current && current.length + clipped.length + 1 > LIMITS.sectionText) {
      sections.push(section(current));
      current = '';
    }
    current = current ? `${current}\n${clipped}` : clipped;
  }
  if (current) sections.push(section(current));
  const room = LIMITS.blocksPerMessage - 2;
  const shown = sections.slice(0, room);
  const open = actions.filter((a) => a.status === 'open').length;
  return {
    text: `${incident.id}: ${open} open of ${actions.length} action items`,
    blocks: [
      header(`${incident.id} action items (${open} open)`),
      ...shown,
      context(
        sections.length > room
          ? `Showing the first ${room} sections; the postmortem lists all ${actions.length}.`
          : '`/incident done <n>` marks one done.',
      ),
    ],
  };
}
