/**
 * The boundary over real HTTP: malformed payloads, requests nothing listens to, bodies that are not
 * objects and timestamps from the future all get a clean, fast answer, and the bot stays up.
 */
import { interactionBody } from '../../../src/emulator';
import { Harness } from '../../support/harness';

const base = Math.floor(Date.now() / 1000) - 3600;
const tsAt = (n: number) => `${base + n}.000100`;

/** Answers must come well within Slack's 3 s. */
const FAST_MS = 1000;

describe('the HTTP boundary', () => {
  let h: Harness;
  let channel: string;
  let incidentId: string;
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    h = await Harness.start();
    ({
      channel,
      incident: { id: incidentId },
    } = await h.declare('P2 Boundary test'));
  });
  afterAll(() => h.stop());
  beforeEach(() => {
    warn = jest.spyOn(h.firewatch.app.logger, 'warn');
  });
  afterEach(() => warn.mockRestore());

  /** The lines logged as warnings since the test began. */
  const warnings = () => warn.mock.calls.map((args) => args.map(String).join(' '));

  const message = (extra: Record<string, unknown>) => ({
    type: 'message',
    channel,
    user: 'UBOB',
    text: 'hello',
    ts: tsAt(1),
    event_ts: tsAt(1),
    channel_type: 'channel',
    ...extra,
  });
  const reaction = (extra: Record<string, unknown>) => ({
    type: 'reaction_added',
    user: 'UBOB',
    reaction: 'pushpin',
    item: { type: 'message', channel, ts: tsAt(1) },
    event_ts: tsAt(2),
    ...extra,
  });

  it('stores a well-formed message without a warning (the schemas accept what Slack sends)', async () => {
    const reply = await h.event(
      message({ ts: tsAt(5), event_ts: tsAt(5), text: 'fine', files: [{ name: 'a.txt', title: 'a' }] }),
    );
    expect(reply.status).toBe(200);
    expect(await h.store.getMessage(channel, tsAt(5))).toMatchObject({ text: 'fine' });
    expect(warnings()).toEqual([]);
  });

  const malformedEvents: [string, () => Record<string, unknown>, RegExp][] = [
    [
      'message ts "abc"',
      () => message({ ts: 'abc' }),
      /message event: event\.ts: expected a Slack timestamp/,
    ],
    ['message ts a number', () => message({ ts: 1718000000.0001 }), /message event: event\.ts/],
    ['message event_ts "abc"', () => message({ event_ts: 'abc' }), /message event: event\.event_ts/],
    ['message user an object', () => message({ user: { id: 'UBOB' } }), /message event: event\.user/],
    ['message text an object', () => message({ text: { a: 1 } }), /message event: event\.text/],
    ['message files "x"', () => message({ files: 'x' }), /message event: event\.files/],
    ['message files [null]', () => message({ files: [null] }), /message event: event\.files\.0/],
    [
      'message_changed with a message that is a string',
      () => message({ subtype: 'message_changed', message: 'x' }),
      /message event: event\.message/,
    ],
    [
      'reaction item null',
      () => reaction({ item: null }),
      /event payload: event\.item|reaction_added event: event\.item/,
    ],
    [
      'reaction item without type',
      () => reaction({ item: { channel } }),
      /reaction_added event: event\.item\.type/,
    ],
    ['reaction user missing', () => reaction({ user: undefined }), /reaction_added event: event\.user/],
    [
      'reaction_removed event_ts "abc"',
      () => reaction({ type: 'reaction_removed', event_ts: 'abc' }),
      /reaction_removed event: event\.event_ts/,
    ],
    [
      'member_joined_channel user a number',
      () => ({ type: 'member_joined_channel', user: 42, channel }),
      /event payload: event\.user|member_joined_channel event: event\.user/,
    ],
    [
      'member_left_channel channel an object',
      () => ({ type: 'member_left_channel', user: 'UBOB', channel: {} }),
      /member_left_channel event: event\.channel/,
    ],
  ];

  it.each(malformedEvents)('%s: 200, one warning, nothing stored', async (_name, build, reason) => {
    const before = await h.store.messages(incidentId);
    const reply = await h.event(build());
    expect(reply.status).toBe(200);
    expect(reply.ms).toBeLessThan(FAST_MS);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(/^Ignored a malformed Slack request: /);
    expect(warnings()[0]).toMatch(reason);
    expect(await h.store.messages(incidentId)).toEqual(before);
  });

  it.each([
    ['event: null', { event: null }],
    ['event: "x"', { event: 'x' }],
    ['event without a type', { event: { channel: 'C1' } }],
    ['an unhandled event whose user is null', { event: { type: 'app_mention', user: null, text: null } }],
    ['an unhandled event whose subteam is null', { event: { type: 'subteam_created', subteam: null } }],
  ])('an envelope with %s: 200 and one warning', async (_name, fields) => {
    const body = JSON.stringify({ type: 'event_callback', event_id: 'EvBAD', team_id: 'T1', ...fields });
    const reply = await h.signedPost(body, 'application/json');
    expect(reply.status).toBe(200);
    expect(warnings()).toEqual([
      expect.stringMatching(/^Ignored a malformed Slack request: event payload: event/),
    ]);
  });

  it('a declare form with no view.state, or a title that is not text: 200 (closed), one warning, nothing declared', async () => {
    const before = (await h.store.listIncidents('all', 50)).length;
    const submit = (view: Record<string, unknown>) =>
      h.interaction({
        type: 'view_submission',
        team: { id: 'T1' },
        user: { id: 'UALICE' },
        view: { id: 'V1', callback_id: 'firewatch_declare', private_metadata: '{}', ...view },
      });
    const noState = await submit({});
    expect(noState.status).toBe(200);
    expect(noState.body).toBe('');
    const badTitle = await submit({
      state: { values: { declare_title: { title: { type: 'plain_text_input', value: 42 } } } },
    });
    expect(badTitle.status).toBe(200);
    expect(warnings()).toEqual([
      expect.stringMatching(/^Ignored a malformed declare form submission: view\.state/),
      expect.stringMatching(
        /^Ignored a malformed declare form submission: view\.state\.values\.declare_title\.title\.value/,
      ),
    ]);
    await h.idle();
    expect((await h.store.listIncidents('all', 50)).length).toBe(before);
  });

  it('an interaction without a user: 200 and one warning (Bolt would answer 500)', async () => {
    const reply = await h.interaction({ type: 'block_actions', actions: [{ action_id: 'x' }] });
    expect(reply.status).toBe(200);
    expect(warnings()).toEqual([expect.stringMatching(/action payload: user/)]);
  });

  const unknownRequests: [string, () => Promise<{ status: number; body: string; ms: number }>, string][] = [
    [
      'an unknown action_id',
      () =>
        h.interaction({
          type: 'block_actions',
          user: { id: 'UALICE' },
          team: { id: 'T1' },
          actions: [{ action_id: 'nobody_listens', block_id: 'b', type: 'button', value: 'v' }],
          trigger_id: 't',
        }),
      '',
    ],
    [
      'an unknown view callback_id',
      () =>
        h.interaction({
          type: 'view_submission',
          user: { id: 'UALICE' },
          team: { id: 'T1' },
          view: { id: 'V2', callback_id: 'somebody_else', state: { values: {} } },
        }),
      '',
    ],
    [
      'view_closed',
      () =>
        h.interaction({
          type: 'view_closed',
          user: { id: 'UALICE' },
          team: { id: 'T1' },
          view: { id: 'V3', callback_id: 'firewatch_declare' },
          is_cleared: false,
        }),
      '',
    ],
    [
      'a global shortcut',
      () =>
        h.interaction({
          type: 'shortcut',
          callback_id: 'sc',
          user: { id: 'UALICE' },
          team: { id: 'T1' },
          trigger_id: 't',
        }),
      '',
    ],
    [
      'a message shortcut',
      () =>
        h.interaction({
          type: 'message_action',
          callback_id: 'mc',
          user: { id: 'UALICE' },
          team: { id: 'T1' },
          channel: { id: 'CGENERAL' },
          message: { ts: tsAt(1), text: 'x' },
          trigger_id: 't',
        }),
      '',
    ],
    [
      'a block_suggestion',
      () =>
        h.interaction({
          type: 'block_suggestion',
          action_id: 'picker',
          block_id: 'b',
          value: 'ab',
          user: { id: 'UALICE' },
          team: { id: 'T1' },
        }),
      '{"options":[]}',
    ],
    [
      'a slash command other than /incident',
      () => h.client.slashCommand({ command: '/other', text: 'x' }),
      '',
    ],
  ];

  it.each(unknownRequests)('%s is acknowledged at once', async (_name, send, body) => {
    const reply = await send();
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(body);
    expect(reply.ms).toBeLessThan(FAST_MS);
    expect(warnings()).toEqual([]);
  });

  it.each([
    ['JSON null', 'null', 'application/json'],
    ['a JSON number', '5', 'application/json'],
    ['a JSON string', '"x"', 'application/json'],
    ['a JSON array', '[]', 'application/json'],
    ['form payload=null', 'payload=null', 'application/x-www-form-urlencoded'],
    ['form payload=[1]', interactionBody([1] as never), 'application/x-www-form-urlencoded'],
  ])(
    'a signed body that is %s: 200 and one warning, and the bot keeps answering',
    async (_name, body, type) => {
      const reply = await h.signedPost(body, type);
      expect(reply.status).toBe(200);
      expect(reply.ms).toBeLessThan(FAST_MS);
      expect(warnings()).toEqual([
        expect.stringMatching(/^Ignored a malformed Slack request: the body is .*not a JSON object/),
      ]);
      const health = await fetch(`${h.baseUrl}/healthz`);
      expect(health.status).toBe(200);
      expect((await h.slash('help')).status).toBe(200);
    },
  );

  it('an empty signed object is acknowledged with one warning (Bolt would answer 404 after 3 s)', async () => {
    const reply = await h.signedPost('{}', 'application/json');
    expect(reply.status).toBe(200);
    expect(reply.ms).toBeLessThan(FAST_MS);
    expect(warnings()).toEqual([expect.stringMatching(/unknown payload type null/)]);
  });

  it('an unsigned JSON null is refused (401), not answered as Slack', async () => {
    const reply = await h.client.post('null', 'application/json', { badSignature: true });
    expect(reply.status).toBe(401);
  });

  it('a signed body that is not JSON gets 400', async () => {
    const reply = await h.signedPost('{not json', 'application/json');
    expect(reply.status).toBe(400);
  });

  it.each([
    ['ten minutes ahead', 10 * 60],
    ['a year ahead', 365 * 24 * 3600],
    ['ten minutes behind', -10 * 60],
  ])('a request stamped %s is refused with 401 and one warning', async (_name, offset) => {
    const body = new URLSearchParams({ command: '/incident', text: 'help', user_id: 'UALICE' }).toString();
    const reply = await h.signedPost(
      body,
      'application/x-www-form-urlencoded',
      {},
      Math.floor(Date.now() / 1000) + offset,
    );
    expect(reply.status).toBe(401);
    expect(warnings().filter((w) => /stamped more than 5 minutes from now/.test(w))).toHaveLength(1);
  });

  it('a request stamped four minutes ahead (clock skew within Slack’s rule) is accepted', async () => {
    const reply = await h.client.slashCommand(
      { text: 'help', user_id: 'UALICE', channel_id: 'CGENERAL' },
      { timestamp: Math.floor(Date.now() / 1000) + 4 * 60 },
    );
    expect(reply.status).toBe(200);
  });
});
