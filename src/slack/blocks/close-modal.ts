/**
 * The guided close: a form with the postmortem fields only people can write, each starting with
 * what is already written, so that closing is also the moment the write-up gets done. Whatever
 * stays empty reads `_Not recorded_` in the document.
 */
import { createHash } from 'node:crypto';
import type { FieldValues } from '../../domain/postmortem/compile';
import type { Incident, ListField, TextField } from '../../domain/types';
import { SLACK_LIMITS } from '../../shared/slack-limits';
import { slackSafe } from '../../shared/slack-text';
import { IDS } from '../ids';
import { metadata, modalText, textInput } from './forms';
import { clip, context, header, section } from './text';

const ids = IDS.closeModal;

interface FieldQuestion<F> {
  field: F;
  label: string;
  placeholder: string;
  multiline?: boolean;
}

type Group = { title: string; text: FieldQuestion<TextField>[]; lists: FieldQuestion<ListField>[] };

/** What the form asks, in the postmortem's order. */
export const CLOSE_FORM: readonly Group[] = [
  {
    title: 'Summary',
    text: [
      {
        field: 'summary',
        label: 'Executive summary',
        placeholder: 'What happened, who was affected, how it was fixed: three sentences',
        multiline: true,
      },
    ],
    lists: [],
  },
  {
    title: 'Impact',
    text: [
      {
        field: 'impact',
        label: 'Impact',
        placeholder: 'What the outage meant for users and the business',
        multiline: true,
      },
      {
        field: 'users-affected',
        label: 'Users affected',
        placeholder: 'e.g. about 12,000 checkout sessions',
      },
      {
        field: 'revenue-impact',
        label: 'Transactions or revenue',
        placeholder: 'e.g. 3,400 failed payments',
      },
      { field: 'data-impact', label: 'Data loss, corruption or exposure', placeholder: 'e.g. none' },
      { field: 'customer-impact', label: 'What customers saw', placeholder: 'e.g. HTTP 503 at checkout' },
    ],
    lists: [],
  },
  {
    title: 'Root cause',
    text: [
      {
        field: 'root-cause',
        label: 'Root cause',
        placeholder: 'Why it happened, beneath the trigger',
        multiline: true,
      },
      { field: 'trigger', label: 'Trigger', placeholder: 'What set it off, e.g. the 10:28 deploy' },
    ],
    lists: [
      {
        field: 'contributing',
        label: 'Contributing factors',
        placeholder: 'One per line',
        multiline: true,
      },
    ],
  },
  {
    title: 'Looking back',
    text: [],
    lists: [
      { field: 'went-well', label: 'What went well', placeholder: 'One per line', multiline: true },
      { field: 'went-wrong', label: 'What went wrong', placeholder: 'One per line', multiline: true },
      { field: 'lessons', label: 'Lessons learned', placeholder: 'One per line', multiline: true },
    ],
  },
];

/** What the close form remembers: the incident, and the text fields too long to show in it. */
export interface CloseFormMetadata {
  incident: string;
  keep: TextField[];
  /**
   * A fingerprint of what each text field opened with ({@link fieldFingerprint}): on submission
   * only the fields the person changed are written, so a field someone set meanwhile (with
   * `/incident set`) is not put back to what the form showed.
   */
  opened: Partial<Record<TextField, string>>;
}

/** A short fingerprint of a field's text (a form's private_metadata has room for 3,000 characters). */
export function fieldFingerprint(text: string): string {
  return createHash('sha256').update(text.trim()).digest('base64url').slice(0, 12);
}

/** The block id of a field's input. */
export const closeFieldBlock = (field: TextField | ListField) => `${ids.fieldBlockPrefix}${field}`;

/** Characters of bullets shown above a list field's input. */
const BULLETS_SHOWN = 2000;
/** Characters of one bullet shown. */
const BULLET_SHOWN = 300;
/** Characters shown of a text field too long for its input. */
const LONG_SHOWN = 500;

/** Bullets already written, one a line, as many as fit, then "… and N more". */
function bulletList(bullets: readonly string[]): string {
  const lines: string[] = [];
  let used = 0;
  for (const [i, bullet] of bullets.entries()) {
    const line = `• ${clip(slackSafe(bullet.replace(/\s+/g, ' ')), BULLET_SHOWN)}`;
    const more = `… and ${bullets.length - i} more`;
    if (used + line.length + 1 + more.length > BULLETS_SHOWN) {
      lines.push(more);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return lines.join('\n');
}

/**
 * The close form of `incident`, each field starting with `fields` (what is written now): text
 * fields in their inputs (one longer than an input takes is shown above it and kept unless
 * replaced), list fields' bullets shown above an input that adds more, one a line.
 */
export function closeModal(incident: Incident, fields: FieldValues) {
  const keep: TextField[] = [];
  const opened: Partial<Record<TextField, string>> = {};
  const blocks: unknown[] = [
    section(
      `*${incident.id}*: ${clip(slackSafe(incident.title), 300)}\n` +
        'Closing compiles the postmortem. Fill in what it still lacks; whatever stays empty reads ' +
        '_Not recorded_ and can be added later (`/incident set`, then close again).',
    ),
  ];
  for (const group of CLOSE_FORM) {
    blocks.push(header(group.title));
    for (const q of group.text) {
      const value = fields.text[q.field];
      const tooLong = value !== null && value.length > SLACK_LIMITS.inputText;
      if (!tooLong) opened[q.field] = fieldFingerprint(value ?? '');
      if (tooLong) {
        keep.push(q.field);
        blocks.push(
          context(
            `*${q.label}* is already written (${value.length.toLocaleString('en-US')} characters, too long ` +
              `for this form): ${clip(slackSafe(value), LONG_SHOWN)} — leave the field below empty to keep it.`,
          ),
        );
      }
      blocks.push(
        textInput(closeFieldBlock(q.field), ids.fieldAction, {
          label: q.label,
          optional: true,
          multiline: q.multiline === true,
          placeholder: q.placeholder,
          initial: tooLong ? null : value,
        }),
      );
    }
    for (const q of group.lists) {
      const bullets = fields.lists[q.field];
      if (bullets.length > 0) blocks.push(context(`*${q.label}* so far:\n${bulletList(bullets)}`));
      blocks.push(
        textInput(closeFieldBlock(q.field), ids.fieldAction, {
          label: bullets.length > 0 ? `${q.label}: more` : q.label,
          optional: true,
          multiline: true,
          placeholder: q.placeholder,
        }),
      );
    }
  }
  const meta: CloseFormMetadata = { incident: incident.id, keep, opened };
  return {
    type: 'modal',
    callback_id: ids.callbackId,
    private_metadata: metadata({ ...meta }),
    title: modalText('Close the incident'),
    submit: modalText('Close and compile'),
    close: modalText('Cancel'),
    blocks,
  };
}
