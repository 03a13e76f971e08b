/** Every Block Kit action_id / callback_id / block_id the bot uses, defined once. */
export const IDS = {
  declareModal: {
    callbackId: 'firewatch_declare',
    titleBlock: 'declare_title',
    titleAction: 'title',
    severityBlock: 'declare_severity',
    severityAction: 'severity',
    privateBlock: 'declare_private',
    privateAction: 'private',
    /** The value of the "private" checkbox option. */
    privateValue: 'private',
  },
  /** The "Post an update" button of a status-update reminder (its value: the incident id). */
  reminder: {
    postUpdateAction: 'firewatch_reminder_post_update',
  },
  /** The form that button opens: one message, posted as `/incident update` would. */
  updateModal: {
    callbackId: 'firewatch_reminder_update',
    messageBlock: 'update_message',
    messageAction: 'message',
  },
} as const;

export const COMMAND = '/incident';
