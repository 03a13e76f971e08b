import type { App } from '@slack/bolt';
import { ROLES } from '../../domain/types';
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
  for (const r of ROLES) app.action(ids.roleActions[r], role);
  app.action(ids.severityAction, changeSeverity(deps));
  app.action(ids.statusAction, openStatusForm(deps));
  app.action(ids.updateAction, openUpdateForm(deps));
  app.action(ids.actionItemAction, openActionItemForm(deps));
  app.action(ids.resolveAction, openResolveForm(deps));
  app.action(ids.closeAction, openCloseForm(deps));
  app.action(ids.reopenAction, reopen(deps));
}
