import { ACTIVE_STATUSES, type ActiveStatus } from '../../domain/types';
import { optionOf, textOf } from '../boundary/interactions';
import { type ControlDeps, TIME_CODES } from '../controls';
import { IDS } from '../ids';
import { formSubmit } from './form-submit';

const ids = IDS.statusModal;

const isActive = (value: string | null): value is ActiveStatus =>
  (ACTIVE_STATUSES as readonly string[]).includes(value ?? '');

/** The status form (`firewatch_status`): `/incident status <status> [at <time>] [message]`. */
export const statusSubmit = (deps: ControlDeps) =>
  formSubmit(deps, {
    what: 'status form',
    read: (values) => {
      const status = optionOf(values, ids.statusBlock, ids.statusAction);
      if (!isActive(status)) {
        return { block: ids.statusBlock, message: `Pick the new status: ${ACTIVE_STATUSES.join(', ')}.` };
      }
      const time = deps.service.readTime(textOf(values, ids.timeBlock, ids.timeAction));
      if (!time.ok) return { block: ids.timeBlock, message: time.message };
      const message = textOf(values, ids.messageBlock, ids.messageAction);
      return { command: { kind: 'status', status, at: time.at, message: message || null } };
    },
    blockFor: (code) => (TIME_CODES.has(code) ? ids.timeBlock : ids.statusBlock),
  });
