import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { IncidentCommand } from '../../domain/command';
import type { Incident } from '../../domain/types';
import { blockActionSchema } from '../boundary/interactions';
import { describeIssue } from '../boundary/schemas';
import { type ControlDeps, caller, openForm, refusalText, tellClicker } from '../controls';

/** What a button that opens a form needs: the form, and the command whose rules decide whether it may. */
export interface FormButton {
  /** The form's name in messages ("status form"). */
  what: string;
  /**
   * The command the form will run, as a dry run decides whether the person may use it now (a
   * stale card, a resolved incident, someone outside the channel): refused, the form does not open.
   */
  probe: (incident: Incident) => IncidentCommand;
  /** The form for the incident as it is now. */
  build: (incident: Incident) => unknown | Promise<unknown>;
}

/**
 * A card button (its value is the incident id) that opens a form: acknowledge, ask the incident
 * service whether the person may (a dry run of the form's command, no Slack call), then open the
 * form on the click's trigger in the background, or tell the person why not.
 */
export function formButton(deps: ControlDeps, button: FormButton) {
  return async ({ ack, body, respond, logger }: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const parsed = blockActionSchema.safeParse(body);
    const incidentId = parsed.success ? parsed.data.actions[0]?.value : undefined;
    const triggerId = parsed.success ? parsed.data.trigger_id : undefined;
    if (!parsed.success || !incidentId || !triggerId) {
      const problem = parsed.success ? 'no incident or trigger_id' : describeIssue(parsed.error, 'payload');
      logger.warn(`Ignored a malformed click on the ${button.what} button: ${problem}`, { problem });
      return;
    }
    const click = parsed.data;
    const channel = click.channel?.id ?? click.container?.channel_id ?? null;
    const tell = tellClicker(deps, logger, { user: click.user.id, channel, respond });
    const incident = await deps.service.incident(incidentId);
    const gate = incident
      ? await deps.service.execute(button.probe(incident), caller(click.user.id), {
          incidentId,
          dryRun: true,
        })
      : null;
    if (!gate?.ok) {
      const text = gate ? refusalText(gate) : `:warning: There is no incident ${incidentId}.`;
      deps.tasks.run('tell why a form did not open', () => tell(text));
      return;
    }
    const view = await button.build(gate.incident);
    openForm(deps, logger, { triggerId, view, what: button.what, tell });
  };
}
