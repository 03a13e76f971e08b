/**
 * Reminders over real HTTP against the emulator, driven by an injected clock: status-update nudges
 * once per interval (and never for P4), overdue action items once, neither again after a restart,
 * and the nudge's "Post an update" button and form.
 */
import { SlackEmulator } from '../../src/emulator';
import type { SlackMessage } from '../../src/emulator/types';
import { IDS } from '../../src/slack/ids';
import { Harness } from '../support/harness';

const MIN = 60_000;

/** A clock that stands still at a chosen instant until moved. */
function stillClock(startIso: string) {
  let now = Date.parse(startIso);
  return {
    now: () => now,
    at: (minutes: number) => {
      now = Date.parse(startIso) + minutes * MIN;
    },
    set: (iso: string) => {
      now = Date.parse(iso);
    },
  };
}

const nudges = (slack: SlackEmulator, channel: string): SlackMessage[] =>
  slack.messages(channel).filter((m) => String(m.text).startsWith(':alarm_clock:'));

/** Runs one reminder check and waits until what it queued was sent. */
async function check(h: Harness): Promise<number> {
  const queued = await h.firewatch.reminders.check();
  await h.idle();
  return queued;
}

describe('status-update reminders', () => {
  let slack: SlackEmulator;
  beforeEach(async () => {
    slack = await SlackEmulator.start();
  });
  afterEach(async () => {
    await slack.stop();
  });

  it('nudge the IC and Communications Lead once per interval; an update restarts the count; P4 never', async () => {
    const clock = stillClock('2026-02-20T10:00:00Z');
    const h = await Harness.start({ emulator: slack, clock: clock.now });
    try {
      const { channel } = await h.declare('P1 Checkout down');
      const quiet = await h.declare('P4 Typo on the status page', { user: 'UBOB' });
      await h.slash('comms <@UCAROL>', { channel });

      clock.at(14);
      expect(await check(h)).toBe(0);
      clock.at(15);
      expect(await check(h)).toBe(1);
      const [first] = nudges(slack, channel);
      expect(first?.text).toContain(
        ':alarm_clock: <@UALICE> <@UCAROL> No status update on *INC-2026-001* (P1, investigating) for 15 min.',
      );
      expect(first?.blocks?.[1]).toMatchObject({
        type: 'actions',
        elements: [{ type: 'button', action_id: IDS.card.updateAction, value: 'INC-2026-001' }],
      });

      // Once per interval: not again within it, whatever the number of checks.
      expect(await check(h)).toBe(0);
      clock.at(29);
      expect(await check(h)).toBe(0);
      clock.at(30);
      expect(await check(h)).toBe(1);
      expect(nudges(slack, channel)).toHaveLength(2);

      // An update restarts the count from when it was posted.
      clock.at(31);
      await h.slash('update Rolled back the deploy, watching errors', { channel, user: 'UCAROL' });
      await h.idle();
      clock.at(45);
      expect(await check(h)).toBe(0);
      clock.at(46);
      expect(await check(h)).toBe(1);
      expect(nudges(slack, channel).at(-1)?.text).toContain('for 15 min');

      // Resolved incidents and P4 are never nudged.
      await h.slash('resolve', { channel });
      clock.at(600);
      expect(await check(h)).toBe(0);
      expect(nudges(slack, channel)).toHaveLength(3);
      expect(nudges(slack, quiet.channel)).toHaveLength(0);
    } finally {
      await h.stop();
    }
  });

  it('take their intervals from FIREWATCH_UPDATE_REMINDERS', async () => {
    const clock = stillClock('2026-02-20T10:00:00Z');
    const h = await Harness.start({
      emulator: slack,
      clock: clock.now,
      env: { FIREWATCH_UPDATE_REMINDERS: 'P3=5,P4=10' },
    });
    try {
      const p3 = await h.declare('P3 Search is slow');
      const p4 = await h.declare('P4 Typo');
      clock.at(5);
      expect(await check(h)).toBe(1);
      clock.at(10);
      expect(await check(h)).toBe(2);
      expect(nudges(slack, p3.channel)).toHaveLength(2);
      expect(nudges(slack, p4.channel)).toHaveLength(1);
    } finally {
      await h.stop();
    }
  });

  it('fire once across a restart: a reminder recorded before is not posted again', async () => {
    const clock = stillClock('2026-02-20T10:00:00Z');
    const first = await Harness.start({ emulator: slack, clock: clock.now });
    const { channel } = await first.declare('P1 Checkout down');
    clock.at(16);
    // Queued; the process stops at once (the outbox may not have sent it yet: the next one does).
    expect(await first.firewatch.reminders.check()).toBe(1);
    await first.stop();

    const second = await Harness.start({ emulator: slack, clock: clock.now, dataDir: first.dataDir });
    try {
      await second.idle();
      expect(nudges(slack, channel)).toHaveLength(1);
      expect(await check(second)).toBe(0);
      expect(nudges(slack, channel)).toHaveLength(1);
      clock.at(30);
      expect(await check(second)).toBe(1);
      expect(nudges(slack, channel)).toHaveLength(2);
    } finally {
      await second.stop();
    }
  });

  it('are checked on a timer from start() to stop()', async () => {
    const clock = stillClock('2026-02-20T10:00:00Z');
    const h = await Harness.start({ emulator: slack, clock: clock.now, reminderPeriodMs: 20 });
    let stopped = false;
    try {
      const { channel } = await h.declare('P1 Checkout down');
      clock.at(15);
      for (let i = 0; i < 200 && nudges(slack, channel).length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        await h.idle();
      }
      expect(nudges(slack, channel)).toHaveLength(1);
      await h.stop();
      stopped = true;
      // Stopped: no check runs on a closed database.
      clock.at(60);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(nudges(slack, channel)).toHaveLength(1);
    } finally {
      if (!stopped) await h.stop();
    }
  });
});

