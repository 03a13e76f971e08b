import { updateModal } from '../blocks/incident-forms';
import type { ControlDeps } from '../controls';
import { formButton } from './form-button';

/** The card's "Post an update" button (`card_update`): opens the update form. */
export const openUpdateForm = (deps: ControlDeps) =>
  formButton(deps, {
    what: 'update form',
    probe: () => ({ kind: 'update', message: 'update' }),
    build: (incident) => updateModal(incident),
  });
