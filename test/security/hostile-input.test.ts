/**
 * Hostile input through the real HTTP endpoint of the real app, against the Slack emulator (issue 9,
 * item 3). Generated with fast-check from a fixed seed: `FIREWATCH_FUZZ_SEED=<n>` replays another
 * run, `FIREWATCH_FUZZ_RUNS=<factor>` scales the number of runs, `FIREWATCH_FUZZ_SHRINK=1` shrinks a
 * failure to a smaller input (slow when the failure is a 3 s timeout), and `FIREWATCH_FUZZ_SURVEY=1`
 * keeps going after a failure and ends each property with every class of failure it saw.
 *
 * Pass means: every request is answered, never with a 5xx, within 3 s; the bot keeps answering
 * /healthz; forged, stale and future signatures get 401; nothing the bot posted (nor any HTTP answer
 * Slack would show) carries an unescaped mass mention or a user-typed link; the database is intact
 * and the incident under fire still closes into its postmortem. An uncaught error in the app, which
 * would take the real process down, reaches Jest's own process-level handler and fails this file
 * (the app runs in the test process); the request it dropped fails here as "no answer".
 */
import crypto from 'node:crypto';
import http from 'node:http';
import fc from 'fast-check';
import { SUBCOMMANDS as GRAMMAR_SUBCOMMANDS } from '../../src/domain/command';
import { IDS } from '../../src/slack/ids';
// ---- Adapter: the only part of this file that knows the test harness ------------------------------
// (Re-point these few functions when the harness changes; everything below uses only `Bot`.)
import { Harness, SIGNING_SECRET } from '../support/harness';
import { slackSignature } from '../support/signing';

/** One HTTP answer; `status` 0 means no answer came before the client gave up. */
interface Answer {
  status: number;
  body: string;
  ms: number;
}

/** What the recorded Slack side saw: every payload the bot sent, as (where, value) pairs. */
interface Posted {
  where: string;
  value: unknown;
}

/** A signed (or deliberately badly signed) request to the Slack endpoint. */
interface RawRequest {
  body: string | Buffer;
  contentType?: string;
  /** Seconds; default now. */
  timestamp?: number | string;
  /** Sign with this secret (default the right one). */
  secret?: string;
  /** Send this signature header instead of a computed one; null sends none. */
  signature?: string | null;
  /** Send no timestamp header. */
  noTimestamp?: boolean;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
}

interface Bot {
  /** `/incident <text>` as a signed slash command. */
  slash(text: string, opts: { channel: string; user: string }): Promise<Answer>;
  post(request: RawRequest): Promise<Answer>;
  health(): Promise<Answer>;
  ping(): Promise<void>;
  declare(text: string, user: string): Promise<{ id: string; channel: string }>;
  incident(id: string): Promise<{ status: string; title: string; severity: string } | null>;
  postmortemCount(id: string): Promise<number>;
  /** A response_url on the emulator. */
  responseUrl(): string;
  /** Resolves once the emulator has recorded a call matching `match` after `since` (or times out). */
  waitForCall(
    match: (method: string, args: Record<string, unknown>) => boolean,
    since: number,
  ): Promise<void>;
  callCount(): number;
  /** Everything posted to Slack so far (Web API calls, response_url posts, uploaded file contents). */
  posted(): Posted[];
  /** Waits for background work, at most `ms`. */
  settle(ms: number): Promise<void>;
  stop(): Promise<void>;
}

/** The client gives up on an answer after this long (a crashed handler never answers). */
const CLIENT_TIMEOUT_MS = 6000;

async function startBot(): Promise<Bot> {
  const h = await Harness.start();
  const endpoint = (path: string) => `${h.baseUrl}${path}`;
  const timed = async (method: string, path: string, headers: Record<string, string>, body?: Buffer) => {
    const started = performance.now();
    try {
      const res = await rawHttp(endpoint(path), method, headers, body);
      return { ...res, ms: performance.now() - started };
    } catch (error) {
      return { status: 0, body: String(error), ms: performance.now() - started };
    }
  };
  return {
    async slash(text, opts) {
      const started = performance.now();
      const reply = await within(CLIENT_TIMEOUT_MS, h.slash(text, { ...opts, channelName: 'whatever' }));
      if (!reply) return { status: 0, body: 'no answer', ms: performance.now() - started };
      return { status: reply.status, body: reply.body, ms: reply.ms };
    },
    post(request) {
      const timestamp = request.timestamp ?? Math.floor(Date.now() / 1000);
      const headers: Record<string, string> = { ...request.headers };
      if (request.contentType !== undefined) headers['content-type'] = request.contentType;
      if (!request.noTimestamp) headers['x-slack-request-timestamp'] = String(timestamp);
      const signature =
        request.signature !== undefined
          ? request.signature
          : typeof request.body === 'string'
            ? slackSignature(request.secret ?? SIGNING_SECRET, Number(timestamp), request.body)
            : signBytes(request.secret ?? SIGNING_SECRET, timestamp, request.body);
      if (signature !== null) headers['x-slack-signature'] = signature;
      const body = request.method === 'GET' ? undefined : Buffer.from(request.body);
      return timed(request.method ?? 'POST', request.path ?? '/slack/events', headers, body);
    },
    health: () => timed('GET', '/healthz', {}),
    ping: () => h.store.ping(),
    async declare(text, user) {
      const { incident, channel } = await h.declare(text, { user, channel: 'C0GENERAL1' });
      return { id: incident.id, channel };
    },
    async incident(id) {
      const found = await h.store.getIncident(id);
      return found ? { status: found.status, title: found.title, severity: found.severity } : null;
    },
    postmortemCount: async (id) => (await h.store.postmortems(id)).length,
    responseUrl: () => h.slack.responseUrl(),
    async waitForCall(match, since) {
      await h.slack.waitFor((call) => match(call.method, call.args), { since, timeoutMs: 15_000 });
    },
    callCount: () => h.slack.calls.length,
    posted() {
      const out: Posted[] = [];
      for (const call of h.slack.calls) out.push({ where: call.method, value: call.args });
      for (const response of h.slack.responses) out.push({ where: 'response_url', value: response.body });
      for (const call of h.slack.callsTo('files.getUploadURLExternal')) {
        const id = call.response?.file_id;
        const file = typeof id === 'string' ? h.slack.uploadedFile(id) : undefined;
        if (file?.bytes) out.push({ where: `file ${file.filename}`, value: file.bytes.toString('utf8') });
      }
      return out;
    },
    async settle(ms) {
      await within(ms, h.idle());
    },
    stop: () => h.stop(),
  };
}

/**
 * One request on its own connection (no keep-alive pool: an early 413 or a dropped request must not
 * break the next request), given up after CLIENT_TIMEOUT_MS.
 */
function rawHttp(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method,
      headers,
      agent: false,
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    // The server may answer (413) and close before the whole body is written: the answer counts.
    req.on('error', reject);
    req.end(body);
  });
}

