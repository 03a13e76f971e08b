import type { ChangeSet } from '../domain/changes';
import { homeAudience, myActionItems, recentlyClosed } from '../domain/home';
import type { Insights } from '../domain/insights';
import { currentRoles } from '../domain/lifecycle';
import { maySee } from '../domain/permissions';
import { describeIntervals, type UpdateIntervals } from '../domain/reminders';
import { DEFAULT_STATS_DAYS, type StatsPeriodSpec } from '../domain/stats-period';
import type { ActionItem, Incident, RoleTerm } from '../domain/types';
import type { Store, StoredJob } from '../storage';
import type { Clock } from './clock';
import { PermanentJobError } from './outbox';
import { fullNames } from './people';
import type { Renderer } from './renderer';
import type { HomeView } from './replies';
import type { SlackGateway } from './slack-gateway';
import type { StatsService } from './stats-service';

/** How many open incidents a Home reads (more are counted as "N+"). */
const OPEN_READ = 200;
/** How many recently resolved or closed incidents are read for "Recent postmortems". */
const CLOSED_READ = 30;
/** How many people shown on a Home are named (looked up in Slack when not remembered). */
const NAMED_MAX = 20;

export interface HomeSettings {
  timeZone: string;
  /** FIREWATCH_ADMINS: they see private incidents too. */
  admins: readonly string[];
  /** FIREWATCH_UPDATE_REMINDERS, shown in the Home's footer. */
  updateReminders: UpdateIntervals;
}

export interface HomeDeps {
  store: Store;
  slack: Pick<SlackGateway, 'publishHome' | 'lookupUser'>;
  clock: Clock;
  /** Draws the Home (Block Kit lives in the Slack layer). */
  renderer: Pick<Renderer, 'home'>;
  settings: HomeSettings;
  /** Insights across incidents for the Home's stats section (none without it). */
  stats?: Pick<StatsService, 'insights'>;
}

/** The period of the Home's stats section: the last 30 days against the 30 before. */
const HOME_STATS_PERIOD: StatsPeriodSpec = { kind: 'days', days: DEFAULT_STATS_DAYS };

interface WithTerms {
  incident: Incident;
  terms: readonly RoleTerm[];
}

/** What every Home is drawn from, read once for one publish or one refresh of many Homes. */
interface HomeData {
  open: WithTerms[];
  openCapped: boolean;
  /** Incidents that have open action items with an owner, with those items. */
  actions: (WithTerms & { items: ActionItem[] })[];
  closed: WithTerms[];
  /** Insights for the stats section, or null when there is none. */
  insights: Insights | null;
}

/** The open action items that have an owner, with their incidents, as the Home and the reminders read them. */
export async function openActionItems(store: Store): Promise<{ incident: Incident; items: ActionItem[] }[]> {
  const byIncident = new Map<string, ActionItem[]>();
  for (const item of await store.openActions()) {
    if (item.owner === null) continue;
    const items = byIncident.get(item.incidentId) ?? [];
    items.push(item);
    byIncident.set(item.incidentId, items);
  }
  const out: { incident: Incident; items: ActionItem[] }[] = [];
  for (const [incidentId, items] of byIncident) {
    const incident = await store.getIncident(incidentId);
    if (incident) out.push({ incident, items });
  }
  return out;
}

/**
 * The App Home: published when a person opens it (`app_home_opened`) and, through the outbox's
 * `refresh_home` job, for the people an incident's change concerns ({@link homeAudience}).
 */
export class HomeService {
  constructor(private readonly deps: HomeDeps) {}

  /** Draws and publishes `userId`'s Home as things stand now. */
  async publish(userId: string): Promise<void> {
    const data = await this.read();
    await this.publishFor(userId, data);
  }

