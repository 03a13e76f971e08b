/**
 * Slack's limits, each number once, in two parts:
 *
 * 1. **What Slack refuses**: {@link SLACK_LIMITS} (documented Block Kit, view and Web API limits) and
 *    {@link SLACK_BLOCKS_TOO_LONG} (the undocumented, observed totals behind `msg_blocks_too_long`).
 *    The emulator (`src/emulator/validate.ts`) refuses exactly what these say.
 * 2. **What we stay under**: {@link MESSAGE_BUDGET} and {@link FALLBACK_TEXT_MAX}, the budgets our
 *    Block Kit builders and the postmortem summary keep to. They sit below what Slack refuses, with a
 *    margin for Slack's own counting, so a message we build is never refused.
 */

// ---------------------------------------------------------------------------------------------
// What Slack refuses

/**
 * Documented limits of Block Kit, views and the Web API (characters unless the name says items).
 * Slack refuses a payload beyond any of them (`invalid_blocks`, `invalid_arguments`), except
 * {@link SLACK_LIMITS.messageText}, beyond which it truncates with a `message_truncated` warning.
 */
export const SLACK_LIMITS = {
  /** Blocks in one message. */
  blocksPerMessage: 50,
  /** Blocks in a modal or home tab. */
  blocksPerView: 100,
  /** The `text` of a section block. */
  sectionText: 3000,
  /** Fields (items) in one section block. */
  fields: 10,
  /** One field of a section block. */
  fieldText: 2000,
  /** The plain_text of a header block. */
  headerText: 150,
  /** Elements (items) of a context block. */
  contextElements: 10,
  /** One text element of a context block. */
  contextText: 3000,
  /** Elements (items) of an actions block. */
  actionsElements: 25,
  /** The text of a markdown block. */
  markdownText: 12_000,
  /** The `text` argument of a message (longer is truncated, not refused). */
  messageText: 40_000,
  /** A view's `private_metadata`. */
  privateMetadata: 3000,
  /** A modal's title, submit and close labels. */
  viewTitle: 24,
  /** `block_id`, `action_id`, `callback_id`, `external_id`. */
  id: 255,
  /** The label of a button, or of an option. */
  buttonText: 75,
  /** A button's `value`. */
  buttonValue: 2000,
  /** A URL (button `url`, image `image_url`). */
  url: 3000,
  /** An image's `alt_text`, an image block's title, an input block's label and hint. */
  labelText: 2000,
  /** A placeholder of an input or select. */
  placeholder: 150,
  /** A plain_text_input's `max_length` and `initial_value`. */
  inputText: 3000,
  /** An option's `value`. */
  optionValue: 150,
  /** Options (items) of an overflow menu: at least 2, at most 5. */
  overflowOptionsMin: 2,
  overflowOptions: 5,
  /** Options (items) of checkboxes and radio buttons. */
  choiceOptions: 10,
  /** Options (items) of a static select. */
  selectOptions: 100,
  /** A channel name. */
  channelName: 80,
  /** A confirmation dialog's title, text and button labels. */
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;

/**
 * Totals of a message's blocks beyond which Slack answers `msg_blocks_too_long`. Slack does not
 * document them; failures are reported from about 13,200 characters of text (every string under a
 * `text` key, see {@link blocksTextLength}) and about 16,000 characters of blocks JSON.
 */
export const SLACK_BLOCKS_TOO_LONG = {
  text: 13_000,
  json: 16_000,
} as const;

/** Characters of text in a block tree, counted as Slack does: every string under a `text` key. */
export function blocksTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + blocksTextLength(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let total = 0;
  for (const [key, child] of Object.entries(value)) {
    total += key === 'text' && typeof child === 'string' ? child.length : blocksTextLength(child);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// What we stay under

/** How much of a message something may use: blocks, characters of text, characters of JSON. */
export interface Budget {
  blocks: number;
  /** Sum of the length of every `text` string in the blocks (what Slack counts for `msg_blocks_too_long`). */
  text: number;
  /** Length of the blocks serialized as JSON. */
  json: number;
}

/**
 * What one message's blocks may use in total, for every message we build (incident lists, action
 * lists, the postmortem summary): all 50 blocks, 12,000 characters of text and 14,000 of JSON, which
 * leaves 1,000 characters of text and 2,000 of JSON below {@link SLACK_BLOCKS_TOO_LONG} for Slack's
 * own counting.
 */
export const MESSAGE_BUDGET: Readonly<Budget> = {
  blocks: SLACK_LIMITS.blocksPerMessage,
  text: 12_000,
  json: 14_000,
};

/**
 * Longest notification (`text`) fallback we send with a Block Kit message: what a notification or
 * a screen reader shows, far below {@link SLACK_LIMITS.messageText}.
 */
export const FALLBACK_TEXT_MAX = 3000;
