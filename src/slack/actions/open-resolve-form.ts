import { resolveModal } from '../blocks/incident-forms';
import type { ControlDeps } from '../controls';
import { formButton } from './form-button';

/** The card's "Resolve" button (`card_resolve`): opens the resolve form. */
export const openResolveForm = (deps: ControlDeps) =>
  formButton(deps, {
    what: 'resolve form',
    probe: () => ({ kind: 'resolve', at: null, message: null }),
    build: (incident) => resolveModal(incident, deps.timeZone),
  });
