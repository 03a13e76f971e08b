import type { AllMiddlewareArgs, App, RespondArguments, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { IncidentService } from '../../services/incident-service';
import { COMMAND } from '../ids';
import { renderReply } from '../replies';
import { responderFor } from '../responder';

/**
 * `/incident …`: parse, commit, then acknowledge with the answer. Slack work the command causes is
 * queued in the outbox (or, for declare, run in the background), so it never delays the ack.
 */
export function incidentCommand(service: IncidentService) {
  return async ({ command, ack, respond, logger }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    try {
      const said = await service.handleCommand(command.text ?? '', {
        userId: command.user_id,
        channelId: command.channel_id,
        triggerId: command.trigger_id ?? null,
        userName: command.user_name ?? null,
        responseUrl: command.response_url ?? null,
        responder: responderFor((message) => respond(message as RespondArguments)),
      });
      const reply = renderReply(said);
      await ack({
        response_type: reply.inChannel ? 'in_channel' : 'ephemeral',
        text: reply.text,
        ...(reply.blocks ? { blocks: reply.blocks as never } : {}),
      });
    } catch (error) {
      // Ids only: the command's text is what a person typed (at debug, for whoever needs it).
      logger.error('/incident failed', { user: command.user_id, channel: command.channel_id }, error);
      logger.debug('/incident text of the failed command', { text: command.text });
      await ack({
        response_type: 'ephemeral',
        text: ':x: Something went wrong on our side and nothing was changed. Please try again.',
      });
    }
  };
}

export function registerCommands(app: App, service: IncidentService): void {
  app.command(COMMAND, incidentCommand(service));
}
