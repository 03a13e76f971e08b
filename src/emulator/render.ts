/**
 * Turns Slack messages (plain text or Block Kit) into readable plain text, for demo transcripts and test
 * failure output.
 */
import {
  channelRefPattern,
  decodeSlackEntities,
  linkPattern,
  userMentionPattern,
} from '../shared/slack-text';

/** Lookups that make mentions readable; without them ids are shown as `@U123`. */
export interface RenderOptions {
  userName?: (id: string) => string | undefined;
  channelName?: (id: string) => string | undefined;
}

/** The parts of a message the renderer reads. */
export interface RenderableMessage {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  files?: Array<{ name?: string; title?: string }>;
}

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Converts mrkdwn to plain text: mentions, channel links, URLs with labels, special mentions, entities, and
 * `*bold*` / `_italic_` / `~strike~` markers.
 */
export function mrkdwnToText(text: string, opts: RenderOptions = {}): string {
  return decodeSlackEntities(
    text
      .replace(
        userMentionPattern(),
        (_, id: string, label?: string) => `@${label || opts.userName?.(id) || id}`,
      )
      .replace(
        channelRefPattern(),
        (_, id: string, label?: string) => `#${label || opts.channelName?.(id) || id}`,
      )
      .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
      .replace(/<!subteam\^[A-Z0-9]+\|([^>]+)>/g, '$1')
      .replace(/<!date\^\d+\^[^^|>]*(?:\^[^|>]*)?\|([^>]+)>/g, '$1')
      .replace(linkPattern(), (_, url: string, label?: string) => (label ? `${label} (${url})` : url))
      .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,;:!?])/gm, '$1$2')
      .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,;:!?])/gm, '$1$2')
      .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,;:!?])/gm, '$1$2'),
  );
}

function textOf(value: unknown, opts: RenderOptions): string {
  if (!isObj(value) || typeof value.text !== 'string') return '';
  return value.type === 'mrkdwn' ? mrkdwnToText(value.text, opts) : value.text;
}

/** One interactive element as a bracketed label, e.g. `[Resolve]`. */
function elementLabel(element: unknown, opts: RenderOptions): string {
  if (!isObj(element)) return '';
  switch (element.type) {
    case 'button':
      return `[${textOf(element.text, opts)}]`;
    case 'overflow':
      return '[…]';
    case 'image':
      return `[image: ${String(element.alt_text ?? '')}]`;
    default: {
      const placeholder = textOf(element.placeholder, opts);
      return `[${placeholder || String(element.type)} ▾]`;
    }
  }
}

/** Flattens a rich_text tree into text. */
function richText(value: unknown, opts: RenderOptions): string {
  if (Array.isArray(value)) return value.map((v) => richText(v, opts)).join('');
  if (!isObj(value)) return '';
  switch (value.type) {
    case 'text':
      return String(value.text ?? '');
    case 'link':
      return value.text ? `${String(value.text)} (${String(value.url)})` : String(value.url ?? '');
    case 'user':
      return `@${opts.userName?.(String(value.user_id)) ?? String(value.user_id)}`;
    case 'channel':
      return `#${opts.channelName?.(String(value.channel_id)) ?? String(value.channel_id)}`;
    case 'emoji':
      return `:${String(value.name)}:`;
    case 'rich_text_list':
      return (Array.isArray(value.elements) ? value.elements : [])
        .map((e) => `• ${richText(e, opts)}\n`)
        .join('');
    case 'rich_text_section':
    case 'rich_text_preformatted':
    case 'rich_text_quote':
      return `${richText(value.elements, opts)}${value.type === 'rich_text_section' ? '' : '\n'}`;
    default:
      return richText(value.elements, opts);
  }
}

function blockLines(block: unknown, opts: RenderOptions): string[] {
  if (!isObj(block)) return [];
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  switch (block.type) {
    case 'header': {
      const title = textOf(block.text, opts);
      return [`== ${title} ==`];
    }
    case 'section': {
      const lines: string[] = [];
      const text = textOf(block.text, opts);
      const accessory = block.accessory ? elementLabel(block.accessory, opts) : '';
      if (text) lines.push(...text.split('\n'));
      for (const field of list(block.fields)) lines.push(textOf(field, opts).replace(/\n+/g, ' '));
      if (accessory) {
        if (lines.length > 0) lines[lines.length - 1] = `${lines[lines.length - 1]}  ${accessory}`;
        else lines.push(accessory);
      }
      return lines;
    }
    case 'context': {
      const parts = list(block.elements).map((e) =>
        isObj(e) && e.type === 'image' ? `[${String(e.alt_text ?? 'image')}]` : textOf(e, opts),
      );
      return [parts.filter((p) => p.length > 0).join(' · ')];
    }
    case 'divider':
      return ['----------'];
    case 'actions':
      return [
        list(block.elements)
          .map((e) => elementLabel(e, opts))
          .join(' '),
      ];
    case 'image':
      return [`[image: ${String(block.alt_text ?? '')}]`];
    case 'input':
      return [`${textOf(block.label, opts)}: ${elementLabel(block.element, opts)}`];
    case 'markdown':
      return typeof block.text === 'string' ? block.text.split('\n') : [];
    case 'rich_text':
      return richText(block.elements, opts).replace(/\n$/, '').split('\n');
    default:
      return [`[${String(block.type)}]`];
  }
}

/**
 * Renders a message as readable plain-text lines. Block Kit messages are rendered from their blocks (the
 * `text` fallback is ignored); other messages from `text`. Attachments and files add lines of their own.
 */
export function renderMessageAsText(message: RenderableMessage, opts: RenderOptions = {}): string {
  const lines: string[] = [];
  if (Array.isArray(message.blocks) && message.blocks.length > 0) {
    for (const block of message.blocks) lines.push(...blockLines(block, opts));
  } else if (message.text) {
    lines.push(...mrkdwnToText(message.text, opts).split('\n'));
  }
  for (const attachment of message.attachments ?? []) {
    if (!isObj(attachment)) continue;
    if (Array.isArray(attachment.blocks)) {
      for (const block of attachment.blocks) lines.push(...blockLines(block, opts));
    }
    for (const key of ['pretext', 'title', 'text', 'footer'] as const) {
      const value = attachment[key];
      if (typeof value === 'string' && value.length > 0) lines.push(...mrkdwnToText(value, opts).split('\n'));
    }
  }
  for (const file of message.files ?? []) lines.push(`[file: ${file.title ?? file.name ?? 'untitled'}]`);
  return lines.join('\n');
}
