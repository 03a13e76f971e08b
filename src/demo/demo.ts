/**
 * `npm run demo`: the worked example (a P1 database connection-pool exhaustion) played through the real
 * bot, with no Slack workspace. The same composition root as production (`createFirewatch`: Bolt in HTTP
 * mode on an ephemeral port, SQLite storage, the outbox) talks to an in-process {@link SlackEmulator}; the
 * demo plays Slack's other side, sending correctly signed slash commands and Events API callbacks over
 * HTTP, and prints what the people in the story would have seen.
 */
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TZDate } from '@date-fns/tz';
import { LogLevel } from '@slack/bolt';
import { createFirewatch, type Firewatch } from '../app';
import { databasePath, loadConfig } from '../config';
import { formatLocalTime, formatZoneName, isValidTimeZone } from '../domain/time';
import { type RecordedCall, type RecordedResponse, SlackEmulator } from '../emulator';
import { openStore, type Store } from '../storage';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Where the transcript goes (stdout for the CLI, a buffer in tests). */
  out: NodeJS.WritableStream;
  /** A SQLite path or `file:` URL to use (and keep) instead of a throw-away database. */
  databaseUrl?: string;
  /** Keep the throw-away database after the run (a given `databaseUrl` is always kept). */
  keepDatabase?: boolean;
  /** IANA zone the story is told in (FIREWATCH_TIMEZONE); default `UTC`. */
  timeZone?: string;
}

/** What a finished demo leaves behind. */
export interface DemoResult {
  /** The compiled postmortem, `POSTMORTEM_DIR/INC-YYYY-NNN.md`. */
  postmortemPath: string;
  /** The postmortem summary Firewatch posted in the incident channel, rendered as plain text. */
  summaryText: string;
  /** The incident's id, `INC-2026-001` on a fresh database. */
  incidentId: string;
}

const SIGNING_SECRET = 'firewatch-demo-signing-secret';
const BOT_TOKEN = 'xoxb-firewatch-demo';
/** The day of the worked example; times of day are read in the demo's zone. */
const STORY_DAY = { year: 2026, month: 2, day: 20 } as const;
const INDENT = ' '.repeat(10);
const BODY = `${INDENT}    `;
/** Longer bot posts are cut in the running transcript (the summary is printed whole at the end). */
const MAX_POST_LINES = 16;

/** The people (and the monitoring bot) of the story, as workspace members of the emulator. */
const PEOPLE = {
  alem: { id: 'U0ALEM0001', realName: 'Alem Bašić' },
  ingrid: { id: 'U0INGRID01', realName: 'Ingrid Solberg' },
  tomas: { id: 'U0TOMAS001', realName: 'Tomás Lindqvist' },
} as const;
type Person = keyof typeof PEOPLE;
const MONITOR = { userId: 'U0BETTERS1', botId: 'B0BETTERS1', name: 'betterstack', label: 'BetterStack' };

/** Slack shortcodes the bot uses, shown as the emoji a person sees in Slack. */
const EMOJI: Record<string, string> = {
  ballot_box_with_check: '☑️',
  bulb: '💡',
  busts_in_silhouette: '👥',
  eyes: '👀',
  hourglass: '⌛',
  large_blue_circle: '🔵',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  loudspeaker: '📢',
  lock: '🔒',
  mag: '🔍',
  memo: '📝',
  page_facing_up: '📄',
  pushpin: '📌',
  red_circle: '🔴',
  rotating_light: '🚨',
  stopwatch: '⏱️',
  tada: '🎉',
  warning: '⚠️',
  white_check_mark: '✅',
  white_square: '⬜',
  x: '❌',
};

/** What a reaction makes Firewatch do (the default emoji map). */
const REACTION_HINT: Record<string, string> = {
  pushpin: 'Firewatch puts the message on the timeline',
  bulb: 'Firewatch adds it to the lessons learned',
  ballot_box_with_check: 'Firewatch makes it an action item',
};

/** `Europe/Oslo (CET)`, or just `UTC`. */
function zoneLabel(timeZone: string, at: number): string {
  const short = formatZoneName(timeZone, at);
  return short === timeZone ? timeZone : `${timeZone} (${short})`;
}

const emojify = (text: string) =>
  text.replace(/:([a-z0-9_+-]+):/g, (all, name: string) => EMOJI[name] ?? all);

