import { TZDate } from '@date-fns/tz';
import { type ChangeSet, mergeChanges, type OutboxJob, type Outcome } from '../domain/changes';
import { fieldsFromForm, type PostmortemForm } from '../domain/close-form';
import {
  type IncidentCommand,
  needsIncidentChannel,
  parseIncidentCommand,
  USAGE,
  usageOf,
} from '../domain/command';
import { type DeclarationDetails, type DetailField, declarationWithDetails } from '../domain/declaration';
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
import { type FieldValues, foldFields } from '../domain/postmortem/compile';
import { addAction, completeAction, setField } from '../domain/records';
import { incidentChannelName } from '../domain/slug';
import { parseTimeInput } from '../domain/time';
import { DEFAULT_TARGETS, type Incident, type RoleName, type Severity } from '../domain/types';
import { slackSafe } from '../shared/slack-text';
import { StaleRevisionError, type Store } from '../storage/store';
import type { BackgroundTasks } from './background-tasks';
import type { Self } from './capture-service';
import type { Clock } from './clock';
import { KeyedMutex } from './keyed-mutex';
import type { OutboxWorker } from './outbox';
import type { Renderer } from './renderer';
import { type Reply, say } from './replies';
import type { Responder, SlackGateway, SlackUser } from './slack-gateway';
import { StatsService } from './stats-service';

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
  /** Insights for `/incident stats` (default: over the same store, with the default targets). */
  stats?: StatsService;
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

/** How often a command is decided again when other processes keep changing its incident. */
const MAX_DECISIONS = 5;
const BUSY = 'This incident is changing very fast right now; nothing was changed. Please try again.';

/** A person's act, and the incident revision it was decided on (a commit based on an older one is refused). */
type Act = ActContext & { basedOn?: number };

/** What {@link IncidentService.commit} does besides storing the change. */
export interface CommitOptions {
  announce?: boolean;
  refreshCard?: boolean;
  extraJobs?: OutboxJob[];
}

/** Which incident {@link IncidentService.execute} acts on, and how. */
export interface ExecuteTarget {
  /** The incident (a control knows it); otherwise the incident of the caller's channel. */
  incidentId?: string;
  /** Decide only; commit nothing. */
  dryRun?: boolean;
  /** When refused, redraw the incident card anyway (a menu on it shows the refused choice). */
  redrawCard?: boolean;
}

/**
 * The answer to a command or a control: done (with the reply and the incident as it is now), or
 * refused, with the rule's code and message (Slack mrkdwn) and the reply a command gives.
 */
export type Executed =
  | { ok: true; reply: Reply; incident: Incident }
  | { ok: false; code: string; message: string; reply: Reply };

const done = (reply: Reply, incident: Incident): Executed => ({ ok: true, reply, incident });

/** A refusal: `:warning:` for rules and wrong places, `:no_entry:` for permissions. */
const refused = (code: string, message: string, icon = ':warning:'): Extract<Executed, { ok: false }> => ({
  ok: false,
  code,
  message,
  reply: say(`${icon} ${message}`),
});

const notFound = (incidentId: string) =>
  refused('not_incident_channel', `There is no incident ${incidentId}.`);

/** Runs `/incident`: every change is committed (with its Slack work queued in the outbox) before the reply. */
export class IncidentService {
  private readonly locks = new KeyedMutex();
  private readonly stats: StatsService;

