import { z } from 'zod';
import type { PostmortemForm } from '../../domain/close-form';
import { type ListField, TEXT_FIELDS, type TextField } from '../../domain/types';
import { CLOSE_FORM, closeFieldBlock, fieldFingerprint } from '../blocks/close-modal';
import { type FormValues, metadataOf } from '../boundary/interactions';
import type { ControlDeps } from '../controls';
import { IDS } from '../ids';
import { formSubmit } from './form-submit';

const ids = IDS.closeModal;

/**
 * What the form's private_metadata says of its text fields: those left empty because they were too
 * long for it (`keep`), and a fingerprint of what each opened with (`opened`).
 */
const closeMetadataSchema = z.looseObject({
  keep: z.array(z.enum(TEXT_FIELDS)).default([]),
  opened: z.partialRecord(z.enum(TEXT_FIELDS), z.string()).default({}),
});
type CloseMetadata = z.infer<typeof closeMetadataSchema>;

/**
 * The postmortem fields as the close form holds them. A text field the person left as it opened
 * is not sent on: what is stored for it now (someone may have set it meanwhile) stands.
 */
function formOf(values: FormValues, meta: CloseMetadata): PostmortemForm {
  const read = (field: TextField | ListField) => values[closeFieldBlock(field)]?.[ids.fieldAction]?.value;
  const form: PostmortemForm = { text: {}, lists: {}, keepIfEmpty: meta.keep };
  for (const group of CLOSE_FORM) {
    for (const q of group.text) {
      const value = read(q.field);
      // An input Slack did not send back was not in the form: it changes nothing.
      if (value === undefined) continue;
      if (meta.opened[q.field] === fieldFingerprint(value ?? '')) continue;
      form.text[q.field] = value ?? '';
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
      const meta = metadataOf(view, closeMetadataSchema) ?? { keep: [], opened: {} };
      return deps.service.closeWithFields(formOf(view.state.values, meta), who, { incidentId });
    },
  );
