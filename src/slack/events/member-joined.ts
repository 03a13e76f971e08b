import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { CaptureService } from '../../services/capture-service';

/** `member_joined_channel`: participants of the incident. */
export function memberJoined(capture: CaptureService) {
  return async ({ event, body }: SlackEventMiddlewareArgs<'member_joined_channel'> & AllMiddlewareArgs) => {
    await capture.memberJoined(event, body.event_id);
  };
}
