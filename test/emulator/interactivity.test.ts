import { ErrorCode, WebClient } from '@slack/web-api';
import {
  blockActionsPayload,
  globalShortcutPayload,
  messageShortcutPayload,
  mintTrigger,
  type PayloadSource,
  SEEDED_CHANNELS,
  SEEDED_USERS,
  SlackEmulator,
  viewSubmissionPayload,
} from '../../src/emulator';
import { silentLogger } from '../support/silent-logger';

const ALICE = SEEDED_USERS[0]!.id;
const BOB = SEEDED_USERS[1]!.id;
const GENERAL = SEEDED_CHANNELS.general;

let emu: SlackEmulator;
let client: WebClient;
let source: PayloadSource;
beforeEach(async () => {
  emu = await SlackEmulator.start();
  client = new WebClient('xoxb-test', {
    slackApiUrl: emu.url,
    retryConfig: { retries: 0 },
    logger: silentLogger,
  });
  source = { state: emu.state, responseUrl: (t) => emu.responseUrl(t), defaultChannel: GENERAL };
});
afterEach(async () => {
  await emu.stop();
});

const plain = (text: string) => ({ type: 'plain_text', text });
const option = (value: string) => ({ text: plain(value), value });

/** A message with a button, a users_select and a static_select, as a bot would post it. */
const controls = [
  {
    type: 'section',
    block_id: 'who',
    text: { type: 'mrkdwn', text: '*Lead*' },
    accessory: { type: 'users_select', action_id: 'pick_lead', initial_user: ALICE },
  },
  {
    type: 'actions',
    block_id: 'row',
    elements: [
      { type: 'button', action_id: 'go', text: plain('Go'), value: 'INC-1', style: 'primary' },
      {
        type: 'static_select',
        action_id: 'level',
        options: ['P1', 'P2'].map(option),
        initial_option: option('P2'),
      },
    ],
  },
];

const form = {
  type: 'modal',
  callback_id: 'cb',
  private_metadata: '{"incident":"INC-1"}',
  title: plain('A form'),
  submit: plain('Send'),
  blocks: [
    {
      type: 'input',
      block_id: 'text',
      label: plain('Text'),
      element: { type: 'plain_text_input', action_id: 't', initial_value: 'start' },
    },
    {
      type: 'input',
      block_id: 'sev',
      label: plain('Severity'),
      element: {
        type: 'radio_buttons',
        action_id: 's',
        options: ['P1', 'P2'].map(option),
        initial_option: option('P2'),
      },
    },
    {
      type: 'input',
      block_id: 'owner',
      optional: true,
      label: plain('Owner'),
      element: { type: 'users_select', action_id: 'o' },
    },
    {
      type: 'input',
      block_id: 'due',
      optional: true,
      label: plain('Due'),
      element: { type: 'datepicker', action_id: 'd' },
    },
    {
      type: 'input',
      block_id: 'flags',
      optional: true,
      label: plain('Flags'),
      element: { type: 'checkboxes', action_id: 'f', options: [option('private')] },
    },
  ],
};

describe('block_actions payloads', () => {
  it('carry the element as it is on the message, who used it, a fresh trigger and a response_url', async () => {
    const posted = await client.chat.postMessage({
      channel: GENERAL,
      text: 'card',
      blocks: controls as never,
    });
    const message = emu.message(GENERAL, posted.ts!)!;
    const click = blockActionsPayload(source, { channel: GENERAL, message, actionId: 'go', user: BOB });
    expect(click).toMatchObject({
      type: 'block_actions',
      user: { id: BOB, username: 'bob' },
      team: { id: emu.teamId },
      container: { type: 'message', message_ts: posted.ts, channel_id: GENERAL },
      channel: { id: GENERAL, name: 'general' },
      actions: [{ type: 'button', action_id: 'go', block_id: 'row', value: 'INC-1', style: 'primary' }],
    });
    expect(emu.state.triggers.has(String(click.trigger_id))).toBe(true);

    const pick = blockActionsPayload(source, {
      channel: GENERAL,
      message,
      actionId: 'pick_lead',
      selectedUser: BOB,
    });
    expect(pick.actions).toEqual([
      expect.objectContaining({
        type: 'users_select',
        block_id: 'who',
        selected_user: BOB,
        initial_user: ALICE,
      }),
    ]);
    const level = blockActionsPayload(source, {
      channel: GENERAL,
      message,
      actionId: 'level',
      selectedOption: 'P1',
    });
    expect(level.actions).toEqual([
      expect.objectContaining({ selected_option: option('P1'), initial_option: option('P2') }),
    ]);

    // Its response_url answers the person, like Slack's.
    await fetch(String(click.response_url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'only you' }),
    });
    expect(emu.ephemerals(GENERAL)).toEqual([expect.objectContaining({ user: BOB, text: 'only you' })]);
  });

  it('cannot use a control the message does not have, or an option it does not offer', async () => {
    const posted = await client.chat.postMessage({
      channel: GENERAL,
      text: 'card',
      blocks: controls as never,
    });
    const message = emu.message(GENERAL, posted.ts!)!;
    expect(() => blockActionsPayload(source, { channel: GENERAL, message, actionId: 'nope' })).toThrow(
      /has no control nope/,
    );
    expect(() =>
      blockActionsPayload(source, { channel: GENERAL, message, actionId: 'level', selectedOption: 'P9' }),
    ).toThrow(/offers no option "P9"/);
  });
});

