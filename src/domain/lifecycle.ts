import { slackSafe } from '../shared/slack-text';
import { type ChangeSet, type NewTimelineEvent, type Outcome, refuse } from './changes';
import { formatTime } from './time';
import {
  type ActiveStatus,
  type Incident,
  type IncidentStatus,
  ROLE_LABELS,
  type RoleName,
  type RoleTerm,
  SEVERITY_LABELS,
  type Severity,
} from './types';

/** How many days before its declaration an incident's impact may have started, unless configured. */
export const DEFAULT_IMPACT_WINDOW_DAYS = 30;

const DAY = 24 * 3600_000;

/** Who acts, and when. Time always comes in from outside. */
export interface ActContext {
  actor: string;
  now: number;
  timeZone: string;
  /**
   * FIREWATCH_IMPACT_WINDOW_DAYS: no milestone of the incident (impact start, detection, status
   * changes, resolution) may be more than this many days before its declaration; notes, which may
   * tell of anything earlier, are not held to it. Default {@link DEFAULT_IMPACT_WINDOW_DAYS}.
   */
  impactWindowDays?: number;
}

export const STATUS_EMOJI: Record<IncidentStatus, string> = {
  investigating: ':mag:',
  identified: ':bulb:',
  monitoring: ':eyes:',
  resolved: ':white_check_mark:',
  closed: ':lock:',
};

export const SEVERITY_EMOJI: Record<Severity, string> = {
  P1: ':red_circle:',
  P2: ':large_orange_circle:',
  P3: ':large_yellow_circle:',
  P4: ':large_blue_circle:',
};

const isOpen = (incident: Incident) => incident.status !== 'resolved' && incident.status !== 'closed';

/** The terms in force now, by role. */
export function currentRoles(terms: readonly RoleTerm[]): Partial<Record<RoleName, RoleTerm>> {
  const current: Partial<Record<RoleName, RoleTerm>> = {};
  for (const term of terms) {
    if (term.to !== null) continue;
    const held = current[term.role];
    if (!held || held.from <= term.from) current[term.role] = term;
  }
  return current;
}

function event(
  kind: NewTimelineEvent['kind'],
  at: number,
  ctx: ActContext,
  text: string,
  ref: string | null = null,
): NewTimelineEvent {
  return { kind, at, actor: ctx.actor, text, ref, recordedAt: ctx.now };
}

/** A time as people read it in replies: seconds only when they matter. */
const stamp = (at: number, ctx: ActContext) =>
  formatTime(at, ctx.timeZone, at % 60_000 === 0 ? 'yyyy-MM-dd HH:mm' : 'yyyy-MM-dd HH:mm:ss');

const when = (at: number, ctx: ActContext) => (at === ctx.now ? '' : ` (at ${stamp(at, ctx)})`);

function refuseClosed(incident: Incident, what: string): Outcome | null {
  if (incident.status === 'closed') {
    return refuse(
      'incident_closed',
      `${incident.id} is closed, so ${what} is not possible. Run \`/incident reopen\` first.`,
    );
  }
  return null;
}

/** An incident before it has an id: what a declaration knows. */
export type IncidentDraft = Omit<Incident, 'id' | 'year' | 'seq'>;

/** A fresh incident: investigating, no channel yet, no lifecycle times but the declaration. */
export function draftIncident(input: {
  title: string;
  severity: Severity;
  declaredBy: string;
  originChannelId: string | null;
  declaredAt: number;
  /** Default: a public incident. */
  isPrivate?: boolean;
}): IncidentDraft {
  return {
    ...input,
    isPrivate: input.isPrivate ?? false,
    status: 'investigating',
    channelId: null,
    channelName: null,
    cardTs: null,
    startedAt: null,
    detectedAt: null,
    detectedBy: null,
    identifiedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
    closedAt: null,
  };
}

/** The first state of a new incident: declared, investigating, the declarer as Incident Commander. */
export function declaration(incident: Incident, ctx: ActContext): ChangeSet {
  return {
    incident,
    newRoleTerms: [{ role: 'ic', userId: ctx.actor, from: ctx.now, to: null, assignedBy: ctx.actor }],
    timeline: [
      event('declared', ctx.now, ctx, `Incident declared (${incident.severity}): ${incident.title}`),
      event('role', ctx.now, ctx, `<@${ctx.actor}> is Incident Commander`, 'ic'),
    ],
  };
}

