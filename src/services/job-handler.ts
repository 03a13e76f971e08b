import type { OutboxJob } from '../domain/changes';
import { isUserId } from '../shared/slack-text';
import type { Store, StoredJob } from '../storage';
import type { Clock } from './clock';
import { type JobHandler, mayHaveReachedSlack, PermanentJobError } from './outbox';
import type { Renderer } from './renderer';
import type { SlackGateway } from './slack-gateway';

export interface JobHandlerDeps {
  store: Store;
  slack: SlackGateway;
  clock: Clock;
  /** Draws the incident card (Block Kit lives in the Slack layer). */
  renderer: Pick<Renderer, 'card'>;
  /** The zone the card shows times in. */
  timeZone: string;
  /** Handlers for job types owned by other services (postmortem publishing, message fetches). */
  extra?: Partial<Record<OutboxJob['type'], JobHandler>>;
}

/**
 * Carries out one outbox job against Slack. Throws to have it retried (or failed for good).
 * The card of `refresh_card` is drawn when the job runs, from the incident as it is then.
 * Posts are made once even across a crash or a time-out (see `postOnce`).
 */
export function createJobHandler(deps: JobHandlerDeps): JobHandler {
  /**
   * Posts a job's message once: each post carries the job's key, and a job that may have reached
   * Slack before ({@link mayHaveReachedSlack}) first looks for its post in the channel.
   */
  const postOnce = async (stored: StoredJob, channel: string, text: string, blocks?: unknown[]) => {
    const key = `job-${stored.id}`;
    // A direct message (the channel is a user id: an overdue action item's owner) cannot be looked
    // for: reading the app's DM history takes a scope Firewatch does not ask for. Such a post is
    // at least once: a retry after a time-out may repeat it.
    if (mayHaveReachedSlack(stored) && !isUserId(channel)) {
      const ts = await deps.slack.findPosted(channel, stored.createdAt, { key });
      if (ts) return { ts };
    }
    return deps.slack.postMessage(channel, text, blocks, key);
  };
  return async (stored) => {
    const job = stored.job;
    switch (job.type) {
      case 'post_message': {
        await postOnce(stored, job.channel, job.text, job.blocks);
        if (!job.comms || !stored.incidentId) return undefined;
        // Logged with the job's completion, so a retry never logs twice.
        const incident = await deps.store.getIncident(stored.incidentId);
        return {
          comms: [
            {
              at: job.comms.at ?? deps.clock(),
              channelId: job.channel,
              channelLabel: job.comms.channelLabel,
              summary: job.comms.summary ?? job.text,
              audience: job.comms.audience,
              sentBy: job.comms.sentBy,
              status: job.comms.status ?? incident?.status ?? 'investigating',
            },
          ],
        };
      }
      case 'refresh_card': {
        if (!stored.incidentId) throw new PermanentJobError('refresh_card without an incident');
        // A later refresh is queued: it will draw the newer state, this one has nothing to add.
        if (await deps.store.supersededBy(stored)) return undefined;
        const incident = await deps.store.getIncident(stored.incidentId);
        if (!incident?.channelId) throw new PermanentJobError(`no channel for ${stored.incidentId}`);
        const terms = await deps.store.roleTerms(stored.incidentId);
        const card = deps.renderer.card({ incident, terms, timeZone: deps.timeZone, now: deps.clock() });
        const channel = incident.channelId;
        if (incident.cardTs) {
          await deps.slack.updateMessage(channel, incident.cardTs, card.text, card.blocks);
          return undefined;
        }
        const { ts } = await postOnce(stored, channel, card.text, card.blocks);
        await deps.store.setCardTs(stored.incidentId, ts);
        // Pinning is a job of its own, so a failed pin is retried rather than forgotten.
        return { outbox: [{ type: 'pin_message', channel, ts }] };
      }
      case 'pin_message': {
        await deps.slack.pin(job.channel, job.ts);
        return undefined;
      }
      default: {
        const handler = deps.extra?.[job.type];
        if (!handler) throw new PermanentJobError(`no handler for job type ${job.type}`);
        return handler(stored);
      }
    }
  };
}
