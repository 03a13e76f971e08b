import { TZDate } from '@date-fns/tz';
import type { ChangeSet, OutboxJob, Outcome } from '../domain/changes';
import {
  type IncidentCommand,
  needsIncidentChannel,
  parseIncidentCommand,
  USAGE,
  usageOf,
} from '../domain/command';
import {
  type ActContext,
  addNote,
  assignRole,
  changeSeverity,
  changeStatus,
  closeIncident,
  declaration,
  draftIncident,
  reopenIncident,
  resolveIncident,
  SEVERITY_EMOJI,
  setDetected,
  setStarted,
  statusUpdate,
} from '../domain/lifecycle';
import { addAction, completeAction, setField } from '../domain/records';
import { incidentChannelName } from '../domain/slug';
import type { Incident, Severity } from '../domain/types';
import { mentionLabels, slackSafe } from '../shared/slack-text';
import type { Store } from '../storage';
import type { BackgroundTasks } from './background-tasks';
import type { Clock } from './clock';
import { KeyedMutex } from './keyed-mutex';
import type { OutboxWorker } from './outbox';
import type { Renderer } from './renderer';
import { type Reply, say } from './replies';
import type { Responder, SlackGateway } from './slack-gateway';

/** Who ran a command, where, and how to answer them later. */
export interface CallerContext {
  userId: string;
  channelId: string;
  triggerId: string | null;
  /** The caller's name as the slash command gives it, remembered for documents. */
  userName?: string | null;
  /** The slash command's response_url (valid 30 minutes), for later word to the person who asked. */
  responseUrl?: string | null;
  responder: Responder;
}

export interface ServiceSettings {
  timeZone: string;
  announceChannel: string | null;
}

export interface ServiceDeps {
  store: Store;
  slack: SlackGateway;
  clock: Clock;
  outbox: OutboxWorker;
  tasks: BackgroundTasks;
  settings: ServiceSettings;
  /** Draws the declare modal (Block Kit lives in the Slack layer). */
  renderer: Pick<Renderer, 'declareModal'>;
}

const MAX_CHANNEL_ATTEMPTS = 10;
const MAX_TITLE = 200;

/** Runs `/incident`: every change is committed (with its Slack work queued in the outbox) before the reply. */
export class IncidentService {
  private readonly locks = new KeyedMutex();

  constructor(private readonly deps: ServiceDeps) {}

  get settings(): ServiceSettings {
    return this.deps.settings;
  }

  /** Parses and runs one `/incident` invocation; returns what to acknowledge with (drawn by src/slack/). */
  async handleCommand(text: string, ctx: CallerContext): Promise<Reply> {
    const now = this.deps.clock();
    await this.rememberNames(text, ctx, now);
    const parsed = parseIncidentCommand(text, { now, timeZone: this.settings.timeZone });
    if (!parsed.ok) return say(`:warning: ${parsed.error.message}`);
    const command = parsed.command;
    if (!needsIncidentChannel(command)) return this.runAnywhere(command, ctx);

    const found = await this.deps.store.findIncidentByChannel(ctx.channelId);
    if (!found) {
      return say(
        ':warning: This command works only in an incident channel. Run it in the channel of the incident ' +
          '(see `/incident list`), or start one with `/incident declare [P1-P4] <title>`.',
      );
    }
    return this.locks.run(found.id, async () => {
      // Re-read inside the lock: another command may have changed it meanwhile.
      const incident = (await this.deps.store.getIncident(found.id)) ?? found;
      const act: ActContext = { actor: ctx.userId, now: this.deps.clock(), timeZone: this.settings.timeZone };
      return this.runInIncident(command, incident, act, ctx.responseUrl ?? null);
    });
  }

  /** Names Slack hands us for free: the caller's, and the labels of `<@U…|name>` mentions. */
  private async rememberNames(text: string, ctx: CallerContext, now: number): Promise<void> {
    const names: Record<string, string> = {};
    if (ctx.userName) names[ctx.userId] = ctx.userName;
    Object.assign(names, mentionLabels(text));
    if (Object.keys(names).length > 0) await this.deps.store.savePeople(names, now);
  }

