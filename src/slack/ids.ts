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
} as const;

export const COMMAND = '/incident';
