/**
 * The executive summary Firewatch drafts while nobody has written one: a few sentences built only
 * from what was recorded (severity, title, impact window and duration, services, how and when it
 * was detected, root cause and immediate fix when people wrote them). Nothing is guessed: a fact
 * that was not recorded is left out, never filled in. Pure.
 */
import { escapeSlack, safeCut } from '../../shared/slack-text';
import { formatDuration } from '../metrics';
import { fullStamp } from './format';
import type { Party, Stamp } from './model';

/** The recorded facts a draft may use. Text is Slack-encoded user text, as stored. */
export interface SummaryFacts {
  incidentId: string;
  title: string;
  /** `P1 — Critical (production down)` */
  severityLabel: string;
  impactStart: Stamp;
  /** Whether the impact start was given (`/incident started`), not taken from the declaration. */
  impactStartGiven: boolean;
  resolvedAt: Stamp | null;
  durationMinutes: number | null;
  services: readonly string[];
  environment: readonly string[];
  declaredAt: Stamp;
  declaredBy: Party;
  /** Null when no detection was recorded (it then defaults to the declaration). */
  detectedAt: Stamp | null;
  detectedBy: Party;
  detectionLagMinutes: number;
  rootCauseLine: string | null;
  immediateFix: string | null;
}

/** A Party as Slack-encoded text: a person's display name escaped, a free-text label as written. */
function partyText(party: Party): string {
  return party.kind === 'person' ? escapeSlack(party.name) : party.label;
}

/** One line, whitespace folded. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Ends a sentence with a full stop unless it already ends like one. */
function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** The longest piece of user text the draft quotes (the document holds the whole of it). */
const MAX_QUOTE = 300;

/** User text on one line, cut (never inside an entity or a `<…>` token) to {@link MAX_QUOTE}. */
function quote(text: string): string {
  return safeCut(oneLine(text), MAX_QUOTE);
}

/**
 * Drafts the executive summary from recorded facts. The result is Slack-encoded text like what
 * people write (renderers escape it for their target) and marks nothing itself: the renderers
 * say it was drafted by Firewatch.
 */
export function draftSummary(f: SummaryFacts): string {
  const out: string[] = [];
  out.push(sentence(`${f.incidentId}, ${f.severityLabel}: ${quote(f.title) || 'untitled'}`));

  const start = fullStamp(f.impactStart);
  const began = f.impactStartGiven
    ? `Impact began at ${start}`
    : `Impact is counted from the declaration at ${start}`;
  if (f.resolvedAt !== null && f.durationMinutes !== null) {
    out.push(`${began} and lasted ${formatDuration(f.durationMinutes)}, until ${fullStamp(f.resolvedAt)}.`);
  } else {
    out.push(`${began}; it was not resolved when this was compiled.`);
  }

  if (f.services.length > 0) {
    const env = f.environment.length > 0 ? ` (${f.environment.map(quote).join(', ')})` : '';
    out.push(`Services affected: ${f.services.map(quote).join(', ')}${env}.`);
  } else if (f.environment.length > 0) {
    out.push(`Environment: ${f.environment.map(quote).join(', ')}.`);
  }

  if (f.detectedAt === null) {
    out.push(`Declared by ${partyText(f.declaredBy)} at ${fullStamp(f.declaredAt)}.`);
  } else {
    const lag = f.impactStartGiven ? `, ${formatDuration(f.detectionLagMinutes)} after impact began` : '';
    out.push(
      `Detected at ${fullStamp(f.detectedAt)} by ${partyText(f.detectedBy)}${lag}; declared at ${fullStamp(f.declaredAt)}.`,
    );
  }

  if (f.rootCauseLine !== null) out.push(sentence(`Root cause: ${quote(f.rootCauseLine)}`));
  if (f.immediateFix !== null && oneLine(f.immediateFix) !== '')
    out.push(sentence(`Immediate fix: ${quote(f.immediateFix)}`));
  return out.join(' ');
}
