/**
 * Incident identifiers: `INC-YYYY-NNN`, a sequence per calendar year (at least three digits; grows
 * past 999 as `INC-2026-1000`).
 */

/** The parts of an incident id. */
export interface IncidentIdParts {
  year: number;
  seq: number;
  /** The canonical form, e.g. `INC-2026-001`. */
  id: string;
}

/**
 * Formats an incident id.
 * @example formatIncidentId(2026, 1) // 'INC-2026-001'
 * @throws RangeError when year is not a 4-digit year or seq is not a positive integer (a bug in the caller)
 */
export function formatIncidentId(year: number, seq: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`Incident year must be a 4-digit year, got ${year}`);
  }
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw new RangeError(`Incident sequence must be a positive integer, got ${seq}`);
  }
  return `INC-${year}-${String(seq).padStart(3, '0')}`;
}

/**
 * Reads an incident id, case-insensitively and tolerating missing zero padding
 * (`inc-2026-7` → year 2026, seq 7, id `INC-2026-007`).
 * @returns the parts, or null when the text is not an incident id (sequence 0 is not one)
 */
export function parseIncidentId(text: string): IncidentIdParts | null {
  const match = /^INC-(\d{4})-(\d{1,15})$/i.exec(text.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const seq = Number(match[2]);
  if (year < 1000 || seq < 1) return null;
  return { year, seq, id: formatIncidentId(year, seq) };
}

/**
 * The sequence number of the next incident of a year.
 * @param existingMaxSeq the highest sequence already used that year, or null when none
 * @throws RangeError when existingMaxSeq is negative or not an integer
 */
export function nextIncidentSeq(existingMaxSeq: number | null): number {
  if (existingMaxSeq === null) return 1;
  if (!Number.isSafeInteger(existingMaxSeq) || existingMaxSeq < 0) {
    throw new RangeError(`Highest incident sequence must be a non-negative integer, got ${existingMaxSeq}`);
  }
  return existingMaxSeq + 1;
}