/** The promise's value, or null when it takes longer than `ms` (the timer never outlives the race). */
async function within<T>(ms: number, promise: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Slack's signature over raw bytes (for bodies that are not valid UTF-8). */
function signBytes(secret: string, timestamp: number | string, body: Buffer): string {
  const hmac = crypto.createHmac('sha256', secret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(body);
  return `v0=${hmac.digest('hex')}`;
}

// ---- Settings ---------------------------------------------------------------------------------------

const SEED = Number(process.env.FIREWATCH_FUZZ_SEED ?? 20260904);
const SCALE = Number(process.env.FIREWATCH_FUZZ_RUNS ?? 1);
const SHRINK = process.env.FIREWATCH_FUZZ_SHRINK === '1';
const SURVEY = process.env.FIREWATCH_FUZZ_SURVEY === '1';
/** Inputs sent concurrently in one run of a property. */
const BATCH = 4;
/** Runs per property (each run sends BATCH inputs). */
const RUNS = {
  slash: Math.ceil(125 * SCALE),
  events: Math.ceil(65 * SCALE),
  interactivity: Math.ceil(40 * SCALE),
  http: Math.ceil(25 * SCALE),
};
const ACK_LIMIT_MS = 3000;

const GENERAL = 'C0GENERAL1';
const ALICE = 'U0ALICE001';
const BOB = 'U0BOB00001';
const NOBODY = 'UNOBODY01';

// ---- Hostile fragments --------------------------------------------------------------------------------

const MASS_MENTIONS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S123|@oncall>',
  '<!here|here>',
  '<!channel|@channel>',
  '<!subteam^S0ONCALL>',
];
const LINKS = [
  '<https://evil.example|click>',
  '<http://evil.example>',
  '<HTTPS://EVIL.EXAMPLE/login?next=%2F|Sign in>',
  '<https://evil.example/?a=1&amp;b=2|totally safe>',
];
const UNICODE = [
  '🔥🚨💥',
  '👩🏽‍💻👨‍👩‍👧‍👦🏳️‍🌈',
  '🇳🇴🇯🇵',
  '\u202Egnp.exe\u202C',
  'مرحبا بالعالم',
  'שלום עולם',
  'e\u0301\u0301\u0301\u0301\u0301',
  'Z̸̡̢̛̗̘̙̜̝̞̟̠̀́̂̃̄̅̆̇̉̊̋̌̍̎̏̐̑̒̓̔̕̚ͅa̶l̷g̸o̵',
  'zero\u200Bwidth\u200D\uFEFFjoin\u2060er',
  '\uD83D',
  '\uDE00lone',
  'ｆｕｌｌｗｉｄｔｈ',
  '𝕳𝖊𝖑𝖑𝖔',
  '\u00A0\u2003\u3000',
];
const CONTROL = [
  '\u0000',
  '\u0007',
  '\b',
  '\r\n',
  '\n\n\n',
  '\t',
  '\u001b[31mred\u001b[0m',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
  '\f\v',
];
const MARKDOWN = [
  '|',
  '| a | b |\n|---|---|\n| c | d |',
  '```',
  '`',
  '```\ncode\n```',
  '\n# Heading\n',
  '<br>',
  '</td></tr></table>',
  '*bold* _it_ ~strike~',
  '> quote',
  '---',
  '[click](https://evil.example)',
  '![img](https://evil.example/x.png)',
  '\\|\\',
];
const SQL = [
  "'; DROP TABLE incidents; --",
  '" OR 1=1 --',
  "Robert'); DROP TABLE messages;--",
  "%' AND 1=1 --",
  "1; UPDATE incidents SET status='closed'",
  '\\x00\\x1a',
];
const BAD_TIMES = [
  'at 25:99',
  'at 1970-01-01T00:00:00Z',
  'at 9999-12-31T23:59:59Z',
  'at 2026-02-30 10:30',
  'at 24:00',
  'at 00:60',
  'at 10:30:99',
  'at -1',
  'at NaN',
  'at 1e999',
  'at 2026-02-20T10:30:00+99:00',
  'at',
  'at at at',
];
const BAD_DATES = [
  'due 2026-13-45',
  'due 0000-00-00',
  'due 2026-02-30',
  'due yesterday',
  'due',
  'due 99999-01-01',
];
const TIMES = [
  '25:99',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '00:00',
  '23:59:59',
  '2026-02-30 10:30',
  '10:30:99',
  '-1',
  '',
  'now',
  'at 10:00',
  '2000-01-01T00:00:00.000000001Z',
];
const MENTIONS = [
  '<@U0BOB00001|bob>',
  '<@U0BOB00001>',
  `<@${NOBODY}>`,
  '<@U0BOT00001>',
  '<@>',
  '<@U0BOB00001|<!channel>>',
  '<#C0GENERAL1|general>',
  '<#CNOPE0001>',
  '@bob',
  '<@W0ENTERPRISE|x>',
  '<@u0bob00001>',
];
const OTHER = [
  '',
  ' ',
  '<script>alert(1)</script>',
  '&amp;lt;!channel&amp;gt;',
  '&lt;!here&gt;',
  '&#60;!channel&#62;',
  '../../etc/passwd',
  '%00',
  'P0',
  'P9',
  'p1',
  'P1P2',
  '99999999999999999999',
  '-0',
  'NaN',
  'undefined',
  'null',
  '{"a":1}',
  '__proto__',
  'constructor',
  '$' + '{process.exit()}',
];
/** Every subcommand word of the grammar (`sev` and the role words included). */
const SUBCOMMANDS: readonly string[] = GRAMMAR_SUBCOMMANDS;
const FIELDS = [
  'summary',
  'impact',
  'root-cause',
  'trigger',
  'why',
  'lessons',
  'doc-status',
  'approver',
  'bogus',
];
const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'closed', 'IDENTIFIED', 'bogus'];
const SEVS = ['P1', 'P2', 'P3', 'P4', 'P0', 'P9', 'p2', 'sev1', ''];

/** One hostile fragment of any kind, or a generated string. */
const fragment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...MASS_MENTIONS) },
  { weight: 2, arbitrary: fc.constantFrom(...LINKS) },
  { weight: 2, arbitrary: fc.constantFrom(...UNICODE) },
  { weight: 2, arbitrary: fc.constantFrom(...CONTROL) },
  { weight: 2, arbitrary: fc.constantFrom(...MARKDOWN) },
  { weight: 1, arbitrary: fc.constantFrom(...SQL) },
  { weight: 1, arbitrary: fc.constantFrom(...BAD_TIMES, ...BAD_DATES) },
  { weight: 1, arbitrary: fc.constantFrom(...MENTIONS) },
  { weight: 1, arbitrary: fc.constantFrom(...OTHER) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
);

/** Free text: a few fragments, sometimes blown up to about 20,000 characters. */
const freeText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.array(fragment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(' ')),
  },
  { weight: 1, arbitrary: fragment.map((part) => blowUp(part || 'x', 20_000)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...MASS_MENTIONS, ...LINKS).map((part) => blowUp(`${part} `, 20_000)),
  },
);

