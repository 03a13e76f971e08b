/**
 * The App Home's rules. Pure: incidents, role terms, participants and action items come in as
 * arguments. What a person's Home shows (open incidents, their open action items, recent
 * postmortems) and whose Homes a change makes stale are decided here; reading the store, drawing
 * Block Kit and calling views.publish are the service's and the Slack layer's part.
 */
import type { ChangeSet } from './changes';
import { currentRoles } from './lifecycle';
import { isOverdue } from './reminders';
import type { ActionItem, Incident, RoleTerm } from './types';

/** The most Homes one change republishes (views.publish is rate-limited; the rest refresh on open). */
export const HOME_AUDIENCE_MAX = 100;

/**
 * Whether a change alters what a Home shows: the incident itself (status, severity, title, times,
 * closing), its roles (the Incident Commander is shown), or its action items.
 */
export function touchesHome(change: ChangeSet): boolean {
  return (
    change.incident !== undefined ||
    (change.newRoleTerms?.length ?? 0) > 0 ||
    (change.endRoleTerms?.length ?? 0) > 0 ||
    (change.actions?.length ?? 0) > 0 ||
    (change.actionUpdates?.length ?? 0) > 0
  );
}

/**
 * Whose Homes to republish when an incident changes: the people it concerns, most concerned first
 * (current role holders, owners of its action items, its declarer, then everyone who joined its
 * channel, also those who left: a private incident must leave their Home), each once, at most
 * `max`. Everyone else sees the change the next time they open their Home (`app_home_opened`).
 */
export function homeAudience(
  input: {
    incident: Incident;
    terms: readonly RoleTerm[];
    items: readonly ActionItem[];
    participants: readonly string[];
  },
  max = HOME_AUDIENCE_MAX,
): string[] {
  const roles = currentRoles(input.terms);
  const ordered = [
    ...Object.values(roles).map((term) => term.userId),
    ...input.items.map((item) => item.owner).filter((owner): owner is string => owner !== null),
    input.incident.declaredBy,
    ...input.participants,
  ];
  return [...new Set(ordered)].slice(0, max);
}

/** One of a person's open action items, with its incident. */
export interface MyActionItem {
  incident: Incident;
  item: ActionItem;
  /** Past its due date in the configured zone. */
  overdue: boolean;
}

/**
 * The open action items `userId` owns, most pressing first: overdue ones, then by due date (items
 * without one last), then newest incident first and by number.
 */
export function myActionItems(
  userId: string,
  entries: readonly { incident: Incident; items: readonly ActionItem[] }[],
  timeZone: string,
  now: number,
): MyActionItem[] {
  const mine: MyActionItem[] = [];
  for (const { incident, items } of entries) {
    for (const item of items) {
      if (item.status !== 'open' || item.owner !== userId) continue;
      mine.push({ incident, item, overdue: isOverdue(item, timeZone, now) });
    }
  }
  return mine.sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      compareDue(a.item.due, b.item.due) ||
      b.incident.declaredAt - a.incident.declaredAt ||
      a.item.seq - b.item.seq,
  );
}

const compareDue = (a: string | null, b: string | null): number =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

/** Closed incidents (their postmortem compiled), most recently closed first. */
export function recentlyClosed(incidents: readonly Incident[]): Incident[] {
  return incidents
    .filter((i) => i.status === 'closed')
    .sort((a, b) => (b.closedAt ?? b.declaredAt) - (a.closedAt ?? a.declaredAt));
}
