/**
 * Deterministic incidents for the postmortem tests: a small worked example (the spec's check
 * numbers) in Europe/Oslo, and a synthetic generator for size and limit tests.
 *
 * The small example's user text is Slack-encoded as Slack delivers it: `&amp;`, `&lt;`, `&gt;`
 * entities, `<@U…>` / `<@U…|name>` mentions, `<#C…|name>` channel references, and mrkdwn in the
 * communication log (what the bot posted).
 */
import type { PostmortemInput } from '../../../src/domain/postmortem/model';
import {
  type ActionItem,
  type CapturedMessage,
  type CommsEntry,
  DEFAULT_TARGETS,
  type FieldEntry,
  type Incident,
  type PostmortemField,
  type RoleTerm,
  type TimelineEvent,
} from '../../../src/domain/types';

export const ALICE = 'U01ALICE';
export const BOB = 'U02BOB';
export const CAROL = 'U03CAROL';
export const INC = 'INC-2026-001';

/** 2026-02-20 hh:mm:ss in Europe/Oslo (CET, UTC+1) as epoch ms. */
export function oslo(hh: number, mm: number, ss = 0): number {
  return Date.UTC(2026, 1, 20, hh - 1, mm, ss);
}

/** Slack ts for an Oslo time. */
export function osloTs(hh: number, mm: number, ss = 0, micros = 100): string {
  return `${Math.floor(oslo(hh, mm, ss) / 1000)}.${String(micros).padStart(6, '0')}`;
}

export function baseIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: INC,
    year: 2026,
    seq: 1,
    title: 'Payments API returns 503: connection pool exhausted',
    severity: 'P1',
    status: 'closed',
    channelId: 'C0INC001',
    channelName: 'inc-2026-001-payments-api-503',
    cardTs: '1771579860.000100',
    declaredBy: ALICE,
    originChannelId: 'C0OPS',
    declaredAt: oslo(10, 31),
    startedAt: oslo(10, 30),
    detectedAt: oslo(10, 30, 30),
    detectedBy: 'BetterStack monitor',
    identifiedAt: oslo(10, 34),
    mitigatedAt: oslo(10, 38, 30),
    resolvedAt: oslo(10, 58),
    closedAt: oslo(11, 5),
    isPrivate: false,
    ...overrides,
  };
}

let nextId = 1;

export function event(
  kind: TimelineEvent['kind'],
  at: number,
  text: string,
  actor: string | null = ALICE,
  ref: string | null = null,
  recordedAt = at,
): TimelineEvent {
  return { id: nextId++, incidentId: INC, kind, at, actor, text, ref, recordedAt };
}

export function fieldEntry(field: PostmortemField, value: string, at: number, author = ALICE): FieldEntry {
  return { id: nextId++, incidentId: INC, field, value, at, author, sourceRef: null };
}

function roles(): RoleTerm[] {
  return [
    { id: 1, incidentId: INC, role: 'ic', userId: ALICE, from: oslo(10, 31), to: null, assignedBy: ALICE },
    { id: 2, incidentId: INC, role: 'tech', userId: BOB, from: oslo(10, 32), to: null, assignedBy: ALICE },
    { id: 3, incidentId: INC, role: 'comms', userId: CAROL, from: oslo(10, 33), to: null, assignedBy: ALICE },
  ];
}

function timeline(): TimelineEvent[] {
  // Listed in arrival order: the backdated note arrives last but happened early.
  return [
    event('declared', oslo(10, 31), 'Declared P1 by <@U01ALICE>', ALICE),
    event('role', oslo(10, 32), '<@U02BOB|bob> is Technical Lead', ALICE, 'tech'),
    event('role', oslo(10, 33), '<@U03CAROL> is Communications Lead', ALICE, 'comms'),
    event('status', oslo(10, 34), 'Pool exhaustion in the payments API &amp; its workers', BOB, 'identified'),
    event('note', oslo(10, 35), 'fix: restart the App Runner service -&gt; deployment started', BOB),
    event('status', oslo(10, 38, 30), 'Health check green again; watching | error rate', BOB, 'monitoring'),
    event(
      'pin',
      oslo(10, 54),
      'Error spike cleared, p99 &lt; 200 ms for 15 minutes',
      CAROL,
      '1771581240.000200',
    ),
    event('status', oslo(10, 58), 'All clear', ALICE, 'resolved'),
    event(
      'note',
      oslo(10, 30, 30),
      'BetterStack alert fired in <#C0OPS|drop-ops>',
      ALICE,
      null,
      oslo(10, 40),
    ),
  ];
}

