import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { CaptureService } from '../../services/capture-service';

/** `reaction_added`: :pushpin: → timeline, :bulb: → lessons, :ballot_box_with_check: → action item. */
export function reactionAdded(capture: CaptureService) {
  return async ({ event, body }: SlackEventMiddlewareArgs<'reaction_added'> & AllMiddlewareArgs) => {
    await capture.reaction(event, true, body.event_id);
  };
}
