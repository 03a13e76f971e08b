import { isCalendarDate } from '../../domain/time';
import { ACTION_PRIORITIES, type ActionPriority } from '../../domain/types';
import { dateOf, optionOf, textOf, userOf } from '../boundary/interactions';
import type { ControlDeps } from '../controls';
import { IDS } from '../ids';
import { formSubmit } from './form-submit';

const ids = IDS.actionItemModal;

const isPriority = (value: string | null): value is ActionPriority =>
  (ACTION_PRIORITIES as readonly string[]).includes(value ?? '');

/** The action item form (`firewatch_action_item`): `/incident action <text> [@owner] [due …] [P1-P4]`. */
export const actionItemSubmit = (deps: ControlDeps) =>
  formSubmit(deps, {
    what: 'action item form',
    read: (values) => {
      const text = textOf(values, ids.textBlock, ids.textAction);
      if (!text) return { block: ids.textBlock, message: 'An action item needs text: what should be done?' };
      const due = dateOf(values, ids.dueBlock, ids.dueAction);
      if (due !== null && !isCalendarDate(due)) {
        return { block: ids.dueBlock, message: `The due date must be a real calendar date (got ${due}).` };
      }
      const priority = optionOf(values, ids.priorityBlock, ids.priorityAction);
      const owner = userOf(values, ids.ownerBlock, ids.ownerAction);
      return {
        command: { kind: 'action', text, owner, due, priority: isPriority(priority) ? priority : null },
      };
    },
    blockFor: () => ids.textBlock,
  });
