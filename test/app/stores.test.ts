/**
 * The whole app on either store: the same incident, played through the real bot over HTTP once on
 * a SQLite file and once on a real PostgreSQL database, compiles into the same postmortem and
 * leaves the same records. The store contract (test/storage) checks each method; this checks that
 * nothing above the store depends on which one it is.
 */
import fs from 'node:fs';
import { freshDatabase, stopPostgres } from '../../scripts/support/postgres';
import { runPostmortemCli } from '../../src/cli/postmortem';
import { SlackEmulator } from '../../src/emulator';
import { Harness } from '../support/harness';

jest.setTimeout(60_000);
afterAll(() => stopPostgres(), 60_000);

const START = Date.parse('2026-03-10T14:00:00Z');
const ts = (minutes: number, micro = 0) =>
  `${(START + minutes * 60_000) / 1000}.${String(micro).padStart(6, '0')}`;

/** Plays one incident through the bot; returns its postmortem (compiled by the CLI from the database) and its records. */
async function play(databaseUrl: string | null) {
  let now = START;
  const slack = await SlackEmulator.start();
  slack.addUser('UOPS', 'Olga Petrova');
  const h = await Harness.start({
    emulator: slack,
    clock: () => now,
    ...(databaseUrl ? { env: { DATABASE_URL: databaseUrl } } : {}),
  });
  try {
    const { channel, incident } = await h.declare('P2 Checkout latency above 2 s', { user: 'UALICE' });
    const run = async (text: string, user = 'UALICE') => {
      const reply = await h.slash(text, { channel, user });
      expect(reply.status).toBe(200);
      await h.idle();
    };
    const say = async (minutes: number, user: string, text: string, id: string) => {
      now = START + minutes * 60_000;
      slack.seedMessage(channel, { user, text, ts: ts(minutes) });
      const reply = await h.event(
        {
          type: 'message',
          channel,
          user,
          text,
          ts: ts(minutes),
          event_ts: ts(minutes),
          channel_type: 'channel',
        },
        { eventId: id },
      );
      expect(reply.status).toBe(200);
    };
    await run('started 13:52');
    await run('detected 13:55 by latency alert');
    await run('tech <@UOPS>');
    await say(2, 'UOPS', 'p99 is 2.4 s on checkout, looking at the payment client', 'Ev1');
    await say(4, 'UALICE', 'payment provider status page is green', 'Ev2');
    await h.event(
      {
        type: 'reaction_added',
        user: 'UALICE',
        reaction: 'pushpin',
        item: { type: 'message', channel, ts: ts(2) },
        event_ts: ts(4, 5),
      },
      { eventId: 'Ev3' },
    );
    await h.event(
      {
        type: 'reaction_added',
        user: 'UALICE',
        reaction: 'ballot_box_with_check',
        item: { type: 'message', channel, ts: ts(4) },
        event_ts: ts(4, 6),
      },
      { eventId: 'Ev4' },
    );
    now = START + 6 * 60_000;
    await run('status identified connection pool to the payment client too small', 'UOPS');
    await run('set root-cause The payment client pool held 10 connections for 40 workers');
    await run('set services checkout, payments');
    await run('action Size the payment client pool from the worker count <@UOPS> due 2026-03-20 P2');
    now = START + 15 * 60_000;
    await run('status monitoring pool raised to 50');
    await run('update latency back under 300 ms');
    now = START + 25 * 60_000;
    await run('resolve latency normal for 10 minutes');
    await run('done 1');
    await run('close');

    const out = `${h.dataDir}/cli.md`;
    const code = await runPostmortemCli([incident.id, '--out', out], {
      DATABASE_URL: h.config.databaseUrl,
      FIREWATCH_TIMEZONE: 'UTC',
    });
    expect(code).toBe(0);
    const store = h.store;
    const records = {
      // The card's ts is Slack's (the emulator's wall clock): only whether there is one compares.
      incident: await store
        .getIncident(incident.id)
        .then((i) => ({ ...i!, cardTs: i?.cardTs ? 'pinned' : null })),
      terms: await store.roleTerms(incident.id),
      timeline: await store.timeline(incident.id),
      comms: await store.comms(incident.id),
      actions: await store.actions(incident.id),
      fields: await store.fields(incident.id),
      messages: await store.messages(incident.id),
      postmortems: await store.postmortems(incident.id),
      outbox: await store.outboxStats(),
    };
    // The CLI compiles now: its "Compiled at" is the wall clock's.
    return {
      markdown: fs.readFileSync(out, 'utf8').replace(/\| Compiled at \| [^|]+ \|/, '| Compiled at | (now) |'),
      posted: slack.messages(channel).map((m) => m.text),
      records,
    };
  } finally {
    await h.stop();
    await slack.stop();
  }
}

describe('the same incident on SQLite and on PostgreSQL', () => {
  it('compiles the same postmortem, posts the same messages and stores the same records', async () => {
    const sqlite = await play(null);
    const postgres = await play(await freshDatabase());
    expect(sqlite.markdown).toContain('# Postmortem: INC-');
    expect(sqlite.markdown).toContain('Olga Petrova');
    expect(sqlite.records.actions).toHaveLength(2);
    expect(sqlite.records.incident.cardTs).toBe('pinned');
    expect(sqlite.records.outbox).toMatchObject({ pending: 0, failed: 0 });
    expect(postgres.markdown).toBe(sqlite.markdown);
    expect(postgres.posted).toEqual(sqlite.posted);
    expect(postgres.records).toEqual(sqlite.records);
  });
});
