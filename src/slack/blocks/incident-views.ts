import { SEVERITY_EMOJI, STATUS_EMOJI } from '../../domain/lifecycle';
import { formatTime } from '../../domain/time';
import { type Incident, SEVERITY_LABELS } from '../../domain/types';
import type { ShowReply } from '../../services/replies';
import { MESSAGE_BUDGET } from '../../shared/slack-limits';
import { slackSafe } from '../../shared/slack-text';
import { durationField, incidentFallback, roleFields } from './card';
import {
  type Block,
  clip,
  context,
  costOf,
  fieldsSection,
  header,
  remaining,
  section,
  sectionsWithin,
} from './text';

/** Longest title (escaped) in a line of `/incident list`. */
const LIST_TITLE = 150;
/** Longest "detected by" text (escaped) in `/incident show`. */
const DETECTED_BY = 500;

const line = (i: Incident, timeZone: string) =>
  `${SEVERITY_EMOJI[i.severity]} *${i.id}* ${i.severity} · ${i.status} · ${
    i.channelId ? `<#${i.channelId}>` : '_no channel yet_'
  } — ${clip(slackSafe(i.title), LIST_TITLE)} _(declared ${formatTime(i.declaredAt, timeZone)})_`;

const more = (kind: string) => (n: number) => `… and ${n} more ${kind}`;

/** `/incident list`: open incidents first, then recently closed ones, within one message's budget. */
export function incidentList(open: Incident[], closed: Incident[], timeZone: string) {
  const openHeader = header('Open incidents');
  const closedHeader = header('Recently resolved or closed');
  const noneOpen = section('_No open incidents._ :tada:');
  const noneClosed = section('_None yet._');
  const moreOpen = more('open incidents');
  const moreClosed = more('resolved or closed incidents');
  // The open list may use everything but the smallest form of the closed part.
  const closedMinimum = closed.length ? context(moreClosed(closed.length)) : noneClosed;
  const openBlocks: Block[] = open.length
    ? sectionsWithin(
        open.map((i) => line(i, timeZone)),
        remaining(MESSAGE_BUDGET, costOf([openHeader, closedHeader, closedMinimum])),
        { more: moreOpen },
      ).blocks
    : [noneOpen];
  const closedBlocks: Block[] = closed.length
    ? sectionsWithin(
        closed.map((i) => line(i, timeZone)),
        remaining(MESSAGE_BUDGET, costOf([openHeader, ...openBlocks, closedHeader])),
        { more: moreClosed },
      ).blocks
    : [noneClosed];
  return {
    text: `${open.length} open incident(s), ${closed.length} recently closed`,
    blocks: [openHeader, ...openBlocks, closedHeader, ...closedBlocks],
  };
}

/** What `/incident show` draws (the service's view model). */
export type SummaryView = Omit<ShowReply, 'kind'>;

const t = (at: number | null, tz: string) => (at === null ? '—' : formatTime(at, tz));

/** `/incident show`: the incident's state, roles, times and counts. */
export function incidentSummary({ incident, terms, timeline, actions, timeZone, now }: SummaryView) {
  const openActions = actions.filter((a) => a.status === 'open').length;
  const detectedBy = incident.detectedBy === null ? `<@${incident.declaredBy}>` : incident.detectedBy;
  return {
    text: incidentFallback(incident),
    blocks: [
      header(`${incident.id}: ${incident.title}`),
      fieldsSection([
        `*Severity*\n${SEVERITY_EMOJI[incident.severity]} ${incident.severity} — ${SEVERITY_LABELS[incident.severity]}`,
        `*Status*\n${STATUS_EMOJI[incident.status]} ${incident.status}`,
        ...roleFields(terms),
        durationField(incident, now),
        `*Counts*\n${timeline.length} timeline entries · ${openActions}/${actions.length} actions open`,
      ]),
      section(
        [
          `*Impact started:* ${t(incident.startedAt, timeZone)}`,
          `*Detected:* ${t(incident.detectedAt ?? incident.declaredAt, timeZone)} by ${clip(
            slackSafe(detectedBy),
            DETECTED_BY,
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
