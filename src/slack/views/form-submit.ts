import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { IncidentCommand } from '../../domain/command';
import type { Executed } from '../../services/incident-service';
import {
  type FormValues,
  incidentFormMetadata,
  metadataOf,
  type ViewSubmission,
  viewSubmissionSchema,
} from '../boundary/interactions';
import { describeIssue } from '../boundary/schemas';
import { type ControlDeps, caller, fieldError, refusalError } from '../controls';

/** A form read: the command it asks for, or what is wrong with a field. */
export type FormRead = { command: IncidentCommand } | { block: string; message: string };

export interface FormSpec {
  /** The form's name in log lines. */
  what: string;
  /** Reads the form's values into the command it asks for (the typed command's arguments). */
  read: (values: FormValues) => FormRead;
  /** The field a refusal of the incident service is shown next to, by the rule's code. */
  blockFor: (code: string) => string;
}

/**
 * What a form is answered with (nothing: it closes; or its errors). Bolt types a view listener's
 * ack argument as an intersection with `void` that no object satisfies, hence the cast.
 */
type Answer = never;

/**
 * A submitted incident form (its private_metadata names the incident): read the fields, run the
 * command through the incident service (the typed command's rules and permission check), and
 * answer with the refusal next to its field (`response_action: errors`), or close the form.
 */
export function formSubmit(deps: ControlDeps, spec: FormSpec, run?: RunForm) {
  return async ({ ack, body, logger }: SlackViewMiddlewareArgs & AllMiddlewareArgs) => {
    const parsed = viewSubmissionSchema.safeParse(body);
    const meta = parsed.success ? metadataOf(parsed.data.view, incidentFormMetadata) : null;
    if (!parsed.success || !meta) {
      const problem = parsed.success ? 'private_metadata' : describeIssue(parsed.error, 'payload');
      logger.warn(`Ignored a malformed ${spec.what} submission: ${problem}`, { problem });
      await ack();
      return;
    }
    const values = parsed.data.view.state.values;
    const read = spec.read(values);
    if ('block' in read) {
      await ack(fieldError(read.block, read.message) as Answer);
      return;
    }
    const who = caller(parsed.data.user.id);
    const result = run
      ? await run(parsed.data.view, who, meta.incident)
      : await deps.service.execute(read.command, who, { incidentId: meta.incident });
    await ack(result.ok ? undefined : (refusalError(result, spec.blockFor) as Answer));
  };
}

/** Runs a form otherwise than by one command (the guided close). */
export type RunForm = (
  view: ViewSubmission['view'],
  who: ReturnType<typeof caller>,
  incidentId: string,
) => Promise<Executed>;