describe('overdue action items', () => {
  it('are sent to their owner once, not again after a restart, and not when done or unowned', async () => {
    const slack = await SlackEmulator.start();
    const clock = stillClock('2026-02-20T10:00:00Z');
    const first = await Harness.start({
      emulator: slack,
      clock: clock.now,
      env: { FIREWATCH_UPDATE_REMINDERS: 'off' },
    });
    const dm = slack.state.imWith('UBOB').id;
    const { channel } = await first.declare('P2 Payments failing');
    await first.slash('action Add a pool alarm <@UBOB> due 2026-02-20', { channel });
    await first.slash('action Write the runbook due 2026-02-20', { channel });
    await first.slash('action Rotate the keys <@UBOB> due 2026-02-20', { channel });
    await first.slash('done 3', { channel });
    await first.slash('close', { channel });
    await first.idle();

    clock.set('2026-02-20T23:59:00Z');
    expect(await check(first)).toBe(0);
    clock.set('2026-02-21T00:00:00Z');
    expect(await check(first)).toBe(1);
    expect(await check(first)).toBe(0);
    await first.stop();

    const second = await Harness.start({ emulator: slack, clock: clock.now, dataDir: first.dataDir });
    try {
      clock.set('2026-02-25T09:00:00Z');
      expect(await check(second)).toBe(0);
      const sent = slack.messages(dm).map((m) => String(m.text));
      expect(sent).toEqual([
        ':hourglass: Your action item #1 of *INC-2026-001* (Payments failing) was due on 2026-02-20: Add a pool alarm\n' +
          `When it is done, run \`/incident done 1\` in <#${channel}>.`,
      ]);
    } finally {
      await second.stop();
      await slack.stop();
    }
  });
});

