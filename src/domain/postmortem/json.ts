/**
 * The machine-readable postmortem: every field of the Markdown document as JSON, for teams' own
 * tools. Its shape is a versioned schema ({@link POSTMORTEM_JSON_SCHEMA_VERSION}), written here once
 * with zod: the TypeScript type is inferred from it, tests validate against it, and
 * `docs/postmortem.schema.json` is generated from it (see docs/postmortem-json.md).
 *
 * Conventions: instants are ISO 8601 in UTC (`2026-02-20T09:30:00.000Z`), durations whole seconds,
 * text plain (Slack markup resolved: mentions as `@name`, entities decoded), `null` where the
 * Markdown says `_Not recorded_`. Pure.
 */
import { z } from 'zod';
import { decodeSlackEntities, mentionsToPlain, mrkdwnToPlain } from '../../shared/slack-text';
import { METRIC_KEYS } from '../metrics';
import { ACTION_PRIORITIES, ROLES, SEVERITIES, STATUSES, TIMELINE_KINDS } from '../types';
import type { Party, PostmortemDocument, Stamp } from './model';

/** Bumped on any change a consumer could notice (a field renamed, removed or re-typed). */
export const POSTMORTEM_JSON_SCHEMA_VERSION = 1;
/** The value of `kind`, so a file can tell what it is. */
export const POSTMORTEM_JSON_KIND = 'firewatch.postmortem';

const instant = z.iso.datetime().describe('An instant, ISO 8601 in UTC');
const seconds = z.number().int().nonnegative().describe('A duration in whole seconds');
const text = z.string().describe('Plain text: Slack markup resolved, entities decoded');
const unwritten = text.nullable().describe('Plain text, or null where nobody wrote it (`_Not recorded_`)');

const party = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('person'), slackUserId: z.string(), name: z.string() }),
    z.object({ type: z.literal('system'), name: z.string() }),
  ])
  .describe('A Slack user, or something that is not a person (a monitor, Firewatch itself)');

const verdict = z.enum(['Good', 'Fair', 'Poor']);

