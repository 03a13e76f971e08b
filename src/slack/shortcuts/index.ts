import type { App } from '@slack/bolt';
import { shortcutsById } from '../by-id';
import type { ControlDeps } from '../controls';
import { IDS } from '../ids';
import { addToTimeline } from './add-to-timeline';
import { declareShortcut } from './declare';
import { declareFromMessage } from './declare-from-message';

const ids = IDS.shortcuts;

/** The global and message shortcuts (manifest.yml declares them with the same callback_ids). */
export function registerShortcuts(app: App, deps: ControlDeps): void {
  shortcutsById(app, {
    [ids.declare]: declareShortcut(deps),
    [ids.declareFromMessage]: declareFromMessage(deps),
    [ids.addToTimeline]: addToTimeline(deps),
  });
}
