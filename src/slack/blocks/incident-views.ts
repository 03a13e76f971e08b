import { slackSafe } from '../../domain/escape';
import { currentRoles, SEVERITY_EMOJI, STATUS_EMOJI } from '../../domain/lifecycle';
import { formatTime } from '../../domain/time';
import {
  type ActionItem,
  type Incident,
  ROLE_LABELS,
  ROLES,
  type RoleTerm,
  SEVERITY_LABELS,
  type TimelineEvent,
} from '../../domain/types';
import { clip, context, fieldsSection, header, LIMITS, section } from './text';

const line = (i: Incident, timeZone: string) =>
  `${SEVERITY_EMOJI[i.severity]} *${i.id}* ${i.severity} · ${i.status} · <#${i.channelId}> — ${slackSafe(
    clip(i.title, 120),
  )} _(declared ${formatTime(i.declaredAt, timeZone)})_`;

/** Lines grouped into sections of at most 3,000 characters. */
function chunked(lines: string[]): ReturnType<typeof section>[] {
  const out: ReturnType<typeof section>[] = [];
  let current = '';
  for (const l of lines) {
    if (current && current.length + l.length + 1 > LIMITS.sectionText) {
      out.push(section(current));
      current = '';
    }
    current = current ? `${current}\n${l}` : l;
  }
  if (current) out.push(section(current));
  return out;
}

/** `/incident list`: open incidents first, then recently closed ones. */
export function incidentList(open: Incident[], closed: Incident[], timeZone: string) {
  const blocks = [
    header('Open incidents'),
    ...(open.length ? chunked(open.map((i) => line(i, timeZone))) : [section('_No open incidents._ :tada:')]),
    header('Recently resolved or closed'),
    ...(closed.length ? chunked(closed.map((i) => line(i, timeZone))) : [section('_None yet._')]),
  ].slice(0, LIMITS.blocksPerMessage);
  return { text: `${open.length} open incident(s), ${closed.length} recently closed`, blocks };
}

export interface SummaryView {
  incident: Incident;
  terms: readonly RoleTerm[];
  timeline: readonly TimelineEvent[];
  actions: readonly ActionItem[];
  timeZone: string;
  now: number;
}

const t = (at: number | null, tz: string) => (at === null ? '—' : formatTime(at, tz));

/** `/incident show`: the incident's state, roles, times and counts. */
export function incidentSummary({ incident, terms, timeline, actions, timeZone, now }: SummaryView) {
  const roles = currentRoles(terms);
  const start = incident.startedAt ?? incident.declaredAt;
  const minutes = Math.max(0, Math.round(((incident.resolvedAt ?? now) - start) / 60_000));
  const openActions = actions.filter((a) => a.status === 'open').length;
  return {
    text: `${incident.id} (${incident.severity}, ${incident.status}): ${slackSafe(incident.title)}`,
    blocks: [
      header(`${incident.id}: ${incident.title}`),
      fieldsSection([
        `*Severity*\n${incident.severity} — ${SEVERITY_LABELS[incident.severity]}`,
        `*Status*\n${STATUS_EMOJI[incident.status]} ${incident.status}`,
        ...ROLES.map((r) => `*${ROLE_LABELS[r]}*\n${roles[r] ? `<@${roles[r].userId}>` : '_unassigned_'}`),
        `*Duration*\n${minutes} min${incident.resolvedAt === null ? ' so far' : ''}`,
        `*Counts*\n${timeline.length} timeline entries · ${openActions}/${actions.length} actions open`,
      ]),
      section(
        [
          `*Impact started:* ${t(incident.startedAt, timeZone)}`,
          `*Detected:* ${t(incident.detectedAt ?? incident.declaredAt, timeZone)} by ${slackSafe(
            incident.detectedBy ?? `<@${incident.declaredBy}>`,
          )}`,
          `*Declared:* ${t(incident.declaredAt, timeZone)} by <@${incident.declaredBy}>`,
          `*Identified:* ${t(incident.identifiedAt, timeZone)}`,
          `*Mitigated:* ${t(incident.mitigatedAt, timeZone)}`,
          `*Resolved:* ${t(incident.resolvedAt, timeZone)}`,
          `*Closed:* ${t(incident.closedAt, timeZone)}`,
        ].join('\n'),
      ),
      context(`Times in ${timeZone}`),
    ],
  };
}
