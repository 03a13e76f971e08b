/**
 * Validation rules Slack applies to channel names, Block Kit messages and views. Error codes and the
 * `[ERROR] … [json-pointer:…]` message format follow what the real Web API returns. The numbers are
 * what Slack refuses, from `src/shared/slack-limits` (which also holds the lower budgets the bot
 * keeps to).
 */
import { blocksTextLength, SLACK_BLOCKS_TOO_LONG, SLACK_LIMITS } from '../shared/slack-limits';

/** Most blocks in one message. */
export const MAX_MESSAGE_BLOCKS = SLACK_LIMITS.blocksPerMessage;
/** Most blocks in a modal or home tab. */
export const MAX_VIEW_BLOCKS = SLACK_LIMITS.blocksPerView;
/** Characters of the `text` argument kept; longer text is truncated with a `message_truncated` warning. */
export const MAX_TEXT_LENGTH = SLACK_LIMITS.messageText;
/** Total characters of text across a message's blocks beyond which Slack answers `msg_blocks_too_long`. */
export const MAX_BLOCKS_TEXT = SLACK_BLOCKS_TOO_LONG.text;
/** Serialized size of the blocks JSON beyond which Slack answers `msg_blocks_too_long`. */
export const MAX_BLOCKS_JSON = SLACK_BLOCKS_TOO_LONG.json;
/** Longest channel name. */
export const MAX_CHANNEL_NAME = SLACK_LIMITS.channelName;

/** A rejected payload: the error code plus Slack-style `[ERROR]` messages. */
export interface Rejection {
  error: string;
  messages: string[];
}

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a channel name the way `conversations.create` does.
 * @returns the Slack error code, or undefined when the name is acceptable
 */
export function channelNameError(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'invalid_name_required';
  if (name.length > MAX_CHANNEL_NAME) return 'invalid_name_maxlength';
  if (!/^[a-z0-9_-]+$/.test(name)) return 'invalid_name_specials';
  if (/^[_-]+$/.test(name)) return 'invalid_name_punctuation';
  return undefined;
}

const BLOCK_TYPES = new Set([
  'section',
  'header',
  'divider',
  'context',
  'actions',
  'image',
  'input',
  'rich_text',
  'markdown',
  'file',
  'video',
  'table',
  'context_actions',
]);

const SELECT_TYPES = new Set([
  'static_select',
  'multi_static_select',
  'external_select',
  'multi_external_select',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
]);

const OTHER_ELEMENT_TYPES = new Set([
  'datepicker',
  'timepicker',
  'datetimepicker',
  'image',
  'rich_text_input',
  'number_input',
  'email_text_input',
  'url_text_input',
  'file_input',
  'workflow_button',
  'feedback_buttons',
  'icon_button',
]);

/** Collects problems found in a tree of blocks, each tagged with its JSON pointer. */
class BlockChecker {
  readonly problems: string[] = [];

  fail(pointer: string, message: string): void {
    this.problems.push(`${message} [json-pointer:${pointer}]`);
  }

  /** Checks a string field's length; `required` adds a missing-field problem when absent. */
  string(value: unknown, pointer: string, max: number, required = false): void {
    if (value === undefined) {
      if (required) this.fail(pointer, 'missing required field');
      return;
    }
    if (typeof value !== 'string') {
      this.fail(pointer, 'must be a string');
      return;
    }
    if (required && value.length === 0) this.fail(pointer, 'must be more than 0 characters');
    if (value.length > max) this.fail(pointer, `must be less than ${max + 1} characters`);
  }

  /** Checks a composition text object (`plain_text` or `mrkdwn`). */
  text(
    value: unknown,
    pointer: string,
    max: number,
    opts: { plainOnly?: boolean; required?: boolean } = {},
  ): void {
    const required = opts.required ?? true;
    if (value === undefined) {
      if (required) this.fail(pointer, 'missing required field: text');
      return;
    }
    if (!isObj(value)) {
      this.fail(pointer, 'must be a text object');
      return;
    }
    const allowed = opts.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (typeof value.type !== 'string' || !allowed.includes(value.type)) {
      this.fail(`${pointer}/type`, `must be one of: ${allowed.join(', ')}`);
    }
    this.string(value.text, `${pointer}/text`, max, true);
  }

