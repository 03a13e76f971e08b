import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { decodeFreeText } from '../../domain/command';
import { type DeclarationDetails, type DetailField, splitServices } from '../../domain/declaration';
import { SEVERITIES, type Severity, tsToMillis } from '../../domain/types';
import type { BackgroundTasks } from '../../services/background-tasks';
import type { IncidentService } from '../../services/incident-service';
import type { SlackGateway } from '../../services/slack-gateway';
import { type DeclareSource, MAX_TITLE } from '../blocks/declare-modal';
import { checkedOf, metadataOf, optionOf, textOf } from '../boundary/interactions';
import { declareViewSchema, describeIssue } from '../boundary/schemas';
import { fieldError } from '../controls';
import { IDS } from '../ids';

const ids = IDS.declareModal;

/** The declare form's private_metadata: where it was opened from, and the message it comes from. */
const declareMetadataSchema = z.looseObject({
  channel: z.string().optional(),
  source: z
    .looseObject({ channel: z.string(), ts: z.string(), user: z.string().nullable(), text: z.string() })
    .optional(),
});

/** See form-submit.ts: Bolt's view ack argument type takes no object without a cast. */
type Answer = never;

/** The message a form was opened from, as the declaration's details take it. */
function sourceOf(source: DeclareSource | undefined): DeclarationDetails['source'] {
  if (!source || !/^\d+(\.\d+)?$/.test(source.ts)) return null;
  return {
    channelId: source.channel,
    ts: source.ts,
    author: source.user,
    at: tsToMillis(source.ts),
    text: decodeFreeText(source.text),
  };
}

const DETAIL_BLOCKS: Record<DetailField, string> = { started: ids.startedBlock, detected: ids.detectedBlock };

/**
 * The declare form was submitted: read and check it (a time the rules refuse, a missing title: shown
 * next to the field), close it, declare in the background with the details.
 */
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
    const values = view.state.values;
    const title = textOf(values, ids.titleBlock, ids.titleAction);
    if (!title) {
      await ack(fieldError(ids.titleBlock, 'Say what is broken, e.g. "Checkout API returns 503".') as Answer);
      return;
    }
    if (title.length > MAX_TITLE) {
      await ack(fieldError(ids.titleBlock, `Keep the title to ${MAX_TITLE} characters.`) as Answer);
      return;
    }
    const picked = optionOf(values, ids.severityBlock, ids.severityAction);
    const severity: Severity = SEVERITIES.includes(picked as Severity) ? (picked as Severity) : 'P3';
    const isPrivate = checkedOf(values, ids.privateBlock, ids.privateAction).includes(ids.privateValue);
    const times: Partial<Record<DetailField, number | null>> = {};
    for (const [field, block, action] of [
      ['started', ids.startedBlock, ids.startedAction],
      ['detected', ids.detectedBlock, ids.detectedAction],
    ] as const) {
      const time = service.readTime(textOf(values, block, action));
      if (!time.ok) {
        await ack(fieldError(block, time.message) as Answer);
        return;
      }
      times[field] = time.at;
    }
    const meta = metadataOf(view, declareMetadataSchema);
    const user = body.user.id;
    const details: DeclarationDetails = {
      startedAt: times.started ?? null,
      detectedAt: times.detected ?? null,
      detectedBy: textOf(values, ids.detectedByBlock, ids.detectedByAction) || null,
      services: splitServices(textOf(values, ids.servicesBlock, ids.servicesAction)),
      description: textOf(values, ids.descriptionBlock, ids.descriptionAction) || null,
      source: sourceOf(meta?.source),
    };
    const refused = service.checkDeclaration(details, user);
    if (refused) {
      await ack(fieldError(DETAIL_BLOCKS[refused.field], refused.message) as Answer);
      return;
    }
    await ack();
    const origin = meta?.channel || user;
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
        { isPrivate, details },
      ),
    );
  };
}