describe('view_submission payloads', () => {
  it('hold what was entered and, elsewhere, what each input started with', async () => {
    const opened = await client.views.open({ trigger_id: mintTrigger(emu.state), view: form as never });
    const record = emu.views().find((v) => v.id === opened.view!.id)!;
    const submitted = viewSubmissionPayload(source, record, {
      user: BOB,
      entries: { owner: ALICE, due: '2030-01-31', flags: ['private'] },
    });
    expect(submitted).toMatchObject({
      type: 'view_submission',
      user: { id: BOB },
      view: { id: record.id, callback_id: 'cb', private_metadata: '{"incident":"INC-1"}', hash: record.hash },
    });
    expect((submitted.view as { state: unknown }).state).toEqual({
      values: {
        text: { t: { type: 'plain_text_input', value: 'start' } },
        sev: { s: { type: 'radio_buttons', selected_option: option('P2') } },
        owner: { o: { type: 'users_select', selected_user: ALICE } },
        due: { d: { type: 'datepicker', selected_date: '2030-01-31' } },
        flags: { f: { type: 'checkboxes', selected_options: [option('private')] } },
      },
    });
    const cleared = viewSubmissionPayload(source, record, { entries: { text: null, sev: 'P1' } });
    expect((cleared.view as { state: { values: Record<string, unknown> } }).state.values).toMatchObject({
      text: { t: { value: null } },
      sev: { s: { selected_option: option('P1') } },
      owner: { o: { selected_user: null } },
      flags: { f: { selected_options: [] } },
    });
    expect(() => viewSubmissionPayload(source, record, { entries: { nowhere: 'x' } })).toThrow(
      /no input block nowhere/,
    );
  });
});

describe('shortcut payloads', () => {
  it('global and message shortcuts, shaped like Slack’s', () => {
    expect(globalShortcutPayload(source, { callbackId: 'declare', user: ALICE })).toMatchObject({
      type: 'shortcut',
      callback_id: 'declare',
      user: { id: ALICE },
      trigger_id: expect.stringMatching(/^\d+\.\d+\.[0-9a-f]+$/),
    });
    const message = emu.seedMessage(GENERAL, { user: BOB, text: 'db down' });
    expect(
      messageShortcutPayload(source, { callbackId: 'pin', channel: GENERAL, message, user: ALICE }),
    ).toMatchObject({
      type: 'message_action',
      callback_id: 'pin',
      channel: { id: GENERAL, name: 'general' },
      message_ts: message.ts,
      message: { ts: message.ts, user: BOB, text: 'db down' },
      response_url: expect.stringContaining('/commands/'),
    });
  });
});

describe('views.open and trigger_ids', () => {
  const refused = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      const e = error as { code?: string; data?: { error?: string } };
      if (e.code === ErrorCode.PlatformError) return e.data?.error;
      throw error;
    }
    throw new Error('expected a refusal');
  };

  it('takes a trigger the client handed out once, within 3 seconds', async () => {
    const trigger = mintTrigger(emu.state);
    await client.views.open({ trigger_id: trigger, view: form as never });
    expect(await refused(client.views.open({ trigger_id: trigger, view: form as never }))).toBe(
      'exchanged_trigger_id',
    );

    const late = mintTrigger(emu.state);
    emu.expireTriggers();
    expect(await refused(client.views.open({ trigger_id: late, view: form as never }))).toBe(
      'expired_trigger_id',
    );
    // One the emulator never handed out is taken as it comes.
    expect((await client.views.open({ trigger_id: '1.2.3', view: form as never })).ok).toBe(true);
  });

  it('refuses an option description over 75 characters and an initial value longer than max_length', async () => {
    const bad = {
      ...form,
      blocks: [
        {
          type: 'input',
          block_id: 'a',
          label: plain('A'),
          element: {
            type: 'radio_buttons',
            action_id: 'a',
            options: [{ ...option('x'), description: plain('d'.repeat(76)) }],
          },
        },
        {
          type: 'input',
          block_id: 'b',
          label: plain('B'),
          element: { type: 'plain_text_input', action_id: 'b', max_length: 5, initial_value: 'toolong' },
        },
      ],
    };
    expect(await refused(client.views.open({ trigger_id: '1.2.3', view: bad as never }))).toBe(
      'invalid_arguments',
    );
    const call = emu.lastCall('views.open')!;
    expect(JSON.stringify(call.response)).toContain('/view/blocks/0/element/options/0/description/text');
    expect(JSON.stringify(call.response)).toContain('/view/blocks/1/element/initial_value');
  });
});
