import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs } from '@slack/bolt';
import { SEVERITIES, type Severity } from '../../domain/types';
import type { BackgroundTasks } from '../../services/background-tasks';
import type { IncidentService } from '../../services/incident-service';
import type { SlackGateway } from '../../services/slack-gateway';
import { declareViewSchema, describeIssue } from '../boundary/schemas';
import { IDS } from '../ids';

const ids = IDS.declareModal;

/** The declare form was submitted: validate, close it, declare in the background. */
export function declareSubmit(service: IncidentService, slack: SlackGateway, tasks: BackgroundTasks) {
  return async ({ ack, body, view: raw, logger }: SlackViewMiddlewareArgs & AllMiddlewareArgs) => {
    // A form that is not the one we sent (no state, a title that is not text): close it, ignore it.
    const parsed = declareViewSchema.safeParse(raw);
    if (!parsed.success) {
      const problem = describeIssue(parsed.error, 'view');
      logger.warn(`Ignored a malformed declare form submission: ${problem}`, {
        problem,
        user: body.user?.id,
      });
      await ack();
      return;
    }
    const view = parsed.data;
    const title = view.state.values[ids.titleBlock]?.[ids.titleAction]?.value?.trim() ?? '';
    const picked = view.state.values[ids.severityBlock]?.[ids.severityAction]?.selected_option?.value;
    if (!title) {
      await ack({
        response_action: 'errors',
        errors: { [ids.titleBlock]: 'Say what is broken, e.g. "Checkout API returns 503".' },
      });
      return;
    }
    const severity: Severity = SEVERITIES.includes(picked as Severity) ? (picked as Severity) : 'P3';
    const isPrivate = (view.state.values[ids.privateBlock]?.[ids.privateAction]?.selected_options ?? []).some(
      (option) => option?.value === ids.privateValue,
    );
    await ack();
    let origin = body.user.id;
    try {
      origin = (JSON.parse(view.private_metadata || '{}') as { channel?: string }).channel ?? origin;
    } catch {
      // keep the DM fallback
    }
    const user = body.user.id;
    const tell = (text: string) =>
      slack
        .postEphemeral(origin, user, text)
        .catch(() => slack.postMessage(user, text).then(() => undefined));
    tasks.run('declare from modal', () =>
      service.declare(
        title,
        severity,
        {
          userId: user,
          channelId: origin,
          responder: {
            ephemeral: tell,
            inChannel: (text) =>
              slack
                .postMessage(origin, text)
                .then(() => undefined)
                .catch(() => tell(text)),
          },
        },
        { isPrivate },
      ),
    );
  };
}

export function registerViews(
  app: App,
  service: IncidentService,
  slack: SlackGateway,
  tasks: BackgroundTasks,
) {
  app.view(ids.callbackId, declareSubmit(service, slack, tasks));
}
