import { SEVERITIES, SEVERITY_LABELS } from '../../domain/types';
import { IDS } from '../ids';

const ids = IDS.declareModal;

/** The "private incident" checkbox: a private channel, and nothing said about it outside. */
const privateOption = {
  text: { type: 'plain_text', text: 'Private incident' },
  description: {
    type: 'plain_text',
    text: 'A private channel; outside it only "a private incident was declared" is said.',
  },
  value: ids.privateValue,
};

/**
 * The declare form, opened by `/incident declare` without a title; `declare private` opens it with
 * the "private incident" box ticked.
 */
export function declareModal(originChannel: string, opts: { isPrivate?: boolean } = {}) {
  const option = (sev: (typeof SEVERITIES)[number]) => ({
    text: { type: 'plain_text', text: `${sev} — ${SEVERITY_LABELS[sev]}` },
    value: sev,
  });
  return {
    type: 'modal',
    callback_id: ids.callbackId,
    private_metadata: JSON.stringify({ channel: originChannel }),
    title: { type: 'plain_text', text: 'Declare an incident' },
    submit: { type: 'plain_text', text: 'Declare' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: ids.titleBlock,
        label: { type: 'plain_text', text: 'What is broken?' },
        element: { type: 'plain_text_input', action_id: ids.titleAction, max_length: 200 },
      },
      {
        type: 'input',
        block_id: ids.severityBlock,
        label: { type: 'plain_text', text: 'Severity' },
        element: {
          type: 'static_select',
          action_id: ids.severityAction,
          initial_option: option('P3'),
          options: SEVERITIES.map(option),
        },
      },
      {
        type: 'input',
        block_id: ids.privateBlock,
        optional: true,
        label: { type: 'plain_text', text: 'Visibility' },
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