  /** Checks an array field's size. */
  list(value: unknown, pointer: string, min: number, max: number): unknown[] {
    if (!Array.isArray(value)) {
      this.fail(pointer, 'must be an array');
      return [];
    }
    if (value.length < min) this.fail(pointer, `must provide at least ${min} items`);
    if (value.length > max) this.fail(pointer, `no more than ${max} items allowed`);
    return value;
  }

  blocks(blocks: unknown[], pointer: string, maxBlocks: number): void {
    if (blocks.length > maxBlocks) this.fail(pointer, `no more than ${maxBlocks} items allowed`);
    const blockIds = new Set<string>();
    blocks.forEach((block, index) => {
      const at = `${pointer}/${index}`;
      if (!isObj(block)) {
        this.fail(at, 'must be an object');
        return;
      }
      if (typeof block.block_id === 'string') {
        this.string(block.block_id, `${at}/block_id`, SLACK_LIMITS.id);
        if (blockIds.has(block.block_id))
          this.fail(`${at}/block_id`, `duplicate block_id: ${block.block_id}`);
        blockIds.add(block.block_id);
      }
      this.block(block, at);
    });
  }

  private block(block: Obj, at: string): void {
    const type = block.type;
    if (typeof type !== 'string') {
      this.fail(`${at}/type`, 'missing required field: type');
      return;
    }
    if (!BLOCK_TYPES.has(type)) {
      this.fail(`${at}/type`, `unsupported type: ${type}`);
      return;
    }
    switch (type) {
      case 'section':
        this.section(block, at);
        break;
      case 'header':
        this.text(block.text, `${at}/text`, SLACK_LIMITS.headerText, { plainOnly: true });
        break;
      case 'context':
        this.list(block.elements, `${at}/elements`, 1, SLACK_LIMITS.contextElements).forEach((element, i) => {
          const ptr = `${at}/elements/${i}`;
          if (isObj(element) && element.type === 'image') this.image(element, ptr);
          else this.text(element, ptr, SLACK_LIMITS.contextText);
        });
        break;
      case 'actions':
        this.elements(
          this.list(block.elements, `${at}/elements`, 1, SLACK_LIMITS.actionsElements),
          `${at}/elements`,
        );
        break;
      case 'image':
        this.image(block, at);
        if (block.title !== undefined)
          this.text(block.title, `${at}/title`, SLACK_LIMITS.labelText, { plainOnly: true });
        break;
      case 'input':
        this.text(block.label, `${at}/label`, SLACK_LIMITS.labelText, { plainOnly: true });
        if (block.hint !== undefined)
          this.text(block.hint, `${at}/hint`, SLACK_LIMITS.labelText, { plainOnly: true });
        if (!isObj(block.element)) this.fail(`${at}/element`, 'missing required field: element');
        else this.element(block.element, `${at}/element`);
        break;
      case 'rich_text':
        this.list(block.elements, `${at}/elements`, 0, Number.MAX_SAFE_INTEGER);
        break;
      case 'markdown':
        this.string(block.text, `${at}/text`, SLACK_LIMITS.markdownText, true);
        break;
      default:
        break;
    }
  }

  private section(block: Obj, at: string): void {
    if (block.text === undefined && block.fields === undefined) {
      this.fail(at, 'must provide either text or fields');
    }
    if (block.text !== undefined) this.text(block.text, `${at}/text`, SLACK_LIMITS.sectionText);
    if (block.fields !== undefined) {
      const fields = this.list(block.fields, `${at}/fields`, 1, SLACK_LIMITS.fields);
      fields.forEach((field, i) => {
        this.text(field, `${at}/fields/${i}`, SLACK_LIMITS.fieldText);
      });
    }
    if (block.accessory !== undefined) {
      if (isObj(block.accessory)) this.element(block.accessory, `${at}/accessory`);
      else this.fail(`${at}/accessory`, 'must be an object');
    }
  }

