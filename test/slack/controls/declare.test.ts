import { SEEDED_CHANNELS } from '../../../src/emulator';
import { viewRejection } from '../../../src/emulator/validate';
import { SEVERITY_MEANINGS } from '../../../src/slack/blocks/declare-modal';
import { IDS } from '../../../src/slack/ids';
import { Harness } from '../../support/harness';

const ids = IDS.declareModal;
const GENERAL = SEEDED_CHANNELS.general;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
/** A Slack ts `minutes` ago. */
const tsAgo = (minutes: number) => `${Math.floor((Date.now() - minutes * 60_000) / 1000)}.000200`;

describe('declaring without a command, over real HTTP', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  /** The shortcut "Declare an incident" by `user`; the form it opened. */
  async function openFromShortcut(user = 'UALICE') {
    const reply = await h.client.globalShortcut(IDS.shortcuts.declare, user);
    expect(reply.status).toBe(200);
    await h.idle();
    const form = h.lastView();
    expect(form.view.callback_id).toBe(ids.callbackId);
    return form;
  }

  it('the global shortcut opens the declare form: every severity with what it means, optional details', async () => {
    const form = await openFromShortcut();
    expect(viewRejection(form.view)).toBeUndefined();
    const blocks = form.view.blocks as {
      block_id: string;
      optional?: boolean;
      element: Record<string, unknown>;
    }[];
    expect(blocks.map((b) => b.block_id)).toEqual([
      ids.titleBlock,
      ids.severityBlock,
      ids.servicesBlock,
      ids.startedBlock,
      ids.detectedBlock,
      ids.detectedByBlock,
      ids.descriptionBlock,
      ids.privateBlock,
    ]);
    const severity = blocks[1]!.element as { options: { value: string; description: { text: string } }[] };
    expect(severity.options.map((o) => [o.value, o.description.text])).toEqual(
      Object.entries(SEVERITY_MEANINGS),
    );
    expect(blocks.filter((b) => !b.optional).map((b) => b.block_id)).toEqual([
      ids.titleBlock,
      ids.severityBlock,
    ]);
  });

  it('declares with the details: impact start, detection, services, description; tells the declarer in a DM', async () => {
    await openFromShortcut();
    const started = ago(20);
    const detected = ago(19);
    const reply = await h.submitLastView({
      [ids.titleBlock]: 'Checkout API returns 503',
      [ids.severityBlock]: 'P1',
      [ids.servicesBlock]: 'checkout, payments-api',
      [ids.startedBlock]: started,
      [ids.detectedBlock]: detected,
      [ids.detectedByBlock]: 'Datadog monitor',
      [ids.descriptionBlock]: 'Every checkout fails with 503 <!here>',
    });
    expect(reply.body).toBe('');
    const [incident] = await h.store.listIncidents('all', 1);
    expect(incident).toMatchObject({
      title: 'Checkout API returns 503',
      severity: 'P1',
      startedAt: Date.parse(started),
      detectedAt: Date.parse(detected),
      detectedBy: 'Datadog monitor',
      originChannelId: 'UALICE',
    });
    const fields = await h.store.fields(incident!.id);
    expect(fields.map((f) => [f.field, f.value])).toEqual([
      ['services', 'checkout'],
      ['services', 'payments-api'],
      ['summary', 'Every checkout fails with 503 <!here>'],
    ]);
    const kinds = (await h.store.timeline(incident!.id)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['declared', 'role', 'started', 'detected']));
    const described = h.slack
      .callsTo('chat.postMessage')
      .find((c) => c.args.channel === incident!.channelId && /What is going on/.test(String(c.args.text)));
    expect(String(described?.args.text)).toContain('&lt;!here&gt;');
    // Used from no channel: the declaration is said in the declarer's direct messages with the app.
    const dm = h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'UALICE');
    expect(String(dm?.args.text)).toContain(`*${incident!.id}* declared (P1)`);
  });

  it.each([
    ['no title', { [ids.titleBlock]: '   ' }, ids.titleBlock, /Say what is broken/],
    [
      'an unreadable impact start',
      { [ids.startedBlock]: 'yesterday-ish' },
      ids.startedBlock,
      /not a time I understand/,
    ],
    [
      'an impact start in the future',
      { [ids.startedBlock]: new Date(Date.now() + 3_600_000).toISOString() },
      ids.startedBlock,
      /is in the future/,
    ],
    [
      'an impact start beyond the 30-day window',
      { [ids.startedBlock]: ago(31 * 24 * 60) },
      ids.startedBlock,
      /more than 30 days before the new incident was declared/,
    ],
    [
      'a detection before the impact started',
      { [ids.startedBlock]: ago(10), [ids.detectedBlock]: ago(20) },
      ids.detectedBlock,
      /Detection cannot be before the impact started/,
    ],
  ])('shows %s next to its field and declares nothing', async (_label, entries, block, message) => {
    await openFromShortcut();
    const reply = await h.submitLastView({ [ids.titleBlock]: 'Search is slow', ...entries });
    expect(reply.status).toBe(200);
    expect(reply.json.response_action).toBe('errors');
    expect(Object.keys(reply.json.errors)).toEqual([block]);
    expect(reply.json.errors[block]).toMatch(message);
    expect(reply.json.errors[block]).not.toMatch(/`|&lt;|&amp;/);
    await h.idle();
    expect(await h.store.listIncidents('all', 5)).toHaveLength(0);
  });

  it('declares from a message: the title from its first line, the message on the timeline at its own time', async () => {
    const ts = tsAgo(3);
    const message = h.slack.seedMessage(GENERAL, {
      user: 'UBOB',
      ts,
      text: 'Checkout &amp; payments return 503 for <@UCAROL>\nsince the 10:28 deploy',
    });
    const reply = await h.client.messageShortcut({
      callbackId: IDS.shortcuts.declareFromMessage,
      channel: GENERAL,
      message,
      user: 'UALICE',
    });
    expect(reply.status).toBe(200);
    await h.idle();
    const form = h.lastView();
    const title = (form.view.blocks as { element: { initial_value?: string } }[])[0]!.element.initial_value;
    expect(title).toBe('Checkout & payments return 503 for @UCAROL');
    await h.submitLastView({ [ids.severityBlock]: 'P2' });
    const [incident] = await h.store.listIncidents('all', 1);
    expect(incident).toMatchObject({ title, severity: 'P2', originChannelId: GENERAL });
    const note = (await h.store.timeline(incident!.id)).find((e) => e.kind === 'note');
    expect(note).toMatchObject({
      at: Math.floor(Number(ts) * 1000),
      actor: 'UALICE',
      text: `Declared from a message by <@UBOB> in <#${GENERAL}>: Checkout & payments return 503 for <@UCAROL>\nsince the 10:28 deploy`,
    });
    // Announced where the message was.
    expect(
      h.slack
        .callsTo('chat.postMessage')
        .some((c) => c.args.channel === GENERAL && /declared \(P2\)/.test(String(c.args.text))),
    ).toBe(true);
  });

  it('keeps a huge source message within the form’s limits (title cut, metadata under 3,000 characters)', async () => {
    const text = `${'Everything is on fire &amp; "quoted" '.repeat(400)}\nsecond line`;
    const message = h.slack.seedMessage(GENERAL, { user: 'UBOB', text });
    await h.client.messageShortcut({
      callbackId: IDS.shortcuts.declareFromMessage,
      channel: GENERAL,
      message,
    });
    await h.idle();
    expect(h.slack.lastCall('views.open')!.response).toMatchObject({ ok: true });
    const form = h.lastView();
    expect(String(form.view.private_metadata).length).toBeLessThanOrEqual(3000);
    const title = (form.view.blocks as { element: { initial_value?: string } }[])[0]!.element.initial_value!;
    expect([...title].length).toBeLessThanOrEqual(150);
    await h.submitLastView();
    const [incident] = await h.store.listIncidents('all', 1);
    const note = (await h.store.timeline(incident!.id)).find((e) => e.kind === 'note');
    expect(
      note?.text.startsWith(
        `Declared from a message by <@UBOB> in <#${GENERAL}>: Everything is on fire & "quoted"`,
      ),
    ).toBe(true);
    // Only the part that fits the form's private_metadata travels: the rest is in the channel still.
    expect(note!.text.length).toBeLessThan(3000);
  });
});

