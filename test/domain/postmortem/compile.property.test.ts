/**
 * Property tests of the postmortem compiler (fast-check, fixed seed, bounded runs): whatever the
 * incident record, timeline, roles, fields, action items, communication log and messages, in any
 * order and however inconsistent, the compiler and its renderers never throw, every duration is
 * non-negative, the sections keep their order, the JSON fits its schema and the Slack post stays
 * within Block Kit's limits. `FIREWATCH_FUZZ_SEED=<n>` replays another run, `FIREWATCH_FUZZ_RUNS=<factor>`
 * scales the number of runs.
 */
import fc from 'fast-check';
import { compilePostmortem } from '../../../src/domain/postmortem/compile';
import { postmortemJsonSchema, toPostmortemJson } from '../../../src/domain/postmortem/json';
import { renderMarkdown } from '../../../src/domain/postmortem/markdown';
import type { GanttTask, PostmortemInput } from '../../../src/domain/postmortem/model';
import {
  ACTION_PRIORITIES,
  type ActionItem,
  type CapturedMessage,
  type CommsEntry,
  DEFAULT_TARGETS,
  type FieldEntry,
  type Incident,
  POSTMORTEM_FIELDS,
  ROLES,
  type RoleTerm,
  SEVERITIES,
  STATUSES,
  TIMELINE_KINDS,
  type TimelineEvent,
} from '../../../src/domain/types';
import { FALLBACK_TEXT_MAX } from '../../../src/shared/slack-limits';
import { renderSummaryBlocks } from '../../../src/slack/blocks/postmortem';
import { expectWithinLimits } from '../../support/block-kit';

const SEED = Number(process.env.FIREWATCH_FUZZ_SEED ?? 20260220);
/** Runs per property: a few seconds in all; `FIREWATCH_FUZZ_RUNS=<factor>` scales them. */
const RUNS = Math.max(1, Math.round(75 * Number(process.env.FIREWATCH_FUZZ_RUNS ?? 1)));

