import type { App } from '@slack/bolt';
import type { ControlDeps } from '../controls';
import { IDS } from '../ids';
import { actionItemSubmit } from './action-item-submit';
import { closeSubmit } from './close-submit';
import { declareSubmit } from './declare-submit';
import { resolveSubmit } from './resolve-submit';
import { statusSubmit } from './status-submit';
import { updateSubmit } from './update-submit';

/** Submitted forms (`view_submission`). */
export function registerViews(app: App, deps: ControlDeps): void {
  app.view(IDS.declareModal.callbackId, declareSubmit(deps.service, deps.slack, deps.tasks));
  app.view(IDS.statusModal.callbackId, statusSubmit(deps));
  app.view(IDS.updateModal.callbackId, updateSubmit(deps));
  app.view(IDS.actionItemModal.callbackId, actionItemSubmit(deps));
  app.view(IDS.resolveModal.callbackId, resolveSubmit(deps));
  app.view(IDS.closeModal.callbackId, closeSubmit(deps));
}