export function assignRole(
  incident: Incident,
  terms: readonly RoleTerm[],
  role: RoleName,
  userId: string,
  ctx: ActContext,
): Outcome {
  const closed = refuseClosed(incident, 'changing roles');
  if (closed) return closed;
  const label = ROLE_LABELS[role];
  const held = currentRoles(terms)[role];
  if (held?.userId === userId) {
    return refuse('role_unchanged', `<@${userId}> is already ${label} of ${incident.id}.`);
  }
  const text = held ? `<@${userId}> is ${label} (was <@${held.userId}>)` : `<@${userId}> is ${label}`;
  return {
    ok: true,
    change: {
      endRoleTerms: held ? [{ role, at: ctx.now }] : [],
      newRoleTerms: [{ role, userId, from: ctx.now, to: null, assignedBy: ctx.actor }],
      timeline: [event('role', ctx.now, ctx, text, role)],
    },
    reply: `<@${userId}> is now ${label}.`,
    notice: `:busts_in_silhouette: ${text} — set by <@${ctx.actor}>`,
  };
}

export function changeSeverity(incident: Incident, severity: Severity, ctx: ActContext): Outcome {
  const closed = refuseClosed(incident, 'changing severity');
  if (closed) return closed;
  if (incident.severity === severity) {
    return refuse('severity_unchanged', `${incident.id} is already ${severity}.`);
  }
  const text = `Severity ${incident.severity} → ${severity} (${SEVERITY_LABELS[severity]})`;
  return {
    ok: true,
    change: {
      incident: { ...incident, severity },
      timeline: [event('severity', ctx.now, ctx, text, severity)],
    },
    reply: `Severity is now ${severity}.`,
    notice: `${SEVERITY_EMOJI[severity]} ${text} — set by <@${ctx.actor}>`,
  };
}

/** The earliest time anything of the incident may be dated: the impact window before its declaration. */
export function earliestAllowedTime(incident: Incident, ctx: ActContext): number {
  return incident.declaredAt - (ctx.impactWindowDays ?? DEFAULT_IMPACT_WINDOW_DAYS) * DAY;
}

/** Nothing has happened yet in the future. */
function futureRefusal(at: number, what: string, ctx: ActContext): Outcome {
  return refuse(
    'time_in_future',
    `${what} (${stamp(at, ctx)}) cannot be in the future (it is now ${stamp(ctx.now, ctx)}). ` +
      'Expected a time in the past: when it happened.',
  );
}

/**
 * Refuses a time in the future (nothing has happened yet then) or before the impact window
 * (FIREWATCH_IMPACT_WINDOW_DAYS before the declaration): both are typing mistakes, and would
 * turn into nonsense durations in the postmortem.
 */
function refuseOutsideWindow(incident: Incident, at: number, what: string, ctx: ActContext): Outcome | null {
  if (at > ctx.now) return futureRefusal(at, what, ctx);
  const earliest = earliestAllowedTime(incident, ctx);
  if (at < earliest) {
    const days = ctx.impactWindowDays ?? DEFAULT_IMPACT_WINDOW_DAYS;
    return refuse(
      'time_outside_window',
      `${what} (${stamp(at, ctx)}) is more than ${days} day${days === 1 ? '' : 's'} before ${incident.id} ` +
        `was declared (${stamp(incident.declaredAt, ctx)}). Expected a time from ${stamp(earliest, ctx)} ` +
        'to now (the window is set by FIREWATCH_IMPACT_WINDOW_DAYS).',
    );
  }
  return null;
}

function refuseBeforeStart(incident: Incident, at: number, what: string, ctx: ActContext): Outcome | null {
  const start = incident.startedAt ?? incident.declaredAt;
  if (at < start) {
    return refuse('time_before_start', `${what} cannot be before the impact started (${stamp(start, ctx)}).`);
  }
  return null;
}

/**
 * Refuses a (possibly backdated) time that would put the incident's milestones out of order:
 * each rule names a milestone that must come before (or after) `at`.
 */
function refuseOutOfOrder(
  what: string,
  at: number,
  rules: { label: string; time: number | null; must: 'be after' | 'be before' }[],
  ctx: ActContext,
): Outcome | null {
  for (const rule of rules) {
    if (rule.time === null) continue;
    const bad = rule.must === 'be after' ? at < rule.time : at > rule.time;
    if (bad) {
      const order = rule.must === 'be after' ? 'before' : 'after';
      return refuse(
        'time_out_of_order',
        `${what} (${stamp(at, ctx)}) cannot be ${order} ${rule.label} (${stamp(rule.time, ctx)}).`,
      );
    }
  }
  return null;
}

