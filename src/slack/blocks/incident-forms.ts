/**
 * The forms the incident card's buttons open: change status, post an update, add an action item,
 * resolve. Each remembers its incident in private_metadata; each field maps onto the typed
 * command's argument of the same meaning, and is read back by the same rules.
 */
import { DEFAULT_ACTION_PRIORITY } from '../../domain/records';
import { ACTION_PRIORITIES, ACTIVE_STATUSES, type Incident } from '../../domain/types';
import { SLACK_LIMITS } from '../../shared/slack-limits';
import { slackSafe } from '../../shared/slack-text';
import { IDS } from '../ids';
import { metadata, modalText, option, plain, textInput, timeInput } from './forms';
import { clip, context } from './text';

/** What every incident form remembers: its incident. */
export interface IncidentFormMetadata {
  incident: string;
}

/** The incident a form is about, as its first line. */
function about(incident: Incident) {
  return context(
    `*${incident.id}* · ${incident.severity} · ${incident.status} — ${clip(slackSafe(incident.title), 300)}`,
  );
}

function form(callbackId: string, incident: Incident, title: string, submit: string, blocks: unknown[]) {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: metadata({ incident: incident.id }),
    title: modalText(title),
    submit: modalText(submit),
    close: modalText('Cancel'),
    blocks: [about(incident), ...blocks],
  };
}

/** "Change status": the new status, an optional (backdated) time, and a message posted with it. */
export function statusModal(incident: Incident, timeZone: string) {
  const ids = IDS.statusModal;
  const choices = ACTIVE_STATUSES.filter((s) => s !== incident.status);
  return form(ids.callbackId, incident, 'Change status', 'Change', [
    {
      type: 'input',
      block_id: ids.statusBlock,
      label: plain('New status', SLACK_LIMITS.labelText),
      element: {
        type: 'static_select',
        action_id: ids.statusAction,
        placeholder: plain('Pick a status', SLACK_LIMITS.placeholder),
        options: choices.map((s) => option(s, s)),
      },
    },
    timeInput(ids.timeBlock, ids.timeAction, 'Since when?', timeZone),
    textInput(ids.messageBlock, ids.messageAction, {
      label: 'Message to post',
      optional: true,
      multiline: true,
      placeholder: 'What changed: posted in the channel and the announcement channel',
    }),
  ]);
}

/** "Post an update": the message, posted in the channel and to the announcement channel. */
export function updateModal(incident: Incident) {
  const ids = IDS.updateModal;
  return form(ids.callbackId, incident, 'Post an update', 'Post', [
    textInput(ids.messageBlock, ids.messageAction, {
      label: 'Update',
      multiline: true,
      placeholder: 'What we know, what we are doing, when the next update comes',
      hint: 'Posted in the incident channel and the announcement channel; it goes to the communication log.',
    }),
  ]);
}

/** "Add action item": what, who, by when, how urgent. */
export function actionItemModal(incident: Incident) {
  const ids = IDS.actionItemModal;
  const priority = (p: (typeof ACTION_PRIORITIES)[number]) => option(p, p);
  return form(ids.callbackId, incident, 'Add an action item', 'Add', [
    textInput(ids.textBlock, ids.textAction, {
      label: 'What should be done?',
      multiline: true,
      placeholder: 'e.g. Alert on connection pool saturation above 80%',
    }),
    {
      type: 'input',
      block_id: ids.ownerBlock,
      optional: true,
      label: plain('Owner', SLACK_LIMITS.labelText),
      element: {
        type: 'users_select',
        action_id: ids.ownerAction,
        placeholder: plain('Who does it?', SLACK_LIMITS.placeholder),
      },
    },
    {
      type: 'input',
      block_id: ids.dueBlock,
      optional: true,
      label: plain('Due', SLACK_LIMITS.labelText),
      element: {
        type: 'datepicker',
        action_id: ids.dueAction,
        placeholder: plain('Pick a date', SLACK_LIMITS.placeholder),
      },
    },
    {
      type: 'input',
      block_id: ids.priorityBlock,
      label: plain('Priority', SLACK_LIMITS.labelText),
      element: {
        type: 'static_select',
        action_id: ids.priorityAction,
        initial_option: priority(DEFAULT_ACTION_PRIORITY),
        options: ACTION_PRIORITIES.map(priority),
      },
    },
  ]);
}

/** "Resolve": when it was resolved (empty: now) and what fixed it. */
export function resolveModal(incident: Incident, timeZone: string) {
  const ids = IDS.resolveModal;
  return form(ids.callbackId, incident, 'Resolve the incident', 'Resolve', [
    timeInput(ids.timeBlock, ids.timeAction, 'When was it resolved?', timeZone),
    textInput(ids.messageBlock, ids.messageAction, {
      label: 'What fixed it?',
      optional: true,
      multiline: true,
      placeholder: 'Posted with the resolution',
    }),
  ]);
}
