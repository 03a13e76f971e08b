/**
 * What a Slack request must look like before Bolt or a listener reads it. Slack's payloads carry
 * many more fields than Firewatch reads: every object here is loose (unknown fields pass), and only
 * the fields Bolt dereferences before any middleware runs, or that our listeners read, are typed.
 * A field that is present must have the right type; a field Slack may leave out stays optional.
 */
import { z } from 'zod';

const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

/** A Slack timestamp such as `"1718000000.000100"` (message `ts`, `event_ts`, `thread_ts`). */
export const slackTs = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,8})?$/, 'expected a Slack timestamp such as 1718000000.000100');

const id = z.string().min(1);

/** A message as events carry it (top level, or nested in `message_changed`), and as a message shortcut does. */
export const messageFields = {
  type: z.string().optional(),
  subtype: z.string().optional(),
  ts: slackTs.optional(),
  thread_ts: slackTs.optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  edited: loose({ user: z.string().optional(), ts: slackTs }).optional(),
  files: z
    .array(
      loose({
        name: z.string().optional(),
        title: z.string().optional(),
        permalink: z.string().optional(),
      }),
    )
    .optional(),
  reply_count: z.number().optional(),
  reactions: z
    .array(
      loose({
        name: z.string(),
        users: z.array(z.string()).optional(),
        count: z.number().optional(),
      }),
    )
    .optional(),
};

/** `message` events of every subtype (new, changed, deleted, thread broadcasts, …). */
export const messageEventSchema = loose({
  ...messageFields,
  channel: z.string().optional(),
  event_ts: slackTs.optional(),
  deleted_ts: slackTs.optional(),
  message: loose(messageFields).optional(),
  previous_message: loose({}).optional(),
});

/** `reaction_added` / `reaction_removed`. The item is a message (channel + ts) or a file. */
export const reactionEventSchema = loose({
  user: id,
  reaction: z.string().min(1),
  item: loose({ type: z.string(), channel: z.string().optional(), ts: slackTs.optional() }),
  item_user: z.string().optional(),
  event_ts: slackTs.optional(),
});

/** `member_joined_channel` and `member_left_channel`. */
export const memberJoinedEventSchema = loose({
  user: id,
  channel: id,
  event_ts: slackTs.optional(),
});

/** `app_home_opened`: who opened which tab. */
export const appHomeOpenedEventSchema = loose({ user: id, tab: z.string().optional() });

/** The events Firewatch listens to, by `event.type`; other event types only need the envelope. */
export const EVENT_SCHEMAS: Record<string, z.ZodType> = {
  message: messageEventSchema,
  reaction_added: reactionEventSchema,
  reaction_removed: reactionEventSchema,
  member_joined_channel: memberJoinedEventSchema,
  member_left_channel: memberJoinedEventSchema,
  app_home_opened: appHomeOpenedEventSchema,
};

const user = loose({ id });
const team = loose({ id: z.string() }).nullable().optional();
const channelRef = loose({ id: z.string() }).nullable().optional();

/**
 * Envelopes by kind: exactly what Bolt reads while it routes a request (its `getTypeAndConversation`
 * and `buildSource`, before any middleware). A body failing these would make Bolt throw a TypeError
 * and answer 500.
 */
const ENVELOPES = {
  event: loose({
    event: loose({
      type: z.string(),
      channel: z.union([z.string(), loose({})]).optional(),
      channel_id: z.string().optional(),
      item: loose({}).optional(),
      // Bolt reads `user.id` of a non-string user and `subteam.created_by` (buildSource).
      user: z.union([z.string(), loose({})]).optional(),
      subteam: loose({}).optional(),
    }),
    event_id: z.string().optional(),
    authorizations: z.array(loose({})).optional(),
  }),
  command: loose({
    command: z.string(),
    user_id: z.string(),
    channel_id: z.string().optional(),
    text: z.string().optional(),
  }),
  options: loose({ user, team, channel: channelRef }),
  action: loose({ user, team, channel: channelRef, actions: z.array(loose({})).optional() }),
  shortcut: loose({ user, team, channel: channelRef }),
  view: loose({ user, team, view: loose({}) }),
} as const;

/** The kind of request, decided as Bolt decides it (`getTypeAndConversation`). */
export type RequestKind = keyof typeof ENVELOPES;

/** Which kind of request a parsed body is, or undefined when Bolt would not know either. */
export function kindOf(body: Record<string, unknown>): RequestKind | undefined {
  if (body.event !== undefined) return 'event';
  if (body.command !== undefined) return 'command';
  if (body.name !== undefined || body.type === 'block_suggestion') return 'options';
  if (body.actions !== undefined || body.type === 'dialog_submission') return 'action';
  if (body.type === 'shortcut' || body.type === 'message_action') return 'shortcut';
  if (body.type === 'view_submission' || body.type === 'view_closed') return 'view';
  return undefined;
}

/** A zod failure as one short line: the first issue, with where it is. */
export function describeIssue(error: z.ZodError, prefix = ''): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  return `${where || '(root)'}: ${issue.message}`;
}

/** What kind of JSON value this is, for a warning line. */
function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * Why Bolt and our listeners cannot safely take this request body, as one line; null when they can.
 * Checks the envelope of every kind, and the event itself for the event types we listen to.
 */
export function problemWith(body: unknown): string | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return `the body is ${jsonKind(body)}, not a JSON object`;
  }
  const record = body as Record<string, unknown>;
  const kind = kindOf(record);
  if (kind === undefined) return `unknown payload type ${JSON.stringify(record.type ?? null)}`;
  const envelope = ENVELOPES[kind].safeParse(record);
  if (!envelope.success) return `${kind} payload: ${describeIssue(envelope.error)}`;
  if (kind === 'event') {
    const event = record.event as { type: string };
    const schema = EVENT_SCHEMAS[event.type];
    const parsed = schema?.safeParse(event);
    if (parsed && !parsed.success) return `${event.type} event: ${describeIssue(parsed.error, 'event')}`;
  }
  return null;
}

/**
 * The declare form's submitted view: the title (a text input) and the severity (a static select);
 * other blocks (checkboxes, …) are passed through as they are.
 */
export const declareViewSchema = loose({
  private_metadata: z.string().optional(),
  state: loose({
    values: z.record(
      z.string(),
      z.record(
        z.string(),
        loose({
          value: z.string().nullable().optional(),
          selected_option: loose({ value: z.string() }).nullable().optional(),
          selected_options: z.array(loose({ value: z.string() })).optional(),
        }),
      ),
    ),
  }),
});

/** The declare form's view as {@link declareViewSchema} describes it. */
export type DeclareView = z.infer<typeof declareViewSchema>;