export function changeStatus(
  incident: Incident,
  status: ActiveStatus,
  at: number,
  message: string | null,
  ctx: ActContext,
): Outcome {
  const closed = refuseClosed(incident, 'changing status');
  if (closed) return closed;
  if (incident.status === 'resolved') {
    return refuse(
      'incident_resolved',
      `${incident.id} is resolved. Run \`/incident reopen\` to go back to investigating.`,
    );
  }
  if (incident.status === status) {
    return refuse('status_unchanged', `${incident.id} is already ${status}.`);
  }
  const outside = refuseOutsideWindow(incident, at, 'A status change', ctx);
  if (outside) return outside;
  const early = refuseBeforeStart(incident, at, 'A status change', ctx);
  if (early) return early;
  if (status === 'monitoring') {
    const order = refuseOutOfOrder(
      'Mitigation',
      at,
      [{ label: 'the identification', time: incident.identifiedAt, must: 'be after' }],
      ctx,
    );
    if (order) return order;
  }
  // After a reopen the earlier resolution no longer holds once the incident is worked on again.
  const next: Incident = { ...incident, status, resolvedAt: null };
  if (status === 'identified' && next.identifiedAt === null) next.identifiedAt = at;
  if (status === 'monitoring' && next.mitigatedAt === null) next.mitigatedAt = at;
  const detail = message ? `: ${message}` : '';
  const text = `Status ${incident.status} → ${status}${detail}`;
  const change: ChangeSet = {
    incident: next,
    timeline: [event('status', at, ctx, text, status)],
  };
  return {
    ok: true,
    change,
    reply: `Status is now ${status}${when(at, ctx)}.`,
    notice: `${STATUS_EMOJI[status]} *Status: ${status}*${when(at, ctx)} — <@${ctx.actor}>${
      message ? `\n>${slackSafe(message)}` : ''
    }`,
  };
}

export function resolveIncident(
  incident: Incident,
  at: number,
  message: string | null,
  ctx: ActContext,
): Outcome {
  if (incident.status === 'closed') {
    return refuse(
      'incident_closed',
      `${incident.id} is already closed, so it cannot be resolved. Run \`/incident reopen\` first if it broke again.`,
    );
  }
  if (incident.status === 'resolved') {
    return refuse(
      'already_resolved',
      `${incident.id} is already resolved. Run \`/incident close\` to finish it.`,
    );
  }
  const outside = refuseOutsideWindow(incident, at, 'The resolution', ctx);
  if (outside) return outside;
  const early = refuseBeforeStart(incident, at, 'The resolution', ctx);
  if (early) return early;
  const order = refuseOutOfOrder(
    'The resolution',
    at,
    [
      { label: 'the detection', time: incident.detectedAt, must: 'be after' },
      { label: 'the identification', time: incident.identifiedAt, must: 'be after' },
      { label: 'the mitigation', time: incident.mitigatedAt, must: 'be after' },
    ],
    ctx,
  );
  if (order) return order;
  const text = `Resolved${message ? `: ${message}` : ''}`;
  return {
    ok: true,
    change: {
      incident: { ...incident, status: 'resolved', resolvedAt: at },
      timeline: [event('resolved', at, ctx, text, 'resolved')],
    },
    reply: `${incident.id} is resolved${when(at, ctx)}. Run \`/incident close\` to compile the postmortem.`,
    notice: `${STATUS_EMOJI.resolved} *Resolved*${when(at, ctx)} — <@${ctx.actor}>${
      message ? `\n>${slackSafe(message)}` : ''
    }`,
  };
}

export function closeIncident(incident: Incident, ctx: ActContext): Outcome {
  if (incident.status === 'closed') {
    return refuse(
      'already_closed',
      `${incident.id} is already closed. Run \`/incident reopen\` to reopen it.`,
    );
  }
  const timeline: NewTimelineEvent[] = [];
  // Resolved, or reopened without any status change since: the recorded resolution stands (a
  // reopen to add late edits must not move the end of the incident).
  let resolvedAt = incident.resolvedAt;
  if (resolvedAt === null) {
    resolvedAt = ctx.now;
    timeline.push(event('resolved', ctx.now, ctx, 'Resolved (on close)', 'resolved'));
  }
  timeline.push(event('closed', ctx.now, ctx, 'Incident closed', 'closed'));
  return {
    ok: true,
    change: {
      incident: { ...incident, status: 'closed', resolvedAt, closedAt: ctx.now },
      timeline,
    },
    reply: `${incident.id} is closed. Compiling the postmortem…`,
    notice: `${STATUS_EMOJI.closed} *${incident.id} closed* by <@${ctx.actor}>.`,
  };
}

