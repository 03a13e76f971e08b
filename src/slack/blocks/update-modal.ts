import { IDS } from '../ids';

const ids = IDS.updateModal;

/** Longest update (characters), as Slack's text input counts them. */
export const UPDATE_MAX = 2000;

/**
 * The "Post an update" form: one message, posted to the incident channel and ANNOUNCE_CHANNEL as
 * `/incident update <message>` would. Remembers the incident channel it is for.
 */
export function updateModal(incident: { id: string; channelId: string }) {
  return {
    type: 'modal',
    callback_id: ids.callbackId,
    private_metadata: JSON.stringify({ channel: incident.channelId }),
    title: { type: 'plain_text', text: 'Post an update' },
    submit: { type: 'plain_text', text: 'Post' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: ids.messageBlock,
        label: { type: 'plain_text', text: `Where does ${incident.id} stand?` },
        hint: {
          type: 'plain_text',
          text: 'Posted in the incident channel and announced, and kept in the communication log.',
        },
        element: {
          type: 'plain_text_input',
          action_id: ids.messageAction,
          multiline: true,
          max_length: UPDATE_MAX,
        },
      },
    ],
  };
}