  private image(image: Obj, at: string): void {
    if (image.slack_file === undefined)
      this.string(image.image_url, `${at}/image_url`, SLACK_LIMITS.url, true);
    this.string(image.alt_text, `${at}/alt_text`, SLACK_LIMITS.labelText, true);
  }

  private elements(elements: unknown[], pointer: string): void {
    const actionIds = new Set<string>();
    elements.forEach((element, i) => {
      const at = `${pointer}/${i}`;
      if (!isObj(element)) {
        this.fail(at, 'must be an object');
        return;
      }
      if (typeof element.action_id === 'string') {
        if (actionIds.has(element.action_id)) {
          this.fail(`${at}/action_id`, `duplicate action_id: ${element.action_id}`);
        }
        actionIds.add(element.action_id);
      }
      this.element(element, at);
    });
  }

  private element(element: Obj, at: string): void {
    const type = element.type;
    this.string(element.action_id, `${at}/action_id`, SLACK_LIMITS.id);
    if (type === 'button') {
      this.text(element.text, `${at}/text`, SLACK_LIMITS.buttonText, { plainOnly: true });
      this.string(element.value, `${at}/value`, SLACK_LIMITS.buttonValue);
      this.string(element.url, `${at}/url`, SLACK_LIMITS.url);
      if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
        this.fail(`${at}/style`, 'must be one of: primary, danger');
      }
      if (element.confirm !== undefined) this.confirm(element.confirm, `${at}/confirm`);
    } else if (type === 'overflow') {
      this.options(
        element.options,
        `${at}/options`,
        SLACK_LIMITS.overflowOptionsMin,
        SLACK_LIMITS.overflowOptions,
      );
    } else if (type === 'checkboxes' || type === 'radio_buttons') {
      this.options(element.options, `${at}/options`, 1, SLACK_LIMITS.choiceOptions);
    } else if (type === 'plain_text_input') {
      if (element.placeholder !== undefined) {
        this.text(element.placeholder, `${at}/placeholder`, SLACK_LIMITS.placeholder, { plainOnly: true });
      }
      if (typeof element.max_length === 'number' && element.max_length > SLACK_LIMITS.inputText) {
        this.fail(`${at}/max_length`, `must be less than ${SLACK_LIMITS.inputText + 1}`);
      }
      this.string(element.initial_value, `${at}/initial_value`, SLACK_LIMITS.inputText);
      if (
        typeof element.max_length === 'number' &&
        typeof element.initial_value === 'string' &&
        element.initial_value.length > element.max_length
      ) {
        this.fail(
          `${at}/initial_value`,
          `must be less than ${element.max_length + 1} characters (max_length)`,
        );
      }
    } else if (typeof type === 'string' && SELECT_TYPES.has(type)) {
      if (element.placeholder !== undefined) {
        this.text(element.placeholder, `${at}/placeholder`, SLACK_LIMITS.placeholder, { plainOnly: true });
      }
      if (type.endsWith('static_select') && element.option_groups === undefined) {
        this.options(element.options, `${at}/options`, 1, SLACK_LIMITS.selectOptions);
      }
    } else if (typeof type !== 'string' || !OTHER_ELEMENT_TYPES.has(type)) {
      this.fail(`${at}/type`, `unsupported type: ${String(type)}`);
    }
  }

  /** A confirmation dialog: title 100, text 300, buttons 30 characters. */
  private confirm(confirm: unknown, at: string): void {
    if (!isObj(confirm)) {
      this.fail(at, 'must be an object');
      return;
    }
    this.text(confirm.title, `${at}/title`, SLACK_LIMITS.confirmTitle, { plainOnly: true });
    this.text(confirm.text, `${at}/text`, SLACK_LIMITS.confirmText);
    this.text(confirm.confirm, `${at}/confirm`, SLACK_LIMITS.confirmButton, { plainOnly: true });
    this.text(confirm.deny, `${at}/deny`, SLACK_LIMITS.confirmButton, { plainOnly: true });
  }

  private options(options: unknown, pointer: string, min: number, max: number): void {
    this.list(options, pointer, min, max).forEach((option, i) => {
      const at = `${pointer}/${i}`;
      if (!isObj(option)) {
        this.fail(at, 'must be an object');
        return;
      }
      this.text(option.text, `${at}/text`, SLACK_LIMITS.buttonText);
      this.string(option.value, `${at}/value`, SLACK_LIMITS.optionValue, true);
      if (option.description !== undefined) {
        this.text(option.description, `${at}/description`, SLACK_LIMITS.buttonText, { plainOnly: true });
      }
    });
  }
}

