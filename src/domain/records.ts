import { slackSafe } from '../shared/slack-text';
import { type Outcome, refuse } from './changes';
import type { ActContext } from './lifecycle';
import {
  type ActionItem,
  type ActionPriority,
  type Incident,
  LIST_FIELDS,
  type ListField,
  type PostmortemField,
} from './types';

/** The priority of an action item when none is given (by `/incident action` or a ☑️ reaction). */
export const DEFAULT_ACTION_PRIORITY: ActionPriority = 'P3';

/** Follow-up work: allowed at any time, closed incidents included (postmortems produce most of it). */
export function addAction(
  incident: Incident,
  input: { text: string; owner: string | null; due: string | null; priority: ActionPriority | null },
  ctx: ActContext,
): Outcome {
  const priority = input.priority ?? DEFAULT_ACTION_PRIORITY;
  const details = [
    input.owner ? `owner <@${input.owner}>` : 'no owner yet',
    input.due ? `due ${input.due}` : null,
    priority,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    ok: true,
    change: {
      actions: [
        {
          text: input.text,
          owner: input.owner,
          due: input.due,
          priority,
          status: 'open',
          createdAt: ctx.now,
          createdBy: ctx.actor,
          doneAt: null,
          sourceRef: null,
        },
      ],
      timeline: [
        {
          kind: 'action',
          at: ctx.now,
          actor: ctx.actor,
          text: `Action item: ${input.text}`,
          ref: null,
          recordedAt: ctx.now,
        },
      ],
    },
    reply: `Action item added for ${incident.id} (${details}). \`/incident actions\` lists them.`,
    notice: `:ballot_box_with_check: *Action item* by <@${ctx.actor}>: ${slackSafe(input.text)} (${details})`,
  };
}

export function completeAction(
  incident: Incident,
  actions: readonly ActionItem[],
  n: number,
  ctx: ActContext,
): Outcome {
  const item = actions.find((a) => a.seq === n);
  if (!item) {
    const range = actions.length ? `1–${Math.max(...actions.map((a) => a.seq))}` : 'none yet';
    return refuse(
      'no_such_action',
      `${incident.id} has no action item #${n} (numbers: ${range}). \`/incident actions\` lists them.`,
    );
  }
  if (item.status === 'done') return refuse('action_done', `Action item #${n} is already done.`);
  return {
    ok: true,
    change: {
      actionUpdates: [{ seq: n, status: 'done', doneAt: ctx.now }],
      timeline: [
        {
          kind: 'action',
          at: ctx.now,
          actor: ctx.actor,
          text: `Action item #${n} done: ${item.text}`,
          ref: String(n),
          recordedAt: ctx.now,
        },
      ],
    },
    reply: `Action item #${n} is done.`,
    notice: `:white_check_mark: Action item #${n} done (<@${ctx.actor}>): ${slackSafe(item.text)}`,
  };
}

const isList = (field: PostmortemField): field is ListField =>
  (LIST_FIELDS as readonly string[]).includes(field);

/** A human-written postmortem field: list fields gain a bullet, text fields are replaced. */
export function setField(
  incident: Incident,
  field: PostmortemField,
  value: string,
  ctx: ActContext,
): Outcome {
  return {
    ok: true,
    change: { fields: [{ field, value, at: ctx.now, author: ctx.actor, sourceRef: null }] },
    reply: isList(field)
      ? `Added a bullet to *${field}* for ${incident.id}'s postmortem.`
      : `Set *${field}* for ${incident.id}'s postmortem.`,
    notice: null,
  };
}
