/**
 * What the listeners of Firewatch's controls (src/slack/actions/, views/, shortcuts/) share: their
 * dependencies, the caller they act as, opening a form on a click's trigger, telling the person
 * who clicked, and a form's errors. Each listener stays thin: ack, parse, call a service, render.
 */
import type { Logger, RespondFn } from '@slack/bolt';
import type { BackgroundTasks } from '../services/background-tasks';
import type { CaptureService } from '../services/capture-service';
import type { CallerContext, Executed, IncidentService } from '../services/incident-service';
import type { SlackGateway } from '../services/slack-gateway';
import { plainError } from './blocks/forms';

export interface ControlDeps {
  service: IncidentService;
  capture: CaptureService;
  slack: SlackGateway;
  tasks: BackgroundTasks;
  /** FIREWATCH_TIMEZONE: the zone of the times people type in forms. */
  timeZone: string;
}

/** Says nothing: controls answer the person through {@link Tell}, not the command's responder. */
const quiet = { ephemeral: async () => undefined, inChannel: async () => undefined };

/** The person using a control, as the incident service takes a caller. */
export function caller(userId: string, channelId = ''): CallerContext {
  return { userId, channelId, triggerId: null, responseUrl: null, responder: quiet };
}

/** Tells the person who used a control something only they see. Never throws. */
export type Tell = (text: string) => Promise<void>;

/**
 * Tells through the click's response_url when it has one (Bolt's `respond`), else as an
 * ephemeral message in `channel`, else in a direct message. A failure is logged, not thrown: the click was handled.
 */
export function tellClicker(
  deps: Pick<ControlDeps, 'slack'>,
  logger: Logger,
  who: { user: string; channel: string | null; respond?: RespondFn | undefined },
): Tell {
  return async (text) => {
    try {
      if (who.respond) {
        await who.respond({ response_type: 'ephemeral', replace_original: false, text });
      } else if (who.channel) {
        await deps.slack.postEphemeral(who.channel, who.user, text);
      } else {
        // No channel at all (a global shortcut): the person's direct messages with the app.
        await deps.slack.postMessage(who.user, text);
      }
    } catch (error) {
      logger.warn('Could not tell the person who used a control', {
        user: who.user,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  };
}

/**
 * Opens a form on a click's trigger_id, in the background so that the ack is not held up (the
 * trigger is good for 3 seconds from the click: nothing slow may come before this). When Slack
 * does not open it, the person is told to try again.
 */
export function openForm(
  deps: Pick<ControlDeps, 'slack' | 'tasks'>,
  logger: Logger,
  opening: { triggerId: string; view: unknown; what: string; tell: Tell },
): void {
  deps.tasks.run(`open the ${opening.what}`, async () => {
    try {
      await deps.slack.openModal(opening.triggerId, opening.view);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn(`Could not open the ${opening.what}`, { reason });
      await opening.tell(`:warning: The ${opening.what} did not open (${reason}). Please click again.`);
    }
  });
}

/** A form's answer that shows `message` (a rule's mrkdwn) next to the field `block`. */
export function fieldError(block: string, message: string) {
  return { response_action: 'errors' as const, errors: { [block]: plainError(message) } };
}

/** A refusal of the incident service shown next to the field it is about (`blockFor` its code). */
export function refusalError(result: Extract<Executed, { ok: false }>, blockFor: (code: string) => string) {
  return fieldError(blockFor(result.code), result.message);
}

/** What the person is told when the incident service refused: the typed command's answer. */
export function refusalText(result: Extract<Executed, { ok: false }>): string {
  return result.reply.kind === 'text' ? result.reply.text : `:warning: ${result.message}`;
}

/** Codes of the rules about a time (backdating, order of milestones, the impact window). */
export const TIME_CODES: ReadonlySet<string> = new Set([
  'time_in_future',
  'time_outside_window',
  'time_before_start',
  'time_out_of_order',
  'start_after_resolution',
  'start_after_detection',
]);
