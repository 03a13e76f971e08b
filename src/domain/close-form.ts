/**
 * What the guided close form writes: the postmortem fields a person filled in or changed, as the
 * same field entries `/incident set` makes. Pure.
 */
import type { FieldValues } from './postmortem/compile';
import type { ListField, PostmortemField, TextField } from './types';

/** What the close form sends: text fields as they stand in the form, list fields as lines to add. */
export interface PostmortemForm {
  /** Each text field shown, as the form holds it now (it started with what was written). */
  text: Partial<Record<TextField, string>>;
  /** Each list field's new bullets, one a line (what was written before is not in the form). */
  lists: Partial<Record<ListField, string>>;
  /**
   * Text fields whose value was too long to put in the form: left empty, they keep that value
   * (anything written replaces it).
   */
  keepIfEmpty?: readonly TextField[];
}

/** A bullet marker a person may type at the start of a line (`- `, `• `, `* `). */
const BULLET = /^\s*(?:[-•*]\s+)/;

/**
 * The field entries a submitted close form makes against what is written now (`current`, as
 * `foldFields` reads it): a text field that changed is set (emptied: cleared, so it reads
 * `_Not recorded_` again, unless it was too long to show); each non-empty line of a list field is
 * one more bullet. Fields left as they were make nothing.
 */
export function fieldsFromForm(
  current: FieldValues,
  form: PostmortemForm,
): { field: PostmortemField; value: string }[] {
  const out: { field: PostmortemField; value: string }[] = [];
  const keep = new Set(form.keepIfEmpty ?? []);
  for (const [field, raw] of Object.entries(form.text) as [TextField, string | undefined][]) {
    if (raw === undefined) continue;
    const value = raw.trim();
    if (value === '' && keep.has(field)) continue;
    if (value === (current.text[field] ?? '')) continue;
    out.push({ field, value });
  }
  for (const [field, raw] of Object.entries(form.lists) as [ListField, string | undefined][]) {
    for (const line of (raw ?? '').split(/\r?\n/)) {
      const value = line.replace(BULLET, '').trim();
      if (value !== '') out.push({ field, value });
    }
  }
  return out;
}