function blowUp(part: string, length: number): string {
  return part.repeat(Math.ceil(length / part.length)).slice(0, length);
}

/** An optional piece: the piece or nothing. */
const maybe = (arb: fc.Arbitrary<string>) => fc.option(arb, { nil: '' });

/** A `/incident` text: every subcommand of the grammar with hostile arguments mixed in. */
const slashText: fc.Arbitrary<string> = fc.oneof(
  freeText,
  fc.tuple(fc.constantFrom(...SUBCOMMANDS), freeText).map(([sub, text]) => `${sub} ${text}`),
  fc
    .tuple(fc.constantFrom(...SUBCOMMANDS), freeText)
    .map(([sub, text]) => `${sub.toUpperCase()}${text.startsWith(' ') ? '' : ' '}${text}`),
  fc
    .tuple(maybe(fc.constantFrom('private', ...SEVS)), fc.constantFrom(...SEVS), freeText)
    .map(([a, b, text]) => `declare ${a} ${b} ${text}`),
  fc
    .tuple(
      fc.constantFrom('role ic', 'role tech', 'role comms', 'role boss', 'ic', 'tech', 'comms'),
      fc.oneof(fc.constantFrom(...MENTIONS), freeText),
    )
    .map(([cmd, who]) => `${cmd} ${who}`),
  fc
    .tuple(fc.constantFrom('severity', 'sev'), fc.oneof(fc.constantFrom(...SEVS), freeText))
    .map(([cmd, s]) => `${cmd} ${s}`),
  fc
    .tuple(fc.constantFrom(...STATUSES), maybe(fc.constantFrom(...BAD_TIMES)), freeText)
    .map(([status, at, text]) => `status ${status} ${at} ${text}`),
  fc
    .tuple(fc.constantFrom('update', 'note'), maybe(fc.constantFrom(...BAD_TIMES)), freeText)
    .map((p) => p.join(' ')),
  fc
    .tuple(
      fc.constantFrom('started', 'detected', 'started at', 'detected at'),
      fc.oneof(fc.constantFrom(...TIMES), freeText),
    )
    .map((p) => p.join(' ')),
  fc.tuple(fc.constantFrom(...TIMES), freeText).map(([time, by]) => `detected ${time} by ${by}`),
  fc
    .tuple(
      freeText,
      maybe(fc.constantFrom(...MENTIONS)),
      maybe(fc.constantFrom(...BAD_DATES, 'due 2026-12-31')),
      maybe(fc.constantFrom(...SEVS)),
    )
    .map(([text, owner, due, sev]) => `action ${text} ${owner} ${due} ${sev}`),
  fc
    .oneof(fc.constantFrom('0', '-1', '1', '999999999999', '1.5', 'abc', '1e3', ''), freeText)
    .map((n) => `done ${n}`),
  fc.tuple(fc.constantFrom(...FIELDS), freeText).map(([field, text]) => `set ${field} ${text}`),
  fc.tuple(maybe(fc.constantFrom(...BAD_TIMES)), freeText).map(([at, text]) => `resolve ${at} ${text}`),
  fc
    .tuple(fc.constantFrom('close', 'reopen', 'actions', 'show', 'list', 'help', ''), maybe(freeText))
    .map((p) => p.join(' ')),
);

// ---- Cases --------------------------------------------------------------------------------------------

/** One hostile input, printed by fast-check as its label (never as a megabyte of text). */
interface Case {
  kind: string;
  label: string;
  /** The answer must be exactly this status (401 for forged, stale and future signatures). */
  expectStatus?: number;
  /** A coarse class of the input (subcommand, event type…), to group failures in survey mode. */
  shape: string;
  send: (bot: Bot, world: World) => Promise<Answer>;
}

/** Ids the generated inputs aim at, known once the first incidents exist. */
interface World {
  target: string;
  targetChannel: string;
  spareChannel: string;
}

function makeCase(
  kind: string,
  label: string,
  send: Case['send'],
  expectStatus?: number,
  shape = `${kind}: ${label}`,
): Case {
  const c: Case = { kind, label, send, shape, ...(expectStatus !== undefined ? { expectStatus } : {}) };
  Object.defineProperty(c, fc.toStringMethod, { value: () => `${c.kind}: ${preview(c.label)}` });
  return c;
}

function preview(text: string, max = 160): string {
  const shown = JSON.stringify(text);
  return shown.length > max ? `${shown.slice(0, max)}… (${text.length} chars)` : shown;
}

type ChannelPick = 'target' | 'spare' | 'general' | 'unknown';
const channelPick = fc.constantFrom<ChannelPick>('target', 'target', 'target', 'spare', 'general', 'unknown');
const channelOf = (pick: ChannelPick, world: World) =>
  pick === 'target'
    ? world.targetChannel
    : pick === 'spare'
      ? world.spareChannel
      : pick === 'general'
        ? GENERAL
        : 'C0UNKNOWN9';
const userPick = fc.constantFrom(ALICE, ALICE, BOB, NOBODY, 'U0BOT00001', '');

const slashCase: fc.Arbitrary<Case> = fc
  .tuple(slashText, channelPick, userPick)
  .map(([text, where, user]) =>
    makeCase(
      `slash in ${where} as ${user || '(no user)'}`,
      text,
      (bot, world) => bot.slash(text, { channel: channelOf(where, world), user }),
      undefined,
      `slash ${/^\s*(\S{0,12})/.exec(text)?.[1]?.toLowerCase() || '(empty)'} in ${where}`,
    ),
  );

// Events API ------------------------------------------------------------------------------------------

/** Values of the wrong type (or the right type with nonsense in it). */
const WRONG = {
  ts: [
    'abc',
    12345,
    1.5,
    null,
    {},
    [],
    '',
    '1.2.3',
    '-1',
    '99999999999999999999.999999',
    '1700000000.',
    true,
  ],
  user: [{}, [], 123, null, { id: 'U0BOB00001' }, '<!channel>', '', 'U'.repeat(5000)],
  text: [{}, ['x'], 123, null, true, { text: '<!channel>' }],
  files: [
    'x',
    [null],
    [{}],
    [{ name: {} }],
    {},
    [{ name: '<!channel>', permalink: 'javascript:alert(1)' }],
    5,
  ],
  item: [null, 'x', {}, { type: 'message' }, { type: 'message', channel: 5, ts: 'abc' }, []],
  reaction: [{}, 123, null, '', 'pushpin'.repeat(100)],
  message: [null, 'x', {}, { text: {} }, { ts: 'abc', user: {} }, []],
} as const;

type Json = unknown;
const wrong = <K extends keyof typeof WRONG>(key: K) => fc.constantFrom<Json>(...WRONG[key]);

