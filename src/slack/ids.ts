/** Every Block Kit action_id / callback_id / block_id the bot uses, defined once. */
export const IDS = {
  declareModal: {
    callbackId: 'firewatch_declare',
    titleBlock: 'declare_title',
    titleAction: 'title',
    severityBlock: 'declare_severity',
    severityAction: 'severity',
  },
} as const;

export const COMMAND = '/incident';