  constructor(private readonly deps: ServiceDeps) {
    this.stats =
      deps.stats ??
      new StatsService({
        store: deps.store,
        clock: deps.clock,
        settings: {
          timeZone: deps.settings.timeZone,
          admins: deps.settings.admins,
          targets: DEFAULT_TARGETS,
        },
      });
  }

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
    return (await this.execute(command, ctx)).reply;
  }

  /**
   * Runs an incident command however it arrived: typed (`/incident …`, through
   * {@link handleCommand}) or built by a control (a button, a menu, a form). Either way the same
   * permission check ({@link authorize}), role-holder check and domain rule decide, and the same
   * change set is committed. The incident is the one of `ctx.channelId`, or `target.incidentId`.
   * `dryRun`: decide only, commit nothing (a form asks before it opens whether it may be used).
   * `redrawCard`: when refused, redraw the card all the same (a menu on it shows the refused choice).
   */
  async execute(command: IncidentCommand, ctx: CallerContext, target: ExecuteTarget = {}): Promise<Executed> {
    const found = target.incidentId
      ? await this.deps.store.getIncident(target.incidentId)
      : await this.deps.store.findIncidentByChannel(ctx.channelId);
    if (!found?.channelId) {
      return refused(
        'not_incident_channel',
        'This command works only in an incident channel. Run it in the channel of the incident ' +
          '(see `/incident list`), or start one with `/incident declare [P1-P4] <title>`.',
      );
    }
    // Asked before taking the lock: a Slack call must not hold up the incident's other commands.
    const holderRefusal =
      command.kind === 'role' && !target.dryRun
        ? await this.roleHolderRefusal(command.userId, command.role)
        : null;
    const result = await this.onLatest(found, async (incident, basedOn) => {
      const refusal = await this.refusalFor(command, incident, ctx.userId);
      if (refusal) return refused(refusal.code, refusal.message, ':no_entry:');
      const act = { ...this.actContext(ctx.userId, this.deps.clock()), basedOn };
      if (holderRefusal) return this.apply(incident, holderRefusal, act);
      return this.runInIncident(command, incident, act, ctx.responseUrl ?? null, target.dryRun === true);
    });
    if (!result.ok && target.redrawCard) await this.redrawCard(found.id);
    return result;
  }

  /**
   * Stores what the guided close form says ({@link fieldsFromForm}: changed text fields, new
   * bullets) and closes the incident, in one change. Refused (nothing stored) when
   * `/incident close` would be.
   */
  async closeWithFields(
    form: PostmortemForm,
    ctx: CallerContext,
    target: { incidentId: string },
  ): Promise<Executed> {
    const found = await this.deps.store.getIncident(target.incidentId);
    if (!found?.channelId) return notFound(target.incidentId);
    return this.onLatest(found, async (incident, basedOn) => {
      const refusal = await this.refusalFor({ kind: 'close' }, incident, ctx.userId);
      if (refusal) return refused(refusal.code, refusal.message, ':no_entry:');
      const act = { ...this.actContext(ctx.userId, this.deps.clock()), basedOn };
      const close = closeIncident(incident, act);
      if (!close.ok) return this.apply(incident, close, act);
      const current = foldFields(await this.deps.store.fields(incident.id));
      const written = fieldsFromForm(current, form).map((f) => setField(incident, f.field, f.value, act));
      const change = mergeChanges(...written.map((o) => (o.ok ? o.change : {})), close.change);
      return this.apply(incident, { ...close, change }, act, {
        announce: true,
        extraJobs: await this.publishJobs(incident, act, ctx.responseUrl ?? null),
      });
    });
  }

  /** The postmortem fields as written so far (what the guided close form starts with). */
  async writtenFields(incidentId: string): Promise<FieldValues> {
    return foldFields(await this.deps.store.fields(incidentId));
  }

  /** The incident with this id, as stored now (null when there is none). */
  incident(incidentId: string): Promise<Incident | null> {
    return this.deps.store.getIncident(incidentId);
  }

  /**
   * A time typed in a form, read by the grammar of `/incident … at <time>` in the configured zone:
   * null when empty (now), or the parse error (what was expected).
   */
  readTime(text: string): { ok: true; at: number | null } | { ok: false; message: string } {
    const trimmed = text.trim();
    if (trimmed === '') return { ok: true, at: null };
    const parsed = parseTimeInput(trimmed, { now: this.deps.clock(), timeZone: this.settings.timeZone });
    return parsed.ok ? { ok: true, at: parsed.at } : { ok: false, message: parsed.error.message };
  }

  /** Queues a redraw of the incident's card (it shows the incident as it is when the job runs). */
  async redrawCard(incidentId: string): Promise<void> {
    await this.deps.store.applyChange(incidentId, { outbox: [{ type: 'refresh_card' }] }, this.deps.clock());
    this.deps.outbox.kick();
  }

  /**
   * Decides on the incident as stored and commits based on that revision. Within this process the
   * incident's lock keeps decisions in turn; when another process sharing the database changed the
   * incident in between, the commit is refused ({@link StaleRevisionError}) and the decision is
   * made again on the newer state, so both changes land, in order.
   */
  private onLatest(
    found: Incident,
    decide: (incident: Incident, basedOn: number) => Promise<Executed>,
  ): Promise<Executed> {
    const { store } = this.deps;
    return this.locks.run(found.id, async () => {
      for (let attempt = 1; ; attempt++) {
        const basedOn = await store.incidentRevision(found.id);
        const incident = (await store.getIncident(found.id)) ?? found;
        try {
          return await decide(incident, basedOn);
        } catch (error) {
          if (!(error instanceof StaleRevisionError)) throw error;
          if (attempt >= MAX_DECISIONS) return refused('busy', BUSY, ':hourglass:');
        }
      }
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
      case 'stats':
        return {
          kind: 'stats',
          insights: await this.stats.insights(command.period, { kind: 'user', userId: ctx.userId }),
        };
      case 'declare': {
        if (command.title === null) {
          if (!ctx.triggerId) return say(`:warning: Give the incident a title.\n${usageOf('declare')}`);
          const view = this.deps.renderer.declareModal(ctx.channelId, {
            isPrivate: command.isPrivate === true,
            timeZone: this.settings.timeZone,
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
   * Checks what the declare form adds ({@link declarationWithDetails}) as if the incident were
   * declared now, so that a time the rules refuse is shown next to its field before anything is
   * created. Null when every part passes.
   */
  checkDeclaration(
    details: DeclarationDetails,
    userId: string,
  ): { field: DetailField; message: string } | null {
    const now = this.deps.clock();
    const wouldBe: Incident = {
      ...draftIncident({
        title: '',
        severity: 'P3',
        declaredBy: userId,
        originChannelId: null,
        declaredAt: now,
      }),
      id: 'the new incident',
      year: 0,
      seq: 0,
    };
    const outcome = declarationWithDetails(wouldBe, details, this.actContext(userId, now));
    return outcome.ok ? null : { field: outcome.field, message: outcome.error.message };
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
    opts: { isPrivate?: boolean; details?: DeclarationDetails } = {},
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
    // The form checked the details a moment ago (checkDeclaration); should one no longer pass, the
    // incident is declared without it and the declarer told.
    const details = declarationWithDetails(incident, opts.details ?? {}, act);
    const change = details.ok ? details.change : declaration(incident, act);
    const description = opts.details?.description?.trim();
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
      ...(details.ok && description
        ? [
            {
              type: 'post_message' as const,
              channel: channel.id,
              text: `:memo: *What is going on*, as <@${ctx.userId}> declared it:\n>${slackSafe(description).replace(/\n/g, '\n>')}`,
            },
          ]
        : []),
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
    if (!details.ok) {
      await ctx.responder
        .ephemeral(
          `:warning: ${incident.id} is declared, but without the details of the form: ${details.error.message}`,
        )
        .catch(failed('declarer not told that the details were left out'));
    }
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
    act: Act,
    responseUrl: string | null,
    dryRun = false,
  ): Promise<Executed> {
    const { store } = this.deps;
    const run = (outcome: Outcome, opts: CommitOptions = {}) =>
      this.apply(incident, outcome, act, { ...opts, dryRun });
    switch (command.kind) {
      case 'show': {
        const [terms, timeline, actions] = await Promise.all([
          store.roleTerms(incident.id),
          store.timeline(incident.id),
          store.actions(incident.id),
        ]);
        return done(
          { kind: 'show', incident, terms, timeline, actions, timeZone: act.timeZone, now: act.now },
          incident,
        );
      }
      case 'role':
        return run(
          assignRole(incident, await store.roleTerms(incident.id), command.role, command.userId, act),
        );
      case 'severity':
        return run(changeSeverity(incident, command.severity, act));
      case 'status': {
        const outcome = changeStatus(incident, command.status, command.at ?? act.now, command.message, act);
        return run(outcome, { announce: true });
      }
      case 'update': {
        const outcome = statusUpdate(incident, command.message, act);
        if (outcome.ok) {
          outcome.notice = `:loudspeaker: *Update* (${incident.status}) from <@${act.actor}>\n>${slackSafe(command.message)}`;
        }
        return run(outcome, { announce: true });
      }
      case 'note':
        return run(addNote(incident, command.at ?? act.now, command.text, act), { refreshCard: false });
      case 'action':
        return run(addAction(incident, command, act), { refreshCard: false });
      case 'actions':
        return done({ kind: 'actions', incident, actions: await store.actions(incident.id) }, incident);
      case 'done':
        return run(completeAction(incident, await store.actions(incident.id), command.n, act), {
          refreshCard: false,
        });
      case 'set':
        return run(setField(incident, command.field, command.value, act), { refreshCard: false });
      case 'started':
        return run(setStarted(incident, command.at, act));
      case 'detected':
        return run(setDetected(incident, command.at, command.by, act));
      case 'resolve': {
        const outcome = resolveIncident(incident, command.at ?? act.now, command.message, act);
        return run(outcome, { announce: true });
      }
      case 'reopen':
        return run(reopenIncident(incident, act), { announce: true });
      case 'close':
        return run(closeIncident(incident, act), {
          announce: true,
          extraJobs: dryRun ? [] : await this.publishJobs(incident, act, responseUrl),
        });
      default:
        // help, declare and list run anywhere (runAnywhere); nothing else reaches here.
        return done(say(USAGE), incident);
    }
  }

  /** Each close compiles a new version of the postmortem (stored first, then posted, by the outbox). */
  private async publishJobs(
    incident: Incident,
    act: ActContext,
    responseUrl: string | null,
  ): Promise<OutboxJob[]> {
    const closes = (await this.deps.store.timeline(incident.id)).filter((e) => e.kind === 'closed').length;
    return [{ type: 'publish_postmortem', version: closes + 1, closedBy: act.actor, responseUrl }];
  }

  /**
   * Commits an outcome with its Slack work: the notice in the incident channel (and, for status
   * changes, in ANNOUNCE_CHANNEL, both on the communication log) and a refresh of the card.
   */
  async commit(incident: Incident, outcome: Outcome, act: Act, opts: CommitOptions = {}): Promise<Reply> {
    return (await this.apply(incident, outcome, act, opts)).reply;
  }

  /** {@link commit}, answering whether it was done or refused (and why). */
  private async apply(
    incident: Incident,
    outcome: Outcome,
    act: Act,
    opts: CommitOptions & { dryRun?: boolean } = {},
  ): Promise<Executed> {
    if (!outcome.ok) return refused(outcome.error.code, outcome.error.message);
    const change: ChangeSet = outcome.change;
    const next = change.incident ?? incident;
    // A dry run answers with the incident as it is: nothing was changed.
    if (opts.dryRun) return done(say(outcome.reply), incident);
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
    await this.deps.store.applyChange(incident.id, change, act.now, act.basedOn);
    this.deps.outbox.kick();
    return done(say(outcome.reply), next);
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
