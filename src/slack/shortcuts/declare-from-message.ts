import type { AllMiddlewareArgs, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { declareModal, titleFromMessage } from '../blocks/declare-modal';
import { messageShortcutSchema } from '../boundary/interactions';
import { describeIssue } from '../boundary/schemas';
import { type ControlDeps, openForm, tellClicker } from '../controls';

/**
 * The message shortcut "Declare an incident from this message" (`firewatch_declare_from_message`):
 * opens the declare form with the title taken from the message; the message goes on the new
 * incident's timeline, at its own time.
 */
export function declareFromMessage(deps: ControlDeps) {
  return async ({ ack, body, respond, logger }: SlackShortcutMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const parsed = messageShortcutSchema.safeParse(body);
    if (!parsed.success) {
      const problem = describeIssue(parsed.error, 'payload');
      logger.warn(`Ignored a malformed "declare from message" shortcut: ${problem}`, { problem });
      return;
    }
    const { user, channel, message, trigger_id: triggerId } = parsed.data;
    const text = message.text ?? '';
    const view = declareModal(channel.id, {
      title: titleFromMessage(text),
      source: { channel: channel.id, ts: message.ts, user: message.user ?? null, text },
      timeZone: deps.timeZone,
    });
    const tell = tellClicker(deps, logger, { user: user.id, channel: channel.id, respond });
    openForm(deps, logger, { triggerId, view, what: 'declare form', tell });
  };
}