const T0 = Date.UTC(2026, 1, 20, 9, 30);
const HOUR = 3_600_000;
const USERS = ['U01ALICE', 'U02BOB', 'U03CAROL', 'UBOT'] as const;
const ZONES = ['UTC', 'Europe/Oslo', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham'] as const;

/** An instant around the incident: mostly minutes apart, sometimes days, sometimes milliseconds. */
const instant = fc.oneof(
  fc.integer({ min: -2 * HOUR, max: 6 * HOUR }).map((ms) => T0 + ms),
  fc.integer({ min: -3 * 24 * HOUR, max: 10 * 24 * HOUR }).map((ms) => T0 + ms),
  fc.integer({ min: 0, max: 2000 }).map((ms) => T0 + ms),
);

/** User text as Slack sends it, hostile bits included; now and then very long. */
const text = fc.oneof(
  { weight: 5, arbitrary: fc.string({ maxLength: 60 }) },
  {
    weight: 3,
    arbitrary: fc
      .array(
        fc.constantFrom(
          '<!channel>',
          '<!here>',
          '<@U01ALICE|alice>',
          '<@U02BOB>',
          '<#C0OPS|ops>',
          '<https://example.com|link>',
          '&amp;',
          '&lt;b&gt;',
          'fix: restart -&gt; ok',
          'action: page DBA',
          'mitigated by flag',
          'why 2: why? because',
          '`code`',
          '*bold* _it_',
          '|',
          '\n',
          ':',
          '#',
          '%%',
          '{{X}}',
          '😀',
          ' ',
          'word',
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: fc.nat({ max: 4000 }).map((n) => `${'long '.repeat(n)}<!here>`) },
);

const userId = fc.constantFrom(...USERS);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const incidentArb: fc.Arbitrary<Incident> = fc.record({
  id: fc.constant('INC-2026-001'),
  year: fc.constant(2026),
  seq: fc.constant(1),
  title: text,
  severity: fc.constantFrom(...SEVERITIES),
  status: fc.constantFrom(...STATUSES),
  channelId: fc.constant('C0INC001'),
  channelName: fc.constant('inc-2026-001-x'),
  cardTs: fc.constant(null),
  declaredBy: userId,
  originChannelId: fc.constant('C0OPS'),
  declaredAt: instant,
  startedAt: maybe(instant),
  detectedAt: maybe(instant),
  detectedBy: maybe(fc.oneof(text, fc.constant('<@U02BOB>'))),
  identifiedAt: maybe(instant),
  mitigatedAt: maybe(instant),
  resolvedAt: maybe(instant),
  closedAt: maybe(instant),
  isPrivate: fc.boolean(),
});

const eventArb = fc.record({
  kind: fc.constantFrom(...TIMELINE_KINDS),
  at: instant,
  actor: maybe(userId),
  text,
  ref: maybe(fc.oneof(fc.constantFrom(...STATUSES), fc.constantFrom('P1', '3', 'tech'), text)),
  recordedAt: instant,
});

const roleArb = fc.record({
  role: fc.constantFrom(...ROLES),
  userId,
  from: instant,
  to: maybe(instant),
  assignedBy: userId,
});

const fieldArb = fc.record({
  field: fc.constantFrom(...POSTMORTEM_FIELDS),
  value: text,
  at: instant,
  author: maybe(userId),
});

const actionArb = fc.record({
  seq: fc.integer({ min: 1, max: 40 }),
  text,
  owner: maybe(userId),
  due: maybe(fc.oneof(fc.constant('2026-03-01'), text)),
  priority: fc.constantFrom(...ACTION_PRIORITIES),
  status: fc.constantFrom('open' as const, 'done' as const),
  createdAt: instant,
  createdBy: maybe(userId),
  doneAt: maybe(instant),
});

const commsArb = fc.record({
  at: instant,
  channelLabel: text,
  summary: text,
  audience: text,
  sentBy: maybe(userId),
});

const messageArb = fc.record({
  at: instant,
  micros: fc.integer({ min: 0, max: 999_999 }),
  parent: maybe(instant),
  userId: maybe(userId),
  bot: fc.boolean(),
  text,
  edited: fc.boolean(),
});

const tsOf = (ms: number, micros: number) => `${Math.floor(ms / 1000)}.${String(micros).padStart(6, '0')}`;

/** Everything the compiler may be given, plus a second order of the same timeline. */
const inputArb = fc
  .record({
    incident: incidentArb,
    events: fc.array(eventArb, { maxLength: 30 }),
    roles: fc.array(roleArb, { maxLength: 8 }),
    fields: fc.array(fieldArb, { maxLength: 20 }),
    actions: fc.array(actionArb, { maxLength: 12 }),
    comms: fc.array(commsArb, { maxLength: 8 }),
    messages: fc.array(messageArb, { maxLength: 15 }),
    names: fc.dictionary(userId, text, { maxKeys: 4 }),
    timeZone: fc.constantFrom(...ZONES),
    compiledAt: instant,
  })
  .chain((raw) => {
    const timeline: TimelineEvent[] = raw.events.map((e, i) => ({
      ...e,
      id: i + 1,
      incidentId: 'INC-2026-001',
    }));
    return fc
      .shuffledSubarray(timeline, { minLength: timeline.length, maxLength: timeline.length })
      .map((shuffled) => {
        const input: PostmortemInput = {
          incident: raw.incident,
          roles: raw.roles.map((r, i): RoleTerm => ({ ...r, id: i + 1, incidentId: 'INC-2026-001' })),
          timeline,
          comms: raw.comms.map(
            (c, i): CommsEntry => ({
              ...c,
              id: i + 1,
              incidentId: 'INC-2026-001',
              channelId: 'C0ANN',
              status: 'investigating',
            }),
          ),
          actions: raw.actions.map(
            (a, i): ActionItem => ({ ...a, id: i + 1, incidentId: 'INC-2026-001', sourceRef: null }),
          ),
          fields: raw.fields.map(
            (f, i): FieldEntry => ({ ...f, id: i + 1, incidentId: 'INC-2026-001', sourceRef: null }),
          ),
          messages: raw.messages.map(
            (m): CapturedMessage => ({
              channelId: 'C0INC001',
              ts: tsOf(m.at, m.micros),
              threadTs: m.parent === null ? null : tsOf(m.parent, 0),
              userId: m.userId,
              botId: m.bot ? 'B0BOT' : null,
              text: m.text,
              editedAt: m.edited ? m.at : null,
              files: [],
            }),
          ),
          related: [],
          people: raw.names,
          history: [],
          current: { version: 1, changes: 'First compile on close', author: 'U01ALICE' },
          compiledAt: raw.compiledAt,
          config: { timeZone: raw.timeZone, targets: DEFAULT_TARGETS },
        };
        return { input, shuffled };
      });
  });

const HEADINGS = [
  '# Postmortem: ',
  '## 1. Incident overview',
  '## 2. Executive summary',
  '## 3. Detection',
  '## 4. Detailed timeline',
  '## 5. Impact',
  '## 6. Root cause analysis',
  '## 7. Resolution',
  '## 8. Response metrics',
  '## 9. What went well and what went wrong',
  '## 10. Action items',
  '## 11. Lessons learned',
  '## 12. Related incidents',
  '## 13. Communication log',
  '## 14. Approval',
  '## Appendix A. Channel transcript',
];

const nonNegative = (value: number | null) => value === null || (Number.isFinite(value) && value >= 0);
const forwards = (t: GanttTask) => t.end.at >= t.start.at;

const check = (property: fc.IProperty<[{ input: PostmortemInput; shuffled: TimelineEvent[] }]>) =>
  fc.assert(property, { seed: SEED, numRuns: RUNS });

describe('the postmortem compiler, for any input (fast-check)', () => {
  it('compiles and renders without throwing, the same whatever order the timeline arrives in', () => {
    check(
      fc.property(inputArb, ({ input, shuffled }) => {
        const doc = compilePostmortem(input);
        const md = renderMarkdown(doc);
        expect(renderMarkdown(compilePostmortem({ ...input, timeline: shuffled }))).toBe(md);
        // Computed parts never show a broken number (user text may say anything).
        const metrics = md.slice(md.indexOf('\n## 8. '), md.indexOf('\n## 9. '));
        expect(metrics).not.toMatch(/NaN|undefined|Infinity/);
        const rows = doc.sections[4].rows.map((r) => r.at.at);
        expect(rows).toEqual([...rows].sort((a, b) => a - b));
      }),
    );
  });

  it('never gives a negative duration (metrics, SLA, chart bars, breaks) and draws every phase', () => {
    check(
      fc.property(inputArb, ({ input }) => {
        const doc = compilePostmortem(input);
        const m = doc.metrics;
        expect(m.metrics.map((r) => r.key)).toEqual([
          'detect',
          'acknowledge',
          'diagnose',
          'mitigate',
          'resolve',
        ]);
        for (const value of [m.durationMinutes, m.detectionLagMinutes, ...m.metrics.map((r) => r.minutes)])
          expect(nonNegative(value)).toBe(true);
        expect(nonNegative(m.sla.downtimeMinutes)).toBe(true);
        if (m.sla.uptimePercent !== null) expect(m.sla.uptimePercent).toBeGreaterThanOrEqual(0);
        const { gantt } = doc.sections[4];
        const tasks = [gantt.impact, ...gantt.phases, ...gantt.roleChanges];
        for (const part of gantt.parts)
          tasks.push(...(part.impact ? [part.impact] : []), ...part.phases, ...part.roleChanges);
        for (const t of tasks)
          expect({ task: t.label, forwards: forwards(t) }).toEqual({ task: t.label, forwards: true });
        for (const b of gantt.breaks) {
          expect(b.minutes).toBeGreaterThan(0);
          for (const r of b.running) expect(r.minutes).toBeGreaterThanOrEqual(0);
        }
        expect(gantt.parts.length).toBe(gantt.breaks.length + 1);
        // Every phase is drawn in some part (cut bars carry `(continues)` / `(continued)`).
        const drawn = new Set(
          gantt.parts.flatMap((p) => p.phases.map((t) => t.label.replace(/ \(continue[ds].*\)$/, ''))),
        );
        for (const phase of gantt.phases) expect(drawn.has(phase.label)).toBe(true);
      }),
    );
  });

  it('keeps the sections in order, in the model and in the Markdown, and the JSON in its schema', () => {
    check(
      fc.property(inputArb, ({ input }) => {
        const doc = compilePostmortem(input);
        expect(doc.sections.map((s) => s.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
        expect(doc.appendix.number).toBe('A');
        const md = renderMarkdown(doc);
        const headings = md.split('\n').filter((l) => /^#{1,2} /.test(l));
        expect(headings).toHaveLength(HEADINGS.length);
        for (const [i, h] of headings.entries()) expect(h.startsWith(HEADINGS[i]!)).toBe(true);
        const json = postmortemJsonSchema.safeParse(toPostmortemJson(doc));
        expect(json.error).toBeUndefined();
      }),
    );
  });

  it('keeps the Slack summary post within Block Kit limits', () => {
    check(
      fc.property(inputArb, ({ input }) => {
        const message = renderSummaryBlocks(compilePostmortem(input), {
          markdownFileName: 'INC-2026-001.md',
        });
        expectWithinLimits(message.blocks);
        expect(message.text.length).toBeGreaterThan(0);
        expect(message.text.length).toBeLessThanOrEqual(FALLBACK_TEXT_MAX);
        expect(JSON.stringify(message.blocks)).not.toMatch(/<!(channel|here)>/);
      }),
    );
  });
});
