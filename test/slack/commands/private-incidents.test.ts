import { SlackEmulator } from '../../../src/emulator';
import { PRIVATE_DECLARED } from '../../../src/services/incident-service';
import { IDS } from '../../../src/slack/ids';
import { Harness } from '../../support/harness';

const TITLE = 'Customer data exposed via debug endpoint';
const ids = IDS.declareModal;

describe('private incidents, over real HTTP', () => {
  let h: Harness;
  let ANNOUNCE = '';
  beforeEach(async () => {
    const slack = await SlackEmulator.start();
    ANNOUNCE = slack.createChannel('announcements', { botIsMember: true }).id;
    h = await Harness.start({
      emulator: slack,
      env: { ANNOUNCE_CHANNEL: ANNOUNCE, FIREWATCH_ADMINS: 'UADMIN' },
    });
  });
  afterEach(async () => {
    await h.stop();
    await h.slack.stop();
  });

  /** Every text Firewatch put anywhere but the incident channel (posts, and replies seen by everyone). */
  const saidOutside = (incidentChannel: string, responseUrl: string) => [
    ...h.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel !== incidentChannel)
      .map((c) => JSON.stringify([c.args.text, c.args.blocks ?? []])),
    ...h.slack
      .responsesFor(responseUrl)
      .filter((r) => r.body.response_type === 'in_channel')
      .map((r) => JSON.stringify([r.body.text, r.body.blocks ?? []])),
  ];

  it('`declare private` creates a private channel and says nothing but "a private incident was declared" outside it', async () => {
    const { reply, incident, channel } = await h.declare(`private P1 ${TITLE}`);
    expect(incident).toMatchObject({ isPrivate: true, severity: 'P1', title: TITLE });
    expect(String(h.slack.lastCall('conversations.create')?.args.is_private)).toBe('true');
    expect(h.slack.channel(channel)).toMatchObject({ is_private: true });
    expect(h.slack.channel(channel)!.members).toContain('UALICE');

    // The declarer alone hears the title and where the channel is.
    expect(reply.json.response_type).toBe('ephemeral');
    const toDeclarer = h.slack.responsesFor(reply.responseUrl);
    expect(toDeclarer.map((r) => [r.body.response_type, String(r.body.text)])).toEqual([
      ['in_channel', PRIVATE_DECLARED],
      ['ephemeral', `:lock: *${incident.id}* is open in the private channel <#${channel}>: ${TITLE}`],
    ]);
    expect(saidOutside(channel, reply.responseUrl)).toEqual([
      JSON.stringify([PRIVATE_DECLARED, []]),
      JSON.stringify([PRIVATE_DECLARED, []]),
    ]);
    expect(h.slack.messages(ANNOUNCE).map((m) => m.text)).toEqual([PRIVATE_DECLARED]);

    // Status changes, updates, the resolution and the postmortem stay in the channel.
    for (const text of [
      'status identified debug endpoint left on',
      'update Endpoint disabled, reviewing access logs',
      'resolve endpoint removed',
      'close',
    ]) {
      expect((await h.slash(text, { channel })).json.text).not.toContain(':warning:');
      await h.idle();
    }
    expect((await h.store.getIncident(incident.id))!.status).toBe('closed');
    expect(saidOutside(channel, reply.responseUrl)).toHaveLength(2);
    expect(h.slack.messages(ANNOUNCE).map((m) => m.text)).toEqual([PRIVATE_DECLARED]);
    for (const said of saidOutside(channel, reply.responseUrl)) {
      expect(said).not.toContain(incident.id);
      expect(said).not.toContain('Customer data');
    }
    // The postmortem is posted and uploaded in its own channel only.
    const inChannel = h.slack.messages(channel).map((m) => m.text ?? '');
    expect(inChannel.some((t) => t.includes('Endpoint disabled'))).toBe(true);
    expect((await h.store.postmortems(incident.id)).length).toBe(1);
    const uploads = h.slack.callsTo('files.completeUploadExternal');
    expect(uploads).toHaveLength(1);
    expect(String(uploads[0]!.args.channel_id)).toBe(channel);
    expect(
      h.slack
        .callsTo('chat.postMessage')
        .every((c) => c.args.channel === channel || !/postmortem/i.test(String(c.args.text))),
    ).toBe(true);
  });

  it('is left out of `/incident list` for people who are not its members', async () => {
    const open = await h.declare('P2 Public checkout slowness');
    const secret = await h.declare(`private P1 ${TITLE}`);
    const listFor = async (user: string) => JSON.stringify((await h.slash('list', { user })).json);

    const stranger = await listFor('UBOB');
    expect(stranger).toContain(open.incident.id);
    expect(stranger).not.toContain(secret.incident.id);
    expect(stranger).not.toContain('Customer data');

    // Its Incident Commander, its channel's members and admins see it.
    expect(await listFor('UALICE')).toContain(secret.incident.id);
    expect(await listFor('UADMIN')).toContain(secret.incident.id);
    await h.event({
      type: 'member_joined_channel',
      user: 'UCAROL',
      channel: secret.channel,
      channel_type: 'G',
      event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
    });
    expect(await listFor('UCAROL')).toContain(secret.incident.id);
    // Reading it is for members only.
    expect((await h.slash('show', { channel: secret.channel, user: 'UBOB' })).json.text).toBe(
      `:no_entry: ${secret.incident.id} is private: only members of #${secret.incident.channelName} and Firewatch admins may see it.`,
    );
    expect((await h.slash('show', { channel: secret.channel, user: 'UCAROL' })).json.blocks).toBeDefined();
  });

  it('a public incident is still announced as before', async () => {
    const { incident } = await h.declare('P2 Public checkout slowness');
    const announced = h.slack.messages(ANNOUNCE).map((m) => m.text ?? '');
    expect(announced).toHaveLength(1);
    expect(announced[0]).toContain(incident.id);
    expect(announced[0]).toContain('Public checkout slowness');
  });

  it('the declare form has a "private incident" checkbox that declares a private one', async () => {
    await h.slash('declare', { triggerId: 'trigger-1' });
    await h.idle();
    const view = h.slack.lastCall('views.open')!.args.view as unknown;
    const opened = (typeof view === 'string' ? JSON.parse(view) : view) as {
      blocks: { block_id: string; optional?: boolean; element: { type: string; action_id: string } }[];
      private_metadata: string;
    };
    const checkbox = opened.blocks.find((b) => b.block_id === ids.privateBlock);
    expect(checkbox).toMatchObject({
      optional: true,
      element: { type: 'checkboxes', action_id: ids.privateAction },
    });
    expect(checkbox?.element).not.toHaveProperty('initial_options');
    // `declare private` without a title opens the form with the box ticked.
    await h.slash('declare private', { triggerId: 'trigger-2' });
    await h.idle();
    const ticked = h.slack.lastCall('views.open')!.args.view as unknown;
    const tickedView = (typeof ticked === 'string' ? JSON.parse(ticked) : ticked) as typeof opened;
    expect(tickedView.blocks.find((b) => b.block_id === ids.privateBlock)?.element).toMatchObject({
      initial_options: [{ value: ids.privateValue }],
    });

    const submit = (isPrivate: boolean, title: string) =>
      h.interaction({
        type: 'view_submission',
        user: { id: 'UALICE', name: 'alice' },
        team: { id: 'T0001' },
        view: {
          id: 'V1',
          callback_id: ids.callbackId,
          private_metadata: opened.private_metadata,
          state: {
            values: {
              [ids.titleBlock]: { [ids.titleAction]: { type: 'plain_text_input', value: title } },
              [ids.severityBlock]: {
                [ids.severityAction]: { type: 'static_select', selected_option: { value: 'P2' } },
              },
              [ids.privateBlock]: {
                [ids.privateAction]: {
                  type: 'checkboxes',
                  selected_options: isPrivate ? [{ value: ids.privateValue }] : [],
                },
              },
            },
          },
        },
      });
    expect((await submit(true, TITLE)).status).toBe(200);
    await h.idle();
    const [secret] = await h.store.listIncidents('all', 1);
    expect(secret).toMatchObject({ title: TITLE, isPrivate: true, severity: 'P2' });
    expect(h.slack.channel(secret!.channelId!)).toMatchObject({ is_private: true });

    expect((await submit(false, 'Public one')).status).toBe(200);
    await h.idle();
    const [open] = await h.store.listIncidents('all', 1);
    expect(open).toMatchObject({ title: 'Public one', isPrivate: false });
    expect(h.slack.channel(open!.channelId!)).toMatchObject({ is_private: false });
    expect(h.slack.messages(ANNOUNCE).map((m) => m.text)).toEqual([
      PRIVATE_DECLARED,
      expect.stringContaining('Public one'),
    ]);
  });
});
