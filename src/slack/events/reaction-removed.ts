import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { CaptureService } from '../../services/capture-service';

/** `reaction_removed`: the entry goes when the last such reaction on the message goes. */
export function reactionRemoved(capture: CaptureService) {
  return async ({ event, body }: SlackEventMiddlewareArgs<'reaction_removed'> & AllMiddlewareArgs) => {
    await capture.reaction(event, false, body.event_id);
  };
}
