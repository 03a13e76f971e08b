import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilePostmortem } from '../../../src/domain/postmortem/compile';
import {
  POSTMORTEM_JSON_SCHEMA_VERSION,
  postmortemJsonSchema,
  postmortemJsonSchemaDocument,
  renderJson,
  toPostmortemJson,
} from '../../../src/domain/postmortem/json';
import { bareInput, fieldEntry, oslo, smallInput } from './fixtures';

const GOLDEN = join(__dirname, '../../fixtures/postmortem-small.json');
const SCHEMA_FILE = join(__dirname, '../../../docs/postmortem.schema.json');
/** ISO 8601 in UTC, as every instant of the file is written. */
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Every string value under a key named like an instant, wherever it is in the tree. */
function instants(node: unknown, key = '', out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) instants(item, key, out);
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) instants(v, k, out);
  else if (typeof node === 'string' && /At$|^(at|start|end|from|to)$/.test(key)) out.push(node);
  return out;
}

describe('the JSON postmortem', () => {
  it('matches the golden file for the small example, and validates against its schema', () => {
    const json = renderJson(compilePostmortem(smallInput()));
    // Regenerate (after checking the output by eye) with UPDATE_GOLDEN=1.
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, json);

    expect(json).toBe(readFileSync(GOLDEN, 'utf8'));
    expect(() => postmortemJsonSchema.parse(JSON.parse(json))).not.toThrow();
  });

  it('keeps docs/postmortem.schema.json generated from the zod schema', () => {
    const schema = `${JSON.stringify(postmortemJsonSchemaDocument(), null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(SCHEMA_FILE, schema);

    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schema);
    expect(JSON.parse(schema).title).toBe(
      `Firewatch postmortem, schema version ${POSTMORTEM_JSON_SCHEMA_VERSION}`,
    );
  });

  it('writes every instant in ISO 8601 UTC and every duration in whole seconds', () => {
    const json = toPostmortemJson(compilePostmortem(smallInput()));

    const all = instants(json);
    expect(all.length).toBeGreaterThan(30);
    for (const at of all) expect(at).toMatch(ISO_UTC);
    // 10:30:00 CET is 09:30:00 UTC.
    expect(json.overview.impactStart).toBe('2026-02-20T09:30:00.000Z');
    expect(json.overview.durationSeconds).toBe(28 * 60);
    expect(json.detection.lagSeconds).toBe(30);
    expect(json.responseMetrics.metrics.map((m) => [m.key, m.seconds, m.targetSeconds, m.verdict])).toEqual([
      ['detect', 30, 300, 'Good'],
      ['acknowledge', 30, 300, 'Good'],
      ['diagnose', 210, 180, 'Fair'],
      ['mitigate', 510, 1800, 'Good'],
      ['resolve', 1680, 3600, 'Good'],
    ]);
    expect(json.responseMetrics.sla).toMatchObject({
      downtimeSeconds: 1680,
      uptimePercent: 99.94,
      uptimeBreach: false,
      line: '28 minutes downtime → monthly uptime: 99.94%',
    });
  });

  it('holds every section of the Markdown, with plain text and people as objects', () => {
    const json = toPostmortemJson(compilePostmortem(smallInput()));

    expect(Object.keys(json)).toEqual([
      'schemaVersion',
      'kind',
      'incidentId',
      'title',
      'timeZone',
      'compiledAt',
      'document',
      'overview',
      'executiveSummary',
      'detection',
      'timeline',
      'impact',
      'rootCause',
      'resolution',
      'responseMetrics',
      'retrospective',
      'actionItems',
      'lessonsLearned',
      'relatedIncidents',
      'communicationLog',
      'approval',
      'transcript',
    ]);
    expect(json.overview.incidentCommanders).toEqual([
      { type: 'person', slackUserId: 'U01ALICE', name: 'Alice' },
    ]);
    expect(json.detection.detectedBy).toEqual({ type: 'system', name: 'BetterStack monitor' });
    // Slack markup resolved, entities decoded: what a person reads, not what Slack sends.
    expect(json.timeline.entries[0]!.event).toBe('BetterStack alert fired in #drop-ops');
    expect(json.impact.usersAffected).toBe('All active users (100% & full outage)');
    expect(json.rootCause.fiveWhys[1]).toEqual({
      question: 'Why was the pool exhausted?',
      answer: 'Logins -> one connection each',
    });
    expect(json.communicationLog[1]!.summary).toBe(
      '🟡 Monitoring — @Carol — Fix deployed & watching #C0INC001',
    );
    expect(json.actionItems.map((a) => [a.number, a.status, a.owner?.name ?? null])).toEqual([
      [1, 'open', 'Bob'],
      [2, 'done', null],
    ]);
    expect(json.timeline.roleTerms.map((t) => [t.role, t.person.name, t.from, t.to])).toEqual([
      ['ic', 'Alice', '2026-02-20T09:31:00.000Z', null],
      ['tech', 'Bob', '2026-02-20T09:32:00.000Z', null],
      ['comms', 'Carol', '2026-02-20T09:33:00.000Z', null],
    ]);
    expect(json.transcript.map((m) => m.threadReply)).toEqual([false, false, true, false]);
    expect(json.approval.at(-1)).toEqual({
      role: 'Approver',
      person: { type: 'system', name: 'Dana Lee (VP Engineering)' },
    });
    expect(JSON.stringify(json)).not.toMatch(/&amp;|&lt;|&gt;|<@U|_Not recorded_/);
  });

  it('says whether the executive summary was written by a person or drafted by Firewatch', () => {
    const drafted = toPostmortemJson(compilePostmortem(bareInput()));
    const input = bareInput();
    input.fields = [fieldEntry('summary', 'Written by <@U01ALICE>', oslo(11, 0))];
    input.people = { U01ALICE: 'Alice' };
    const written = toPostmortemJson(compilePostmortem(input));

    expect(drafted.executiveSummary.draftedByFirewatch).toBe(true);
    expect(drafted.executiveSummary.text).toContain('INC-2026-001, P1 — Critical (production down)');
    expect(written.executiveSummary).toEqual({ text: 'Written by @Alice', draftedByFirewatch: false });
  });

  it('uses null, never a placeholder, for what nobody wrote and for an open incident', () => {
    const json = toPostmortemJson(
      compilePostmortem(
        bareInput({ resolvedAt: null, mitigatedAt: null, identifiedAt: null, status: 'investigating' }),
      ),
    );

    expect(postmortemJsonSchema.safeParse(json).success).toBe(true);
    expect(json.overview.resolvedAt).toBeNull();
    expect(json.overview.durationSeconds).toBeNull();
    expect(json.rootCause).toEqual({
      whatHappened: null,
      contributingFactors: [],
      fiveWhys: [],
      trigger: null,
    });
    expect(json.responseMetrics.metrics.map((m) => m.verdict)).toEqual(['Good', 'Good', null, null, null]);
    expect(json.document.author).toBeNull();
  });
});
