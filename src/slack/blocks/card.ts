import { currentRoles, SEVERITY_EMOJI, STATUS_EMOJI } from '../../domain/lifecycle';
import { formatTime } from '../../domain/time';
import { type Incident, ROLE_LABELS, ROLES, type RoleTerm, SEVERITY_LABELS } from '../../domain/types';
import { slackSafe } from '../../shared/slack-text';
import { type Block, clip, context, fieldsSection, header, section } from './text';

export interface CardView {
  incident: Incident;
  terms: readonly RoleTerm[];
  timeZone: string;
  now: number;
}

/** Longest title (escaped) in a message's fallback text. */
const FALLBACK_TITLE = 500;

/** One field per role, `*Incident Commander*\n<@U123>` or `_unassigned_`; shared by the card and `/incident show`. */
export function roleFields(terms: readonly RoleTerm[]): string[] {
  const roles = currentRoles(terms);
  return ROLES.map((role) => {
    const holder = roles[role];
    return `*${ROLE_LABELS[role]}*\n${holder ? `<@${holder.userId}>` : '_unassigned_'}`;
  });
}

/** Whole minutes from impact start (else declaration) to resolution (else `now`), never negative. */
export function durationMinutes(incident: Incident, now: number): number {
  const start = incident.startedAt ?? incident.declaredAt;
  const end = incident.resolvedAt ?? now;
  return Math.max(0, Math.round((end - start) / 60_000));
}

/** `*Duration*\n42 min`, or `*Duration so far*\n42 min` while unresolved. */
export function durationField(incident: Incident, now: number): string {
  const label = incident.resolvedAt === null ? 'Duration so far' : 'Duration';
  return `*${label}*\n${durationMinutes(incident, now)} min`;
}

/** The fallback (notification) text of a message about an incident. */
export function incidentFallback(incident: Incident): string {
  return `${incident.id} (${incident.severity}, ${incident.status}): ${clip(slackSafe(incident.title), FALLBACK_TITLE)}`;
}

/** The pinned incident card: what is going on, at a glance. */
export function incidentCard({ incident, terms, timeZone, now }: CardView): {
  text: string;
  blocks: unknown[];
} {
  const start = incident.startedAt ?? incident.declaredAt;
  const fields = [
    `*Severity*\n${SEVERITY_EMOJI[incident.severity]} ${incident.severity} — ${SEVERITY_LABELS[incident.severity]}`,
    `*Status*\n${STATUS_EMOJI[incident.status]} ${incident.status}`,
    ...roleFields(terms),
    `*Declared*\n${formatTime(incident.declaredAt, timeZone)} by <@${incident.declaredBy}>`,
    `*Impact started*\n${incident.startedAt === null ? '_not set_ (`/incident started`)' : formatTime(start, timeZone)}`,
    durationField(incident, now),
  ];
  if (incident.resolvedAt !== null) fields.push(`*Resolved*\n${formatTime(incident.resolvedAt, timeZone)}`);
  const blocks: Block[] = [
    header(`🔥 ${incident.id}: ${incident.title}`),
    fieldsSection(fields),
    section(`*Title*\n${slackSafe(incident.title)}`),
    context(`Updated ${formatTime(now, timeZone)} · \`/incident help\` for commands`),
  ];
  return { text: incidentFallback(incident), blocks };
}
