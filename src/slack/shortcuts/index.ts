import type { App } from '@slack/bolt';
import type { ControlDeps } from '../controls';
import { IDS } from '../ids';
import { addToTimeline } from './add-to-timeline';
import { declareShortcut } from './declare';
import { declareFromMessage } from './declare-from-message';

const ids = IDS.shortcuts;

/** The global and message shortcuts (manifest.yml declares them with the same callback_ids). */
export function registerShortcuts(app: App, deps: ControlDeps): void {
  app.shortcut(ids.declare, declareShortcut(deps));
  app.shortcut(ids.declareFromMessage, declareFromMessage(deps));
  app.shortcut(ids.addToTimeline, addToTimeline(deps));
}
