import type { ChangeSet, OutboxJob } from '../domain/changes';
import type { Store, StoredJob } from '../storage';
import type { Clock } from './clock';
import { PermanentJobError } from './outbox';
import type { SlackGateway } from './slack-gateway';

export interface EffectDeps {
  store: Store;
  slack: SlackGateway;
  clock: Clock;
  /** The current card of an incident (built by the incident service). */
  card: (incidentId: string) => Promise<{
    incident: { channelId: string | null; cardTs: string | null; status: string };
    text: string;
    blocks: unknown[];
  } | null>;
  /** Handlers for job types owned by other services (postmortem publishing, message fetches). */
  extra?: Partial<Record<OutboxJob['type'], (job: StoredJob) => Promise<ChangeSet | undefined>>>;
}

/** Carries out one outbox job against Slack. Throws to have it retried (or failed for good). */
export function createJobHandler(deps: EffectDeps): (stored: StoredJob) => Promise<ChangeSet | undefined> {
  return async (stored) => {
    const job = stored.job;
    switch (job.type) {
      case 'post_message': {
        await deps.slack.postMessage(job.channel, job.text, job.blocks);
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
        const card = await deps.card(stored.incidentId);
        if (!card?.incident.channelId) throw new PermanentJobError(`no channel for ${stored.incidentId}`);
        const channel = card.incident.channelId;
        if (card.incident.cardTs) {
          await deps.slack.updateMessage(channel, card.incident.cardTs, card.text, card.blocks);
          return undefined;
        }
        const { ts } = await deps.slack.postMessage(channel, card.text, card.blocks);
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
