/**
 * A declaration with what the declare form adds to it: when the impact started, when and by whom
 * it was detected, the affected services, a description, and the message it was declared from.
 * Pure: each part goes through the same rule as its typed command (`/incident started`,
 * `detected`, `set services`, `set summary`, `note`), so a form cannot write what a command may not.
 */
import type { CodedError, RuleErrorCode } from '../shared/errors';
import { type ChangeSet, mergeChanges, type Outcome } from './changes';
import { type ActContext, addNote, declaration, setDetected, setStarted } from './lifecycle';
import { setField } from './records';
import type { Incident } from './types';

/** The message an incident was declared from (the "Declare an incident from this message" shortcut). */
export interface SourceMessage {
  channelId: string;
  ts: string;
  /** Who wrote it (a user id), when known. */
  author: string | null;
  /** When it was written (epoch ms, from its ts). */
  at: number;
  /** Its text, decoded (entities as characters, mentions as `<@U…>`). */
  text: string;
}

/** What the declare form may say besides the title, severity and visibility. */
export interface DeclarationDetails {
  startedAt?: number | null;
  detectedAt?: number | null;
  /** Who or what detected it: a `<@U…>` mention or free text (default: the declarer). */
  detectedBy?: string | null;
  services?: readonly string[];
  /** What is going on, in the declarer's words: the postmortem's summary until someone rewrites it. */
  description?: string | null;
  source?: SourceMessage | null;
}

/** Which part of the form a refusal is about. */
export type DetailField = 'started' | 'detected';

export type DeclarationOutcome =
  | { ok: true; change: ChangeSet; incident: Incident }
  | { ok: false; field: DetailField; error: CodedError<RuleErrorCode> };

/** `Checkout, search ,,payments` → `['Checkout', 'search', 'payments']`: one service a comma or line. */
export function splitServices(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s !== '');
}

const refusedAt = (field: DetailField, outcome: Outcome): DeclarationOutcome | null =>
  outcome.ok ? null : { ok: false, field, error: outcome.error };

/**
 * The declaration of `incident` ({@link declaration}) followed by its details, each checked by the
 * rule of its command against the incident as the part before left it: the impact start
 * ({@link setStarted}: not in the future, within the impact window), then the detection
 * ({@link setDetected}: not before the impact started), then services and description as
 * postmortem fields, then the source message as a note at its own time.
 */
export function declarationWithDetails(
  incident: Incident,
  details: DeclarationDetails,
  ctx: ActContext,
): DeclarationOutcome {
  const changes: ChangeSet[] = [declaration(incident, ctx)];
  let current = incident;
  const step = (outcome: Outcome) => {
    if (!outcome.ok) return;
    changes.push(outcome.change);
    current = outcome.change.incident ?? current;
  };
  if (details.startedAt != null) {
    const started = setStarted(current, details.startedAt, ctx);
    const refusal = refusedAt('started', started);
    if (refusal) return refusal;
    step(started);
  }
  if (details.detectedAt != null || details.detectedBy) {
    const detected = setDetected(current, details.detectedAt ?? ctx.now, details.detectedBy ?? null, ctx);
    const refusal = refusedAt('detected', detected);
    if (refusal) return refusal;
    step(detected);
  }
  for (const service of details.services ?? []) step(setField(current, 'services', service, ctx));
  const description = details.description?.trim();
  if (description) step(setField(current, 'summary', description, ctx));
  const source = details.source;
  if (source) {
    const by = source.author ? `<@${source.author}>` : 'someone';
    const where = source.channelId ? ` in <#${source.channelId}>` : '';
    // A message from the future (a skewed clock) is placed at the declaration instead.
    step(
      addNote(
        current,
        Math.min(source.at, ctx.now),
        `Declared from a message by ${by}${where}: ${source.text}`,
        ctx,
      ),
    );
  }
  return { ok: true, change: mergeChanges(...changes), incident: current };
}
