import { TZDate } from '@date-fns/tz';
import type { ChangeSet, OutboxJob, Outcome } from '../domain/changes';
import {
  type IncidentCommand,
  needsIncidentChannel,
  parseIncidentCommand,
  USAGE,
  usageOf,
} from '../domain/command';
import { touchesHome } from '../domain/home';
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
import { refuseRoleHolder, type UserStanding } from '../domain/people';
import { authorize, maySee, type Refusal } from '../domain/permissions';
import { addAction, completeAction, setField } from '../domain/records';
import { incidentChannelName } from '../domain/slug';
import type { Incident, RoleName, Severity } from '../domain/types';
import { slackSafe } from '../shared/slack-text';
import type { Store } from '../storage';
import type { BackgroundTasks } from './background-tasks';
import type { Self } from './capture-service';
import type { Clock } from './clock';
import { KeyedMutex } from './keyed-mutex';
import type { OutboxWorker } from './outbox';
import type { Renderer } from './renderer';
import { type Reply, say } from './replies';
import type { Responder, SlackGateway, SlackUser } from './slack-gateway';

/** Who ran a command, where, and how to answer them later. */
export interface CallerContext {
  userId: string;
  channelId: string;
  triggerId: string | null;
  /** The caller's handle as the slash command gives it (not their full name: never remembered). */
  userName?: string | null;
  /** The slash command's response_url (valid 30 minutes), for later word to the person who asked. */
  responseUrl?: string | null;
  responder: Responder;
}

export interface ServiceSettings {
  timeZone: string;
  announceChannel: string | null;
  /** FIREWATCH_ADMINS: user ids who may run every command in every incident. */
  admins: readonly string[];
  /** FIREWATCH_IMPACT_WINDOW_DAYS: how far before its declaration an incident's times may go. */
  impactWindowDays: number;
}

/**
 * Where the service reports what it did and what failed: a fixed message and its fields, always
 * with `incident`; ids and counts only, never what people wrote (titles, messages).
 */
