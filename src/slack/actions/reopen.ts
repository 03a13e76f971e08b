import type { ControlDeps } from '../controls';
import { cardCommand } from './card-command';

/** The card's "Reopen" button (`card_reopen`, resolved or closed incidents): back to investigating. */
export const reopen = (deps: ControlDeps) => cardCommand(deps, 'reopen click', () => ({ kind: 'reopen' }));
