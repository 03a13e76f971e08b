/**
 * Who may do what in an incident. Pure: the caller says who acts, who is in the channel, who the
 * admins are and which role terms are in force; the answer is a refusal (with a message that says
 * who may) or null.
 *
 * The policy, as the README states it:
 * - reading (`show`, `actions`) is open to anyone who can see the incident: everyone for a public
 *   incident, its channel's members for a private one;
 * - every other command is for members of the incident channel (the Slack norm), role holders and
 *   Firewatch admins;
 * - `close`, `reopen`, lowering the severity and taking a role someone else holds are for the
 *   current role holders and Firewatch admins only.
 */
import type { IncidentCommand } from './command';
import { currentRoles } from './lifecycle';
import { type Incident, ROLE_LABELS, ROLES, type RoleName, type RoleTerm, SEVERITIES } from './types';

/** Who is asking, as the service knows it. */
export interface Requester {
  userId: string;
  /** Whether the person is a member of the incident channel. */
  member: boolean;
  /** User ids from FIREWATCH_ADMINS. */
  admins: readonly string[];
}

export interface Refusal {
  code: 'not_a_member' | 'not_permitted';
  message: string;
}

/** The commands that only read. */
const READS: ReadonlySet<IncidentCommand['kind']> = new Set(['show', 'actions']);

/** A lower severity is a larger number: P1 → P3 lowers it. */
export function lowersSeverity(from: Incident['severity'], to: Incident['severity']): boolean {
  return SEVERITIES.indexOf(to) > SEVERITIES.indexOf(from);
}

/** The people holding a role now, each with the roles they hold, in role order. */
export function roleHolders(terms: readonly RoleTerm[]): Map<string, RoleName[]> {
  const current = currentRoles(terms);
  const holders = new Map<string, RoleName[]>();
  for (const role of ROLES) {
    const term = current[role];
    if (!term) continue;
    holders.set(term.userId, [...(holders.get(term.userId) ?? []), role]);
  }
  return holders;
}

/** "<@U1> (Incident Commander), <@U2> (Technical Lead)", or a plain phrase when nobody holds a role. */
function holdersPhrase(holders: Map<string, RoleName[]>): string {
  if (holders.size === 0) return 'nobody holds a role yet';
  return [...holders]
    .map(([userId, roles]) => `<@${userId}> (${roles.map((r) => ROLE_LABELS[r]).join(', ')})`)
    .join(', ');
}

/** What a restricted command is called in a refusal. */
function restrictedWhat(command: IncidentCommand, incident: Incident): string | null {
  switch (command.kind) {
    case 'close':
      return `close ${incident.id}`;
    case 'reopen':
      return `reopen ${incident.id}`;
    case 'severity':
      return lowersSeverity(incident.severity, command.severity)
        ? `lower the severity of ${incident.id} (${incident.severity} → ${command.severity})`
        : null;
    default:
      return null;
  }
}

/**
 * Whether `who` may see the incident at all, e.g. in `/incident list`: a public incident everyone,
 * a private one only the members of its channel, its role holders and Firewatch admins.
 */
export function maySee(incident: Incident, terms: readonly RoleTerm[], who: Requester): boolean {
  if (!incident.isPrivate || who.member || who.admins.includes(who.userId)) return true;
  return roleHolders(terms).has(who.userId);
}

/**
 * May `who` run `command` on `incident`? Null when allowed; otherwise a refusal that says who may.
 * `terms` are the incident's role terms (any, the current ones are picked out here).
 */
export function authorize(
  command: IncidentCommand,
  incident: Incident,
  terms: readonly RoleTerm[],
  who: Requester,
  opts: { private?: boolean } = {},
): Refusal | null {
  const admin = who.admins.includes(who.userId);
  if (admin) return null;
  const holders = roleHolders(terms);
  const holder = holders.has(who.userId);
  const channel = incident.channelName ? `#${incident.channelName}` : 'the incident channel';

  if (READS.has(command.kind) && !opts.private) return null;
  if (READS.has(command.kind) && !who.member && !holder) {
    return {
      code: 'not_a_member',
      message: `${incident.id} is private: only members of ${channel} and Firewatch admins may see it.`,
    };
  }
  if (!who.member && !holder) {
    return {
      code: 'not_a_member',
      message: `Only members of ${channel} may change ${incident.id}. Join the channel first.`,
    };
  }

  let what = restrictedWhat(command, incident);
  if (command.kind === 'role') {
    const current = currentRoles(terms)[command.role];
    if (current && current.userId !== who.userId && current.userId !== command.userId) {
      what = `take the ${ROLE_LABELS[command.role]} role from <@${current.userId}>`;
    }
  }
  if (what === null || holder) return null;
  return {
    code: 'not_permitted',
    message:
      `Only the incident's role holders or a Firewatch admin may ${what}. ` +
      `Role holders now: ${holdersPhrase(holders)}. Ask one of them, or an admin (FIREWATCH_ADMINS).`,
  };
}
