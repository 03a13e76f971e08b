/**
 * The App Home tab: open incidents, the person's open action items, recent postmortems, and a slot
 * for insights. Pure: everything comes in the {@link HomeView}. A Home holds at most 100 blocks
 * (SLACK_LIMITS.blocksPerView) however many incidents exist: each list is capped and says how many
 * more there are.
 */
import { SEVERITY_EMOJI, STATUS_EMOJI } from '../../domain/lifecycle';
import { formatTime } from '../../domain/time';
import { type Incident, ROLE_LABELS } from '../../domain/types';
import type { HomeView } from '../../services/replies';
import { SLACK_LIMITS } from '../../shared/slack-limits';
import { escapeSlack, formatUserMention, slackSafe } from '../../shared/slack-text';
import { type Block, clip, context, divider, header, section } from './text';

/** How many of each list a Home shows before "… and N more". */
export const HOME_LISTS = { incidents: 15, actions: 15, postmortems: 5 } as const;

/** Longest incident title, action item text and name shown (escaped characters). */
const TITLE = 150;
const ACTION_TEXT = 300;
const NAME = 80;

/**
 * Blocks the Home itself may use at most: the three lists at their caps with their headers, "more"
 * lines and dividers, the top and the footer. The rest of the 100 is the insights slot's.
 */
export const HOME_OWN_BLOCKS =
  3 + (2 + HOME_LISTS.incidents) + 1 + (2 + HOME_LISTS.actions) + 1 + (2 + HOME_LISTS.postmortems) + 1;

/** Blocks left for the insights section (the `statsHomeBlocks` of the insights work), after its divider. */
export const INSIGHTS_BLOCKS = SLACK_LIMITS.blocksPerView - HOME_OWN_BLOCKS - 1;

/** `42 min`, `3 h 5 min`, `2 d 4 h`: how long ago `from` was. */
export function age(from: number, now: number): string {
  return minutesText(Math.floor((now - from) / 60_000));
}

/** `42 min`, `3 h 5 min`, `2 d 4 h`. */
export function minutesText(whole: number): string {
  const minutes = Math.max(0, whole);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** A person by full name when known, else as a mention (Slack shows it with their name). */
const person = (userId: string, people: Record<string, string>): string => {
  const name = people[userId];
  return name ? clip(escapeSlack(name), NAME) : formatUserMention(userId);
};

const channelOf = (incident: Incident): string =>
  incident.channelId ? `<#${incident.channelId}>` : '_no channel_';

/** `items` capped at `cap` as sections, then "… and N more …" when some are left out. */
function capped<T>(items: readonly T[], cap: number, line: (item: T) => string, more: (n: number) => string) {
  const blocks: Block[] = items.slice(0, cap).map((item) => section(line(item)));
  if (items.length > cap) blocks.push(context(more(items.length - cap)));
  return blocks;
}

/**
 * The Home of one person. `insights` (blocks from the insights work's `statsHomeBlocks`) go in
 * their own section after the lists, cut to {@link INSIGHTS_BLOCKS}; none by default.
 */
export function homeTab(
  view: HomeView,
  insights: readonly unknown[] = [],
): { type: 'home'; blocks: unknown[] } {
  const { timeZone, now, people } = view;
  const openCount = `${view.open.length}${view.openCapped ? '+' : ''}`;
  const blocks: unknown[] = [
    header('🔥 Firewatch'),
    context(`Updated ${formatTime(now, timeZone)} · \`/incident declare\` starts an incident`),
    divider(),
    header(`Open incidents (${openCount})`),
    ...(view.open.length === 0
      ? [section('_No open incidents._ :tada:')]
      : capped(
          view.open,
          HOME_LISTS.incidents,
          ({ incident, commander }) =>
            `${SEVERITY_EMOJI[incident.severity]} *${incident.id}* · ${incident.severity} · ` +
            `${STATUS_EMOJI[incident.status]} ${incident.status} · ${channelOf(incident)}\n` +
            `${clip(slackSafe(incident.title), TITLE)}\n` +
            `${ROLE_LABELS.ic}: ${commander ? person(commander, people) : '_unassigned_'} · ` +
            `open for ${age(incident.declaredAt, now)}${incident.isPrivate ? ' · :lock: private' : ''}`,
          (n) =>
            `… and ${n}${view.openCapped ? '+' : ''} more open incidents: \`/incident list\` shows them all.`,
        )),
    divider(),
    header(`Your open action items (${view.actions.length})`),
    ...(view.actions.length === 0
      ? [section('_Nothing assigned to you._')]
      : capped(
          view.actions,
          HOME_LISTS.actions,
          ({ incident, item, overdue }) =>
            `*${incident.id}* #${item.seq} · ${clip(slackSafe(item.text), ACTION_TEXT)}\n` +
            `${item.due === null ? 'No due date' : `Due ${item.due}`}${overdue ? ' · :warning: *overdue*' : ''}` +
            ` · ${item.priority} · ${channelOf(incident)} (\`/incident done ${item.seq}\` there)`,
          (n) => `… and ${n} more of your action items: \`/incident actions\` in each channel lists them.`,
        )),
    divider(),
    header('Recent postmortems'),
    ...(view.postmortems.length === 0
      ? [section('_No postmortems yet._')]
      : capped(
          view.postmortems,
          HOME_LISTS.postmortems,
          (incident) =>
            `${SEVERITY_EMOJI[incident.severity]} *${incident.id}* ${incident.severity} · ` +
            `${clip(slackSafe(incident.title), TITLE)}\n` +
            `Closed ${incident.closedAt === null ? '' : formatTime(incident.closedAt, timeZone)} · ` +
            `postmortem posted in ${channelOf(incident)}`,
          (n) => `… and ${n} more recently closed incidents.`,
        )),
  ];
  // The insights slot: whatever the insights work draws, within what the Home leaves free.
  if (insights.length > 0) blocks.push(divider(), ...insights.slice(0, INSIGHTS_BLOCKS));
  blocks.push(context(`Status-update reminders: ${view.reminders} · Times in ${timeZone}`));
  return { type: 'home', blocks };
}
