import type { Reply } from '../services/replies';
import { actionsList } from './blocks/actions-list';
import { incidentList, incidentSummary } from './blocks/incident-views';
import { statsMessage } from './blocks/stats';

/** A command's answer as Slack takes it: fallback text, optional blocks, and who sees it. */
export interface SlackReply {
  text: string;
  blocks?: unknown[];
  inChannel?: boolean;
}

/** Draws what the incident service said: text as it is, view models in Block Kit. */
export function renderReply(reply: Reply): SlackReply {
  switch (reply.kind) {
    case 'text':
      return { text: reply.text, ...(reply.inChannel ? { inChannel: true } : {}) };
    case 'list':
      return incidentList(reply.open, reply.closed, reply.timeZone);
    case 'show':
      return incidentSummary(reply);
    case 'actions':
      return actionsList(reply.incident, reply.actions);
    case 'stats':
      return statsMessage(reply.insights);
  }
}
