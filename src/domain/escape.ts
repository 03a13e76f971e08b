/**
 * Escaping between plain text, Slack's escaped text format and Markdown.
 *
 * Slack text uses three entities (`&amp;`, `&lt;`, `&gt;`); a raw `<…>` is a control sequence
 * (mention, channel, `<!channel>` broadcast, link). Text a person typed must never reach Slack with
 * a raw `<` or it could ping a whole channel; {@link escapeSlack} and {@link slackSafe} prevent that.
 */

import { channelRefPattern, userMentionPattern } from './mention';

const SLACK_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/**
 * Escapes `&`, `<` and `>` so the text is shown literally by Slack (no mention, broadcast or link
 * can be smuggled through).
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Turns Slack's entities back into characters (`&amp;` → `&`, `&lt;` → `<`, `&gt;` → `>`).
 * Decodes in one pass, so `&amp;lt;` becomes `&lt;`, not `<`.
 */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&(?:amp|lt|gt);/g, (entity) => SLACK_ENTITIES[entity]!);
}

/**
 * Makes plain (decoded) text safe to post in Slack mrkdwn while keeping people and channel links:
 * well-formed user mentions (`<@U123>`, `<@U123|bob>`, re-emitted as `<@U123>`) and channel
 * references (`<#C123>`, `<#C123|ops>`) are kept; everything else is escaped like {@link escapeSlack},
 * including `<!channel>`, `<!here>`, `<!everyone>`, `<!subteam^…>` and links.
 */
export function slackSafe(text: string): string {
  const keep = new RegExp(`${userMentionPattern().source}|${channelRefPattern().source}`, 'g');
  let out = '';
  let last = 0;
  for (const match of text.matchAll(keep)) {
    const index = match.index ?? 0;
    out += escapeSlack(text.slice(last, index));
    const [, userId, , channelId, channelName] = match;
    if (userId) {
      out += `<@${userId}>`;
    } else {
      out +=
        channelName && /^[a-z0-9_-]+$/.test(channelName)
          ? `<#${channelId}|${channelName}>`
          : `<#${channelId}>`;
    }
    last = index + match[0].length;
  }
  return out + escapeSlack(text.slice(last));
}

/** `https://example.com` → `example.com`, `mailto:a@b.c` → `a@b.c`. */
function withoutScheme(url: string): string {
  return url.replace(/^[a-z][a-z0-9+.-]*:(?:\/\/)?/i, '');
}

/** Renders the inside of one `<…>` control sequence as plain text; null when it is not one. */
function controlToPlain(inner: string, names: Record<string, string>): string | null {
  const [target = '', label] = splitOnce(inner, '|');
  const user = /^@([UW][A-Z0-9]+)$/.exec(target);
  if (user) return `@${names[user[1]!] ?? (label || user[1])}`;
  const channel = /^#([CG][A-Z0-9]+)$/.exec(target);
  if (channel) return `#${names[channel[1]!] ?? (label || channel[1])}`;
  if (target.startsWith('!')) {
    const special = target.slice(1);
    if (special.startsWith('subteam^')) {
      const id = special.slice('subteam^'.length);
      const name = label || names[id] || id;
      return name.startsWith('@') ? name : `@${name}`;
    }
    if (special.startsWith('date^')) return label ?? null;
    return label || `@${special}`;
  }
  if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(target)) {
    if (!label || label === target || label === withoutScheme(target)) {
      return target.toLowerCase().startsWith('mailto:') ? withoutScheme(target) : target;
    }
    return `${label} (${target})`;
  }
  return null;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

/**
 * Renders Slack control sequences in plain (decoded) text as readable text, for Markdown files and
 * plain-text fallbacks: `<@U123|bob>` → `@bob`, `<@U123>` → `@` + (`names.U123` ?? `U123`),
 * `<#C1|ops>` → `#ops`, `<!here>` → `@here`, `<!subteam^S1|@oncall>` → `@oncall`,
 * `<https://x.io|x.io>` → `https://x.io`. A name in `names` wins over the label inside the token,
 * so a person is called the same everywhere in a document. Anything else is left as it is.
 */
export function mentionsToPlain(text: string, names: Record<string, string> = {}): string {
  return text.replace(/<([^<>\s][^<>]*)>/g, (whole, inner: string) => controlToPlain(inner, names) ?? whole);
}

/**
 * Makes text safe inside one cell of a Markdown (GFM) table: trims it, escapes `\` and `|`,
 * escapes `<`/`>` (so only the line breaks the function adds are HTML) and `&` starting an entity,
 * and turns line breaks into `<br>`.
 */
export function escapeMarkdownCell(text: string): string {
  return text
    .trim()
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/&(?=#?[a-z0-9]+;)/gi, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .join('<br>');
}