describe('the "Post an update" button', () => {
  it('opens a form whose message is posted as /incident update, with its rules and refusals', async () => {
    const slack = await SlackEmulator.start();
    const clock = stillClock('2026-02-20T10:00:00Z');
    const announce = slack.createChannel('announcements', { botIsMember: true }).id;
    const h = await Harness.start({ emulator: slack, clock: clock.now, env: { ANNOUNCE_CHANNEL: announce } });
    try {
      const { channel, incident } = await h.declare('P1 Checkout down');
      await h.slash('comms <@UCAROL>', { channel });
      clock.at(15);
      await check(h);
      const nudge = nudges(slack, channel)[0]!;
      const button = (nudge.blocks![1] as { elements: Record<string, unknown>[] }).elements[0]!;

      const click = (user: string, triggerId: string) =>
        h.interaction({
          type: 'block_actions',
          team: { id: slack.teamId },
          user: { id: user, name: user.toLowerCase() },
          api_app_id: 'A0001',
          token: 'legacy',
          trigger_id: triggerId,
          channel: { id: channel, name: incident.channelName },
          container: { type: 'message', message_ts: nudge.ts, channel_id: channel },
          message: nudge,
          response_url: slack.responseUrl({ channel, user }),
          actions: [{ ...button, block_id: 'reminder_actions', action_ts: '1771581600.000001' }],
        });
      expect((await click('UCAROL', 'trigger-carol')).status).toBe(200);
      await h.idle();
      const opened = slack.lastCall('views.open')!;
      expect(opened.args.trigger_id).toBe('trigger-carol');
      const form = opened.args.view as Record<string, unknown>;
      expect(form).toMatchObject({ type: 'modal', callback_id: IDS.updateModal.callbackId });

      const submit = (user: string, value: string) =>
        h.interaction({
          type: 'view_submission',
          team: { id: slack.teamId },
          user: { id: user, name: user.toLowerCase() },
          api_app_id: 'A0001',
          token: 'legacy',
          trigger_id: 'trigger-submit',
          view: {
            ...form,
            id: 'V1',
            state: {
              values: {
                [IDS.updateModal.messageBlock]: {
                  [IDS.updateModal.messageAction]: { type: 'plain_text_input', value },
                },
              },
            },
          },
        });

      // An empty message is shown in the form, next to the field.
      const empty = await submit('UCAROL', '   ');
      expect(empty.json).toEqual({
        response_action: 'errors',
        errors: {
          [IDS.updateModal.messageBlock]:
            'A status update needs a message: say where things stand, e.g. "Rolled back; error rate falling".',
        },
      });

      clock.at(16);
      expect((await submit('UCAROL', 'Rolled back <!channel> & watching')).status).toBe(200);
      await h.idle();
      const posted = slack.messages(channel).at(-1);
      expect(posted?.text).toBe(
        ':loudspeaker: *Update* (investigating) from <@UCAROL>\n>Rolled back &lt;!channel&gt; &amp; watching',
      );
      expect(slack.messages(announce).at(-1)?.text).toContain('Rolled back &lt;!channel&gt; &amp; watching');
      expect((await h.store.comms(incident.id)).map((c) => c.summary)).toContain(
        'Status update: Rolled back <!channel> & watching',
      );
      // The update restarts the count.
      clock.at(30);
      expect(await check(h)).toBe(0);

      // Someone who may not post updates is told why, as /incident update would tell them.
      await click('UDAVE', 'trigger-dave');
      await h.idle();
      const refusal = `Only members of #${incident.channelName} may change ${incident.id}. Join the channel first.`;
      // The click is refused before any form opens, and Dave is told why, only him.
      expect(
        slack
          .ephemerals(channel)
          .filter((e) => e.user === 'UDAVE')
          .map((e) => e.text),
      ).toEqual([`:no_entry: ${refusal}`]);
      // A form he still had open is refused on submission, next to its field.
      const late = await submit('UDAVE', 'All good');
      expect(late.json).toEqual({
        response_action: 'errors',
        errors: { [IDS.updateModal.messageBlock]: refusal },
      });
      await h.idle();
      expect(slack.messages(channel).map((m) => m.text)).not.toContain(expect.stringContaining('All good'));
    } finally {
      await h.stop();
      await slack.stop();
    }
  });
});
