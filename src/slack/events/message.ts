import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { CaptureService } from '../../services/capture-service';

/**
 * `message` (all subtypes) in incident channels. Runs before the HTTP reply (processBeforeResponse),
 * so Slack's 200 means the message is committed.
 */
export function messageEvent(capture: CaptureService) {
  return async ({
    event,
    body,
    context,
    logger,
  }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs) => {
    // What people write is logged at debug only; at info and above, never.
    const { channel, ts, subtype, text } = event as {
      channel?: string;
      ts?: string;
      subtype?: string;
      text?: string;
    };
    logger.debug('message event', { channel, ts, subtype, eventId: body.event_id, text });
    await capture.message(event as never, body.event_id, {
      botUserId: context.botUserId,
      botId: context.botId,
    });
  };
}
