/**
 * Pieces of modals (forms) within Slack's limits: plain text objects, input blocks and their
 * elements, and the plain-text errors a form shows next to a field (`response_action: errors`).
 * User text in labels, hints and options is escaped like every other text we send; initial values
 * are what the person will edit, so they go as they are, cut to what the input takes.
 */
import { SEVERITIES, SEVERITY_LABELS, type Severity } from '../../domain/types';
import { SLACK_LIMITS } from '../../shared/slack-limits';
import {
  decodeSlackEntities,
  escapeSlack,
  mentionsToPlain,
  mrkdwnToPlain,
  safeCut,
} from '../../shared/slack-text';
import { clip } from './text';

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

/** A plain_text object from plain (unescaped) text: escaped, whitespace folded, cut to `max`. */
export function plain(text: string, max: number): PlainText {
  return { type: 'plain_text', text: clip(escapeSlack(text.replace(/\s+/g, ' ').trim()), max), emoji: true };
}

/** The most characters a form's error next to a field shows. */
const ERROR_MAX = 500;

/**
 * A rule's message (Slack mrkdwn: backticks, entities, mentions) as the plain text a form shows
 * next to a field: code marks dropped, entities decoded, mentions as `@U…`, cut to 500 characters.
 */
export function plainError(message: string): string {
  const text = decodeSlackEntities(mentionsToPlain(mrkdwnToPlain(message))).replace(/`/g, '');
  return [...text].length > ERROR_MAX ? `${[...text].slice(0, ERROR_MAX - 1).join('')}…` : text;
}

/** Cuts what an input starts with to what it takes (never inside a surrogate pair). */
export function initialValue(text: string, max: number): string {
  if (text.length <= max) return text;
  return safeCut(text, max, '');
}

export interface TextInputOptions {
  label: string;
  optional?: boolean;
  multiline?: boolean;
  maxLength?: number;
  placeholder?: string;
  hint?: string;
  initial?: string | null;
}

/** An input block holding a plain_text_input. */
export function textInput(blockId: string, actionId: string, opts: TextInputOptions) {
  const maxLength = Math.min(opts.maxLength ?? SLACK_LIMITS.inputText, SLACK_LIMITS.inputText);
  return {
    type: 'input',
    block_id: blockId,
    optional: opts.optional === true,
    label: plain(opts.label, SLACK_LIMITS.labelText),
    ...(opts.hint ? { hint: plain(opts.hint, SLACK_LIMITS.labelText) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: actionId,
      multiline: opts.multiline === true,
      max_length: maxLength,
      ...(opts.placeholder ? { placeholder: plain(opts.placeholder, SLACK_LIMITS.placeholder) } : {}),
      ...(opts.initial ? { initial_value: initialValue(opts.initial, maxLength) } : {}),
    },
  };
}

/** An option of a select or radio buttons (label and description at most 75 characters). */
export function option(value: string, text: string, description?: string) {
  return {
    text: plain(text, SLACK_LIMITS.buttonText),
    value,
    ...(description ? { description: plain(description, SLACK_LIMITS.buttonText) } : {}),
  };
}

/** `P1 — Critical (production down)`. */
export const severityOption = (severity: Severity) =>
  option(severity, `${severity} — ${SEVERITY_LABELS[severity]}`);

/** The four severities as options. */
export const severityOptions = () => SEVERITIES.map(severityOption);

/**
 * A time a person types in a form, read by the same grammar as `/incident … at <time>`: optional
 * (empty means now), with the zone and the formats in its hint.
 */
export function timeInput(blockId: string, actionId: string, label: string, timeZone: string) {
  return textInput(blockId, actionId, {
    label,
    optional: true,
    maxLength: 40,
    placeholder: 'HH:MM, or 2026-02-20 10:30 (empty: now)',
    hint: `In ${timeZone}: HH:MM is the most recent past one; ISO 8601 works too. A time in the future is refused.`,
  });
}

/** A modal's title, submit or close label (at most 24 characters). */
export const modalText = (text: string) => plain(text, SLACK_LIMITS.viewTitle);

/** `private_metadata` as JSON; throws if it would not fit Slack's 3,000 characters (a builder bug). */
export function metadata(value: Record<string, unknown>): string {
  const json = JSON.stringify(value);
  if (json.length > SLACK_LIMITS.privateMetadata) throw new RangeError('private_metadata too long');
  return json;
}
