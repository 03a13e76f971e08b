import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BackgroundTasks } from '../../services/background-tasks';
import type { SlackGateway } from '../../services/slack-gateway';
import { updateModal } from '../blocks/update-modal';

/**
 * The "Post an update" button of a status-update reminder: opens the update form for the incident
 * of the channel it was clicked in (the button's value names the incident).
 */
export function postUpdateButton(slack: SlackGateway, tasks: BackgroundTasks) {
  return async ({
    ack,
    body,
    action,
    logger,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    const channel = body.channel?.id;
    const incidentId = action.value;
    if (!channel || !incidentId || !body.trigger_id) {
      logger.warn('Ignored a "Post an update" click without a channel, incident or trigger', {
        user: body.user?.id,
      });
      return;
    }
    const view = updateModal({ id: incidentId, channelId: channel });
    const triggerId = body.trigger_id;
    tasks.run('open the update form', () => slack.openModal(triggerId, view));
  };
}
