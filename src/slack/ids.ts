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
    servicesBlock: 'declare_services',
    servicesAction: 'services',
    startedBlock: 'declare_started',
    startedAction: 'started',
    detectedBlock: 'declare_detected',
    detectedAction: 'detected',
    detectedByBlock: 'declare_detected_by',
    detectedByAction: 'detected_by',
    descriptionBlock: 'declare_description',
    descriptionAction: 'description',
  },
  /** Shortcuts (manifest.yml names the same callback_ids). */
  shortcuts: {
    /** Global shortcut "Declare an incident". */
    declare: 'firewatch_declare_shortcut',
    /** Message shortcut "Declare an incident from this message". */
    declareFromMessage: 'firewatch_declare_from_message',
    /** Message shortcut "Add to incident timeline". */
    addToTimeline: 'firewatch_add_to_timeline',
  },
  /** The controls on the pinned incident card (each button's or menu's value is the incident id). */
  card: {
    /** Role menus (users_select), one per role. */
    roleActions: { ic: 'card_role_ic', tech: 'card_role_tech', comms: 'card_role_comms' },
    /** The severity menu (static_select). */
    severityAction: 'card_severity',
    /** Buttons that open a form. */
    statusAction: 'card_status',
    updateAction: 'card_update',
    actionItemAction: 'card_action_item',
    resolveAction: 'card_resolve',
    closeAction: 'card_close',
    /** Button that reopens a resolved or closed incident. */
    reopenAction: 'card_reopen',
    /** Prefixes of the card's block_ids (the card's revision follows, so a redraw resets menus). */
    roleBlock: 'card_role',
    controlsBlock: 'card_controls',
  },
  statusModal: {
    callbackId: 'firewatch_status',
    statusBlock: 'status_status',
    statusAction: 'status',
    timeBlock: 'status_time',
    timeAction: 'time',
    messageBlock: 'status_message',
    messageAction: 'message',
  },
  updateModal: {
    callbackId: 'firewatch_update',
    messageBlock: 'update_message',
    messageAction: 'message',
  },
  actionItemModal: {
    callbackId: 'firewatch_action_item',
    textBlock: 'action_text',
    textAction: 'text',
    ownerBlock: 'action_owner',
    ownerAction: 'owner',
    dueBlock: 'action_due',
    dueAction: 'due',
    priorityBlock: 'action_priority',
    priorityAction: 'priority',
  },
  resolveModal: {
    callbackId: 'firewatch_resolve',
    timeBlock: 'resolve_time',
    timeAction: 'time',
    messageBlock: 'resolve_message',
    messageAction: 'message',
  },
  closeModal: {
    callbackId: 'firewatch_close',
    /** Each postmortem field's input block is `close_<field>`, its element `value`. */
    fieldBlockPrefix: 'close_',
    fieldAction: 'value',
  },
} as const;

export const COMMAND = '/incident';
