/** Small helpers for Block Kit text within Slack's limits. */

export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  headerText: 150,
  messageText: 40000,
} as const;

/** Cuts text to `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export const mrkdwn = (text: string, max: number = LIMITS.sectionText) => ({
  type: 'mrkdwn' as const,
  text: clip(text, max),
});

export const section = (text: string) => ({ type: 'section' as const, text: mrkdwn(text) });

export const header = (text: string) => ({
  type: 'header' as const,
  text: { type: 'plain_text' as const, text: clip(text, LIMITS.headerText), emoji: true },
});

export const context = (text: string) => ({ type: 'context' as const, elements: [mrkdwn(text, 3000)] });

export const divider = () => ({ type: 'divider' as const });

export const fieldsSection = (fields: string[]) => ({
  type: 'section' as const,
  fields: fields.slice(0, LIMITS.fields).map((f) => mrkdwn(f, LIMITS.fieldText)),
});
