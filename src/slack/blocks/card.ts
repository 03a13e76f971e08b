import { slackSafe } from '../../domain/escape';
import { currentRoles, SEVERITY_EMOJI, STATUS_EMOJI } from '../../domain/lifecycle';
import { formatTime } from '../../domain/time';
import { type Incident, ROLE_LABELS, ROLES, type RoleTerm, SEVERITY_LABELS } from '../../domain/types';
import { context, fieldsSection, header, section } from './text';

export interface CardView {
  incident: Incident;
  terms: readonly RoleTerm[];
  timeZone: string;
  now: number;
}

const minutesBetween = (from: number, to: number) => Math.max(0, Math.round((to - from) / 60_000));

/** The pinned incident card: what is going on, at a glance. */
export function incidentCard({ incident, terms, timeZone, now }: CardView): {
  text: string;
  blocks: unknown[];
} {
  const roles = currentRoles(terms);
  const start = incident.startedAt ?? incident.declaredAt;
  const end = incident.resolvedAt ?? now;
  const fields = [
    `*Severity*\n${SEVERITY_EMOJI[incident.severity]} ${incident.severity} — ${SEVERITY_LABELS[incident.severity]}`,
    `*Status*\n${STATUS_EMOJI[incident.status]} ${incident.status}`,
    ...ROLES.map(
      (role) => `*${ROLE_LABELS[role]}*\n${roles[role] ? `<@${roles[role].userId}>` : '_unassigned_'}`,
    ),
    `*Declared*\n${formatTime(incident.declaredAt, timeZone)} by <@${incident.declaredBy}>`,
    `*Impact started*\n${incident.startedAt === null ? '_not set_ (`/incident started`)' : formatTime(start, timeZone)}`,
    `*${incident.resolvedAt === null ? 'Duration so far' : 'Duration'}*\n${minutesBetween(start, end)} min`,
  ];
  if (incident.resolvedAt !== null) fields.push(`*Resolved*\n${formatTime(incident.resolvedAt, timeZone)}`);
  const title = `${incident.id}: ${incident.title}`;
  return {
    text: `${incident.id} (${incident.severity}, ${incident.status}): ${slackSafe(incident.title)}`,
    blocks: [
      header(`🔥 ${title}`),
      fieldsSection(fields),
      section(`*Title*\n${slackSafe(incident.title)}`),
      context(`Updated ${formatTime(now, timeZone)} · \`/incident help\` for commands`),
    ],
  };
}