export interface ServiceLog {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

const quiet: ServiceLog = { info: () => undefined, warn: () => undefined };

/** `what went wrong` as a log field. */
const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface ServiceDeps {
  store: Store;
  slack: SlackGateway;
  clock: Clock;
  outbox: OutboxWorker;
  tasks: BackgroundTasks;
  settings: ServiceSettings;
  /** Draws the declare modal (Block Kit lives in the Slack layer). */
  renderer: Pick<Renderer, 'declareModal'>;
  /** The bot's own ids (auth.test), so that Firewatch is never given a role. */
  self?: () => Promise<Self>;
  /** Logs of declarations (default: none). */
  log?: ServiceLog;
}

const MAX_CHANNEL_ATTEMPTS = 10;
const MAX_TITLE = 200;
/** How long a role assignment waits for users.info: the slash command must be answered within 3 s. */
const LOOKUP_TIMEOUT_MS = 1500;

/** What outside a private incident's channel is said about it: nothing but this. */
export const PRIVATE_DECLARED = ':lock: A private incident was declared.';

/** `promise`'s value, or `fallback` when it fails or takes longer than `ms`. */
async function withinTime<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise.catch(() => fallback), late]);
  } finally {
    clearTimeout(timer);
  }
}

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
    // Asked before taking the lock: a Slack call must not hold up the incident's other commands.
    const holderRefusal =
      command.kind === 'role' ? await this.roleHolderRefusal(command.userId, command.role) : null;
    return this.locks.run(found.id, async () => {
      // Re-read inside the lock: another command may have changed it meanwhile.
      const incident = (await this.deps.store.getIncident(found.id)) ?? found;
      const refusal = await this.refusalFor(command, incident, ctx.userId);
      if (refusal) return say(`:no_entry: ${refusal.message}`);
      const act = this.actContext(ctx.userId, this.deps.clock());
      if (holderRefusal) return this.commit(incident, holderRefusal, act);
      return this.runInIncident(command, incident, act, ctx.responseUrl ?? null);
    });
  }

  private actContext(actor: string, now: number): ActContext {
    return { actor, now, timeZone: this.settings.timeZone, impactWindowDays: this.settings.impactWindowDays };
  }

  /** Who may do what ({@link authorize}): membership comes from the participants the store keeps. */
  private async refusalFor(
    command: IncidentCommand,
    incident: Incident,
    userId: string,
  ): Promise<Refusal | null> {
    const [terms, member] = await Promise.all([
      this.deps.store.roleTerms(incident.id),
      this.deps.store.isMember(incident.id, userId),
    ]);
    return authorize(
      command,
      incident,
      terms,
      { userId, member, admins: this.settings.admins },
      { private: incident.isPrivate },
    );
  }

  /**
   * Refuses a role for someone Slack says cannot hold it (no such user, deactivated, a bot,
   * Firewatch itself), by {@link refuseRoleHolder}. When Slack cannot answer within
   * LOOKUP_TIMEOUT_MS (down, slow, rate-limited, any error), the assignment is accepted:
   * incident response must not stop because Slack's API blips.
   */
  private async roleHolderRefusal(userId: string, role: RoleName): Promise<Outcome | null> {
    const [standing, botUserId] = await Promise.all([
      withinTime(this.standingOf(userId), LOOKUP_TIMEOUT_MS, 'unknown' as UserStanding),
      withinTime(
        this.deps.self ? this.deps.self().then((self) => self.botUserId ?? null) : Promise.resolve(null),
        LOOKUP_TIMEOUT_MS,
        null,
      ),
    ]);
    return refuseRoleHolder(userId, role, standing, botUserId);
  }

  /** What users.info says about a user; throws when Slack does not answer. */
  private async standingOf(userId: string): Promise<UserStanding> {
    const user = await this.deps.slack.lookupUser(userId);
    await this.rememberName(user);
    if (user === null) return 'not_found';
    if (user.deleted) return 'deactivated';
    if (user.isBot) return 'bot';
    return 'person';
  }

  /**
   * Remembers a person's full name (Slack's `real_name`) for documents and the App Home. Names that
   * commands carry (`user_name`, the labels of `<@U…|label>` mentions) are handles, never kept.
   */
  private async rememberName(user: SlackUser | null): Promise<void> {
    if (user?.name) await this.deps.store.savePeople({ [user.id]: user.name }, this.deps.clock());
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
        return {
          kind: 'list',
          open: await this.visibleTo(ctx.userId, open),
          closed: await this.visibleTo(ctx.userId, closed),
          timeZone: this.settings.timeZone,
        };
      }
      case 'declare': {
        if (command.title === null) {
          if (!ctx.triggerId) return say(`:warning: Give the incident a title.\n${usageOf('declare')}`);
          const view = this.deps.renderer.declareModal(ctx.channelId, {
            isPrivate: command.isPrivate === true,
          });
          const triggerId = ctx.triggerId;
          this.deps.tasks.run('open declare modal', () => this.deps.slack.openModal(triggerId, view));
          return say('Opening the declare form…');
        }
        if (command.title.length > MAX_TITLE) {
          return say(`:warning: The title is ${command.title.length} characters; keep it to ${MAX_TITLE}.`);
        }
        const { title, severity } = command;
        const isPrivate = command.isPrivate === true;
        this.deps.tasks.run('declare incident', () => this.declare(title, severity, ctx, { isPrivate }));
        return say(
          isPrivate
            ? `Declaring a private ${severity} incident: ${slackSafe(title)}… Only its channel will hear more.`
            : `Declaring a ${severity} incident: ${slackSafe(title)}…`,
        );
      }
      default:
        return say(USAGE);
    }
  }

  /** The incidents `userId` may see: private ones only for their members, role holders and admins. */
  private async visibleTo(userId: string, incidents: Incident[]): Promise<Incident[]> {
    const visible: Incident[] = [];
    for (const incident of incidents) {
      const seen =
        !incident.isPrivate ||
        maySee(incident, await this.deps.store.roleTerms(incident.id), {
          userId,
          member: await this.deps.store.isMember(incident.id, userId),
          admins: this.settings.admins,
        });
      if (seen) visible.push(incident);
    }
    return visible;
  }

  /**
   * Declares an incident: allocate the id, create its channel (a suffix on a name clash), then commit.
   * If Slack refuses the channel, the incident is removed again and the declarer is told why.
   * A private incident gets a private channel, and outside it only {@link PRIVATE_DECLARED} is said
   * (where the command ran and in ANNOUNCE_CHANNEL); the declarer alone is told where it is.
   */
  async declare(
    title: string,
    severity: Severity,
    ctx: Pick<CallerContext, 'userId' | 'channelId' | 'responder'>,
    opts: { isPrivate?: boolean } = {},
  ): Promise<Incident | null> {
    const isPrivate = opts.isPrivate === true;
    const { store, slack, clock } = this.deps;
    const now = clock();
    const draft = await store.createIncident(
      draftIncident({
        title,
        severity,
        declaredBy: ctx.userId,
        originChannelId: ctx.channelId,
        declaredAt: now,
        isPrivate,
      }),
      new TZDate(now, this.settings.timeZone).getFullYear(),
    );
    let channel: { id: string; name: string } | null = null;
    let lastError = 'unknown_error';
    try {
      for (let attempt = 0; attempt < MAX_CHANNEL_ATTEMPTS && !channel; attempt++) {
        const result = await slack.createChannel(incidentChannelName(draft.id, title, attempt), {
          isPrivate,
        });
        if (result.ok) channel = { id: result.id, name: result.name };
        else if (result.error !== 'name_taken') {
          lastError = result.error;
          break;
        } else lastError = result.error;
      }
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    const log = this.deps.log ?? quiet;
    if (!channel) {
      log.warn('incident channel not created; nothing declared', { incident: draft.id, reason: lastError });
      await store.discardIncident(draft.id);
      await ctx.responder.ephemeral(
        `:x: I could not create the incident channel (Slack said \`${slackSafe(lastError)}\`), so nothing was declared. ` +
          (lastError === 'missing_scope' || lastError === 'restricted_action'
            ? `The app needs the \`${isPrivate ? 'groups:write' : 'channels:manage'}\` scope and permission to create channels. `
            : '') +
          'Try again, or ask a workspace admin to check the Firewatch app.',
      );
      return null;
    }
    const incident: Incident = { ...draft, channelId: channel.id, channelName: channel.name };
    const act = this.actContext(ctx.userId, now);
    const change = declaration(incident, act);
    const announcement = isPrivate
      ? PRIVATE_DECLARED
      : `${SEVERITY_EMOJI[severity]} *${incident.id}* declared (${severity}) by <@${ctx.userId}>: ` +
        `${slackSafe(title)}\nJoin <#${channel.id}> to help.`;
    change.outbox = [
      { type: 'refresh_card' },
      ...this.announce(incident, announcement, ctx.userId, {
        includeIncidentChannel: false,
        summary: isPrivate ? 'A private incident was declared' : `Declared ${severity}: ${title}`,
        at: now,
        skipChannel: ctx.channelId,
      }),
      { type: 'refresh_home' },
    ];
    await store.applyChange(incident.id, change, now);
    log.info('incident declared', {
      incident: incident.id,
      severity,
      channel: channel.id,
      private: isPrivate,
      by: ctx.userId,
    });
    this.deps.outbox.kick();
    const failed = (what: string) => (error: unknown) =>
      log.warn(what, { incident: incident.id, reason: reasonOf(error) });
    await slack
      .invite(channel.id, [ctx.userId])
      .catch(failed('declarer not invited to the incident channel'));
    await slack
      .lookupUser(ctx.userId)
      .then((user) => this.rememberName(user))
      .catch(failed('declarer not looked up'));
    // The incident exists whatever happens to these courtesy messages.
    await ctx.responder.inChannel(announcement).catch(failed('declaration not announced where it was made'));
    if (isPrivate) {
      await ctx.responder
        .ephemeral(
          `:lock: *${incident.id}* is open in the private channel <#${channel.id}>: ${slackSafe(title)}`,
        )
        .catch(failed('declarer not told where the private incident is'));
    }
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
    if (touchesHome(change)) jobs.push({ type: 'refresh_home' });
    change.outbox = [...(change.outbox ?? []), ...jobs];
    await this.deps.store.applyChange(incident.id, change, act.now);
    this.deps.outbox.kick();
    return say(outcome.reply);
  }

  /**
   * Posts in the incident channel and ANNOUNCE_CHANNEL, recording each in the communication log
   * under a plain-text summary. `skipChannel`: where people already saw it (the declare reply).
   * A private incident is announced nowhere outside its channel, but for its declaration, which
   * ANNOUNCE_CHANNEL hears as {@link PRIVATE_DECLARED} alone.
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
    if (incident.isPrivate && text !== PRIVATE_DECLARED) return jobs;
    if (announceTo && announceTo !== incident.channelId && announceTo !== opts.skipChannel) {
      jobs.push({
        type: 'post_message',
        channel: announceTo,
        text: incident.isPrivate ? text : `*${incident.id}* · ${text}`,
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