describe('"Add to incident timeline", over real HTTP', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  const pin = (channel: string, message: { ts: string }, user = 'UBOB') =>
    h.client.messageShortcut({ callbackId: IDS.shortcuts.addToTimeline, channel, message, user });

  it('puts a message on the timeline at its own time, exactly like a 📌 by the same person', async () => {
    const { incident, channel } = await h.declare('P2 Search is slow');
    const ts = tsAgo(2);
    const message = h.slack.seedMessage(channel, { user: 'UCAROL', ts, text: 'p99 at 4 s since 10:12' });
    const reply = await pin(channel, message);
    expect(reply.status).toBe(200);
    await h.idle();
    const pins = () => h.store.timeline(incident.id).then((t) => t.filter((e) => e.kind === 'pin'));
    expect(await pins()).toEqual([
      expect.objectContaining({
        at: Math.floor(Number(ts) * 1000),
        actor: 'UCAROL',
        text: 'p99 at 4 s since 10:12',
        ref: ts,
      }),
    ]);
    expect(h.ephemeralsFor('UBOB').at(-1)).toMatch(
      new RegExp(`^:pushpin: On the timeline of \\*${incident.id}\\*`),
    );

    // The same entry as Bob's 📌: using it twice, or reacting too, adds nothing; his 📌 removed takes it off.
    await pin(channel, message);
    const reaction = { user: 'UBOB', reaction: 'pushpin', item: { type: 'message', channel, ts } };
    await h.event({ type: 'reaction_added', ...reaction, event_ts: `${Date.now() / 1000}` });
    expect(await pins()).toHaveLength(1);
    await h.event({ type: 'reaction_removed', ...reaction, event_ts: `${Date.now() / 1000 + 1}` });
    expect(await pins()).toHaveLength(0);
  });

  it('refuses outside an incident channel and on Firewatch’s own posts, saying why', async () => {
    const { incident, channel } = await h.declare('P2 Search is slow');
    const elsewhere = h.slack.seedMessage(GENERAL, { user: 'UCAROL', text: 'not an incident' });
    await pin(GENERAL, elsewhere);
    await h.idle();
    expect(h.ephemeralsFor('UBOB').at(-1)).toMatch(/works on messages in an incident channel/);

    const card = await h.card(incident.id);
    await pin(channel, card);
    await h.idle();
    expect(h.ephemeralsFor('UBOB').at(-1)).toMatch(
      /one of Firewatch’s own posts|one of Firewatch's own posts/,
    );
    expect((await h.store.timeline(incident.id)).filter((e) => e.kind === 'pin')).toHaveLength(0);
  });
});