export function reopenIncident(incident: Incident, ctx: ActContext): Outcome {
  if (isOpen(incident)) {
    return refuse(
      'not_resolved',
      `${incident.id} is still ${incident.status}; only a resolved or closed incident can be reopened.`,
    );
  }
  return {
    ok: true,
    change: {
      // resolvedAt is kept until the incident is worked on again (a status change or a new resolve).
      incident: { ...incident, status: 'investigating', closedAt: null },
      timeline: [event('reopened', ctx.now, ctx, `Reopened (was ${incident.status})`, 'investigating')],
    },
    reply: `${incident.id} is open again (investigating). A later close recompiles the postmortem.`,
    notice: `${STATUS_EMOJI.investigating} *${incident.id} reopened* by <@${ctx.actor}> — investigating.`,
  };
}

export function setStarted(incident: Incident, at: number, ctx: ActContext): Outcome {
  const closed = refuseClosed(incident, 'changing the impact start');
  if (closed) return closed;
  const outside = refuseOutsideWindow(incident, at, 'The impact start', ctx);
  if (outside) return outside;
  if (incident.resolvedAt !== null && at > incident.resolvedAt) {
    return refuse('start_after_resolution', 'The impact cannot start after the incident was resolved.');
  }
  if (incident.detectedAt !== null && at > incident.detectedAt) {
    return refuse('start_after_detection', 'The impact cannot start after it was detected.');
  }
  const order = refuseOutOfOrder(
    'The impact start',
    at,
    [
      { label: 'the identification', time: incident.identifiedAt, must: 'be before' },
      { label: 'the mitigation', time: incident.mitigatedAt, must: 'be before' },
    ],
    ctx,
  );
  if (order) return order;
  const text = `Impact started at ${stamp(at, ctx)}`;
  return {
    ok: true,
    change: {
      incident: { ...incident, startedAt: at },
      timeline: [event('started', at, ctx, 'Impact started', 'started')],
    },
    reply: `${text}.`,
    notice: `:stopwatch: ${text} — set by <@${ctx.actor}>`,
  };
}

export function setDetected(incident: Incident, at: number, by: string | null, ctx: ActContext): Outcome {
  const closed = refuseClosed(incident, 'changing detection');
  if (closed) return closed;
  const outside = refuseOutsideWindow(incident, at, 'Detection', ctx);
  if (outside) return outside;
  const early = refuseBeforeStart(incident, at, 'Detection', ctx);
  if (early) return early;
  const order = refuseOutOfOrder(
    'Detection',
    at,
    [{ label: 'the resolution', time: incident.resolvedAt, must: 'be before' }],
    ctx,
  );
  if (order) return order;
  const who = by ?? `<@${ctx.actor}>`;
  const text = `Detected at ${stamp(at, ctx)} by ${who}`;
  return {
    ok: true,
    change: {
      incident: { ...incident, detectedAt: at, detectedBy: by ?? `<@${ctx.actor}>` },
      timeline: [event('detected', at, ctx, `Detected by ${who}`, 'detected')],
    },
    reply: `${slackSafe(text)}.`,
    notice: `:rotating_light: ${slackSafe(text)} — set by <@${ctx.actor}>`,
  };
}

/** A status update: the communication log's source. Allowed until the incident is closed. */
export function statusUpdate(incident: Incident, message: string, ctx: ActContext): Outcome {
  const closed = refuseClosed(incident, 'posting an update');
  if (closed) return closed;
  return {
    ok: true,
    change: { timeline: [event('update', ctx.now, ctx, `Status update: ${message}`, incident.status)] },
    reply: 'Update posted.',
    notice: null,
  };
}

/** A timeline entry written by hand, at its own (possibly backdated) time, never in the future. */
export function addNote(incident: Incident, at: number, text: string, ctx: ActContext): Outcome {
  const closed = refuseClosed(incident, 'adding a note');
  if (closed) return closed;
  // A note may tell anything that happened before (a deploy, an alert, last year's outage): only
  // the future is refused.
  if (at > ctx.now) return futureRefusal(at, 'A note', ctx);
  return {
    ok: true,
    change: { timeline: [event('note', at, ctx, text, null)] },
    reply: `Noted on the timeline${when(at, ctx)}.`,
    notice: null,
  };
}