export const postmortemJsonSchema = z
  .object({
    schemaVersion: z.literal(POSTMORTEM_JSON_SCHEMA_VERSION),
    kind: z.literal(POSTMORTEM_JSON_KIND),
    incidentId: z.string().regex(/^INC-\d{4}-\d{3,}$/),
    title: text,
    timeZone: z.string().describe('The IANA zone the Markdown shows times in'),
    compiledAt: instant,
    document: z.object({
      status: z.enum(['Draft', 'In Review', 'Approved']),
      author: party.nullable().describe('The first Incident Commander'),
      reviewers: z.array(party),
      history: z.array(
        z.object({ version: z.number().int().positive(), compiledAt: instant, author: party, changes: text }),
      ),
    }),
    overview: z.object({
      severity: z.enum(SEVERITIES),
      severityLabel: z.string(),
      status: z.enum(STATUSES),
      impactStart: instant,
      detectedAt: instant,
      declaredAt: instant,
      resolvedAt: instant.nullable(),
      durationSeconds: seconds.nullable(),
      services: z.array(text),
      environment: z.array(text),
      rootCause: unwritten.describe('The first line of the root cause'),
      incidentCommanders: z.array(party),
      technicalLeads: z.array(party),
      communicationsLeads: z.array(party),
      reportedBy: party,
    }),
    executiveSummary: z.object({
      text,
      draftedByFirewatch: z
        .boolean()
        .describe('True while nobody wrote a summary: Firewatch drafted it from recorded facts only'),
    }),
    detection: z.object({
      detectedBy: party,
      detectedAt: instant,
      lagSeconds: seconds,
      detectingSystem: unwritten,
      withinTarget: z.boolean(),
      targetSeconds: seconds,
      notes: z.array(text),
    }),
    timeline: z.object({
      entries: z.array(
        z.object({ at: instant, kind: z.enum(TIMELINE_KINDS), event: text, actor: party, notes: text }),
      ),
      phases: z
        .array(
          z.object({
            label: z.string(),
            start: instant,
            end: instant,
            milestone: z.boolean(),
            critical: z.boolean(),
          }),
        )
        .describe('The phases of the chart, at their real times'),
      roleTerms: z
        .array(z.object({ role: z.enum(ROLES), person: party, from: instant, to: instant.nullable() }))
        .describe('Who held each role from when until when (to: null while they still do)'),
    }),
    impact: z.object({
      description: unwritten,
      usersAffected: unwritten,
      revenueImpact: unwritten,
      dataImpact: unwritten,
      customerImpact: unwritten,
      start: instant,
      end: instant.nullable(),
      durationSeconds: seconds.nullable(),
      services: z.array(text),
      environment: z.array(text),
    }),
    rootCause: z.object({
      whatHappened: unwritten,
      contributingFactors: z.array(text),
      fiveWhys: z.array(z.object({ question: unwritten, answer: unwritten })),
      trigger: unwritten,
    }),
    resolution: z.object({
      immediateFix: unwritten,
      steps: z.array(
        z.object({
          step: z.number().int().positive(),
          at: instant,
          action: text,
          result: unwritten,
          actor: party,
        }),
      ),
      permanentFixes: z.array(
        z.discriminatedUnion('source', [
          z.object({ source: z.literal('field'), text }),
          z.object({
            source: z.literal('action'),
            actionItem: z.number().int().positive(),
            text,
            status: z.enum(['open', 'done']),
          }),
        ]),
      ),
    }),
    responseMetrics: z.object({
      metrics: z.array(
        z.object({
          key: z.enum(METRIC_KEYS),
          label: z.string(),
          measured: z.string().describe('From → to, e.g. `detection → first human response`'),
          seconds: seconds.nullable(),
          targetSeconds: seconds,
          verdict: verdict.nullable(),
        }),
      ),
      sla: z.object({
        downtimeSeconds: seconds.nullable(),
        uptimePercent: z
          .number()
          .nullable()
          .describe('Monthly uptime of a 30-day month, as shown (2 decimals)'),
        uptimeTargetPercent: z.number(),
        uptimeBreach: z.boolean().nullable(),
        mttrSeconds: seconds.nullable(),
        mttrTargetSeconds: seconds,
        mttrBreach: z.boolean().nullable(),
        line: z.string().describe('`N minutes downtime → monthly uptime: X%`'),
      }),
    }),
    retrospective: z.object({ wentWell: z.array(text), wentWrong: z.array(text) }),
    actionItems: z.array(
      z.object({
        number: z.number().int().positive(),
        text,
        owner: party.nullable(),
        due: z.string().nullable().describe('As written, normally YYYY-MM-DD'),
        priority: z.enum(ACTION_PRIORITIES),
        status: z.enum(['open', 'done']),
        doneAt: instant.nullable(),
      }),
    ),
    lessonsLearned: z.array(text),
    relatedIncidents: z.array(
      z.object({
        incidentId: z.string(),
        declaredAt: instant,
        similarity: z.string(),
        resolved: z.boolean(),
      }),
    ),
    communicationLog: z.array(
      z.object({ at: instant, channel: z.string(), summary: text, audience: z.string(), sentBy: party }),
    ),
    approval: z.array(
      z.object({ role: z.enum(['Author', 'Reviewer', 'Approver']), person: party.nullable() }),
    ),
    transcript: z.array(
      z.object({
        ts: z.string().describe('The Slack message ts'),
        at: instant,
        author: party,
        text,
        threadReply: z.boolean(),
        edited: z.boolean(),
        files: z.array(z.object({ name: z.string(), permalink: z.string().nullable() })),
      }),
    ),
  })
  .describe('A Firewatch postmortem: every field of the Markdown document');

export type PostmortemJson = z.infer<typeof postmortemJsonSchema>;

/** The schema as JSON Schema (draft 2020-12), as committed in docs/postmortem.schema.json. */
export function postmortemJsonSchemaDocument(): Record<string, unknown> {
  return {
    title: `Firewatch postmortem, schema version ${POSTMORTEM_JSON_SCHEMA_VERSION}`,
    ...z.toJSONSchema(postmortemJsonSchema, { target: 'draft-2020-12' }),
  };
}

