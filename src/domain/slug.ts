/**
 * Slack channel names for incidents: `inc-2026-001-database-connection-pool-exhausted`.
 */

/** Slack's limit on channel name length. */
export const MAX_CHANNEL_NAME_LENGTH = 80;

/** Latin letters that Unicode decomposition (NFKD) does not split into a base letter and a mark. */
const LATIN_FOLDS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  ħ: 'h',
  ı: 'i',
  ŋ: 'ng',
};

/**
 * Turns free text into a channel-name fragment: lowercase ASCII letters, digits, `-` and `_`.
 * Accents are folded (`Café` → `cafe`), apostrophes dropped (`DB's` → `dbs`), every other character
 * (spaces, punctuation, emoji, other scripts) separates words; runs of hyphens collapse and
 * hyphens at either end are trimmed. May return an empty string.
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđðþłħıŋ]/g, (letter) => LATIN_FOLDS[letter]!)
    .replace(/['’‘`´]/g, '')
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Cuts a slug to at most `max` characters, at a hyphen when one leaves at least half the room used.
 */
function cutSlug(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  if (max <= 0) return '';
  let cut = slug.slice(0, max);
  if (slug[max] !== '-') {
    const boundary = cut.lastIndexOf('-');
    if (boundary >= Math.ceil(max / 2)) cut = cut.slice(0, boundary);
  }
  return cut.replace(/[-_]+$/, '');
}

/**
 * The Slack channel name of an incident.
 * @param incidentId e.g. `INC-2026-001`
 * @param title the incident title; folded into the slug (may be empty or only emoji)
 * @param attempt 0 for the first try; n > 0 appends `-(n+1)` after a name clash
 * @returns e.g. `inc-2026-001-database-connection-pool-exhausted` (`-2` on attempt 1); at most 80
 *   characters, cut at a word boundary where possible; `inc-2026-001` when the title has no usable characters
 */
export function incidentChannelName(incidentId: string, title: string, attempt = 0): string {
  const prefix = slugify(incidentId) || 'inc';
  const suffix = attempt > 0 ? `-${Math.floor(attempt) + 1}` : '';
  const head = prefix.slice(0, MAX_CHANNEL_NAME_LENGTH - suffix.length);
  const room = MAX_CHANNEL_NAME_LENGTH - head.length - suffix.length - 1;
  const slug = cutSlug(slugify(title), room);
  return `${head}${slug ? `-${slug}` : ''}${suffix}`;
}

/** True when Slack accepts the name: 1–80 characters of lowercase letters, digits, `-` and `_`. */
export function isValidChannelName(name: string): boolean {
  return /^[a-z0-9_-]{1,80}$/.test(name);
}