function rejection(error: string, problems: string[]): Rejection {
  return { error, messages: problems.map((p) => `[ERROR] ${p}`) };
}

/**
 * Checks the `blocks` argument of a message (chat.postMessage, chat.postEphemeral, chat.update, response_url).
 * @returns the rejection, or undefined when Slack would accept the blocks
 */
export function messageBlocksRejection(blocks: unknown): Rejection | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) {
    return rejection('invalid_blocks_format', ['must be a JSON array [json-pointer:/blocks]']);
  }
  const checker = new BlockChecker();
  checker.blocks(blocks, '/blocks', MAX_MESSAGE_BLOCKS);
  if (checker.problems.length > 0) return rejection('invalid_blocks', checker.problems);
  const textLength = blocksTextLength(blocks);
  const jsonLength = JSON.stringify(blocks).length;
  if (textLength > MAX_BLOCKS_TEXT || jsonLength > MAX_BLOCKS_JSON) {
    return rejection('msg_blocks_too_long', [
      `blocks hold ${textLength} characters of text (${jsonLength} characters of JSON) [json-pointer:/blocks]`,
    ]);
  }
  return undefined;
}

/**
 * Checks a `view` argument (views.open / views.update / views.push / views.publish).
 * @returns the rejection (`invalid_arguments`), or undefined when the view is acceptable
 */
export function viewRejection(view: unknown): Rejection | undefined {
  if (!isObj(view))
    return rejection('invalid_arguments', ['missing required field: view [json-pointer:/view]']);
  const checker = new BlockChecker();
  const type = view.type;
  if (type !== 'modal' && type !== 'home') {
    checker.fail('/view/type', 'must be one of: modal, home');
  }
  if (type === 'modal') {
    checker.text(view.title, '/view/title', SLACK_LIMITS.viewTitle, { plainOnly: true });
    if (view.submit !== undefined)
      checker.text(view.submit, '/view/submit', SLACK_LIMITS.viewTitle, { plainOnly: true });
    if (view.close !== undefined)
      checker.text(view.close, '/view/close', SLACK_LIMITS.viewTitle, { plainOnly: true });
  }
  checker.string(view.private_metadata, '/view/private_metadata', SLACK_LIMITS.privateMetadata);
  checker.string(view.callback_id, '/view/callback_id', SLACK_LIMITS.id);
  checker.string(view.external_id, '/view/external_id', SLACK_LIMITS.id);
  const blocks = checker.list(view.blocks, '/view/blocks', 0, Number.MAX_SAFE_INTEGER);
  checker.blocks(blocks, '/view/blocks', MAX_VIEW_BLOCKS);
  const hasInput = blocks.some((b) => isObj(b) && b.type === 'input');
  if (type === 'modal' && hasInput && view.submit === undefined) {
    checker.fail('/view/submit', 'submit is required when an input block is present');
  }
  return checker.problems.length > 0 ? rejection('invalid_arguments', checker.problems) : undefined;
}
