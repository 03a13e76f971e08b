/**
 * The fixed lists label values are taken from, and the pure functions that map a Slack request or
 * a Web API method onto them. Anything not in a list is `other`: no user text, no ids.
 */

/** The Events API event types Firewatch handles, plus `other`. */
export const EVENT_TYPES = [
  'message',
  'reaction_added',
  'reaction_removed',
  'member_joined_channel',
  'member_left_channel',
  'app_home_opened',
  'other',
] as const;

/** Why an event was ignored (see IgnoredReason in ./port). */
export const IGNORED_REASONS = ['malformed', 'self', 'not_incident', 'noise', 'unhandled'] as const;

/** The kinds of Slack request the ack latency is measured for. */
export const REQUEST_KINDS = ['events', 'commands', 'interactions'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** The Web API methods Firewatch calls (also through Bolt and files.uploadV2), plus `other`. */
export const SLACK_METHODS: ReadonlySet<string> = new Set([
  'auth.test',
  'chat.postMessage',
  'chat.postEphemeral',
  'chat.update',
  'conversations.create',
  'conversations.invite',
  'conversations.history',
  'conversations.replies',
  'conversations.info',
  'pins.add',
  'users.info',
  'views.open',
  'views.update',
  'views.publish',
  'files.getUploadURLExternal',
  'files.completeUploadExternal',
  'apps.connections.open',
]);

const asRecord = (value: unknown): Record<string, unknown> | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;

/** `events` (Events API callbacks), `commands` (slash commands) or `interactions` (the rest). */
export function requestKindOf(body: unknown): RequestKind {
  const record = asRecord(body);
  if (!record) return 'events';
  if (typeof record.command === 'string') return 'commands';
  if (record.type === 'event_callback' || record.type === 'url_verification' || 'event' in record) {
    return 'events';
  }
  return 'interactions';
}

/** The event type of an Events API body, when it is one Firewatch handles; else `other`. */
export function eventTypeOf(body: unknown): (typeof EVENT_TYPES)[number] {
  const type = asRecord(asRecord(body)?.event)?.type;
  return (EVENT_TYPES as readonly unknown[]).includes(type) && type !== 'other'
    ? (type as (typeof EVENT_TYPES)[number])
    : 'other';
}

/** Whether an Events API body is a message by the bot that received it (Bolt drops those). */
export function isOwnMessage(body: unknown): boolean {
  const record = asRecord(body);
  const event = asRecord(record?.event);
  if (event?.type !== 'message') return false;
  if (typeof event.bot_id === 'string') return true;
  const auth = asRecord(Array.isArray(record?.authorizations) ? record.authorizations[0] : null);
  return typeof event.user === 'string' && event.user === auth?.user_id;
}

/** A Web API method name as a label value: one of {@link SLACK_METHODS}, else `other`. */
export function methodLabel(method: string): string {
  return SLACK_METHODS.has(method) ? method : 'other';
}
