import type { AllMiddlewareArgs, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { declareModal } from '../blocks/declare-modal';
import { globalShortcutSchema } from '../boundary/interactions';
import { describeIssue } from '../boundary/schemas';
import { type ControlDeps, openForm, tellClicker } from '../controls';

/**
 * The global shortcut "Declare an incident" (`firewatch_declare_shortcut`): opens the declare
 * form. It was used from no channel: word about the declaration goes to the person's direct
 * messages with the app (and ANNOUNCE_CHANNEL as always).
 */
export function declareShortcut(deps: ControlDeps) {
  return async ({ ack, body, logger }: SlackShortcutMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const parsed = globalShortcutSchema.safeParse(body);
    if (!parsed.success) {
      const problem = describeIssue(parsed.error, 'payload');
      logger.warn(`Ignored a malformed declare shortcut: ${problem}`, { problem });
      return;
    }
    const user = parsed.data.user.id;
    openForm(deps, logger, {
      triggerId: parsed.data.trigger_id,
      view: declareModal(user, { timeZone: deps.timeZone }),
      what: 'declare form',
      tell: tellClicker(deps, logger, { user, channel: null }),
    });
  };
}
