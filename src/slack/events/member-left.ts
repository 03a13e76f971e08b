import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { CaptureService } from '../../services/capture-service';

/** `member_left_channel`: whoever leaves an incident channel is no longer one of its members. */
export function memberLeft(capture: CaptureService) {
  return async ({ event, body }: SlackEventMiddlewareArgs<'member_left_channel'> & AllMiddlewareArgs) => {
    await capture.memberLeft(event, body.event_id);
  };
}
