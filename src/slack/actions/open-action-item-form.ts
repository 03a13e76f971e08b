import { actionItemModal } from '../blocks/incident-forms';
import type { ControlDeps } from '../controls';
import { formButton } from './form-button';

/** The card's "Add action item" button (`card_action_item`): opens the action item form. */
export const openActionItemForm = (deps: ControlDeps) =>
  formButton(deps, {
    what: 'action item form',
    probe: () => ({ kind: 'action', text: 'action', owner: null, due: null, priority: null }),
    build: (incident) => actionItemModal(incident),
  });
