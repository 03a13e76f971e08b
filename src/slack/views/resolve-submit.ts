import { textOf } from '../boundary/interactions';
import type { ControlDeps } from '../controls';
import { IDS } from '../ids';
import { formSubmit } from './form-submit';

const ids = IDS.resolveModal;

/** The resolve form (`firewatch_resolve`): `/incident resolve [at <time>] [message]`. */
export const resolveSubmit = (deps: ControlDeps) =>
  formSubmit(deps, {
    what: 'resolve form',
    read: (values) => {
      const time = deps.service.readTime(textOf(values, ids.timeBlock, ids.timeAction));
      if (!time.ok) return { block: ids.timeBlock, message: time.message };
      const message = textOf(values, ids.messageBlock, ids.messageAction);
      return { command: { kind: 'resolve', at: time.at, message: message || null } };
    },
    // Every refusal of a resolution is about when (backdating) or whether (already resolved).
    blockFor: () => ids.timeBlock,
  });
