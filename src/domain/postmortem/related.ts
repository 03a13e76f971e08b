/**
 * Related incidents of a postmortem: earlier incidents that share a service or have a similar
 * title, picked from the store's other incidents. Pure: the candidates come in as arguments.
 */
import { decodeSlackText } from '../../shared/slack-text';
import type { RelatedCandidate, RelatedIncident } from './model';

const STOP_WORDS = new Set(
  (
    'the and for with from into onto over under after before during about are was were not but has have had ' +
    'this that these those its our their you your all any can could did does doing due via out off per than ' +
    'then when where which while who why how what some more most very been being will would should incident ' +
    'issue issues problem problems'
  ).split(' '),
);

/** Lowercase words of at least 3 letters, without stop words. */
export function titleTokens(title: string): Set<string> {
  const words =
    decodeSlackText(title)
      .text.toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(words.filter((w) => w.length >= 3 && !STOP_WORDS.has(w)));
}

/** Jaccard similarity of two token sets (0 when both are empty). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const token of a) if (b.has(token)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** Titles at least this similar (Jaccard over {@link titleTokens}) count as related. */
export const TITLE_SIMILARITY_THRESHOLD = 0.3;

/** At most this many related incidents are listed. */
export const MAX_RELATED = 5;

/**
 * Service names of `services` entries, keyed by their lowercase form: each entry split on
 * commas, trimmed, and stripped of a trailing parenthesised note (`Drop API (all users)` →
 * `Drop API`). The first spelling seen is kept for display.
 */
export function serviceNames(entries: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const entry of entries) {
    for (const part of decodeSlackText(entry).text.split(',')) {
      const name = part.replace(/(?:\s*\([^()]*\))+\s*$/, '').trim();
      const key = name.toLowerCase();
      if (key && !names.has(key)) names.set(key, name);
    }
  }
  return names;
}

/** `INC-2026-007` → [2026, 7]. */
function idOrder(id: string): [number, number] | null {
  const m = /^INC-(\d{4})-(\d+)$/.exec(id);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** Incident ids by year, then sequence (earlier first); ids of another form by their text. */
function compareIds(a: string, b: string): number {
  const x = idOrder(a);
  const y = idOrder(b);
  if (x && y) return x[0] - y[0] || x[1] - y[1];
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Declared before the current incident: by `declaredAt` when given (a tie goes by the id), else by the id. */
function declaredBefore(candidate: RelatedCandidate, current: { id: string; declaredAt?: number }): boolean {
  if (current.declaredAt !== undefined && candidate.declaredAt !== current.declaredAt) {
    return candidate.declaredAt < current.declaredAt;
  }
  return compareIds(candidate.id, current.id) < 0;
}

const newestFirst = (a: RelatedCandidate, b: RelatedCandidate) =>
  b.declaredAt - a.declaredAt || compareIds(b.id, a.id);

/**
 * Picks the incidents to list as related: incidents declared before the current one (by
 * `declaredAt` when given, a tie broken by the `INC-YYYY-NNN` sequence; else by the sequence)
 * that share a service (see {@link serviceNames}; case-insensitive) come first, then those with
 * a similar title (Jaccard ≥ 0.3 over lowercase words of 3+ letters, stop words ignored); newest
 * first within each group; at most five.
 */
export function selectRelatedIncidents(
  current: { id: string; title: string; services: string[]; declaredAt?: number },
  candidates: readonly RelatedCandidate[],
): RelatedIncident[] {
  const services = serviceNames(current.services);
  const tokens = titleTokens(current.title);
  const byService: { c: RelatedCandidate; similarity: string }[] = [];
  const byTitle: { c: RelatedCandidate; similarity: string }[] = [];
  for (const c of candidates) {
    if (c.id === current.id || !declaredBefore(c, current)) continue;
    const shared = [...serviceNames(c.services)].filter(([key]) => services.has(key)).map(([, name]) => name);
    const similarTitle = jaccard(tokens, titleTokens(c.title)) >= TITLE_SIMILARITY_THRESHOLD;
    if (shared.length > 0) {
      const label = `same ${shared.length > 1 ? 'services' : 'service'}: ${shared.join(', ')}`;
      byService.push({ c, similarity: similarTitle ? `${label}; similar title` : label });
    } else if (similarTitle) {
      byTitle.push({ c, similarity: 'similar title' });
    }
  }
  byService.sort((a, b) => newestFirst(a.c, b.c));
  byTitle.sort((a, b) => newestFirst(a.c, b.c));
  return [...byService, ...byTitle].slice(0, MAX_RELATED).map(({ c, similarity }) => ({
    id: c.id,
    declaredAt: c.declaredAt,
    similarity,
    resolved: c.resolvedAt !== null,
  }));
}