const nowTs = (() => {
  let n = 0;
  return () => {
    n += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(n % 1_000_000).padStart(6, '0')}`;
  };
})();

/** A message-like event in one of the channels, with some fields replaced by wrong values. */
const messageEvent = fc
  .record({
    where: channelPick,
    subtype: fc.constantFrom<Json>(
      undefined,
      undefined,
      'message_changed',
      'message_deleted',
      'file_share',
      'thread_broadcast',
      'bot_message',
      'channel_join',
      'tombstone',
      'me_message',
      'bogus_subtype',
      123,
      null,
    ),
    text: fc.oneof(
      freeText.map((t): Json => t),
      wrong('text'),
    ),
    user: fc.oneof(fc.constantFrom<Json>(BOB, ALICE, NOBODY, undefined), wrong('user')),
    ts: fc.oneof(fc.constant<Json>('fresh'), fc.constant<Json>(undefined), wrong('ts')),
    eventTs: fc.oneof(fc.constant<Json>('fresh'), fc.constant<Json>(undefined), wrong('ts')),
    threadTs: fc.oneof(fc.constant<Json>(undefined), wrong('ts')),
    files: fc.oneof(fc.constant<Json>(undefined), wrong('files')),
    message: fc.oneof(fc.constant<Json>(undefined), wrong('message')),
    previous: fc.oneof(fc.constant<Json>(undefined), wrong('message')),
    edited: fc.constantFrom<Json>(undefined, 'x', { ts: 5 }, { user: {}, ts: 'abc' }, null),
    botId: fc.constantFrom<Json>(undefined, undefined, 'B0BOT00001', {}, 5),
    channel: fc.constantFrom<Json>('pick', 'pick', 'pick', 123, null, {}, ''),
  })
  .map((f) => (world: World) => {
    const event: Record<string, Json> = { type: 'message', channel_type: 'channel' };
    event.channel = f.channel === 'pick' ? channelOf(f.where, world) : f.channel;
    const put = (key: string, value: Json) => {
      if (value !== undefined) event[key] = value === 'fresh' ? nowTs() : value;
    };
    put('subtype', f.subtype);
    put('text', f.text);
    put('user', f.user);
    put('ts', f.ts);
    put('event_ts', f.eventTs);
    put('thread_ts', f.threadTs);
    put('files', f.files);
    put('message', f.message);
    put('previous_message', f.previous);
    put('edited', f.edited);
    put('bot_id', f.botId);
    if (f.subtype === 'message_deleted') put('deleted_ts', f.ts === 'fresh' ? 'abc' : f.ts);
    return event;
  });

const reactionEvent = fc
  .record({
    type: fc.constantFrom('reaction_added', 'reaction_removed'),
    where: channelPick,
    item: fc.oneof(fc.constant<Json>('valid'), fc.constant<Json>(undefined), wrong('item')),
    itemTs: fc.oneof(fc.constant<Json>('fresh'), wrong('ts')),
    reaction: fc.oneof(
      fc.constantFrom<Json>('pushpin', 'bulb', 'ballot_box_with_check', 'thumbsup'),
      wrong('reaction'),
    ),
    user: fc.oneof(fc.constantFrom<Json>(BOB, NOBODY), wrong('user')),
    eventTs: fc.oneof(fc.constant<Json>('fresh'), fc.constant<Json>(undefined), wrong('ts')),
  })
  .map((f) => (world: World) => {
    const event: Record<string, Json> = { type: f.type, reaction: f.reaction, user: f.user };
    if (f.item === 'valid') {
      event.item = {
        type: 'message',
        channel: channelOf(f.where, world),
        ts: f.itemTs === 'fresh' ? nowTs() : f.itemTs,
      };
    } else if (f.item !== undefined) {
      event.item = f.item;
    }
    if (f.eventTs !== undefined) event.event_ts = f.eventTs === 'fresh' ? nowTs() : f.eventTs;
    return event;
  });

const otherEvent = fc
  .record({
    type: fc.constantFrom<Json>(
      'member_joined_channel',
      'member_left_channel',
      'app_mention',
      'channel_rename',
      'totally_unknown_event',
      '',
      123,
      null,
      undefined,
      {},
    ),
    where: channelPick,
    user: fc.oneof(fc.constantFrom<Json>(BOB, NOBODY), wrong('user')),
    channel: fc.constantFrom<Json>('pick', 123, null, {}),
    eventTs: fc.oneof(fc.constant<Json>('fresh'), wrong('ts')),
    text: fc.oneof(
      freeText.map((t): Json => t),
      wrong('text'),
    ),
  })
  .map((f) => (world: World) => {
    const event: Record<string, Json> = {
      user: f.user,
      channel: f.channel === 'pick' ? channelOf(f.where, world) : f.channel,
      event_ts: f.eventTs === 'fresh' ? nowTs() : f.eventTs,
      text: f.text,
    };
    if (f.type !== undefined) event.type = f.type;
    return event;
  });

/** The envelope around an event, sometimes broken itself. */
const envelopeBreak = fc.constantFrom(
  'none',
  'none',
  'none',
  'none',
  'no event',
  'event null',
  'event string',
  'event array',
  'event_id number',
  'no event_id',
  'event_time abc',
  'authorizations string',
  'type unknown',
  'type missing',
  'url_verification without challenge',
  'url_verification object challenge',
  'app_rate_limited',
  'retry headers',
);

const eventCase: fc.Arbitrary<Case> = fc
  .tuple(
    fc.oneof(
      { weight: 3, arbitrary: messageEvent },
      { weight: 2, arbitrary: reactionEvent },
      { weight: 1, arbitrary: otherEvent },
    ),
    envelopeBreak,
  )
  .map(([build, brk]) => {
    let built: { event: Record<string, Json>; body: string } | null = null;
    const make = (world: World) => {
      if (built) return built;
      const event = build(world);
      const envelope: Record<string, Json> = {
        token: 'legacy-verification-token',
        team_id: 'T0001',
        api_app_id: 'A0001',
        type: 'event_callback',
        event_id: `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
        event_time: Math.floor(Date.now() / 1000),
        event,
        authorizations: [{ team_id: 'T0001', user_id: 'U0BOT00001', is_bot: true }],
      };
      if (brk === 'no event') delete envelope.event;
      if (brk === 'event null') envelope.event = null;
      if (brk === 'event string') envelope.event = 'x';
      if (brk === 'event array') envelope.event = [event];
      if (brk === 'event_id number') envelope.event_id = 42;
      if (brk === 'no event_id') delete envelope.event_id;
      if (brk === 'event_time abc') envelope.event_time = 'abc';
      if (brk === 'authorizations string') envelope.authorizations = 'x';
      if (brk === 'type unknown') envelope.type = 'totally_unknown';
      if (brk === 'type missing') delete envelope.type;
      if (brk === 'url_verification without challenge') envelope.type = 'url_verification';
      if (brk === 'url_verification object challenge')
        Object.assign(envelope, { type: 'url_verification', challenge: { a: 1 } });
      if (brk === 'app_rate_limited') envelope.type = 'app_rate_limited';
      built = { event, body: JSON.stringify(envelope) };
      return built;
    };
    const c = makeCase(`event (${brk})`, '', (bot, world) =>
      bot.post({
        body: make(world).body,
        contentType: 'application/json',
        ...(brk === 'retry headers'
          ? { headers: { 'x-slack-retry-num': 'abc', 'x-slack-retry-reason': '<!channel>' } }
          : {}),
      }),
    );
    // The event depends on the world, so describe its shape (not its ids) for the printout.
    c.label = describeEventShape(build);
    const sample = JSON.parse(c.label) as Record<string, Json>;
    c.shape = `event ${JSON.stringify(sample.type)}${sample.subtype !== undefined ? `/${JSON.stringify(sample.subtype)}` : ''} envelope=${brk}`;
    return c;
  });

