/**
 * Slack user mentions and channel references as they appear in escaped text
 * (slash commands with `should_escape: true`, message events).
 *
 * - user mention: `<@U123ABC>` or `<@U123ABC|alice>` (ids start with `U`, or `W` on Enterprise Grid)
 * - channel reference: `<#C123ABC>` or `<#C123ABC|ops>` (`G…` for legacy private channels)
 */

/** A whole token that is a user mention; group 1 is the user id, group 2 the optional label. */
const USER_MENTION_TOKEN = /^<@([UW][A-Z0-9]+)(?:\|([^<>|]*))?>$/;

/** User mentions anywhere in a text (global; create a fresh RegExp per use). */
const USER_MENTION_SOURCE = '<@([UW][A-Z0-9]+)(?:\\|([^<>|]*))?>';

/** Channel references anywhere in a text. */
const CHANNEL_REF_SOURCE = '<#([CG][A-Z0-9]+)(?:\\|([^<>|]*))?>';

/** Regular expression matching every user mention in a text (`g` flag; group 1 id, group 2 label). */
export function userMentionPattern(): RegExp {
  return new RegExp(USER_MENTION_SOURCE, 'g');
}

/** Regular expression matching every channel reference in a text (`g` flag; group 1 id, group 2 name). */
export function channelRefPattern(): RegExp {
  return new RegExp(CHANNEL_REF_SOURCE, 'g');
}

/**
 * Reads a single token as a user mention.
 * @param token e.g. `<@U123|alice>` or `<@W42>` (surrounding whitespace is ignored)
 * @returns the user id (`U123`), or null when the token is not exactly one well-formed user mention
 */
export function parseUserMention(token: string): string | null {
  const match = USER_MENTION_TOKEN.exec(token.trim());
  return match ? match[1]! : null;
}

/**
 * Finds the users mentioned in a text.
 * @returns the distinct user ids, in order of first appearance
 */
export function findMentions(text: string): string[] {
  const ids: string[] = [];
  for (const match of text.matchAll(userMentionPattern())) {
    const id = match[1]!;
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** The canonical mention token for a user id: `U123` → `<@U123>`. */
export function formatUserMention(userId: string): string {
  return `<@${userId}>`;
}
