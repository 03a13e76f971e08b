import type { Insights } from '../domain/insights';
import type { ActionItem, Incident, RoleTerm, TimelineEvent } from '../domain/types';

/**
 * What the incident service answers a command with: what to say, never how it looks. The Slack
 * layer draws it (src/slack/replies.ts): plain text as it is, the view models below in Block Kit.
 * Each view model carries everything its picture needs (the zone, "now"), so drawing is pure.
 */
export type Reply = TextReply | ListReply | ShowReply | ActionsReply | StatsReply;

/** A short answer in Slack mrkdwn. */
export interface TextReply {
  kind: 'text';
  text: string;
  /** Ephemeral unless said otherwise. */
  inChannel?: boolean;
}

/** `/incident list`: open incidents, then recently resolved or closed ones. */
export interface ListReply {
  kind: 'list';
  open: Incident[];
  closed: Incident[];
  timeZone: string;
}

/** `/incident show`: one incident's state, roles, times and counts. */
export interface ShowReply {
  kind: 'show';
  incident: Incident;
  terms: readonly RoleTerm[];
  timeline: readonly TimelineEvent[];
  actions: readonly ActionItem[];
  timeZone: string;
  now: number;
}

/** `/incident actions`: every action item of one incident. */
export interface ActionsReply {
  kind: 'actions';
  incident: Incident;
  actions: readonly ActionItem[];
}

/** `/incident stats`: insights over a period against the previous one (ephemeral). */
export interface StatsReply {
  kind: 'stats';
  insights: Insights;
}

/** A {@link TextReply}. */
export const say = (text: string): TextReply => ({ kind: 'text', text });

/**
 * A person's App Home: what is going on and what is theirs to do. Drawn by the Slack layer
 * (`homeTab` in src/slack/blocks/home.ts), which caps each list and says how many more there are.
 */
export interface HomeView {
  userId: string;
  timeZone: string;
  now: number;
  /** Open incidents the person may see (private ones only for their members), newest first. */
  open: { incident: Incident; commander: string | null }[];
  /** More open incidents exist than were read: the count shown is a lower bound. */
  openCapped: boolean;
  /** The person's open action items, most pressing first. */
  actions: { incident: Incident; item: ActionItem; overdue: boolean }[];
  /** Closed incidents the person may see, most recently closed first: each has its postmortem. */
  postmortems: Incident[];
  /** Full names (Slack's real_name) of the people shown, by user id; others are shown as mentions. */
  people: Record<string, string>;
  /** How often the roles are nudged for a status update (FIREWATCH_UPDATE_REMINDERS), in words. */
  reminders: string;
  /** Insights across incidents for the stats section (the last 30 days), or null: no section. */
  insights: Insights | null;
}