  private async runAnywhere(command: IncidentCommand, ctx: CallerContext): Promise<Reply> {
    switch (command.kind) {
      case 'help':
        return say(USAGE);
      case 'list': {
        const [open, closed] = await Promise.all([
          this.deps.store.listIncidents('open', 20),
          this.deps.store.listIncidents('closed', 10),
        ]);
        return { kind: 'list', open, closed, timeZone: this.settings.timeZone };
      }
      case 'declare': {
        if (command.title === null) {
          if (!ctx.triggerId) return say(`:warning: Give the incident a title.\n${usageOf('declare')}`);
          const view = this.deps.renderer.declareModal(ctx.channelId);
          const triggerId = ctx.triggerId;
          this.deps.tasks.run('open declare modal', () => this.deps.slack.openModal(triggerId, view));
          return say('Opening the declare form…');
        }
        if (command.title.length > MAX_TITLE) {
          return say(`:warning: The title is ${command.title.length} characters; keep it to ${MAX_TITLE}.`);
        }
        const { title, severity } = command;
        this.deps.tasks.run('declare incident', () => this.declare(title, severity, ctx));
        return say(`Declaring a ${severity} incident: ${slackSafe(title)}…`);
      }
      default:
        return say(USAGE);
    }
  }

  /**
   * Declares an incident: allocate the id, create its channel (a suffix on a name clash), then commit.
   * If Slack refuses the channel, the incident is removed again and the declarer is told why.
   */
  async declare(
    title: string,
    severity: Severity,
    ctx: Pick<CallerContext, 'userId' | 'channelId' | 'responder'>,
  ): Promise<Incident | null> {
    const { store, slack, clock } = this.deps;
    const now = clock();
    const draft = await store.createIncident(
      draftIncident({
        title,
        severity,
        declaredBy: ctx.userId,
        originChannelId: ctx.channelId,
        declaredAt: now,
      }),
      new TZDate(now, this.settings.timeZone).getFullYear(),
    );
    let channel: { id: string; name: string } | null = null;
    let lastError = 'unknown_error';
    try {
      for (let attempt = 0; attempt < MAX_CHANNEL_ATTEMPTS && !channel; attempt++) {
        const result = await slack.createChannel(incidentChannelName(draft.id, title, attempt));
        if (result.ok) channel = { id: result.id, name: result.name };
        else if (result.error !== 'name_taken') {
          lastError = result.error;
          break;
        } else lastError = result.error;
      }
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (!channel) {
      await store.discardIncident(draft.id);
      await ctx.responder.ephemeral(
        `:x: I could not create the incident channel (Slack said \`${slackSafe(lastError)}\`), so nothing was declared. ` +
          (lastError === 'missing_scope' || lastError === 'restricted_action'
            ? 'The app needs the `channels:manage` scope and permission to create channels. '
            : '') +
          'Try again, or ask a workspace admin to check the Firewatch app.',
      );
      return null;
    }
    const incident: Incident = { ...draft, channelId: channel.id, channelName: channel.name };
    const act: ActContext = { actor: ctx.userId, now, timeZone: this.settings.timeZone };
    const change = declaration(incident, act);
    const announcement =
      `${SEVERITY_EMOJI[severity]} *${incident.id}* declared (${severity}) by <@${ctx.userId}>: ` +
      `${slackSafe(title)}\nJoin <#${channel.id}> to help.`;
    change.outbox = [
      { type: 'refresh_card' },
      ...this.announce(incident, announcement, ctx.userId, {
        includeIncidentChannel: false,
        summary: `Declared ${severity}: ${title}`,
        at: now,
        skipChannel: ctx.channelId,
      }),
    ];
    await store.applyChange(incident.id, change, now);
    this.deps.outbox.kick();
    await slack.invite(channel.id, [ctx.userId]).catch(() => undefined);
    // The incident exists whatever happens to this courtesy message.
    await ctx.responder.inChannel(announcement).catch(() => undefined);
    return incident;
  }

  private async runInIncident(
    command: IncidentCommand,
    incident: Incident,
    act: ActContext,
    responseUrl: string | null,
  ): Promise<Reply> {
    const { store } = this.deps;
    switch (command.kind) {
      case 'show': {
        const [terms, timeline, actions] = await Promise.all([
          store.roleTerms(incident.id),
          store.timeline(incident.id),
          store.actions(incident.id),
        ]);
        return { kind: 'show', incident, terms, timeline, actions, timeZone: act.timeZone, now: act.now };
      }
      case 'role':
        return this.commit(
          incident,
          assignRole(incident, await store.roleTerms(incident.id), command.role, command.userId, act),
          act,
        );
      case 'severity':
        return this.commit(incident, changeSeverity(incident, command.severity, act), act);
      case 'status': {
        const outcome = changeStatus(incident, command.status, command.at ?? act.now, command.message, act);
        return this.commit(incident, outcome, act, { announce: true });
      }
      case 'update': {
        const outcome = statusUpdate(incident, command.message, act);
        if (outcome.ok) {
          outcome.notice = `:loudspeaker: *Update* (${incident.status}) from <@${act.actor}>\n>${slackSafe(command.message)}`;
        }
        return this.commit(incident, outcome, act, { announce: true });
      }
      case 'note':
        return this.commit(incident, addNote(incident, command.at ?? act.now, command.text, act), act, {
          refreshCard: false,
        });
      case 'action':
        return this.commit(incident, addAction(incident, command, act), act, { refreshCard: false });
      case 'actions':
        return { kind: 'actions', incident, actions: await store.actions(incident.id) };
      case 'done':
        return this.commit(
          incident,
          completeAction(incident, await store.actions(incident.id), command.n, act),
          act,
          {
            refreshCard: false,
          },
        );
      case 'set':
        return this.commit(incident, setField(incident, command.field, command.value, act), act, {
          refreshCard: false,
        });
      case 'started':
        return this.commit(incident, setStarted(incident, command.at, act), act);
      case 'detected':
        return this.commit(incident, setDetected(incident, command.at, command.by, act), act);
      case 'resolve': {
        const outcome = resolveIncident(incident, command.at ?? act.now, command.message, act);
        return this.commit(incident, outcome, act, { announce: true });
      }
      case 'reopen':
        return this.commit(incident, reopenIncident(incident, act), act, { announce: true });
      case 'close': {
        // Each close compiles a new version of the postmortem (stored first, then posted, by the outbox).
        const closes = (await store.timeline(incident.id)).filter((e) => e.kind === 'closed').length;
        return this.commit(incident, closeIncident(incident, act), act, {
          announce: true,
          extraJobs: [{ type: 'publish_postmortem', version: closes + 1, closedBy: act.actor, responseUrl }],
        });
      }
      default:
        // help, declare and list run anywhere (runAnywhere); nothing else reaches here.
        return say(USAGE);
    }
  }

  /**
   * Commits an outcome with its Slack work: the notice in the incident channel (and, for status
   * changes, in ANNOUNCE_CHANNEL, both on the communication log) and a refresh of the card.
   */
  async commit(
    incident: Incident,
    outcome: Outcome,
    act: ActContext,
    opts: { announce?: boolean; refreshCard?: boolean; extraJobs?: OutboxJob[] } = {},
  ): Promise<Reply> {
    if (!outcome.ok) return say(`:warning: ${outcome.error.message}`);
    const change: ChangeSet = outcome.change;
    const next = change.incident ?? incident;
    const jobs: OutboxJob[] = [];
    if (outcome.notice) {
      jobs.push(
        ...(opts.announce
          ? this.announce(next, outcome.notice, act.actor, {
              includeIncidentChannel: true,
              summary: change.timeline?.at(-1)?.text ?? outcome.reply,
              at: act.now,
            })
          : [{ type: 'post_message' as const, channel: next.channelId!, text: outcome.notice }]),
      );
    }
    if (opts.refreshCard !== false) jobs.push({ type: 'refresh_card' });
    jobs.push(...(opts.extraJobs ?? []));
    change.outbox = [...(change.outbox ?? []), ...jobs];
    await this.deps.store.applyChange(incident.id, change, act.now);
    this.deps.outbox.kick();
    return say(outcome.reply);
  }

  /**
   * Posts in the incident channel and ANNOUNCE_CHANNEL, recording each in the communication log
   * under a plain-text summary. `skipChannel`: where people already saw it (the declare reply).
   */
  private announce(
    incident: Incident,
    text: string,
    sentBy: string,
    opts: { includeIncidentChannel: boolean; summary: string; at: number; skipChannel?: string },
  ): OutboxJob[] {
    const jobs: OutboxJob[] = [];
    if (opts.includeIncidentChannel && incident.channelId) {
      jobs.push({
        type: 'post_message',
        channel: incident.channelId,
        text,
        comms: {
          channelLabel: `#${incident.channelName ?? incident.channelId}`,
          audience: 'Responders',
          sentBy,
          summary: opts.summary,
          at: opts.at,
          status: incident.status,
        },
      });
    }
    const announceTo = this.settings.announceChannel;
    if (announceTo && announceTo !== incident.channelId && announceTo !== opts.skipChannel) {
      jobs.push({
        type: 'post_message',
        channel: announceTo,
        text: `*${incident.id}* · ${text}`,
        comms: {
          channelLabel: 'Announcements',
          audience: 'Stakeholders',
          sentBy,
          summary: opts.summary,
          at: opts.at,
          status: incident.status,
        },
      });
    }
    return jobs;
  }
}
