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