const iso = (stamp: Stamp): string => new Date(stamp.at).toISOString();
const isoOrNull = (stamp: Stamp | null): string | null => (stamp === null ? null : iso(stamp));
const toSeconds = (minutes: number): number => Math.max(0, Math.round(minutes * 60));
const secondsOrNull = (minutes: number | null): number | null =>
  minutes === null || !Number.isFinite(minutes) ? null : toSeconds(minutes);

/**
 * Converts a compiled document to its JSON form (every field of the Markdown; the chart's phases at
 * their real times, not cut into parts as drawn).
 */
export function toPostmortemJson(doc: PostmortemDocument): PostmortemJson {
  const people = doc.people;
  /** Slack-encoded user text as plain text (most text has no markup: left as it is). */
  const plain = (raw: string): string =>
    (/[<&]/.test(raw) ? decodeSlackEntities(mentionsToPlain(raw, people)) : raw).trim();
  const maybe = (raw: string | null): string | null => (raw === null ? null : plain(raw) || null);
  // One JSON party per Party object (the compiler shares one object per person).
  const parties = new Map<Party, PostmortemJson['overview']['reportedBy']>();
  const who = (p: Party): PostmortemJson['overview']['reportedBy'] => {
    let out = parties.get(p);
    if (out === undefined) {
      out =
        p.kind === 'person'
          ? { type: 'person', slackUserId: p.id, name: p.name }
          : { type: 'system', name: plain(p.label) };
      parties.set(p, out);
    }
    return out;
  };
  const [header, overview, summary, detection, timeline, impact, rootCause, resolution, metrics] =
    doc.sections;
  const [, , , , , , , , , retrospective, actions, lessons, related, comms, approval] = doc.sections;

  return {
    schemaVersion: POSTMORTEM_JSON_SCHEMA_VERSION,
    kind: POSTMORTEM_JSON_KIND,
    incidentId: doc.incidentId,
    title: plain(doc.incidentTitle),
    timeZone: doc.timeZone,
    compiledAt: iso(doc.compiledAt),
    document: {
      status: header.documentStatus,
      author: header.author === null ? null : who(header.author),
      reviewers: header.reviewers.map(who),
      history: header.history.map((h) => ({
        version: h.version,
        compiledAt: iso(h.compiledAt),
        author: who(h.author),
        changes: plain(h.changes),
      })),
    },
    overview: {
      severity: overview.severity,
      severityLabel: overview.severityLabel,
      status: overview.status,
      impactStart: iso(overview.impactStart),
      detectedAt: iso(overview.detectedAt),
      declaredAt: iso(overview.declaredAt),
      resolvedAt: isoOrNull(overview.resolvedAt),
      durationSeconds: secondsOrNull(overview.durationMinutes),
      services: overview.services.map(plain),
      environment: overview.environment.map(plain),
      rootCause: maybe(overview.rootCauseLine),
      incidentCommanders: overview.commanders.map(who),
      technicalLeads: overview.techLeads.map(who),
      communicationsLeads: overview.commsLeads.map(who),
      reportedBy: who(overview.reportedBy),
    },
    executiveSummary: {
      text: plain(summary.text ?? summary.draft ?? ''),
      draftedByFirewatch: summary.text === null && summary.draft !== null,
    },
    detection: {
      detectedBy: who(detection.detectedBy),
      detectedAt: iso(detection.detectedAt),
      lagSeconds: toSeconds(detection.lagMinutes),
      detectingSystem: maybe(detection.detectingSystem),
      withinTarget: detection.withinTarget,
      targetSeconds: toSeconds(detection.targetMinutes),
      notes: detection.notes.map(plain),
    },
    timeline: {
      entries: timeline.rows.map((r) => ({
        at: iso(r.at),
        kind: r.kind,
        event: plain(r.event),
        actor: who(r.actor),
        notes: plain(r.notes),
      })),
      phases: timeline.gantt.phases.map((t) => ({
        label: t.label,
        start: iso(t.start),
        end: iso(t.end),
        milestone: t.milestone,
        critical: t.critical,
      })),
      roleTerms: timeline.roleTerms.map((t) => ({
        role: t.role,
        person: who(t.person),
        from: iso(t.from),
        to: isoOrNull(t.to),
      })),
    },
    impact: {
      description: maybe(impact.description),
      usersAffected: maybe(impact.usersAffected),
      revenueImpact: maybe(impact.revenueImpact),
      dataImpact: maybe(impact.dataImpact),
      customerImpact: maybe(impact.customerImpact),
      start: iso(impact.impactStart),
      end: isoOrNull(impact.resolvedAt),
      durationSeconds: secondsOrNull(impact.durationMinutes),
      services: impact.services.map(plain),
      environment: impact.environment.map(plain),
    },
    rootCause: {
      whatHappened: maybe(rootCause.whatHappened),
      contributingFactors: rootCause.contributing.map(plain),
      fiveWhys: rootCause.whys.map((w) => ({ question: maybe(w.question), answer: maybe(w.answer) })),
      trigger: maybe(rootCause.trigger),
    },
    resolution: {
      immediateFix: maybe(resolution.immediateFix),
      steps: resolution.steps.map((s) => ({
        step: s.step,
        at: iso(s.at),
        action: plain(s.action),
        result: maybe(s.result),
        actor: who(s.actor),
      })),
      permanentFixes: resolution.permanentFixes.map((f) =>
        f.source === 'field'
          ? { source: 'field' as const, text: plain(f.text) }
          : { source: 'action' as const, actionItem: f.seq, text: plain(f.text), status: f.status },
      ),
    },
    responseMetrics: {
      metrics: metrics.metrics.map((m) => ({
        key: m.key,
        label: m.label,
        measured: m.span,
        seconds: secondsOrNull(m.minutes),
        targetSeconds: toSeconds(m.targetMinutes),
        verdict: m.verdict,
      })),
      sla: {
        downtimeSeconds: secondsOrNull(metrics.sla.downtimeMinutes),
        uptimePercent: metrics.sla.uptimePercent,
        uptimeTargetPercent: metrics.sla.uptimeTargetPercent,
        uptimeBreach: metrics.sla.uptimeBreach,
        mttrSeconds: secondsOrNull(metrics.sla.mttrMinutes),
        mttrTargetSeconds: toSeconds(metrics.sla.mttrTargetMinutes),
        mttrBreach: metrics.sla.mttrBreach,
        line: metrics.sla.line,
      },
    },
    retrospective: {
      wentWell: retrospective.wentWell.map(plain),
      wentWrong: retrospective.wentWrong.map(plain),
    },
    actionItems: actions.items.map((a) => ({
      number: a.seq,
      text: plain(a.text),
      owner: a.owner === null ? null : who(a.owner),
      due: a.due,
      priority: a.priority,
      status: a.status,
      doneAt: isoOrNull(a.doneAt),
    })),
    lessonsLearned: lessons.lessons.map(plain),
    relatedIncidents: related.incidents.map((r) => ({
      incidentId: r.id,
      declaredAt: iso(r.declaredAt),
      similarity: r.similarity,
      resolved: r.resolved,
    })),
    communicationLog: comms.entries.map((c) => ({
      at: iso(c.at),
      channel: plain(c.channel),
      summary: plain(mrkdwnToPlain(c.summary)),
      audience: plain(c.audience),
      sentBy: who(c.sentBy),
    })),
    approval: approval.rows.map((r) => ({ role: r.role, person: r.person === null ? null : who(r.person) })),
    transcript: doc.appendix.messages.map((m) => ({
      ts: m.ts,
      at: iso(m.at),
      author: who(m.author),
      text: plain(m.text),
      threadReply: m.depth === 1,
      edited: m.edited,
      files: m.files.map((f) => ({ name: f.name, permalink: f.permalink ?? null })),
    })),
  };
}

/** The JSON file's text: {@link toPostmortemJson}, two-space indented, ending with a newline. */
export function renderJson(doc: PostmortemDocument): string {
  return `${JSON.stringify(toPostmortemJson(doc), null, 2)}\n`;
}
