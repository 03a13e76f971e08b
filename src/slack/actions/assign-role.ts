import { ROLES } from '../../domain/types';
import type { ControlDeps } from '../controls';
import { IDS } from '../ids';
import { cardCommand } from './card-command';

/** The card's role menus (`card_role_ic`, `card_role_tech`, `card_role_comms`): hands a role to someone. */
export const assignRole = (deps: ControlDeps) =>
  cardCommand(deps, 'role choice', (action) => {
    const role = ROLES.find((r) => IDS.card.roleActions[r] === action.action_id);
    return role && action.selected_user ? { kind: 'role', role, userId: action.selected_user } : null;
  });
