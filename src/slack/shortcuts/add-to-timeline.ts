import type { AllMiddlewareArgs, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { formatTime } from '../../domain/time';
import { messageShortcutSchema } from '../boundary/interactions';
import { describeIssue } from '../boundary/schemas';
import { type ControlDeps, tellClicker } from '../controls';

/**
 * The message shortcut "Add to incident timeline" (`firewatch_add_to_timeline`): the same as a
 * :pushpin: reaction by the person on the message (the capture path), so the message is on the
 * timeline at the time it was written. Only in an incident channel, and not on Firewatch's posts.
 */
export function addToTimeline(deps: ControlDeps) {
  return async ({ ack, body, respond, context, logger }: SlackShortcutMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const parsed = messageShortcutSchema.safeParse(body);
    if (!parsed.success) {
      const problem = describeIssue(parsed.error, 'payload');
      logger.warn(`Ignored a malformed "add to timeline" shortcut: ${problem}`, { problem });
      return;
    }
    const { user, channel, message } = parsed.data;
    const pinned = await deps.capture.pinFromShortcut(channel.id, message, user.id, {
      botUserId: context.botUserId,
      botId: context.botId,
    });
    const text = pinned.ok
      ? `:pushpin: On the timeline of *${pinned.incidentId}*, at ${formatTime(pinned.at, deps.timeZone)} ` +
        '(when it was written), as if you had reacted with :pushpin:.'
      : pinned.reason === 'not_incident'
        ? ':warning: "Add to incident timeline" works on messages in an incident channel. ' +
          'Use it in the channel of the incident (see `/incident list`).'
        : ":warning: That is one of Firewatch's own posts (or not a message someone wrote): " +
          'what Firewatch posts is on the record already.';
    const tell = tellClicker(deps, logger, { user: user.id, channel: channel.id, respond });
    deps.tasks.run('tell about the timeline shortcut', () => tell(text));
  };
}
