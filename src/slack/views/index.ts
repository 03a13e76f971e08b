import type { App } from '@slack/bolt';
import { viewsById } from '../by-id';
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
  viewsById(app, {
    [IDS.declareModal.callbackId]: declareSubmit(deps.service, deps.slack, deps.tasks),
    [IDS.statusModal.callbackId]: statusSubmit(deps),
    [IDS.updateModal.callbackId]: updateSubmit(deps),
    [IDS.actionItemModal.callbackId]: actionItemSubmit(deps),
    [IDS.resolveModal.callbackId]: resolveSubmit(deps),
    [IDS.closeModal.callbackId]: closeSubmit(deps),
  });
}
