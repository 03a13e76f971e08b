import { ACTIVE_STATUSES } from '../../domain/types';
import { statusModal } from '../blocks/incident-forms';
import type { ControlDeps } from '../controls';
import { formButton } from './form-button';

/** The card's "Change status" button (`card_status`): opens the status form. */
export const openStatusForm = (deps: ControlDeps) =>
  formButton(deps, {
    what: 'status form',
    // Any status other than the current one: refused for a resolved or closed incident, or a non-member.
    probe: (incident) => ({
      kind: 'status',
      status: ACTIVE_STATUSES.find((s) => s !== incident.status) ?? 'investigating',
      at: null,
      message: null,
    }),
    build: (incident) => statusModal(incident, deps.timeZone),
  });
