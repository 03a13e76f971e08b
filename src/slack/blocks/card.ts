import { currentRoles, SEVERITY_EMOJI, STATUS_EMOJI } from '../../domain/lifecycle';
import { formatTime } from '../../domain/time';
import { type Incident, ROLE_LABELS, ROLES, type RoleTerm, SEVERITY_LABELS } from '../../domain/types';
import { SLACK_LIMITS } from '../../shared/slack-limits';
import { slackSafe } from '../../shared/slack-text';
import { IDS } from '../ids';
import { plain, severityOption, severityOptions } from './forms';
import { clip, context, fieldsSection, header, mrkdwn, section } from './text';

const ids = IDS.card;

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

/** The card's controls: what may be done to the incident in its status, as buttons and menus. */
function controls(incident: Incident, rev: string) {
  const value = incident.id;
  const closed = incident.status === 'closed';
  const open = incident.status !== 'resolved' && !closed;
  const button = (actionId: string, text: string, style?: 'primary' | 'danger') => ({
    type: 'button',
    action_id: actionId,
    text: plain(text, SLACK_LIMITS.buttonText),
    value,
    ...(style ? { style } : {}),
  });
  const elements: unknown[] = [];
  if (!closed) {
    elements.push({
      type: 'static_select',
      action_id: ids.severityAction,
      placeholder: plain('Severity', SLACK_LIMITS.placeholder),
      initial_option: severityOption(incident.severity),
      options: severityOptions(),
    });
  }
  if (open) elements.push(button(ids.statusAction, 'Change status'));
  if (!closed) elements.push(button(ids.updateAction, 'Post an update'));
  elements.push(button(ids.actionItemAction, 'Add action item'));
  if (open) elements.push(button(ids.resolveAction, 'Resolve', 'primary'));
  if (!closed) elements.push(button(ids.closeAction, 'Close incident'));
  if (!open) {
    elements.push({
      ...button(ids.reopenAction, 'Reopen'),
      confirm: {
        title: plain('Reopen the incident?', SLACK_LIMITS.viewTitle),
        text: plain(
          `${incident.id} goes back to investigating; a later close recompiles the postmortem.`,
          300,
        ),
        confirm: plain('Reopen', SLACK_LIMITS.viewTitle),
        deny: plain('Cancel', SLACK_LIMITS.viewTitle),
      },
    });
  }
  return { type: 'actions', block_id: `${ids.controlsBlock}.${rev}`, elements };
}

/** One section per role with a menu of people (users_select) to hand it to someone. */
function roleSections(terms: readonly RoleTerm[], rev: string) {
  const roles = currentRoles(terms);
  return ROLES.map((role) => {
    const holder = roles[role];
    return {
      type: 'section',
      block_id: `${ids.roleBlock}.${role}.${rev}`,
      text: mrkdwn(`*${ROLE_LABELS[role]}*\n${holder ? `<@${holder.userId}>` : '_unassigned_'}`),
      accessory: {
        type: 'users_select',
        action_id: ids.roleActions[role],
        placeholder: plain(holder ? 'Hand over to…' : 'Assign…', SLACK_LIMITS.placeholder),
        ...(holder ? { initial_user: holder.userId } : {}),
      },
    };
  });
}

/**
 * The pinned incident card: what is going on, at a glance, and the controls to run the incident
 * (role menus, the severity menu, buttons for status, updates, action items, resolve, close and
 * reopen), each offered only where its status allows it. Block ids carry the card's revision (when
 * it was drawn), so that a redraw resets a menu a refused choice was left in.
 */
export function incidentCard({ incident, terms, timeZone, now }: CardView): {
  text: string;
  blocks: unknown[];
} {
  const start = incident.startedAt ?? incident.declaredAt;
  const closed = incident.status === 'closed';
  const rev = now.toString(36);
  const fields = [
    `*Severity*\n${SEVERITY_EMOJI[incident.severity]} ${incident.severity} — ${SEVERITY_LABELS[incident.severity]}`,
    `*Status*\n${STATUS_EMOJI[incident.status]} ${incident.status}`,
    ...(closed ? roleFields(terms) : []),
    `*Declared*\n${formatTime(incident.declaredAt, timeZone)} by <@${incident.declaredBy}>`,
    `*Impact started*\n${incident.startedAt === null ? '_not set_ (`/incident started`)' : formatTime(start, timeZone)}`,
    durationField(incident, now),
  ];
  if (incident.resolvedAt !== null) fields.push(`*Resolved*\n${formatTime(incident.resolvedAt, timeZone)}`);
  const blocks: unknown[] = [
    header(`🔥 ${incident.id}: ${incident.title}`),
    fieldsSection(fields),
    ...(closed ? [] : roleSections(terms, rev)),
    section(`*Title*\n${slackSafe(incident.title)}`),
    controls(incident, rev),
    context(`Updated ${formatTime(now, timeZone)} · the buttons above, or \`/incident help\` for commands`),
  ];
  return { text: incidentFallback(incident), blocks };
}
