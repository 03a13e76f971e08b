/**
 * What the interactivity payloads of Firewatch's controls must look like before a listener reads
 * them (zod), and readers of a submitted form's values. Loose like ./schemas: Slack sends many
 * more fields; only those read are typed. A payload that fails is acknowledged and ignored.
 */
import { z } from 'zod';
import { messageFields, slackTs } from './schemas';

const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);
const id = z.string().min(1);

/** One element's state in a submitted view, by its type (text, select, users, date, checkboxes). */
const elementState = loose({
  type: z.string().optional(),
  value: z.string().nullable().optional(),
  selected_option: loose({ value: z.string() }).nullable().optional(),
  selected_user: z.string().nullable().optional(),
  selected_date: z.string().nullable().optional(),
  selected_options: z.array(loose({ value: z.string() })).optional(),
});

export type FormValues = Record<string, Record<string, z.infer<typeof elementState>>>;

/** A clicked button or a chosen menu item on a message (the card): `block_actions`. */
export const blockActionSchema = loose({
  user: loose({ id }),
  trigger_id: z.string().optional(),
  channel: loose({ id: z.string() }).nullable().optional(),
  container: loose({ channel_id: z.string().optional() }).optional(),
  response_url: z.string().optional(),
  actions: z
    .array(
      loose({
        action_id: z.string(),
        block_id: z.string().optional(),
        value: z.string().optional(),
        selected_user: z.string().nullable().optional(),
        selected_option: loose({ value: z.string() }).nullable().optional(),
      }),
    )
    .min(1),
});
export type BlockAction = z.infer<typeof blockActionSchema>;

/** A submitted form: `view_submission`. */
export const viewSubmissionSchema = loose({
  user: loose({ id }),
  view: loose({
    private_metadata: z.string().optional(),
    state: loose({ values: z.record(z.string(), z.record(z.string(), elementState)) }),
  }),
});
export type ViewSubmission = z.infer<typeof viewSubmissionSchema>;

/** A global shortcut: `shortcut`. */
export const globalShortcutSchema = loose({
  user: loose({ id }),
  trigger_id: id,
});

/** A message shortcut: `message_action`, with the message it was used on. */
export const messageShortcutSchema = loose({
  user: loose({ id }),
  trigger_id: id,
  channel: loose({ id }),
  response_url: z.string().optional(),
  // The message the shortcut was used on: as events carry one, with its ts.
  message: loose({ ...messageFields, ts: slackTs }),
});
export type MessageShortcut = z.infer<typeof messageShortcutSchema>;

/** The value of a form's text input (trimmed; '' when empty or absent). */
export function textOf(values: FormValues, block: string, action: string): string {
  return values[block]?.[action]?.value?.trim() ?? '';
}

/** The chosen option's value of a select or radio buttons, or null. */
export function optionOf(values: FormValues, block: string, action: string): string | null {
  return values[block]?.[action]?.selected_option?.value ?? null;
}

/** The person chosen in a users_select, or null. */
export function userOf(values: FormValues, block: string, action: string): string | null {
  return values[block]?.[action]?.selected_user ?? null;
}

/** The date chosen in a datepicker (`YYYY-MM-DD`), or null. */
export function dateOf(values: FormValues, block: string, action: string): string | null {
  return values[block]?.[action]?.selected_date ?? null;
}

/** The values of ticked checkboxes. */
export function checkedOf(values: FormValues, block: string, action: string): string[] {
  return (values[block]?.[action]?.selected_options ?? []).map((o) => o.value);
}

/** A form's private_metadata read by `schema`, or null when it is not what the form was sent with. */
export function metadataOf<T>(
  view: { private_metadata?: string | undefined },
  schema: z.ZodType<T>,
): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(view.private_metadata || 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The metadata of the incident forms: `{ incident }`. */
export const incidentFormMetadata = loose({ incident: id });
