import type { App } from '@slack/bolt';
import { ROLES } from '../../domain/types';
import { actionsById } from '../by-id';
import type { ControlDeps } from '../controls';
import { IDS } from '../ids';
import { assignRole } from './assign-role';
import { changeSeverity } from './change-severity';
import { openActionItemForm } from './open-action-item-form';
import { openCloseForm } from './open-close-form';
import { openResolveForm } from './open-resolve-form';
import { openStatusForm } from './open-status-form';
import { openUpdateForm } from './open-update-form';
import { reopen } from './reopen';

const ids = IDS.card;

/** The incident card's controls (`block_actions`). */
export function registerActions(app: App, deps: ControlDeps): void {
  const role = assignRole(deps);
  actionsById(app, {
    ...Object.fromEntries(ROLES.map((r) => [ids.roleActions[r], role])),
    [ids.severityAction]: changeSeverity(deps),
    [ids.statusAction]: openStatusForm(deps),
    [ids.updateAction]: openUpdateForm(deps),
    [ids.actionItemAction]: openActionItemForm(deps),
    [ids.resolveAction]: openResolveForm(deps),
    [ids.closeAction]: openCloseForm(deps),
    [ids.reopenAction]: reopen(deps),
  });
}
