import { computeInsights, type IncidentFacts, type Insights, measureIncident } from '../domain/insights';
import { maySee } from '../domain/permissions';
import { inPeriod, resolvePeriods, type StatsPeriodSpec } from '../domain/stats-period';
import type { ActionItem, Incident, MetricTargets } from '../domain/types';
import type { Store } from '../storage';
import type { Clock } from './clock';

/** Who the insights are for: a Slack user (private incidents only for their members), or the CLI. */
export type StatsViewer =
  | { kind: 'user'; userId: string }
  /** Every incident shown, private ones too (an operator's own report). */
  | { kind: 'everything' }
  /** Private incidents counted, never shown (a report to share). */
  | { kind: 'public' };

export interface StatsSettings {
  timeZone: string;
  targets: MetricTargets;
  /** FIREWATCH_ADMINS: they see every incident. */
  admins: readonly string[];
  /** The most incidents read (default {@link MAX_STATS_INCIDENTS}). */
  maxIncidents?: number;
}

export interface StatsDeps {
  store: Store;
  clock: Clock;
  settings: StatsSettings;
}

/** The most incidents read for insights (newest first); older ones are left out, and the insights say so. */
export const MAX_STATS_INCIDENTS = 10_000;

/** How many incidents are read from the store at once (a networked store answers them in parallel). */
const BATCH = 32;

/** Runs `fn` over `items`, `BATCH` at a time, keeping the order. */
async function inBatches<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += BATCH) {
    out.push(...(await Promise.all(items.slice(i, i + BATCH).map(fn))));
  }
  return out;
}

/**
 * Insights across incidents (`/incident stats`, the App Home, `firewatch report`): reads what the
 * domain needs through the Store and hands it to `computeInsights`. Each incident's measures are
 * the ones its postmortem shows (`measureIncident` → `computeMetrics`).
 */
export class StatsService {
  constructor(private readonly deps: StatsDeps) {}

  /**
   * Insights over the period `spec` names and the previous one, as `viewer` may see them.
   * `list`: how many services and overdue action items to list (defaults of `computeInsights`).
   */
  async insights(
    spec: StatsPeriodSpec,
    viewer: StatsViewer,
    list: { topServices?: number; overdueItems?: number } = {},
  ): Promise<Insights> {
    const now = this.deps.clock();
    const { store, settings } = this.deps;
    const periods = resolvePeriods(spec, now, settings.timeZone);
    const max = settings.maxIncidents ?? MAX_STATS_INCIDENTS;
    const incidents = await store.listIncidents('all', max + 1);
    const truncated = incidents.length > max;
    const read = incidents.slice(0, max);
    // Only open items count (open and overdue): read once for every incident.
    const openItems = new Map<string, ActionItem[]>();
    for (const item of await store.openActions()) {
      const items = openItems.get(item.incidentId);
      if (items) items.push(item);
      else openItems.set(item.incidentId, [item]);
    }
    const facts = await inBatches(read, async (incident): Promise<IncidentFacts> => {
      const inScope =
        inPeriod(incident.declaredAt, periods.current) || inPeriod(incident.declaredAt, periods.previous);
      const actions = openItems.get(incident.id) ?? [];
      const [roles, timeline, fields, messages] = await Promise.all([
        // Role terms decide who may see a private incident; the measures do not use them.
        incident.isPrivate ? store.roleTerms(incident.id) : Promise.resolve([]),
        inScope ? store.timeline(incident.id) : Promise.resolve([]),
        inScope ? store.fields(incident.id) : Promise.resolve([]),
        inScope ? store.messages(incident.id) : Promise.resolve([]),
      ]);
      return {
        incident,
        measures: inScope ? measureIncident(incident, roles, timeline, messages, settings.targets) : null,
        actions,
        services: fields.filter((f) => f.field === 'services').map((f) => f.value),
        visible: await this.visible(incident, roles, viewer),
      };
    });
    return computeInsights({ incidents: facts, periods, now, truncated, ...list });
  }

  /** Whether the viewer may see what a (private) incident is about. */
  private async visible(
    incident: Incident,
    roles: Parameters<typeof maySee>[1],
    viewer: StatsViewer,
  ): Promise<boolean> {
    if (!incident.isPrivate || viewer.kind === 'everything') return true;
    if (viewer.kind === 'public') return false;
    const member = await this.deps.store.isMember(incident.id, viewer.userId);
    return maySee(incident, roles, { userId: viewer.userId, member, admins: this.deps.settings.admins });
  }
}
