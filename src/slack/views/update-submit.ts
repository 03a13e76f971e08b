import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { BackgroundTasks } from '../../services/background-tasks';
import type { IncidentService } from '../../services/incident-service';
import type { SlackGateway } from '../../services/slack-gateway';
import { escapeSlack } from '../../shared/slack-text';
import { declareViewSchema, describeIssue } from '../boundary/schemas';
import { IDS } from '../ids';
import { renderReply } from '../replies';

const ids = IDS.updateModal;

/**
 * The update form was submitted: an empty message is shown in the form; otherwise the form closes
 * and the message is posted exactly as `/incident update <message>` in the incident channel would
 * (same rules, same refusals), and the person is told the answer there.
 */
export function updateSubmit(service: IncidentService, slack: SlackGateway, tasks: BackgroundTasks) {
  return async ({ ack, body, view: raw, logger }: SlackViewMiddlewareArgs & AllMiddlewareArgs) => {
    const parsed = declareViewSchema.safeParse(raw);
    let channel: string | undefined;
    try {
      channel = (JSON.parse(parsed.data?.private_metadata || '{}') as { channel?: string }).channel;
    } catch {
      channel = undefined;
    }
    if (!parsed.success || !channel) {
      const problem = parsed.success
        ? 'no incident channel in private_metadata'
        : describeIssue(parsed.error, 'view');
      logger.warn(`Ignored a malformed update form submission: ${problem}`, { problem, user: body.user?.id });
      await ack();
      return;
    }
    const message = parsed.data.state.values[ids.messageBlock]?.[ids.messageAction]?.value?.trim() ?? '';
    if (!message) {
      await ack({
        response_action: 'errors',
        errors: { [ids.messageBlock]: 'Say where things stand, e.g. "Rolled back; error rate falling".' },
      });
      return;
    }
    await ack();
    const user = body.user.id;
    const incidentChannel = channel;
    // Ephemeral in the incident channel; someone not in it (a role holder, an admin) gets a DM.
    const tell = (text: string) =>
      slack
        .postEphemeral(incidentChannel, user, text)
        .catch(() => slack.postMessage(user, text).then(() => undefined));
    tasks.run('post an update from the form', async () => {
      // A form's text is plain; commands carry Slack's encoding (&, <, > as entities).
      const reply = await service.handleCommand(`update ${escapeSlack(message)}`, {
        userId: user,
        channelId: incidentChannel,
        triggerId: null,
        responder: {
          ephemeral: tell,
          inChannel: (text) => slack.postMessage(incidentChannel, text).then(() => undefined),
        },
      });
      await tell(renderReply(reply).text);
    });
  };
}