function fields(): FieldEntry[] {
  return [
    fieldEntry(
      'summary',
      'A login burst exhausted the database pool; the API returned 503 for 28 minutes.',
      oslo(11, 0),
    ),
    fieldEntry('root-cause', 'Unbounded pool (first draft)', oslo(11, 1)),
    fieldEntry(
      'root-cause',
      'The payments API opened one connection per login callback with no pool limit.',
      oslo(11, 2),
    ),
    fieldEntry('impact', 'All users saw errors; about 5 payments were blocked.', oslo(11, 1)),
    fieldEntry('users-affected', 'All active users (100% &amp; full outage)', oslo(11, 1)),
    fieldEntry('revenue-impact', 'About 5 payments blocked (NOK 6,000–10,000)', oslo(11, 1)),
    fieldEntry('customer-impact', 'Error screens everywhere; /api/health returned 503', oslo(11, 1)),
    fieldEntry('contributing', 'No pooler in front of PostgreSQL', oslo(11, 2)),
    fieldEntry('contributing', 'No alarm on database connections', oslo(11, 3)),
    fieldEntry('why', 'Why did users see errors? The API returned 503', oslo(11, 3)),
    fieldEntry('why', 'Why was the pool exhausted? Logins -&gt; one connection each', oslo(11, 3)),
    fieldEntry('permanent-fix', 'Rate-limit login bursts across all IPs', oslo(11, 3)),
    fieldEntry('detection', 'Add an alarm on DatabaseConnections &gt; 70', oslo(11, 3)),
    fieldEntry('went-well', 'Alert fired within 30 seconds', oslo(11, 3), BOB),
    fieldEntry('went-wrong', 'First hypothesis (RDS down) cost two minutes', oslo(11, 3), BOB),
    fieldEntry('lessons', 'Marketing sends need a capacity check', oslo(11, 4), CAROL),
    fieldEntry('services', 'payments-api', oslo(10, 40)),
    fieldEntry('environment', 'production', oslo(10, 40)),
    fieldEntry('approver', 'Dana Lee (VP Engineering)', oslo(11, 4)),
  ];
}

function actions(): ActionItem[] {
  const base = { incidentId: INC, createdBy: ALICE, sourceRef: null };
  return [
    {
      ...base,
      id: 2,
      seq: 2,
      text: 'Alarm on DatabaseConnections &gt; 70',
      owner: null,
      due: null,
      priority: 'P2',
      status: 'done',
      createdAt: oslo(10, 50),
      doneAt: oslo(11, 4),
    },
    {
      ...base,
      id: 1,
      seq: 1,
      text: 'Put PgBouncer in front of the payments database',
      owner: BOB,
      due: '2026-03-06',
      priority: 'P1',
      status: 'open',
      createdAt: oslo(10, 45),
      doneAt: null,
    },
  ];
}

function comms(): CommsEntry[] {
  const base = { incidentId: INC, channelId: 'C0ANN', channelLabel: '#announcements', audience: 'Company' };
  return [
    {
      ...base,
      id: 2,
      at: oslo(10, 40),
      summary:
        ':large_yellow_circle: *Monitoring* — <@U03CAROL>\n&gt;Fix deployed &amp; watching <#C0INC001>',
      sentBy: CAROL,
      status: 'monitoring',
    },
    {
      ...base,
      id: 1,
      at: oslo(10, 33),
      summary: ':loudspeaker: *Update* (investigating) from <@U03CAROL>\n>Investigating _payment_ errors',
      sentBy: CAROL,
      status: 'investigating',
    },
    {
      ...base,
      id: 3,
      at: oslo(10, 58),
      summary: ':white_check_mark: *Resolved* in <#C0OPS|drop-ops> :tada:',
      sentBy: null,
      status: 'resolved',
    },
  ];
}

function messages(): CapturedMessage[] {
  const base = { channelId: 'C0INC001', botId: null, editedAt: null, files: [] };
  return [
    { ...base, ts: osloTs(10, 32), threadTs: null, userId: BOB, text: 'Looking at the logs <@U01ALICE>' },
    {
      ...base,
      ts: osloTs(10, 33),
      threadTs: osloTs(10, 32),
      userId: ALICE,
      text: 'thanks, ping me\nif it is RDS',
    },
    {
      ...base,
      ts: osloTs(10, 31, 30),
      threadTs: null,
      userId: CAROL,
      text: '<!channel> payments down, see status &amp; updates',
      editedAt: oslo(10, 32),
    },
    {
      ...base,
      ts: osloTs(10, 36),
      threadTs: null,
      userId: BOB,
      text: 'graph attached',
      files: [{ name: 'pool.png', permalink: 'https://example.slack.com/files/pool.png' }],
    },
  ];
}

