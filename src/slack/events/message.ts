import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { CaptureService } from '../../services/capture-service';

/**
 * `message` (all subtypes) in incident channels. Runs before the HTTP reply (processBeforeResponse),
 * so Slack's 200 means the message is committed.
 */
export function messageEvent(capture: CaptureService) {
  return async ({ event, body, context }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs) => {
    await capture.message(event as never, body.event_id, {
      botUserId: context.botUserId,
      botId: context.botId,
    });
  };
}