/** A short description of an event builder's output, for failure messages. */
function describeEventShape(build: (world: World) => Record<string, Json>): string {
  const sample = build({ target: 'INC', targetChannel: 'CTARGET', spareChannel: 'CSPARE' });
  return JSON.stringify(sample, (_key, value) =>
    typeof value === 'string' && value.length > 60 ? `${value.slice(0, 40)}…(${value.length} chars)` : value,
  );
}

// Interactivity ---------------------------------------------------------------------------------------

const declareCallback = IDS.declareModal.callbackId;
const titleBlock = IDS.declareModal.titleBlock;
const titleAction = IDS.declareModal.titleAction;

const unknownId = fc.oneof(
  fc.constantFrom(
    'unknown_action',
    'firewatch_nope',
    '',
    ' ',
    '<!channel>',
    'a'.repeat(300),
    declareCallback,
  ),
  fc.string({ maxLength: 20 }),
);
const userField = fc.constantFrom<Json>(
  { id: BOB, name: 'bob' },
  { id: NOBODY },
  {},
  null,
  'U0BOB00001',
  undefined,
  { id: {} },
);

const viewSubmission = fc
  .record({
    callbackId: fc.oneof(
      { weight: 3, arbitrary: fc.constant(declareCallback) },
      { weight: 1, arbitrary: unknownId },
    ),
    state: fc.constantFrom(
      'missing',
      'null',
      'values null',
      'values string',
      'title object',
      'title number',
      'title null',
      'title array',
      'title text',
      'no blocks',
      'severity broken',
    ),
    title: freeText,
    metadata: fc.constantFrom<Json>(
      undefined,
      '',
      'not json',
      'null',
      '[]',
      '{"channel":{}}',
      '{"channel":"C0UNKNOWN9"}',
      '{"channel":"C0GENERAL1"}',
      5,
      '"str"',
    ),
    user: userField,
  })
  .map((f) => {
    const view: Record<string, Json> = { id: 'V0001', type: 'modal', callback_id: f.callbackId, hash: 'h' };
    const values: Record<string, Json> = {};
    const title = (value: Json) => {
      values[titleBlock] = { [titleAction]: { type: 'plain_text_input', value } };
    };
    if (f.state === 'null') view.state = null;
    if (f.state === 'values null') view.state = { values: null };
    if (f.state === 'values string') view.state = { values: 'x' };
    if (f.state === 'no blocks') view.state = { values: {} };
    if (f.state.startsWith('title') || f.state === 'severity broken') {
      if (f.state === 'title object') title({ text: '<!channel>' });
      if (f.state === 'title number') title(123);
      if (f.state === 'title null') title(null);
      if (f.state === 'title array') title(['<!channel>']);
      if (f.state === 'title text' || f.state === 'severity broken') title(f.title);
      if (f.state === 'severity broken') values.declare_severity = { severity: { selected_option: 'P1' } };
      else values.declare_severity = { severity: { selected_option: { value: 'P9' } } };
      view.state = { values };
    }
    if (f.metadata !== undefined) view.private_metadata = f.metadata;
    const payload: Record<string, Json> = {
      type: 'view_submission',
      team: { id: 'T0001' },
      api_app_id: 'A0001',
      view,
      trigger_id: '1.2.3',
    };
    if (f.user !== undefined) payload.user = f.user;
    return {
      label: `view_submission ${f.callbackId} state=${f.state} metadata=${String(f.metadata)} title=${preview(f.title, 60)}`,
      shape: `view_submission${f.callbackId === declareCallback ? ' (declare form)' : ''} state=${f.state}`,
      payload,
    };
  });

const otherInteraction = fc
  .record({
    type: fc.constantFrom<Json>(
      'block_actions',
      'shortcut',
      'message_action',
      'view_closed',
      'block_suggestion',
      'interactive_message',
      'dialog_submission',
      'totally_unknown',
      123,
      null,
      undefined,
    ),
    id: unknownId,
    actions: fc.constantFrom<Json>('valid', 'valid', null, 'x', [], [null], [{}], undefined),
    message: fc.constantFrom<Json>(undefined, null, 'x', { ts: 'abc', text: {} }),
    value: freeText,
    user: userField,
    view: fc.constantFrom<Json>(
      undefined,
      null,
      'x',
      { callback_id: declareCallback },
      { callback_id: 'unknown', state: null },
    ),
  })
  .map((f) => {
    const payload: Record<string, Json> = {
      team: { id: 'T0001' },
      api_app_id: 'A0001',
      trigger_id: '1.2.3',
      callback_id: f.id,
      action_ts: '1.2',
    };
    if (f.type !== undefined) payload.type = f.type;
    if (f.user !== undefined) payload.user = f.user;
    if (f.actions === 'valid') {
      payload.actions = [
        { action_id: f.id, block_id: 'b', type: 'button', value: f.value, action_ts: '1.2' },
      ];
    } else if (f.actions !== undefined) {
      payload.actions = f.actions;
    }
    if (f.type === 'block_suggestion')
      Object.assign(payload, { action_id: f.id, block_id: 'b', value: f.value });
    if (f.message !== undefined) payload.message = f.message;
    if (f.view !== undefined) payload.view = f.view;
    if (f.type === 'view_closed') payload.is_cleared = 'yes';
    payload.channel = { id: 'C0GENERAL1' };
    return {
      label: `${String(f.type)} id=${preview(f.id, 40)} actions=${JSON.stringify(f.actions)}`,
      shape: `${String(f.type)}${f.id === declareCallback ? ' (declare id)' : ''}`,
      payload,
    };
  });

const interactionCase: fc.Arbitrary<Case> = fc
  .tuple(fc.oneof(viewSubmission, otherInteraction), fc.boolean())
  .map(([{ label, shape, payload }, withResponseUrl]) =>
    makeCase(
      'interactivity',
      label,
      (bot) => {
        if (withResponseUrl) payload.response_url = bot.responseUrl();
        const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
        return bot.post({ body, contentType: 'application/x-www-form-urlencoded' });
      },
      undefined,
      shape,
    ),
  );

// Raw HTTP abuse ---------------------------------------------------------------------------------------

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const MEGABYTE = 1024 * 1024;