/**
 * Runs the demo: starts the emulator and the real bot, plays the incident, prints the transcript to
 * `opts.out`, and stops everything again. Resolves once the postmortem is written and posted.
 * @throws when the zone is unknown, or when the bot answers a step in a way Slack would not accept
 */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const started = performance.now();
  const timeZone = opts.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) throw new Error(`Unknown time zone ${JSON.stringify(timeZone)}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-demo-'));
  const throwAway = opts.databaseUrl === undefined;
  const databaseUrl = opts.databaseUrl ?? path.join(tmp, 'firewatch.db');
  const postmortemDir = path.join(tmp, 'postmortems');
  const keep = !throwAway || opts.keepDatabase === true;

  const slack = await SlackEmulator.start();
  let store: Store | null = null;
  let firewatch: Firewatch | null = null;
  let succeeded = false;
  try {
    store = openStore(databaseUrl);
    await skipStoredChannelIds(slack, store);
    const announce = slack.createChannel('announcements', { botIsMember: true, members: [] }).id;
    for (const [name, person] of Object.entries(PEOPLE)) {
      slack.addUser(person.id, name, { realName: person.realName, tz: timeZone });
    }
    slack.addUser(MONITOR.userId, MONITOR.name, { realName: MONITOR.label, isBot: true });
    const ops = slack.createChannel('drop-ops', {
      botIsMember: true,
      members: [...Object.values(PEOPLE).map((p) => p.id), MONITOR.userId],
    }).id;

    const clock = new StoryClock(timeZone);
    clock.advanceTo('10:30:00');
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      PORT: '0',
      DATABASE_URL: databaseUrl,
      POSTMORTEM_DIR: postmortemDir,
      FIREWATCH_TIMEZONE: timeZone,
      ANNOUNCE_CHANNEL: announce,
    });
    firewatch = createFirewatch(config, {
      clock: clock.now,
      store,
      logLevel: LogLevel.ERROR,
      webApiRetries: 0,
      outbox: { baseDelayMs: 20, maxDelayMs: 200 },
    });
    const { port } = await firewatch.start();
    await firewatch.idle();

    const print = new Printer(opts.out);
    print.intro({
      botUrl: `http://127.0.0.1:${port}/slack/events`,
      slackUrl: slack.url,
      database: throwAway
        ? `${databasePath(databaseUrl)} (${keep ? 'kept' : 'throw-away: deleted at the end'}; --db <path> to keep one)`
        : databasePath(databaseUrl),
      day: formatLocalTime(clock.now(), timeZone, 'EEEE d MMMM yyyy'),
      zone: zoneLabel(timeZone, clock.now()),
    });
    const story = new Story({
      slack,
      firewatch,
      client: new SignedClient(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET, slack),
      clock,
      print,
      ops,
      postmortemDir,
    });
    const result = await story.play();
    print.outro(result, { databaseUrl, deleted: !keep, timeZone, ms: performance.now() - started });
    succeeded = true;
    return result;
  } finally {
    if (firewatch) await firewatch.stop();
    else await store?.close();
    await slack.stop();
    if (!keep) {
      const file = databasePath(databaseUrl);
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
    }
    // A failed run leaves nothing worth reading behind (a kept throw-away database aside).
    if (!succeeded && !(throwAway && keep)) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Channel ids in the emulator are a counter, so on a reused database the new channels could get the ids
 * of earlier demo incidents' channels. Moves the emulator's counter past every stored one.
 */
async function skipStoredChannelIds(slack: SlackEmulator, store: Store): Promise<void> {
  const stored = (await store.listIncidents('all', 100_000))
    .map((incident) => incident.channelId ?? '')
    .filter((id) => /^C0[0-9A-Z]{8}$/.test(id))
    .sort();
  const highest = stored[stored.length - 1];
  if (!highest) return;
  for (let i = 0; i < 1_000_000 && slack.state.nextId('C') < highest; i++);
}

// ---- the clock -------------------------------------------------------------------------------------

/** Story time: set to the wall-clock times of the example, running on in real time between steps. */
class StoryClock {
  private base = 0;
  private mark = performance.now();

  constructor(readonly timeZone: string) {}

  /** Epoch ms now, in story time (the bot's `clock`). */
  readonly now = (): number => Math.floor(this.base + performance.now() - this.mark);

  /** The instant of a wall-clock time (`HH:MM[:SS]`) on the story's day in the demo's zone. */
  instant(time: string): number {
    const [h = 0, m = 0, s = 0] = time.split(':').map(Number);
    const { year, month, day } = STORY_DAY;
    return new TZDate(year, month - 1, day, h, m, s, this.timeZone).getTime();
  }

  /** Moves story time forward to `time` (never backwards); returns the instant. */
  advanceTo(time: string): number {
    const at = this.instant(time);
    this.base = Math.max(at, this.now());
    this.mark = performance.now();
    return at;
  }

  /** `HH:MM:SS` of an instant in the demo's zone. */
  label(at: number): string {
    return formatLocalTime(at, this.timeZone, 'HH:mm:ss');
  }
}

// ---- the Slack side: signed requests to the bot ------------------------------------------------------

interface HttpReply {
  status: number;
  body: string;
  json: Record<string, unknown> | null;
}

/** Plays Slack towards the bot: signed slash commands (form posts) and Events API callbacks (JSON). */
class SignedClient {
  private triggers = 0;

  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly slack: SlackEmulator,
  ) {}

  /** POSTs `body` with Slack's `v0` signature over the current (real) request timestamp. */
  private async post(body: string, contentType: string): Promise<HttpReply> {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', this.secret).update(`v0:${timestamp}:${body}`).digest('hex');
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': `v0=${signature}`,
      },
      body,
    });
    const text = await res.text();
    let json: Record<string, unknown> | null = null;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      json = null;
    }
    if (res.status !== 200) throw new Error(`The bot answered ${res.status} to a Slack request: ${text}`);
    return { status: res.status, body: text, json };
  }

  /** `/incident <text>` as Slack sends it; the response_url acts on `channel` for `user`. */
  async command(
    user: { id: string; name: string },
    channel: { id: string; name: string },
    text: string,
  ): Promise<HttpReply & { responseUrl: string }> {
    const responseUrl = this.slack.responseUrl({ channel: channel.id, user: user.id });
    this.triggers += 1;
    const form = new URLSearchParams({
      token: 'demo-verification-token',
      team_id: this.slack.teamId,
      team_domain: 'drop',
      channel_id: channel.id,
      channel_name: channel.name,
      user_id: user.id,
      user_name: user.name,
      command: '/incident',
      text,
      api_app_id: this.slack.state.identity.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: `${this.triggers}.${Date.now()}.${randomBytes(8).toString('hex')}`,
    });
    const reply = await this.post(form.toString(), 'application/x-www-form-urlencoded');
    return { ...reply, responseUrl };
  }

  /** An Events API callback for `event`, stamped with the story time `eventTime` (epoch seconds). */
  async event(event: Record<string, unknown>, eventTime: number): Promise<void> {
    const payload = {
      token: 'demo-verification-token',
      team_id: this.slack.teamId,
      api_app_id: this.slack.state.identity.appId,
      event: { ...event, team: this.slack.teamId },
      type: 'event_callback',
      event_id: `Ev${randomBytes(6).toString('hex').toUpperCase()}`,
      event_time: eventTime,
      authorizations: [
        {
          team_id: this.slack.teamId,
          user_id: this.slack.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
    };
    await this.post(JSON.stringify(payload), 'application/json');
  }
}

// ---- the transcript ---------------------------------------------------------------------------------

/** Writes the transcript: what a person would have seen in Slack, step by step. */
class Printer {
  constructor(private readonly out: NodeJS.WritableStream) {}

  line(text = ''): void {
    this.out.write(`${text}\n`);
  }

  /** Lines of a post, indented under the step; long posts are cut (`whole`: never). */
  body(text: string, opts: { whole?: boolean; indent?: string } = {}): void {
    const indent = opts.indent ?? BODY;
    const lines = emojify(text).split('\n');
    const cut = !opts.whole && lines.length > MAX_POST_LINES;
    const shown = cut ? lines.slice(0, MAX_POST_LINES - 1) : lines;
    for (const l of shown) this.line(`${indent}${l}`.trimEnd());
    if (cut) this.line(`${indent}… ${lines.length - shown.length} more lines${this.cutNote}`);
  }

  /** Said after a cut post (e.g. where to read the rest). */
  cutNote = '';

  /** One effect of a step (a reply, a post, a channel created), under the step's line. */
  effect(text: string): void {
    this.line(`${INDENT}↳ ${emojify(text)}`);
  }

  heading(title: string): void {
    this.line();
    this.line(`━━ ${title} ${'━'.repeat(Math.max(4, 100 - title.length))}`);
  }

  intro(info: { botUrl: string; slackUrl: string; database: string; day: string; zone: string }): void {
    const text = [
      'Firewatch demo: a P1 incident from declaration to postmortem, without a Slack workspace.',
      '',
      '  The real bot (createFirewatch: Bolt in HTTP mode, SQLite, the outbox) runs here; a Slack Web API',
      '  emulator stands in for Slack. Every step is a signed request to the bot, sent as Slack sends it.',
      '',
      `  Bot       ${info.botUrl}`,
      `  Slack     ${info.slackUrl} (emulator)`,
      `  Database  ${info.database}`,
      `  Story     ${info.day}, times in ${info.zone}`,
      `  People    ${Object.keys(PEOPLE).join(', ')}; ${MONITOR.label} is the monitoring app`,
      '',
      '  How to read it:',
      '    10:31:00  alem › /incident …      a slash command (a signed form post to the bot)',
      '    10:31:30  [#channel] ingrid: …    a message or reaction in Slack (an Events API callback)',
      '              ↳ …                     what people then saw: replies, posts, card updates',
    ];
    for (const line of text) this.line(line);
  }

  outro(
    result: DemoResult,
    how: { databaseUrl: string; deleted: boolean; timeZone: string; ms: number },
  ): void {
    this.heading('The postmortem');
    this.line();
    this.line(
      'The summary Firewatch posted in the incident channel (the whole document is the Markdown file):',
    );
    this.line();
    this.body(result.summaryText, { whole: true, indent: '  │ ' });
    this.line();
    const zone = how.timeZone === 'UTC' ? '' : `FIREWATCH_TIMEZONE=${how.timeZone} `;
    const recompile = (db: string) => `${zone}DATABASE_URL=${db} npm run postmortem -- ${result.incidentId}`;
    this.line(
      how.deleted
        ? `To recompile it without Slack, keep the database: npm run demo -- --db demo.db, then ${recompile('demo.db')}`
        : `To recompile it from the database without Slack: ${recompile(databasePath(how.databaseUrl))}`,
    );
    this.line(`Played in ${(how.ms / 1000).toFixed(1)} s. The compiled postmortem (Markdown):`);
    this.line(result.postmortemPath);
  }
}

/** What the bot did in Slack between two steps, from the emulator's record of calls and response_url posts. */
class SlackWatcher {
  private calls = 0;
  private responses = 0;
  private readonly seen = new Set<string>();
  /** Last rendered text of each bot post, to show what an update changed. */
  private readonly rendered = new Map<string, string>();
  /** Where each response_url leads (the channel and user of its slash command). */
  readonly targets = new Map<string, { channel: string; user: string }>();

  constructor(
    private readonly slack: SlackEmulator,
    private readonly print: Printer,
  ) {}

  private channelName(id: unknown): string {
    return `#${this.slack.channel(String(id))?.name ?? String(id)}`;
  }

  private userName(id: unknown): string {
    return `@${this.slack.user(String(id))?.name ?? String(id)}`;
  }

  /** Renders a message with names resolved and emoji shown. */
  render(message: { text?: unknown; blocks?: unknown; attachments?: unknown }): string {
    return emojify(
      this.slack.renderMessage({
        ...(typeof message.text === 'string' ? { text: message.text } : {}),
        ...(Array.isArray(message.blocks) ? { blocks: message.blocks } : {}),
        ...(Array.isArray(message.attachments) ? { attachments: message.attachments } : {}),
      }),
    );
  }

  /** Marks everything so far as shown (posts made before the story starts). */
  skip(): void {
    this.calls = this.slack.calls.length;
    this.responses = this.slack.responses.length;
  }

  /** Prints, in order, what the bot did since the last call. */
  flush(): void {
    const calls = this.slack.calls.slice(this.calls).map((call) => ({ at: call.at, call }));
    const responses = this.slack.responses
      .slice(this.responses)
      .map((response) => ({ at: response.at, response }));
    this.calls = this.slack.calls.length;
    this.responses = this.slack.responses.length;
    const items = [...calls, ...responses].sort((a, b) => a.at - b.at);
    for (const item of items) {
      if ('call' in item) this.call(item.call);
      else this.response(item.response);
    }
  }

  private post(
    channel: string,
    ts: string,
    message: { text?: unknown; blocks?: unknown },
    how: string,
  ): void {
    const key = `${channel}/${ts}`;
    this.seen.add(key);
    const text = this.render(message);
    this.rendered.set(key, text);
    this.print.effect(`${how} in ${this.channelName(channel)}:`);
    this.print.body(text);
  }

  private call(call: RecordedCall): void {
    const { args, response } = call;
    if (call.status !== 200 || response?.ok === false) {
      if (!['users.info', 'auth.test'].includes(call.method)) {
        this.print.effect(`Slack refused ${call.method}: ${response?.error ?? `HTTP ${call.status}`}`);
      }
      return;
    }
    if (!response) return;
    switch (call.method) {
      case 'conversations.create': {
        const channel = response.channel as { name?: string } | undefined;
        this.print.effect(`firewatch created the channel #${channel?.name ?? String(args.name)}`);
        return;
      }
      case 'conversations.invite':
        this.print.effect(
          `firewatch invited ${String(args.users).split(',').map(this.userName.bind(this)).join(', ')} to ${this.channelName(args.channel)}`,
        );
        return;
      case 'chat.postMessage':
        this.post(String(response.channel), String(response.ts), args, 'firewatch posted');
        return;
      case 'chat.update': {
        const key = `${String(args.channel)}/${String(args.ts)}`;
        const before = this.rendered.get(key);
        const after = this.render(args);
        this.rendered.set(key, after);
        if (before === undefined) {
          this.print.effect(`firewatch updated a message in ${this.channelName(args.channel)}:`);
          this.print.body(after);
          return;
        }
        const old = new Set(before.split('\n'));
        const changed = after.split('\n').filter((l) => !old.has(l) && !l.startsWith('Updated '));
        if (changed.length === 0) return;
        const pinned = this.slack.channel(String(args.channel))?.pins.includes(String(args.ts));
        this.print.effect(
          `firewatch updated the ${pinned ? 'pinned incident card' : 'message'}: ${changed.join(' · ')}`,
        );
        return;
      }
      case 'pins.add': {
        const text = this.rendered.get(`${String(args.channel)}/${String(args.timestamp)}`) ?? 'a message';
        this.print.effect(`firewatch pinned “${text.split('\n')[0]}” in ${this.channelName(args.channel)}`);
        return;
      }
      case 'chat.postEphemeral':
        this.print.effect(`only ${this.userName(args.user).slice(1)} sees: ${this.render(args)}`);
        return;
      case 'files.completeUploadExternal': {
        const channel = String(args.channel_id);
        for (const message of this.slack.messages(channel)) {
          const key = `${channel}/${message.ts}`;
          if (message.files?.length && message.user === this.slack.botUserId && !this.seen.has(key)) {
            this.post(channel, message.ts, message, 'firewatch uploaded a file');
            for (const file of message.files) this.print.body(`(${file.name}, ${file.size} bytes)`);
          }
        }
        return;
      }
      default:
        return;
    }
  }

  private response(response: RecordedResponse): void {
    const target = this.targets.get(response.url);
    const body = response.body;
    if (body.response_type === 'in_channel' && target) {
      const message = this.slack
        .messages(target.channel)
        .find(
          (m) =>
            m.user === this.slack.botUserId &&
            m.text === body.text &&
            !this.seen.has(`${target.channel}/${m.ts}`),
        );
      this.post(target.channel, message?.ts ?? response.id, body, 'firewatch replied to the command');
      return;
    }
    const who = target ? this.userName(target.user).slice(1) : 'the person who ran the command';
    this.print.effect(`only ${who} sees: ${this.render(body)}`);
  }
}

// ---- the story ---------------------------------------------------------------------------------------

interface StoryDeps {
  slack: SlackEmulator;
  firewatch: Firewatch;
  client: SignedClient;
  clock: StoryClock;
  print: Printer;
  ops: string;
  postmortemDir: string;
}

/** A message a person (or the monitoring bot) wrote; `ts` is its Slack timestamp. */
interface Said {
  ts: string;
  channel: string;
  author: string;
  text: string;
}

/** The incident of the worked example, step by step. */
class Story {
  private readonly watcher: SlackWatcher;
  private seq = 0;
  private incident: { id: string; channel: string; name: string } | null = null;

  constructor(private readonly deps: StoryDeps) {
    this.watcher = new SlackWatcher(deps.slack, deps.print);
  }

  private get channel(): { id: string; name: string } {
    if (!this.incident) throw new Error('No incident declared yet');
    return { id: this.incident.channel, name: this.incident.name };
  }

  private channelLabel(id: string): string {
    return `#${this.deps.slack.channel(id)?.name ?? id}`;
  }

  /** A Slack ts at story time: the second, then a sequence number so every ts is unique. */
  private ts(at: number): string {
    this.seq += 1;
    return `${Math.floor(at / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  /** Slack's rendering of typed text (`should_escape`): entities escaped, `@name` as a user mention. */
  private slackText(typed: string, withLabels: boolean): string {
    const escaped = typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return escaped.replace(/@(alem|ingrid|tomas)\b/g, (_, name: Person) =>
      withLabels ? `<@${PEOPLE[name].id}|${name}>` : `<@${PEOPLE[name].id}>`,
    );
  }

  /** Waits for the bot's background work and outbox, then prints what it did in Slack. */
  private async settle(): Promise<void> {
    await this.deps.firewatch.idle();
    this.watcher.flush();
  }

  /** `who` runs `/incident <typed>` (in the incident channel unless `where` is given) at `time`. */
  private async run(time: string, who: Person, typed: string, where?: string): Promise<void> {
    const at = this.deps.clock.advanceTo(time);
    const channel = where ? { id: where, name: this.channelLabel(where).slice(1) } : this.channel;
    const inWhere = where ? ` in #${channel.name}` : '';
    this.deps.print.line(`${this.deps.clock.label(at)}  ${who}${inWhere} › /incident ${typed}`);
    const reply = await this.deps.client.command(
      { id: PEOPLE[who].id, name: who },
      channel,
      this.slackText(typed, true),
    );
    this.watcher.targets.set(reply.responseUrl, { channel: channel.id, user: PEOPLE[who].id });
    const ack = reply.json ?? {};
    const shown = this.watcher.render(ack);
    if (shown) {
      const lines = shown.split('\n');
      const audience =
        ack.response_type === 'in_channel' ? `everyone in #${channel.name} sees` : `only ${who} sees`;
      this.deps.print.effect(`${audience}: ${lines[0]}`);
      if (lines.length > 1) this.deps.print.body(lines.slice(1).join('\n'));
    }
    if (String(ack.text ?? '').startsWith(':warning:') || String(ack.text ?? '').startsWith(':x:')) {
      throw new Error(`/incident ${typed} was refused: ${String(ack.text)}`);
    }
    await this.settle();
  }

  /** A message in `channel` at `time`: stored in the emulator as Slack would, then sent as an event. */
  private async say(
    time: string,
    who: Person | 'monitor',
    text: string,
    opts: { channel?: string; thread?: Said } = {},
  ): Promise<Said> {
    const at = this.deps.clock.advanceTo(time);
    const channel = opts.channel ?? this.channel.id;
    const ts = this.ts(at);
    const bot = who === 'monitor';
    const user = bot ? MONITOR.userId : PEOPLE[who].id;
    const slackText = this.slackText(text, false);
    const threadTs = opts.thread?.ts;
    this.deps.slack.seedMessage(channel, {
      user,
      text: slackText,
      ts,
      ...(bot ? { bot_id: MONITOR.botId } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    const author = bot ? `${MONITOR.label} (app)` : who;
    const where = threadTs ? ' (in the thread)' : '';
    this.deps.print.line(
      `${this.deps.clock.label(at)}  [${this.channelLabel(channel)}] ${author}${where}: ${emojify(text)}`,
    );
    await this.deps.client.event(
      {
        type: 'message',
        channel,
        channel_type: 'channel',
        user,
        text: slackText,
        ts,
        event_ts: ts,
        ...(bot
          ? {
              bot_id: MONITOR.botId,
              app_id: 'A0BETTERS1',
              bot_profile: { id: MONITOR.botId, name: MONITOR.label, app_id: 'A0BETTERS1' },
            }
          : {}),
        ...(threadTs ? { thread_ts: threadTs, parent_user_id: opts.thread?.author } : {}),
      },
      Math.floor(at / 1000),
    );
    await this.settle();
    return { ts, channel, author: user, text };
  }

  /** `who` reacts to a message with `emoji` (no colons) at `time`. */
  private async react(time: string, who: Person, emoji: string, message: Said): Promise<void> {
    const at = this.deps.clock.advanceTo(time);
    const user = PEOPLE[who].id;
    this.deps.slack.addReaction(message.channel, message.ts, emoji, user);
    const text = emojify(message.text);
    const quoted = text.length > 48 ? `${text.slice(0, 47)}…` : text;
    const author =
      message.author === MONITOR.userId
        ? MONITOR.label
        : (this.deps.slack.user(message.author)?.name ?? message.author);
    const where = `[${this.channelLabel(message.channel)}]`;
    this.deps.print.line(
      `${this.deps.clock.label(at)}  ${where} ${who} reacted ${EMOJI[emoji] ?? `:${emoji}:`} to ${author}'s “${quoted}”`,
    );
    if (REACTION_HINT[emoji]) this.deps.print.effect(`(${REACTION_HINT[emoji]}; nothing is posted)`);
    await this.deps.client.event(
      {
        type: 'reaction_added',
        user,
        reaction: emoji,
        item: { type: 'message', channel: message.channel, ts: message.ts },
        item_user: message.author,
        event_ts: this.ts(at),
      },
      Math.floor(at / 1000),
    );
    await this.settle();
  }

  /** `who` joins the incident channel (conversations.join with their own token), and Slack tells the bot. */
  private async join(time: string, who: Person): Promise<void> {
    const at = this.deps.clock.advanceTo(time);
    const { id } = this.channel;
    const res = await fetch(`${this.deps.slack.url}conversations.join`, {
      method: 'POST',
      headers: {
        authorization: `Bearer xoxp-${PEOPLE[who].id}-demo`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ channel: id }).toString(),
    });
    const answer = (await res.json()) as { ok?: boolean; error?: string };
    if (!answer.ok) throw new Error(`${who} could not join ${this.channelLabel(id)}: ${answer.error}`);
    this.deps.print.line(`${this.deps.clock.label(at)}  ${who} joins ${this.channelLabel(id)}`);
    await this.memberJoined(PEOPLE[who].id, id, at);
  }

  private async memberJoined(user: string, channel: string, at: number, inviter?: string): Promise<void> {
    await this.deps.client.event(
      {
        type: 'member_joined_channel',
        user,
        channel,
        channel_type: 'C',
        ...(inviter ? { inviter } : {}),
        event_ts: this.ts(at),
      },
      Math.floor(at / 1000),
    );
    await this.settle();
  }

  /** The whole incident; resolves with the compiled postmortem. */
  async play(): Promise<DemoResult> {
    const { print, slack, ops } = this.deps;
    this.watcher.skip();

    print.heading('Detection: the health check fails');
    await this.say(
      '10:30:30',
      'monitor',
      ':red_circle: Drop Health Check is DOWN: /api/health returns HTTP 503',
      {
        channel: ops,
      },
    );
    await this.say('10:30:45', 'alem', 'Ack, on it. App Runner says RUNNING, checking the API', {
      channel: ops,
    });

    print.heading('Declaring the incident');
    const createdFrom = slack.calls.length;
    await this.run('10:31:00', 'alem', 'declare P1 Database connection pool exhausted', ops);
    const created = slack.calls
      .slice(createdFrom)
      .find((c) => c.method === 'conversations.create' && c.response?.ok);
    const channelId = (created?.response?.channel as { id?: string } | undefined)?.id;
    const incident = channelId ? await this.deps.firewatch.store.findIncidentByChannel(channelId) : null;
    if (!incident?.channelId || !incident.channelName)
      throw new Error('The declaration did not open an incident');
    this.incident = { id: incident.id, channel: incident.channelId, name: incident.channelName };
    // Slack tells the bot about the members its invitation added.
    await this.memberJoined(PEOPLE.alem.id, incident.channelId, this.deps.clock.now(), slack.botUserId);
    await this.join('10:31:10', 'ingrid');
    await this.join('10:31:12', 'tomas');
    await this.run('10:31:15', 'alem', 'started 10:30');
    await this.run('10:31:20', 'alem', 'detected 10:30:30 by BetterStack monitor');
    await this.run('10:31:25', 'alem', 'tech @ingrid');
    await this.run('10:31:28', 'alem', 'comms @tomas');

    print.heading('Investigating');
    const health = await this.say(
      '10:31:30',
      'alem',
      '/api/health: {"status":"down","checks":{"db":{"status":"fail"}}}',
    );
    await this.react('10:31:35', 'alem', 'pushpin', health);
    const refused = await this.say(
      '10:32:00',
      'ingrid',
      'CloudWatch logs: repeated "connection refused" to RDS',
    );
    await this.react('10:32:05', 'ingrid', 'pushpin', refused);
    await this.say(
      '10:32:30',
      'ingrid',
      'RDS itself shows available, and psql from the bastion connects fine',
      {
        thread: refused,
      },
    );
    await this.say(
      '10:33:00',
      'tomas',
      'Support: payments and logins fail for everyone. Status page says Investigating.',
    );
    const pool = await this.say(
      '10:34:00',
      'ingrid',
      'New hypothesis: the app connection pool is exhausted, 45+ connections from BankID login callbacks',
    );
    await this.react('10:34:05', 'alem', 'pushpin', pool);
    await this.run(
      '10:34:20',
      'ingrid',
      'status identified Connection pool exhausted by a burst of BankID logins',
    );
    await this.run(
      '10:34:40',
      'tomas',
      'update Payments and logins are failing for all users. Cause found, fix under way; next update 10:45.',
    );

    print.heading('Mitigating');
    const restart = await this.say(
      '10:35:00',
      'alem',
      'fix: restarting App Runner (aws apprunner start-deployment) -> new process, fresh pool',
    );
    await this.react('10:35:05', 'alem', 'pushpin', restart);
    await this.say('10:38:00', 'ingrid', 'App Runner deployment complete, service RUNNING');
    const up = await this.say(
      '10:38:45',
      'monitor',
      ':white_check_mark: Drop Health Check is UP (downtime: 8 min)',
    );
    await this.react('10:38:50', 'ingrid', 'pushpin', up);
    await this.run(
      '10:39:00',
      'ingrid',
      'status monitoring at 10:38:30 Health check green; watching for 15 minutes',
    );
    const campaign = await this.say(
      '10:41:00',
      'tomas',
      'Marketing sent a campaign email to all users at 10:28 and nobody told platform. Big sends need a capacity check first.',
    );
    await this.react('10:41:10', 'alem', 'bulb', campaign);
    const limit = await this.say(
      '10:42:00',
      'ingrid',
      'Rate-limit BankID login initiation across all IPs, not only per IP',
    );
    await this.react('10:42:10', 'alem', 'ballot_box_with_check', limit);
    await this.run(
      '10:43:00',
      'alem',
      'note at 10:28 Marketing campaign email sent to all users (the login burst)',
    );

    print.heading('Follow-up work and the postmortem fields, while monitoring');
    await this.run(
      '10:45:00',
      'alem',
      'action Configure PgBouncer or RDS Proxy for connection pooling @alem due 2026-03-01 P1',
    );
    await this.run(
      '10:45:20',
      'alem',
      'action Alarm on DatabaseConnections > 70 for db.t4g.micro @ingrid due 2026-02-27 P1',
    );
    await this.run(
      '10:45:40',
      'ingrid',
      'action Add connection pool metrics to /api/health @ingrid due 2026-03-06 P2',
    );
    await this.run(
      '10:50:00',
      'alem',
      'set summary A burst of BankID logins after a marketing email exhausted the database connection pool; the Drop API returned 503 to all users for 28 minutes until App Runner was restarted.',
    );
    await this.run(
      '10:50:20',
      'ingrid',
      'set root-cause RDS PostgreSQL connection pool exhausted by 45+ concurrent BankID login callbacks; no PgBouncer or RDS Proxy in front of the database',
    );
    await this.run(
      '10:50:40',
      'ingrid',
      'set trigger Marketing campaign email to all users at 10:28 (burst of BankID logins)',
    );
    await this.run('10:51:00', 'alem', 'set services Drop API (all users)');
    await this.run('10:51:10', 'alem', 'set environment production');
    await this.run('10:51:30', 'tomas', 'set went-well BetterStack alerted within 30 seconds');
    await this.run(
      '10:51:40',
      'tomas',
      'set went-well The App Runner restart brought the API back in about 4 minutes',
    );
    await this.run(
      '10:52:00',
      'ingrid',
      'set went-wrong No alarm on DatabaseConnections: the health check was the first signal',
    );
    await this.run(
      '10:52:20',
      'ingrid',
      'set contributing No connection pooler: the pg driver pool was bounded only by RDS limits',
    );
    await this.run(
      '10:52:40',
      'ingrid',
      'set contributing No circuit breaker: the app could not degrade without the database',
    );
    await this.run(
      '10:52:50',
      'tomas',
      'set impact Every screen of the app failed; payments and logins were blocked.',
    );
    await this.run('10:53:00', 'tomas', 'set users-affected All active users (100%, full outage)');
    await this.run('10:53:10', 'tomas', 'set revenue-impact About 3–5 remittances and 2 QR payments blocked');
    await this.run(
      '10:53:20',
      'tomas',
      'set customer-impact Error screens everywhere; /api/health returned 503',
    );
    await this.run('10:53:30', 'ingrid', 'set data-impact None: no data loss, audit logs intact');
    await this.run('10:53:40', 'ingrid', 'set why Why did users see errors? The API returned 503');
    await this.run('10:53:45', 'ingrid', 'set why Why 503? The connection pool was exhausted');
    await this.run(
      '10:53:50',
      'ingrid',
      'set why Why exhausted? A login burst opened 45+ connections at once',
    );
    await this.say('10:54:00', 'ingrid', 'Stable for 15 minutes, error spike cleared');

    print.heading('Resolving and closing');
    await this.run('11:01:00', 'alem', 'resolve at 10:58 Stable for 15 minutes; error spike cleared');
    const closeFrom = slack.calls.length;
    print.cutNote = ' (the whole summary is printed below)';
    await this.run('11:05:00', 'alem', 'close');

    const summary = slack.calls
      .slice(closeFrom)
      .find(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.response?.ok &&
          c.args.channel === this.channel.id &&
          Array.isArray(c.args.blocks),
      );
    if (!summary) throw new Error('Firewatch did not post the postmortem summary');
    const postmortemPath = path.join(this.deps.postmortemDir, `${incident.id}.md`);
    if (!fs.existsSync(postmortemPath)) throw new Error(`Firewatch did not write ${postmortemPath}`);
    return { postmortemPath, summaryText: this.watcher.render(summary.args), incidentId: incident.id };
  }
}
