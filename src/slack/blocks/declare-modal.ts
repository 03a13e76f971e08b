import { decodeFreeText } from '../../domain/command';
import { SEVERITIES, SEVERITY_LABELS, type Severity } from '../../domain/types';
import { SLACK_LIMITS } from '../../shared/slack-limits';
import { mentionsToPlain } from '../../shared/slack-text';
import { IDS } from '../ids';
import { metadata, modalText, option, plain, textInput, timeInput } from './forms';

const ids = IDS.declareModal;

/** The longest title (as `/incident declare` takes it). */
export const MAX_TITLE = 200;

/** What each severity means, in one line, under its name in the form. */
export const SEVERITY_MEANINGS: Record<Severity, string> = {
  P1: 'Production is down or data is at risk, for many customers.',
  P2: 'A major feature is broken or badly degraded for many customers.',
  P3: 'Partial impact: some customers, or a feature that is not critical.',
  P4: 'Minor impact with a workaround; no one needs to drop everything.',
};

/** The message a form was opened from ("Declare an incident from this message"), as the form keeps it. */
export interface DeclareSource {
  channel: string;
  ts: string;
  /** Who wrote it, when known. */
  user: string | null;
  /** Its text (Slack's escaped text), cut to what the form's private_metadata holds. */
  text: string;
}

/** What the form remembers between opening and submission (its private_metadata). */
export interface DeclareMetadata {
  channel: string;
  source?: DeclareSource;
}

export interface DeclareModalOptions {
  /** Tick the "private incident" box (`/incident declare private`). */
  isPrivate?: boolean;
  /** Start with this title (plain text). */
  title?: string;
  /** The message the incident is declared from: it goes on the timeline. */
  source?: DeclareSource;
  /** The zone times are typed in (named in the hints). */
  timeZone?: string;
}

/** The longest title taken from a message: its first line, as far as a title goes. */
const TITLE_FROM_MESSAGE = 150;

/**
 * A title from a message (Slack's escaped text): its first line that says something, as plain
 * text (mentions as `@name`, links as their address), whitespace folded, at most 150 characters.
 */
export function titleFromMessage(text: string): string {
  const plainText = mentionsToPlain(decodeFreeText(text));
  const line = plainText
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .find((l) => l !== '');
  if (!line) return '';
  const chars = [...line];
  return chars.length > TITLE_FROM_MESSAGE ? `${chars.slice(0, TITLE_FROM_MESSAGE - 1).join('')}…` : line;
}

/** The "private incident" checkbox: a private channel, and nothing said about it outside. */
const privateOption = {
  text: { type: 'plain_text', text: 'Private incident' },
  description: {
    type: 'plain_text',
    // At most 75 characters, as Slack takes an option's description.
    text: 'Private channel; outside it only "a private incident was declared" is said.',
  },
  value: ids.privateValue,
};

/** Room kept in private_metadata for everything but the source message's text. */
const METADATA_ROOM = SLACK_LIMITS.privateMetadata - 200;

/**
 * The form's private_metadata: the channel it was opened from and the source message, whose text
 * is cut until the whole fits Slack's 3,000 characters (JSON escaping can double a character).
 */
export function declareMetadata(channel: string, source?: DeclareSource): string {
  if (!source) return metadata({ channel });
  const all = [...source.text];
  let chars = all;
  for (;;) {
    const text = chars.length < all.length ? `${chars.join('')}…` : source.text;
    const json = JSON.stringify({ channel, source: { ...source, text } });
    if (json.length <= METADATA_ROOM) return json;
    chars = chars.slice(0, Math.floor(chars.length * 0.8));
  }
}

/**
 * The declare form, opened by `/incident declare` without a title, the "Declare an incident"
 * shortcut, and "Declare an incident from this message" (with the title filled in from the
 * message). Title and severity (each level with a line on what it means) are required; affected
 * services, when impact started, detection and a description are optional.
 */
export function declareModal(originChannel: string, opts: DeclareModalOptions = {}) {
  const severity = (sev: (typeof SEVERITIES)[number]) =>
    option(sev, `${sev} — ${SEVERITY_LABELS[sev]}`, SEVERITY_MEANINGS[sev]);
  const zone = opts.timeZone ?? 'UTC';
  return {
    type: 'modal',
    callback_id: ids.callbackId,
    private_metadata: declareMetadata(originChannel, opts.source),
    title: modalText('Declare an incident'),
    submit: modalText('Declare'),
    close: modalText('Cancel'),
    blocks: [
      textInput(ids.titleBlock, ids.titleAction, {
        label: 'What is broken?',
        maxLength: MAX_TITLE,
        placeholder: 'e.g. Checkout API returns 503',
        initial: opts.title ?? null,
      }),
      {
        type: 'input',
        block_id: ids.severityBlock,
        label: plain('Severity', SLACK_LIMITS.labelText),
        element: {
          type: 'radio_buttons',
          action_id: ids.severityAction,
          initial_option: severity('P3'),
          options: SEVERITIES.map(severity),
        },
      },
      textInput(ids.servicesBlock, ids.servicesAction, {
        label: 'Affected services',
        optional: true,
        maxLength: 500,
        placeholder: 'e.g. checkout, payments-api (comma-separated)',
      }),
      timeInput(ids.startedBlock, ids.startedAction, 'When did the impact start?', zone),
      timeInput(ids.detectedBlock, ids.detectedAction, 'When was it detected?', zone),
      textInput(ids.detectedByBlock, ids.detectedByAction, {
        label: 'Detected by',
        optional: true,
        maxLength: 200,
        placeholder: 'A monitor (e.g. Datadog) or a person (empty: you)',
      }),
      textInput(ids.descriptionBlock, ids.descriptionAction, {
        label: 'What is going on?',
        optional: true,
        multiline: true,
        maxLength: SLACK_LIMITS.inputText,
        placeholder: 'What people see, what is known so far. It starts the postmortem summary.',
        ...(opts.source ? { hint: 'The message this comes from goes on the timeline.' } : {}),
      }),
      {
        type: 'input',
        block_id: ids.privateBlock,
        optional: true,
        label: plain('Visibility', SLACK_LIMITS.labelText),
        element: {
          type: 'checkboxes',
          action_id: ids.privateAction,
          options: [privateOption],
          ...(opts.isPrivate ? { initial_options: [privateOption] } : {}),
        },
      },
    ],
  };
}