  /**
   * The `refresh_home` job: republishes the Homes of the people the job's incident concerns, reading
   * the store once. A person Slack does not know (`user_not_found`) is skipped; any other failure
   * fails the job, which the outbox retries (views.publish replaces a Home, so a retry repeats
   * nothing). A later refresh of the same incident waiting in the outbox makes this one unnecessary.
   */
  async refresh(job: StoredJob): Promise<ChangeSet | undefined> {
    const { store } = this.deps;
    if (!job.incidentId) throw new PermanentJobError('refresh_home without an incident');
    if (await store.supersededBy(job)) return undefined;
    const incident = await store.getIncident(job.incidentId);
    if (!incident) throw new PermanentJobError(`no incident ${job.incidentId}`);
    const [terms, items, participants] = await Promise.all([
      store.roleTerms(incident.id),
      store.actions(incident.id),
      store.participants(incident.id),
    ]);
    const audience = homeAudience({
      incident,
      terms,
      items,
      participants: participants.map((p) => p.userId),
    });
    const data = await this.read();
    for (const userId of audience) {
      try {
        await this.publishFor(userId, data);
      } catch (error) {
        if (error instanceof PermanentJobError && error.slackError === 'user_not_found') continue;
        throw error;
      }
    }
    return undefined;
  }

  private async publishFor(userId: string, data: HomeData): Promise<void> {
    const view = await this.viewFrom(userId, data);
    await this.deps.slack.publishHome(userId, this.deps.renderer.home(view));
  }

  private async read(): Promise<HomeData> {
    const { store } = this.deps;
    const withTerms = async (incident: Incident): Promise<WithTerms> => ({
      incident,
      terms: await store.roleTerms(incident.id),
    });
    const [open, closed, actions, insights] = await Promise.all([
      store.listIncidents('open', OPEN_READ + 1),
      store.listIncidents('closed', CLOSED_READ),
      openActionItems(store),
      // Once for every Home published from this read: private incidents are counted, never shown.
      this.deps.stats?.insights(HOME_STATS_PERIOD, { kind: 'public' }) ?? Promise.resolve(null),
    ]);
    return {
      insights,
      open: await Promise.all(open.slice(0, OPEN_READ).map(withTerms)),
      openCapped: open.length > OPEN_READ,
      actions: await Promise.all(
        actions.map(async (entry) => ({ ...(await withTerms(entry.incident)), items: entry.items })),
      ),
      closed: await Promise.all(recentlyClosed(closed).map(withTerms)),
    };
  }

  private async viewFrom(userId: string, data: HomeData): Promise<HomeView> {
    const { store, settings, clock } = this.deps;
    const now = clock();
    const visible = async <T extends WithTerms>(entries: readonly T[]): Promise<T[]> => {
      const out: T[] = [];
      for (const entry of entries) {
        const seen =
          !entry.incident.isPrivate ||
          maySee(entry.incident, entry.terms, {
            userId,
            member: await store.isMember(entry.incident.id, userId),
            admins: settings.admins,
          });
        if (seen) out.push(entry);
      }
      return out;
    };
    const open = (await visible(data.open)).map(({ incident, terms }) => ({
      incident,
      commander: currentRoles(terms).ic?.userId ?? incident.declaredBy,
    }));
    const mine = data.actions.filter((entry) => entry.items.some((item) => item.owner === userId));
    const actions = myActionItems(userId, await visible(mine), settings.timeZone, now);
    const postmortems = (await visible(data.closed)).map((entry) => entry.incident);
    const named = open.slice(0, NAMED_MAX).flatMap((o) => (o.commander ? [o.commander] : []));
    const people = await fullNames([userId, ...named], {
      store,
      now,
      ask: async (id) => (await this.deps.slack.lookupUser(id))?.name ?? null,
    });
    return {
      userId,
      timeZone: settings.timeZone,
      now,
      open,
      openCapped: data.openCapped,
      actions,
      postmortems,
      people,
      reminders: describeIntervals(settings.updateReminders),
      insights: data.insights,
    };
  }
}
