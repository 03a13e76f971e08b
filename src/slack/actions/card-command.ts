import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { IncidentCommand } from '../../domain/command';
import { type BlockAction, blockActionSchema } from '../boundary/interactions';
import { describeIssue } from '../boundary/schemas';
import { type ControlDeps, caller, refusalText, tellClicker } from '../controls';

/** What a card control runs: the command its click means (null: the click carries nothing usable). */
export type ClickCommand = (action: BlockAction['actions'][number]) => IncidentCommand | null;

/**
 * A card control that changes the incident at once (a menu, the reopen button): acknowledge, run
 * the command its click means through the incident service (the typed command's rules and
 * permission check), and on a refusal tell the person why and redraw the card, so that a menu
 * does not go on showing the refused choice. Done, the card and the channel show the change.
 */
export function cardCommand(deps: ControlDeps, what: string, command: ClickCommand) {
  return async ({ ack, body, respond, logger }: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const parsed = blockActionSchema.safeParse(body);
    const click = parsed.success ? parsed.data : null;
    const channel = click?.channel?.id ?? click?.container?.channel_id ?? null;
    const action = click?.actions[0];
    const wanted = action ? command(action) : null;
    if (!click || !channel || !wanted) {
      const problem = parsed.success
        ? 'nothing chosen, or no channel'
        : describeIssue(parsed.error, 'payload');
      logger.warn(`Ignored a malformed ${what}: ${problem}`, { problem });
      return;
    }
    const result = await deps.service.execute(wanted, caller(click.user.id, channel), {
      ...(action?.value && /^INC-/.test(action.value) ? { incidentId: action.value } : {}),
      redrawCard: true,
    });
    if (!result.ok) {
      const tell = tellClicker(deps, logger, { user: click.user.id, channel, respond });
      deps.tasks.run(`tell why a ${what} was refused`, () => tell(refusalText(result)));
    }
  };
}
