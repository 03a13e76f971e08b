/**
 * `npm run demo`: the worked example (a P1 database connection-pool exhaustion) played through the real
 * bot, with no Slack workspace. The same composition root as production (`createFirewatch`: Bolt in HTTP
 * mode on an ephemeral port, SQLite storage, the outbox) talks to an in-process {@link SlackEmulator}; the
 * demo plays Slack's other side, sending correctly signed slash commands, Events API callbacks and
 * interactivity payloads (clicks on the incident card, submitted forms) over HTTP, and prints what the
 * people in the story would have seen.
 *
 * This is the entry; the parts are the script (`story.ts`) with its cast (`cast.ts`), the transcript
 * (`printer.ts`), what the bot did in Slack (`watcher.ts`), the forms it opened (`forms.ts`) and story
 * time (`story-clock.ts`). Slack's requests go through the emulator's {@link SlackRequestClient}.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { createFirewatch, type Firewatch } from '../app';
import { databasePath, loadConfig } from '../config';
import { zoneDescription } from '../domain/postmortem/format';
import { formatLocalTime } from '../domain/time';
import { SlackEmulator, SlackRequestClient } from '../emulator';
import { formatZoneName, isValidTimeZone } from '../shared/time-zone';
import { openStore, type Store } from '../storage';
import { MONITOR, PEOPLE } from './cast';
import { Printer } from './printer';
import { type DemoResult, Story } from './story';
import { StoryClock } from './story-clock';

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

export type { DemoResult } from './story';

const SIGNING_SECRET = 'firewatch-demo-signing-secret';
const BOT_TOKEN = 'xoxb-firewatch-demo';

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
      zone: zoneDescription(timeZone, formatZoneName(timeZone, clock.now())),
    });
    const client = new SlackRequestClient({
      emulator: slack,
      http: { url: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET },
    });
    const story = new Story({
      slack,
      firewatch,
      client,
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
