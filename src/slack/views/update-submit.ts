import { textOf } from '../boundary/interactions';
import type { ControlDeps } from '../controls';
import { IDS } from '../ids';
import { formSubmit } from './form-submit';

const ids = IDS.updateModal;

/** The update form (`firewatch_update`): `/incident update <message>`. */
export const updateSubmit = (deps: ControlDeps) =>
  formSubmit(deps, {
    what: 'update form',
    read: (values) => {
      const message = textOf(values, ids.messageBlock, ids.messageAction);
      if (!message)
        return {
          block: ids.messageBlock,
          message:
            'A status update needs a message: say where things stand, e.g. "Rolled back; error rate falling".',
        };
      return { command: { kind: 'update', message } };
    },
    blockFor: () => ids.messageBlock,
  });
