/**
 * Generated incidents for the stats tests and the stats benchmark: a seeded, deterministic history
 * written through the Store interface as commands would leave it (incident record, IC term,
 * timeline, `services` field, action items, channel members of private incidents). Every
 * incident's generated times are returned so that a test can work out what insights must say on
 * its own.
 */
import type { ChangeSet, NewActionItem } from '../../src/domain/changes';
import { draftIncident } from '../../src/domain/lifecycle';
import { type Incident, SEVERITIES, type Severity } from '../../src/domain/types';
import type { Store } from '../../src/storage';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Service names as people write them: the same service in several spellings, with notes. */
export const SERVICE_SPELLINGS: Record<string, string[]> = {
  payments: ['Payments API', 'payments api', 'Payments API (EU only)'],
  checkout: ['checkout', 'Checkout'],
  search: ['search-service'],
  login: ['Login', 'login (SSO users)'],
  db: ['primary-db'],
};

/** One generated incident and the times it was given (null: left unrecorded). */
export interface Generated {
  incident: Incident;
  severity: Severity;
  declaredAt: number;
  startedAt: number | null;
  detectedAt: number | null;
  /** Start of the first IC term. */
  commanderAt: number;
  /** The first change to monitoring (on the timeline only), or null. */
  monitoringAt: number | null;
  resolvedAt: number | null;
  /** Keys of {@link SERVICE_SPELLINGS}. */
  services: string[];
  actions: { status: 'open' | 'done'; due: string | null }[];
  isPrivate: boolean;
  /** Members of a private incident's channel. */
  members: string[];
}

export interface GenerateOptions {
  count: number;
  /** The newest incident is declared before this. */
  now: number;
  /** Incidents are spread over this many days before `now`. */
  days: number;
  seed?: number;
  /** Every `privateEvery`-th incident is private (0: none). */
  privateEvery?: number;
}

/** mulberry32: a small seeded generator, so every run writes the same history. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Writes `count` incidents into the store; returns them oldest first with their generated times. */
export async function generateIncidents(store: Store, opts: GenerateOptions): Promise<Generated[]> {
  const rnd = random(opts.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const serviceKeys = Object.keys(SERVICE_SPELLINGS);
  const out: Generated[] = [];
  const step = (opts.days * DAY) / opts.count;
  for (let n = 0; n < opts.count; n += 1) {
    // Oldest first, a little jitter, never at or after `now`.
    const declaredAt = Math.floor(opts.now - opts.days * DAY + n * step + rnd() * step * 0.8) - MINUTE;
    const severity = pick(SEVERITIES);
    const isPrivate = opts.privateEvery ? n % opts.privateEvery === opts.privateEvery - 1 : false;
    const withStart = rnd() < 0.85;
    const lag = between(2, 40) * MINUTE;
    const startedAt = withStart ? declaredAt - lag : null;
    const detectedAt = withStart
      ? startedAt! + Math.min(lag, between(0, 20) * MINUTE + between(0, 59) * 1000)
      : null;
    const commanderAt = declaredAt + (rnd() < 0.6 ? 0 : between(1, 15) * MINUTE);
    const unresolved = declaredAt > opts.now - 2 * DAY || rnd() < 0.05;
    const mitigation = declaredAt + between(5, 240) * MINUTE;
    const monitoringAt = unresolved && rnd() < 0.5 ? null : rnd() < 0.8 ? mitigation : null;
    const resolvedAt = unresolved ? null : mitigation + between(0, 600) * MINUTE;
    const services = [...new Set([pick(serviceKeys), ...(rnd() < 0.3 ? [pick(serviceKeys)] : [])])];
    const owner = pick(['UALICE', 'UBOB', 'UCAROL']);
    const actions = Array.from({ length: between(0, 3) }, () => ({
      status: (rnd() < 0.4 ? 'done' : 'open') as 'open' | 'done',
      due: rnd() < 0.7 ? isoDay(declaredAt + between(1, 60) * DAY) : null,
    }));

    const draft = await store.createIncident(
      draftIncident({
        title: `Generated incident ${n + 1}: ${services.join(' and ')} degraded`,
        severity,
        declaredBy: 'UALICE',
        originChannelId: 'CGENERAL',
        declaredAt,
        isPrivate,
      }),
      new Date(declaredAt).getUTCFullYear(),
    );
    const incident: Incident = {
      ...draft,
      channelId: `CGEN${String(n + 1).padStart(6, '0')}`,
      channelName: `inc-gen-${n + 1}`,
      startedAt,
      detectedAt,
      status: resolvedAt === null ? (monitoringAt === null ? 'investigating' : 'monitoring') : 'resolved',
      resolvedAt,
    };
    const spellings = services.map((key) => pick(SERVICE_SPELLINGS[key]!));
    const change: ChangeSet = {
      incident,
      newRoleTerms: [{ role: 'ic', userId: owner, from: commanderAt, to: null, assignedBy: 'UALICE' }],
      timeline: [
        {
          kind: 'declared',
          at: declaredAt,
          actor: 'UALICE',
          text: 'Declared',
          ref: null,
          recordedAt: declaredAt,
        },
        ...(monitoringAt === null
          ? []
          : [
              {
                kind: 'status' as const,
                at: monitoringAt,
                actor: owner,
                text: 'Fix deployed, watching',
                ref: 'monitoring',
                recordedAt: monitoringAt,
              },
            ]),
        ...(resolvedAt === null
          ? []
          : [
              {
                kind: 'resolved' as const,
                at: resolvedAt,
                actor: owner,
                text: 'Resolved',
                ref: null,
                recordedAt: resolvedAt,
              },
            ]),
      ],
      fields: [
        {
          field: 'services',
          value: spellings.join(', '),
          at: declaredAt,
          author: 'UALICE',
          sourceRef: null,
        },
      ],
      actions: actions.map(
        (a, i): NewActionItem => ({
          text: `Follow-up ${i + 1} of incident ${n + 1}`,
          owner,
          due: a.due,
          priority: severity,
          status: a.status,
          createdAt: declaredAt,
          createdBy: 'UALICE',
          doneAt: a.status === 'done' ? declaredAt + DAY : null,
          sourceRef: null,
        }),
      ),
    };
    await store.applyChange(incident.id, change, declaredAt);
    const members = isPrivate ? ['UALICE', owner] : [];
    if (members.length) {
      await store.applyCapture({
        eventId: null,
        now: declaredAt,
        participants: members.map((userId) => ({ incidentId: incident.id, userId, joinedAt: declaredAt })),
      });
    }
    out.push({
      incident,
      severity,
      declaredAt,
      startedAt,
      detectedAt,
      commanderAt,
      monitoringAt,
      resolvedAt,
      services,
      actions,
      isPrivate,
      members,
    });
  }
  return out;
}
