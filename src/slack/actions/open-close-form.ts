import { closeModal } from '../blocks/close-modal';
import type { ControlDeps } from '../controls';
import { formButton } from './form-button';

/**
 * The card's "Close incident" button (`card_close`): opens the guided close form, filled in with
 * the postmortem fields written so far.
 */
export const openCloseForm = (deps: ControlDeps) =>
  formButton(deps, {
    what: 'close form',
    probe: () => ({ kind: 'close' }),
    build: async (incident) => closeModal(incident, await deps.service.writtenFields(incident.id)),
  });
