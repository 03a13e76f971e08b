import { z } from 'zod';
import type { PostmortemForm } from '../../domain/close-form';
import { type ListField, TEXT_FIELDS, type TextField } from '../../domain/types';
import { CLOSE_FORM, closeFieldBlock } from '../blocks/close-modal';
import { type FormValues, metadataOf } from '../boundary/interactions';
import type { ControlDeps } from '../controls';
import { IDS } from '../ids';
import { formSubmit } from './form-submit';

const ids = IDS.closeModal;

/** The text fields the form left empty because they were too long for it (private_metadata `keep`). */
const keepSchema = z.looseObject({ keep: z.array(z.enum(TEXT_FIELDS)).default([]) });

/** The postmortem fields as the close form holds them. */
function formOf(values: FormValues, keepIfEmpty: TextField[]): PostmortemForm {
  const read = (field: TextField | ListField) => values[closeFieldBlock(field)]?.[ids.fieldAction]?.value;
  const form: PostmortemForm = { text: {}, lists: {}, keepIfEmpty };
  for (const group of CLOSE_FORM) {
    for (const q of group.text) {
      const value = read(q.field);
      // An input Slack did not send back was not in the form: it changes nothing.
      if (value !== undefined) form.text[q.field] = value ?? '';
    }
    for (const q of group.lists) form.lists[q.field] = read(q.field) ?? '';
  }
  return form;
}

const FIRST_FIELD = closeFieldBlock(CLOSE_FORM[0]!.text[0]!.field);

/**
 * The guided close form (`firewatch_close`): stores what was written (changed text fields, new
 * bullets) and closes the incident in one change, which compiles and posts the postmortem like
 * `/incident close`. A refusal (not a role holder, already closed) is shown on the first field.
 */
export const closeSubmit = (deps: ControlDeps) =>
  formSubmit(
    deps,
    { what: 'close form', read: () => ({ command: { kind: 'close' } }), blockFor: () => FIRST_FIELD },
    (view, who, incidentId) => {
      const keep = metadataOf(view, keepSchema)?.keep ?? [];
      return deps.service.closeWithFields(formOf(view.state.values, keep), who, { incidentId });
    },
  );