/** Bodies that are signed correctly but are not what Slack sends. */
const RAW_BODIES: { label: string; body: () => string | Buffer; contentType?: string }[] = [
  { label: 'malformed JSON', body: () => '{"type":"event_callback",', contentType: JSON_TYPE },
  { label: 'JSON null', body: () => 'null', contentType: JSON_TYPE },
  { label: 'JSON array', body: () => '[]', contentType: JSON_TYPE },
  { label: 'JSON string', body: () => '"x"', contentType: JSON_TYPE },
  { label: 'JSON number', body: () => '123', contentType: JSON_TYPE },
  { label: 'JSON true', body: () => 'true', contentType: JSON_TYPE },
  { label: 'JSON {}', body: () => '{}', contentType: JSON_TYPE },
  { label: 'JSON type null', body: () => '{"type":null}', contentType: JSON_TYPE },
  {
    label: 'JSON __proto__',
    body: () => '{"__proto__":{"ssl_check":"1"},"type":"event_callback"}',
    contentType: JSON_TYPE,
  },
  {
    label: 'deeply nested JSON',
    body: () => `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
    contentType: JSON_TYPE,
  },
  { label: 'empty JSON body', body: () => '', contentType: JSON_TYPE },
  { label: 'empty form body', body: () => '', contentType: FORM },
  { label: 'empty body, no content-type', body: () => '' },
  { label: 'form payload=null', body: () => 'payload=null', contentType: FORM },
  { label: 'form payload=', body: () => 'payload=', contentType: FORM },
  { label: 'form payload={', body: () => 'payload=%7B', contentType: FORM },
  { label: 'form payload=[]', body: () => 'payload=%5B%5D', contentType: FORM },
  { label: 'form payload=1', body: () => 'payload=1', contentType: FORM },
  { label: 'form payload="x"', body: () => 'payload=%22x%22', contentType: FORM },
  { label: 'form payload twice', body: () => 'payload=%7B%7D&payload=%7B%7D', contentType: FORM },
  { label: 'form =&&&', body: () => '=&&&', contentType: FORM },
  {
    label: 'form ssl_check=1 with a smuggled command',
    body: () => 'ssl_check=1&command=%2Fincident&text=close',
    contentType: FORM,
  },
  { label: 'form command only', body: () => 'command=%2Fincident&text=help', contentType: FORM },
  {
    label: 'form command without text',
    body: () => 'command=%2Fincident&user_id=U0BOB00001&channel_id=C0GENERAL1',
    contentType: FORM,
  },
  {
    label: 'form other slash command',
    body: () =>
      `command=%2Fdeploy&text=prod&user_id=${BOB}&channel_id=${GENERAL}&team_id=T0001&trigger_id=1.2.3`,
    contentType: FORM,
  },
  {
    label: 'form command twice',
    body: () => 'command=%2Fincident&command=%2Fincident&text=close&text=help',
    contentType: FORM,
  },
  { label: 'form body sent as JSON', body: () => 'command=%2Fincident&text=help', contentType: JSON_TYPE },
  { label: 'JSON body sent as form', body: () => '{"type":"event_callback"}', contentType: FORM },
  { label: 'form with charset', body: () => 'payload=null', contentType: `${FORM}; charset=utf-8` },
  { label: 'text/plain', body: () => 'hello', contentType: 'text/plain' },
  { label: 'multipart', body: () => '--x\r\n\r\n--x--', contentType: 'multipart/form-data; boundary=x' },
  {
    label: 'invalid UTF-8',
    body: () => Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]),
    contentType: JSON_TYPE,
  },
  { label: 'UTF-8 BOM before JSON', body: () => `\uFEFF{"type":"event_callback"}`, contentType: JSON_TYPE },
  {
    label: '1 MB event text',
    body: () =>
      JSON.stringify({
        type: 'event_callback',
        event_id: 'EvBIG',
        event: {
          type: 'message',
          channel: GENERAL,
          user: BOB,
          text: blowUp('<!channel> ', MEGABYTE),
          ts: nowTs(),
        },
      }),
    contentType: JSON_TYPE,
  },
  { label: '1 MB form junk', body: () => `payload=${blowUp('%7B', MEGABYTE)}`, contentType: FORM },
  {
    label: '1 MB slash text',
    body: () => `command=%2Fincident&user_id=${BOB}&channel_id=${GENERAL}&text=${blowUp('A', MEGABYTE)}`,
    contentType: FORM,
  },
  { label: '5 MB body (over the limit)', body: () => blowUp('x', 5 * MEGABYTE), contentType: JSON_TYPE },
];

const nowS = () => Math.floor(Date.now() / 1000);

/** Requests whose signature or timestamp is wrong: all must get 401. */
const FORGED: { label: string; request: () => RawRequest }[] = [
  {
    label: 'wrong secret',
    request: () => ({ body: 'command=%2Fincident&text=close', contentType: FORM, secret: 'not-the-secret' }),
  },
  {
    label: 'stale −10 min',
    request: () => ({ body: 'command=%2Fincident&text=help', contentType: FORM, timestamp: nowS() - 600 }),
  },
  {
    label: 'future +10 min',
    request: () => ({ body: 'command=%2Fincident&text=help', contentType: FORM, timestamp: nowS() + 600 }),
  },
  {
    label: 'future +1 year',
    request: () => ({
      body: 'command=%2Fincident&text=help',
      contentType: FORM,
      timestamp: nowS() + 365 * 86_400,
    }),
  },
  {
    label: 'future +10 min, JSON null',
    request: () => ({ body: 'null', contentType: JSON_TYPE, timestamp: nowS() + 600 }),
  },
  {
    label: 'stale −10 min, event',
    request: () => ({
      body: '{"type":"event_callback","event":{"type":"message"}}',
      contentType: JSON_TYPE,
      timestamp: nowS() - 600,
    }),
  },
  {
    label: 'no signature header',
    request: () => ({ body: 'command=%2Fincident&text=help', contentType: FORM, signature: null }),
  },
  {
    label: 'empty signature',
    request: () => ({ body: 'command=%2Fincident&text=help', contentType: FORM, signature: '' }),
  },
  {
    label: 'v0= zeros',
    request: () => ({
      body: 'command=%2Fincident&text=help',
      contentType: FORM,
      signature: `v0=${'0'.repeat(64)}`,
    }),
  },
  {
    label: 'v1 scheme',
    request: () => ({
      body: 'command=%2Fincident&text=help',
      contentType: FORM,
      signature: `v1=${'a'.repeat(64)}`,
    }),
  },
  {
    label: 'signature of another body',
    request: () => ({
      body: 'command=%2Fincident&text=close',
      contentType: FORM,
      signature: slackSignature(SIGNING_SECRET, nowS(), 'command=%2Fincident&text=help'),
    }),
  },
  {
    label: 'no timestamp header',
    request: () => ({ body: 'command=%2Fincident&text=help', contentType: FORM, noTimestamp: true }),
  },
  {
    label: 'timestamp abc',
    request: () => ({
      body: 'command=%2Fincident&text=help',
      contentType: FORM,
      timestamp: 'abc',
      signature: slackSignature(SIGNING_SECRET, Number.NaN, 'command=%2Fincident&text=help'),
    }),
  },
  {
    label: 'timestamp 0',
    request: () => ({ body: 'command=%2Fincident&text=help', contentType: FORM, timestamp: 0 }),
  },
  {
    label: 'timestamp -1',
    request: () => ({ body: 'command=%2Fincident&text=help', contentType: FORM, timestamp: -1 }),
  },
  {
    label: 'forged JSON null',
    request: () => ({ body: 'null', contentType: JSON_TYPE, secret: 'not-the-secret' }),
  },
  {
    label: 'forged 1 MB',
    request: () => ({ body: blowUp('x', MEGABYTE), contentType: JSON_TYPE, secret: 'not-the-secret' }),
  },
];

/** Requests that are neither forged nor bodies: other methods and paths. */
const ODD: { label: string; request: () => RawRequest }[] = [
  { label: 'GET /slack/events', request: () => ({ body: '', method: 'GET' }) },
  { label: 'PUT /slack/events', request: () => ({ body: 'null', method: 'PUT', contentType: JSON_TYPE }) },
  { label: 'POST /healthz', request: () => ({ body: 'null', path: '/healthz', contentType: JSON_TYPE }) },
  {
    label: 'POST unknown path',
    request: () => ({ body: 'null', path: '/slack/events/../../etc/passwd', contentType: JSON_TYPE }),
  },
  {
    label: 'POST with huge header',
    request: () => ({ body: '{}', contentType: JSON_TYPE, headers: { 'x-junk': 'x'.repeat(8000) } }),
  },
];

const httpCase: fc.Arbitrary<Case> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(...RAW_BODIES)
      .map((r) =>
        makeCase('raw body', r.label, (bot) =>
          bot.post({ body: r.body(), ...(r.contentType ? { contentType: r.contentType } : {}) }),
        ),
      ),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(...FORGED)
      .map((r) => makeCase('forged or badly timed', r.label, (bot) => bot.post(r.request()), 401)),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...ODD)
      .map((r) => makeCase('odd request', r.label, (bot) => bot.post(r.request()))),
  },
);

// ---- Checking ------------------------------------------------------------------------------------------

/** A mass mention or a link as Slack parses it in mrkdwn. */
const DANGEROUS = /<!(?:channel|here|everyone)\b|<!subteam\^|<https?:/i;
/** Keys whose strings Slack never shows as mrkdwn (ids, hidden values). */
const HIDDEN_KEYS = new Set([
  'private_metadata',
  'value',
  'action_id',
  'block_id',
  'callback_id',
  'external_id',
  'metadata',
  'url',
  'image_url',
  'token',
]);

/** Every string in a payload that Slack may render as mrkdwn (plain_text objects never ping). */
function renderedStrings(value: unknown, out: string[] = [], key = ''): string[] {
  if (typeof value === 'string') {
    if (!HIDDEN_KEYS.has(key)) out.push(value);
    if ((key === 'blocks' || key === 'attachments' || key === 'files') && value.startsWith('[')) {
      try {
        renderedStrings(JSON.parse(value), out, '');
      } catch {
        // not JSON: the string itself was kept above
      }
    }
  } else if (Array.isArray(value)) {
    for (const item of value) renderedStrings(item, out, key);
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.type === 'plain_text') return out;
    for (const [k, v] of Object.entries(record)) if (!HIDDEN_KEYS.has(k)) renderedStrings(v, out, k);
  }
  return out;
}

/** What Slack would show of an HTTP answer (a slash command's ack, a view's errors). */
function answerTexts(body: string): string[] {
  if (!body.startsWith('{')) return [];
  try {
    return renderedStrings(JSON.parse(body));
  } catch {
    return [];
  }
}

/** What the app logged (console is captured so 1,000 inputs do not flood the output). */
const logs: string[] = [];
let sent = 0;

interface Violation {
  what: string;
  input: string;
  detail: string;
}

/** Collects violations; outside survey mode the first one fails the run (and fast-check reports it). */
class Verdicts {
  readonly seen = new Map<string, Violation & { count: number; shape: string }>();

  fail(what: string, c: Case, detail: string): void {
    const input = `${c.kind}: ${preview(c.label)}`;
    if (!SURVEY)
      throw new Error(`${what}\n  input: ${input}\n  ${detail}\n  recent app log:\n${recentLog()}`);
    const key = `${what} | ${c.shape}`;
    const known = this.seen.get(key);
    if (known) known.count += 1;
    else this.seen.set(key, { what, input, detail, count: 1, shape: c.shape });
  }

  /** In survey mode: throws one summary of everything seen. */
  finish(property: string): void {
    if (this.seen.size === 0) return;
    const lines = [...this.seen.values()].map(
      (v) => `- ${v.what} ×${v.count} — ${v.shape}\n    e.g. ${v.input}\n    ${v.detail}`,
    );
    throw new Error(`${property}: ${this.seen.size} failure class(es), seed ${SEED}\n${lines.join('\n')}`);
  }
}

function recentLog(): string {
  return logs
    .slice(-6)
    .map((line) => `    | ${line.split('\n').slice(0, 3).join(' ⏎ ').slice(0, 300)}`)
    .join('\n');
}

/** Sends a batch concurrently, then checks every answer and that the bot is still alive. */
async function fire(bot: Bot, world: World, batch: Case[], verdicts: Verdicts): Promise<void> {
  const logsBefore = logs.length;
  const answers = await Promise.all(batch.map((c) => c.send(bot, world)));
  sent += batch.length;
  answers.forEach((answer, i) => {
    const c = batch[i]!;
    const body = answer.body.slice(0, 200);
    const logged = logs.slice(logsBefore).find((l) => /error|fail|exception/i.test(l));
    const logLine = logged
      ? ` | log around then: ${logged.split('\n').slice(0, 2).join(' ⏎ ').slice(0, 240)}`
      : '';
    if (answer.status === 0) verdicts.fail('no answer', c, `${Math.round(answer.ms)} ms, ${body}${logLine}`);
    else if (answer.status >= 500)
      verdicts.fail(`HTTP ${answer.status}`, c, `body ${preview(body, 120)}${logLine}`);
    if (c.expectStatus !== undefined && answer.status !== c.expectStatus) {
      verdicts.fail(`expected ${c.expectStatus}`, c, `got ${answer.status} ${preview(body, 80)}`);
    }
    const shown = answerTexts(answer.body).find((text) => DANGEROUS.test(text));
    if (shown !== undefined) {
      verdicts.fail('live mass mention or link in the HTTP answer', c, preview(shown, 160));
    }
    if (answer.status !== 0 && answer.ms >= ACK_LIMIT_MS) {
      verdicts.fail(
        'answer slower than 3 s',
        c,
        `${Math.round(answer.ms)} ms, status ${answer.status}${logLine}`,
      );
    }
  });
  const health = await bot.health();
  if (health.status !== 200)
    verdicts.fail('/healthz not answering 200', batch[0]!, `${health.status} ${health.body.slice(0, 100)}`);
}

/** Runs one property: `runs` batches of generated cases, plus the fixed examples. */
async function runProperty(
  name: string,
  bot: Bot,
  world: World,
  arb: fc.Arbitrary<Case>,
  runs: number,
  examples: Case[][] = [],
): Promise<void> {
  const verdicts = new Verdicts();
  await fc.assert(
    fc.asyncProperty(fc.array(arb, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
      await fire(bot, world, batch, verdicts);
    }),
    {
      seed: SEED,
      numRuns: runs,
      endOnFailure: !SHRINK,
      examples: examples.map((batch) => [batch]),
    },
  );
  verdicts.finish(name);
}

/** Fixed cases every run includes, so each named hostile shape is sent at least once. */
function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---- The test ------------------------------------------------------------------------------------------

describe('hostile input through the real HTTP endpoint (fast-check, seeded)', () => {
  jest.setTimeout(300_000);
  let bot: Bot;
  let world: World;
  let witness: { id: string; channel: string };
  const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;

  beforeAll(async () => {
    for (const method of consoleMethods) {
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logs.push(args.map((a) => (a instanceof Error ? describeError(a) : String(a))).join(' '));
        if (logs.length > 5000) logs.splice(0, 1000);
      });
    }
    bot = await startBot();
    witness = await bot.declare('P4 Witness incident nobody touches', ALICE);
    const target = await bot.declare('P2 Incident under fire', ALICE);
    const spare = await bot.declare('P3 Spare incident', BOB);
    world = { target: target.id, targetChannel: target.channel, spareChannel: spare.channel };
  });

  afterAll(async () => {
    await bot?.stop();
    jest.restoreAllMocks();
  });

  it(`sends at least 1,000 generated inputs (seed ${SEED})`, () => {
    const total = BATCH * (RUNS.slash + RUNS.events + RUNS.interactivity + RUNS.http);
    expect(total).toBeGreaterThanOrEqual(1000);
  });

  describe('every request is answered within 3 s, never with a 5xx, and the bot stays up', () => {
    it('slash texts (huge, Unicode, control characters, mass mentions, links, Markdown, SQL, bad times) in every subcommand', async () => {
      const fixed = [
        ...SUBCOMMANDS.flatMap((sub) => [
          `${sub} ${MASS_MENTIONS.join(' ')} ${LINKS[0]}`,
          `${sub} ${blowUp('🔥<!here>|`\n', 20_000)}`,
        ]),
        'status identified at 25:99',
        'note at 1970-01-01T00:00:00Z <!channel>',
        'action Rotate keys due 2026-13-45 <!subteam^S123|@oncall>',
        "update '; DROP TABLE incidents; --",
        'set summary | a | b |\n|---|---|\n```',
        `declare P1 ${CONTROL.join('')}${UNICODE.join('')}`,
      ].map((text) =>
        makeCase('slash in target', text, (b, w) => b.slash(text, { channel: w.targetChannel, user: ALICE })),
      );
      await runProperty('slash texts', bot, world, slashCase, RUNS.slash, chunk(fixed, BATCH));
    });

    it('Events API payloads with missing or wrongly typed fields, unknown types and broken envelopes', async () => {
      await runProperty('events', bot, world, eventCase, RUNS.events);
    });

    it('interactivity payloads with unknown ids or broken state', async () => {
      await runProperty('interactivity', bot, world, interactionCase, RUNS.interactivity);
    });

    it('raw HTTP abuse: malformed bodies, 1 MB bodies, bad, stale and future signatures (401)', async () => {
      const fixed = [
        ...RAW_BODIES.map((r) =>
          makeCase('raw body', r.label, (b) =>
            b.post({ body: r.body(), ...(r.contentType ? { contentType: r.contentType } : {}) }),
          ),
        ),
        ...FORGED.map((r) => makeCase('forged or badly timed', r.label, (b) => b.post(r.request()), 401)),
        ...ODD.map((r) => makeCase('odd request', r.label, (b) => b.post(r.request()))),
      ];
      await runProperty('raw HTTP', bot, world, httpCase, RUNS.http, chunk(fixed, BATCH));
    });
  });

  describe('after the barrage', () => {
    it('the bot still answers /healthz', async () => {
      const health = await bot.health();
      expect(health.status).toBe(200);
    });

    it('the database is intact: it answers, and the witness incident reads as declared', async () => {
      await expect(bot.ping()).resolves.toBeUndefined();
      const found = await bot.incident(witness.id);
      expect(found).toMatchObject({
        title: 'Witness incident nobody touches',
        severity: 'P4',
        status: 'investigating',
      });
    });

    it('the incident under fire still closes into its postmortem', async () => {
      const before = await bot.postmortemCount(world.target);
      const state = await bot.incident(world.target);
      expect(state).not.toBeNull();
      if (state?.status === 'closed') {
        const reopened = await bot.slash('reopen', { channel: world.targetChannel, user: ALICE });
        expect(reopened.status).toBe(200);
      }
      const since = bot.callCount();
      const closed = await bot.slash('close', { channel: world.targetChannel, user: ALICE });
      expect(closed.status).toBe(200);
      expect(closed.ms).toBeLessThan(ACK_LIMIT_MS);
      await bot.waitForCall(
        (method, args) =>
          (method === 'chat.postMessage' &&
            args.channel === world.targetChannel &&
            /postmortem/i.test(JSON.stringify(args))) ||
          method === 'files.completeUploadExternal',
        since,
      );
      expect((await bot.incident(world.target))?.status).toBe('closed');
      expect(await bot.postmortemCount(world.target)).toBeGreaterThan(before);
    });

    it('nothing the bot posted carries an unescaped mass mention or a user-typed link', async () => {
      await bot.settle(5000);
      const offending: string[] = [];
      let escaped = 0;
      for (const { where, value } of bot.posted()) {
        for (const text of renderedStrings(value)) {
          if (text.includes('&lt;!')) escaped += 1;
          const match = DANGEROUS.exec(text);
          if (match) {
            const at = match.index;
            offending.push(`${where}: …${JSON.stringify(text.slice(Math.max(0, at - 60), at + 60))}…`);
          }
        }
      }
      const unique = [...new Set(offending)];
      if (unique.length > 0) {
        throw new Error(
          `${unique.length} posted text(s) with a live mass mention or link (seed ${SEED}):\n${unique.slice(0, 30).join('\n')}`,
        );
      }
      // The hostile texts did reach Slack, escaped: the scan above looked at real attempts.
      expect(escaped).toBeGreaterThan(0);
      expect(sent).toBeGreaterThan(0);
    });
  });
});

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const frame = error.stack?.split('\n').find((line) => line.trim().startsWith('at ')) ?? '';
    return `${error.name}: ${error.message} ${frame.trim()}`;
  }
  return String(error);
}
