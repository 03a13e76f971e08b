/**
 * The one coded-error type of Firewatch: a stable machine-readable `code` and a Slack mrkdwn
 * `message` for the person. The codes are the complete list of those the code base produces;
 * tests and callers may switch on them, so a code is never renamed, only added.
 */

/**
 * Why the `/incident` parser (src/domain/command.ts) or the time parser (src/domain/time.ts)
 * could not read a command's text.
 * - `unknown_subcommand`   the first word is not a subcommand
 * - `unexpected_argument`  words after a command that takes none (or after its last argument)
 * - `missing_severity`     `severity` without a level
 * - `invalid_severity`     a severity-like word that is not P1–P4 (`P9`, also in `declare`)
 * - `invalid_priority`     an action item priority that is not P1–P4
 * - `missing_role`         `role` without a role name
 * - `invalid_role`         `role` with something other than ic, tech, comms
 * - `missing_mention`      a role command without a user
 * - `invalid_mention`      a role command whose user is not a Slack mention
 * - `missing_status`       `status` without a status
 * - `invalid_status`       a status other than investigating, identified, monitoring
 * - `missing_message`      `update` without a message
 * - `missing_text`         `note`, `action` or `set` without text
 * - `missing_time`         `started`/`detected` without a time, or `at` without a time
 * - `invalid_time`         a time in no accepted format, or not a real date/time
 * - `future_time`          a time after now
 * - `invalid_time_zone`    a local time while the configured zone is unknown
 * - `missing_detector`     `detected … by` with nothing after `by`
 * - `missing_due_date`     an action item ending in `due` without a date
 * - `invalid_due_date`     a due date that is not a real `YYYY-MM-DD` calendar date
 * - `duplicate_option`     an action item with two owners, due dates or priorities
 * - `missing_number`       `done` without a number
 * - `invalid_number`       `done` with something other than a positive whole number
 * - `missing_field`        `set` without a field
 * - `invalid_field`        `set` with an unknown field
 * - `text_too_long`        a command text over MAX_COMMAND_TEXT characters
 * - `invalid_period`       `stats` with a period that is neither `<n>d` nor two dates
 * - `missing_date`         `stats` with a start date but no end date
 * - `invalid_date`         `stats` with a date that is not a real `YYYY-MM-DD` calendar day
 * - `invalid_range`        `stats` with dates out of order, ending after today, or too long a period
 */
export type ParseErrorCode =
  | 'unknown_subcommand'
  | 'unexpected_argument'
  | 'missing_severity'
  | 'invalid_severity'
  | 'invalid_priority'
  | 'missing_role'
  | 'invalid_role'
  | 'missing_mention'
  | 'invalid_mention'
  | 'missing_status'
  | 'invalid_status'
  | 'missing_message'
  | 'missing_text'
  | 'missing_time'
  | 'invalid_time'
  | 'future_time'
  | 'invalid_time_zone'
  | 'missing_detector'
  | 'missing_due_date'
  | 'invalid_due_date'
  | 'duplicate_option'
  | 'missing_number'
  | 'invalid_number'
  | 'missing_field'
  | 'invalid_field'
  | 'text_too_long'
  | 'invalid_period'
  | 'missing_date'
  | 'invalid_date'
  | 'invalid_range';

/**
 * Why a rule of the incident's life (src/domain/lifecycle.ts, src/domain/records.ts) refused a
 * well-formed command.
 * - `incident_closed`          a change to a closed incident (reopen it first)
 * - `incident_resolved`        a status change after resolution (reopen it first)
 * - `already_resolved`         resolving a resolved incident
 * - `already_closed`           closing a closed incident
 * - `not_resolved`             reopening an incident that is neither resolved nor closed
 * - `role_unchanged`           the role already has that holder
 * - `severity_unchanged`       the incident already has that severity
 * - `status_unchanged`         the incident already has that status
 * - `time_before_start`        a time before the impact started (or the incident was declared)
 * - `time_out_of_order`        a time out of order with another milestone (e.g. mitigated before identified)
 * - `start_after_resolution`   an impact start after the resolution
 * - `start_after_detection`    an impact start after the detection
 * - `time_in_future`           a milestone or entry time after now
 * - `time_outside_window`      a time more than FIREWATCH_IMPACT_WINDOW_DAYS before the declaration
 * - `not_a_person`             a role for a user who is unknown, deactivated or a bot (Firewatch too)
 * - `no_such_action`           `done` with a number no action item has
 * - `action_done`              `done` on an action item that is done already
 */
export type RuleErrorCode =
  | 'incident_closed'
  | 'incident_resolved'
  | 'already_resolved'
  | 'already_closed'
  | 'not_resolved'
  | 'role_unchanged'
  | 'severity_unchanged'
  | 'status_unchanged'
  | 'time_before_start'
  | 'time_out_of_order'
  | 'start_after_resolution'
  | 'start_after_detection'
  | 'time_in_future'
  | 'time_outside_window'
  | 'not_a_person'
  | 'no_such_action'
  | 'action_done';

/** Every error code Firewatch produces. */
export type ErrorCode = ParseErrorCode | RuleErrorCode;

/** A refusal: a stable code and a Slack mrkdwn message for the person who asked. */
export interface CodedError<Code extends ErrorCode = ErrorCode> {
  code: Code;
  message: string;
}
