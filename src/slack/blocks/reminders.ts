/**
 * What reminders look like in Slack: the nudge in an incident channel (with its "Post an update"
 * button) and the direct message about an overdue action item. Pure.
 */
import type { OverdueReminder, UpdateReminder } from '../../domain/reminders';
import { formatTime } from '../../domain/time';
import type { RenderedMessage } from '../../services/renderer';
import { formatUserMention, slackSafe } from '../../shared/slack-text';
import { IDS } from '../ids';
import { minutesText } from './home';
import { clip, context, section } from './text';

/** Longest action item text (escaped) in a reminder. */
const ACTION_TEXT = 1000;

/** `<@U1> <@U2> — no status update on *INC-…* for 16 min` with a "Post an update" button. */
export function updateReminderMessage(reminder: UpdateReminder, timeZone: string): RenderedMessage {
  const { incident } = reminder;
  const who = reminder.nudge.map(formatUserMention).join(' ');
  const text =
    `:alarm_clock: ${who} No status update on *${incident.id}* (${incident.severity}, ${incident.status}) ` +
    `for ${minutesText(reminder.silentMinutes)}. Stakeholders expect one every ` +
    `${reminder.intervalMinutes} min at ${incident.severity}: say where things stand, even if nothing changed.`;
  return {
    text,
    blocks: [
      section(text),
      {
        type: 'actions',
        block_id: 'reminder_actions',
        elements: [
          {
            type: 'button',
            // The card's own "Post an update" control: it opens the update form of the incident named by the value.
            action_id: IDS.card.updateAction,
            text: { type: 'plain_text', text: 'Post an update', emoji: true },
            style: 'primary',
            value: incident.id,
          },
        ],
      },
      context(
        `Or \`/incident update &lt;message&gt;\` here · last update ${formatTime(reminder.lastUpdateAt, timeZone)} · ` +
          'the Incident Commander and Communications Lead are reminded once per interval',
      ),
    ],
  };
}

/** A direct message to the owner: action item #n of INC-… was due on … */
export function overdueReminderMessage(reminder: OverdueReminder): RenderedMessage {
  const { incident, item } = reminder;
  // A private incident's title is not repeated outside its channel.
  const what = incident.isPrivate ? '' : ` (${clip(slackSafe(incident.title), 150)})`;
  const where = incident.channelId ? ` in <#${incident.channelId}>` : '';
  const text =
    `:hourglass: Your action item #${item.seq} of *${incident.id}*${what} was due on ${item.due}: ` +
    `${clip(slackSafe(item.text), ACTION_TEXT)}\nWhen it is done, run \`/incident done ${item.seq}\`${where}.`;
  return { text, blocks: [section(text)] };
}