/** The spec's worked example, complete enough to exercise every section. */
export function smallInput(overrides: Partial<PostmortemInput> = {}): PostmortemInput {
  nextId = 100;
  return {
    incident: baseIncident(),
    roles: roles(),
    timeline: timeline(),
    comms: comms(),
    actions: actions(),
    fields: fields(),
    messages: messages(),
    related: [
      {
        id: 'INC-2025-014',
        declaredAt: Date.UTC(2025, 10, 3, 8),
        similarity: 'same service: payments-api',
        resolved: true,
      },
    ],
    people: { [ALICE]: 'Alice', [BOB]: 'Bob', [CAROL]: 'Carol' },
    history: [],
    current: { version: 1, changes: 'First compile on close', author: ALICE },
    compiledAt: oslo(11, 5),
    config: { timeZone: 'Europe/Oslo', targets: DEFAULT_TARGETS },
    ...overrides,
  };
}

/** An input with nothing written by humans and nothing collected. */
export function bareInput(overrides: Partial<Incident> = {}): PostmortemInput {
  return {
    incident: baseIncident({ startedAt: null, detectedAt: null, detectedBy: null, ...overrides }),
    roles: [],
    timeline: [],
    comms: [],
    actions: [],
    fields: [],
    messages: [],
    related: [],
    people: {},
    history: [],
    compiledAt: oslo(11, 5),
    config: { timeZone: 'Europe/Oslo', targets: DEFAULT_TARGETS },
  };
}

/**
 * A synthetic incident with `entries` timeline entries (shuffled arrival order), proportional
 * messages and comms, `actionCount` action items and text fields of `fieldChars` characters.
 */
export function largeInput(entries: number, actionCount = entries / 10, fieldChars = 500): PostmortemInput {
  const start = oslo(10, 0);
  const kinds: TimelineEvent['kind'][] = ['note', 'pin', 'update', 'status', 'role', 'note'];
  const statuses = ['identified', 'monitoring', 'investigating'];
  const timelineEvents: TimelineEvent[] = [];
  for (let i = 0; i < entries; i += 1) {
    // A deterministic shuffle: arrival order differs from time order.
    const j = (i * 7919) % entries;
    const kind = kinds[j % kinds.length]!;
    timelineEvents.push({
      id: i + 1,
      incidentId: INC,
      kind,
      at: start + j * 1000,
      actor: j % 5 === 0 ? null : [ALICE, BOB, CAROL][j % 3]!,
      text: `${j % 11 === 0 ? 'fix: ' : ''}Entry ${j} <@U02BOB> said | something <!here> & more\nsecond line`,
      ref: kind === 'status' ? statuses[j % 3]! : null,
      recordedAt: start + j * 1000 + 5,
    });
  }
  const long = 'x'.repeat(Math.max(0, fieldChars - 20));
  const fieldRows: FieldEntry[] = (
    ['summary', 'impact', 'root-cause', 'trigger', 'contributing', 'went-well', 'lessons'] as const
  ).map((f, i) => fieldEntry(f, `<!channel> ${f} ${long} end`, start + i));
  const actionRows: ActionItem[] = Array.from({ length: Math.round(actionCount) }, (_, i) => ({
    id: i + 1,
    incidentId: INC,
    seq: i + 1,
    text: `Action ${i + 1} ${'y'.repeat(i % 3 === 0 ? 400 : 20)} <!channel>`,
    owner: i % 4 === 0 ? null : BOB,
    due: i % 2 ? '2026-03-01' : null,
    priority: (['P1', 'P2', 'P3', 'P4'] as const)[i % 4]!,
    status: i % 5 === 0 ? 'done' : 'open',
    createdAt: start + i,
    createdBy: ALICE,
    doneAt: i % 5 === 0 ? start + i + 1000 : null,
    sourceRef: null,
  }));
  const commsRows: CommsEntry[] = Array.from({ length: Math.ceil(entries / 20) }, (_, i) => ({
    id: i + 1,
    incidentId: INC,
    at: start + i * 20_000,
    channelId: 'C0ANN',
    channelLabel: '#announcements',
    summary: `Update ${i}`,
    audience: 'Company',
    sentBy: CAROL,
    status: 'investigating',
  }));
  const messageRows: CapturedMessage[] = Array.from({ length: Math.ceil(entries / 2) }, (_, i) => ({
    channelId: 'C0INC001',
    ts: `${Math.floor(start / 1000) + i * 2}.000${String(i % 1000).padStart(3, '0')}`,
    threadTs:
      i % 4 === 3
        ? `${Math.floor(start / 1000) + (i - 1) * 2}.000${String((i - 1) % 1000).padStart(3, '0')}`
        : null,
    userId: [ALICE, BOB, CAROL][i % 3]!,
    botId: null,
    text: `Message ${i} with <@U01ALICE> and a | pipe`,
    editedAt: null,
    files: [],
  }));
  return {
    ...smallInput(),
    incident: baseIncident({
      title: `<!channel> ${'Very long title '.repeat(30)}`,
      startedAt: start,
      resolvedAt: start + entries * 1000,
    }),
    timeline: timelineEvents,
    fields: fieldRows,
    actions: actionRows,
    comms: commsRows,
    messages: messageRows,
  };
}
