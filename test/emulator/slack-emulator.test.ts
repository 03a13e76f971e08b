import { ErrorCode, type WebAPICallResult, WebClient, type WebClientOptions } from '@slack/web-api';
import {
  appHomeOpenedEvent,
  renderMessageAsText,
  SEEDED_CHANNELS,
  SEEDED_USERS,
  SlackEmulator,
} from '../../src/emulator';
import { silentLogger } from '../support/silent-logger';

const ALICE = SEEDED_USERS[0]?.id ?? '';
const BOB = SEEDED_USERS[1]?.id ?? '';
const GENERAL = SEEDED_CHANNELS.general;

let emu: SlackEmulator;
let client: WebClient;

function clientFor(token: string, opts: WebClientOptions = {}): WebClient {
  return new WebClient(token, {
    slackApiUrl: emu.url,
    retryConfig: { retries: 0 },
    logger: silentLogger,
    ...opts,
  });
}

/** Awaits a call that Slack should refuse and returns the ok:false body. */
async function refusal(
  call: Promise<unknown>,
): Promise<WebAPICallResult & { error: string; errors?: string[] }> {
  try {
    await call;
  } catch (error) {
    const err = error as { code?: string; data?: WebAPICallResult & { error: string } };
    if (err.code === ErrorCode.PlatformError && err.data) return err.data;
    throw error;
  }
  throw new Error('expected the call to be refused');
}

/** Awaits a call expected to throw and returns the error. */
async function thrown(call: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await call;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the call to throw');
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

beforeEach(async () => {
  emu = await SlackEmulator.start();
  client = clientFor('xoxb-test-token');
});

afterEach(async () => {
  await emu.stop();
});

describe('authentication', () => {
  it('answers not_authed without a token and invalid_auth for a token that is not xoxb/xoxp', async () => {
    const anonymous = await fetch(`${emu.url}auth.test`, { method: 'POST' });
    const bad = await refusal(clientFor('nope').auth.test());

    expect(await anonymous.json()).toEqual({ ok: false, error: 'not_authed' });
    expect(bad.error).toBe('invalid_auth');
  });

  it('identifies the bot on auth.test', async () => {
    const result = await client.auth.test();

    expect(result).toMatchObject({
      ok: true,
      user_id: emu.botUserId,
      bot_id: emu.botId,
      team_id: emu.teamId,
    });
  });

  it('answers unknown_method for methods it does not know', async () => {
    const result = await refusal(client.apiCall('chat.doesNotExist'));

    expect(result.error).toBe('unknown_method');
  });
});

describe('conversations.create', () => {
  it.each([
    ['uppercase letters', 'Incident-1', 'invalid_name_specials'],
    ['spaces', 'big outage', 'invalid_name_specials'],
    ['81 characters', 'a'.repeat(81), 'invalid_name_maxlength'],
    ['an empty name', '', 'invalid_name_required'],
  ])('refuses %s', async (_label, name, error) => {
    const result = await refusal(client.conversations.create({ name }));

    expect(result.error).toBe(error);
    expect(emu.channelByName(name)).toBeUndefined();
  });

  it('accepts an 80-character name and makes the creator a member', async () => {
    const name = `inc-2025-001-${'x'.repeat(67)}`;

    const result = await client.conversations.create({ name });

    expect(result.channel).toMatchObject({ name, is_member: true, is_private: false, is_channel: true });
    expect(result.channel?.id).toMatch(/^C0/);
    expect(emu.channel(result.channel?.id ?? '')?.members).toEqual([emu.botUserId]);
  });

  it('refuses a taken name with name_taken', async () => {
    await client.conversations.create({ name: 'inc-2025-001-db' });

    const result = await refusal(client.conversations.create({ name: 'inc-2025-001-db' }));

    expect(result.error).toBe('name_taken');
  });
});

describe('conversations.invite and join', () => {
  it('invites a user, posts a channel_join, and refuses a second invite with already_in_channel', async () => {
    const { channel } = await client.conversations.create({ name: 'inc-invite' });
    const id = channel?.id ?? '';

    await client.conversations.invite({ channel: id, users: ALICE });
    const again = await refusal(client.conversations.invite({ channel: id, users: ALICE }));

    expect(emu.channel(id)?.members).toContain(ALICE);
    expect(emu.messages(id).map((m) => [m.subtype, m.user])).toEqual([
      ['channel_join', emu.botUserId],
      ['channel_join', ALICE],
    ]);
    expect(again.error).toBe('already_in_channel');
  });

  it('refuses unknown users and inviting oneself', async () => {
    const { channel } = await client.conversations.create({ name: 'inc-invite-2' });

    const unknown = await refusal(
      client.conversations.invite({ channel: channel?.id ?? '', users: 'U0NOBODY1' }),
    );
    const self = await refusal(
      client.conversations.invite({ channel: channel?.id ?? '', users: emu.botUserId }),
    );

    expect(unknown.error).toBe('user_not_found');
    expect(self.error).toBe('cant_invite_self');
  });

  it('joins a public channel and warns when already a member', async () => {
    const first = await client.conversations.join({ channel: GENERAL });
    const second = await client.conversations.join({ channel: GENERAL });

    expect(first.warning).toBeUndefined();
    expect(second.warning).toBe('already_in_channel');
    expect(emu.channel(GENERAL)?.members).toContain(emu.botUserId);
  });
});

describe('chat.postMessage validation', () => {
  it('refuses 51 blocks with invalid_blocks and explains why', async () => {
    const blocks = Array.from({ length: 51 }, (_, i) => section(`block ${i}`));

    const result = await refusal(client.chat.postMessage({ channel: GENERAL, text: 'x', blocks }));

    expect(result.error).toBe('invalid_blocks');
    expect(result.response_metadata?.messages).toContain(
      '[ERROR] no more than 50 items allowed [json-pointer:/blocks]',
    );
  });

  it('accepts a 3,000-character section but refuses 3,001', async () => {
    await client.chat.postMessage({ channel: GENERAL, text: 'ok', blocks: [section('a'.repeat(3000))] });

    const result = await refusal(
      client.chat.postMessage({ channel: GENERAL, text: 'too long', blocks: [section('a'.repeat(3001))] }),
    );

    expect(result.error).toBe('invalid_blocks');
    expect(result.errors).toEqual(['must be less than 3001 characters [json-pointer:/blocks/0/text/text]']);
    expect(emu.messages(GENERAL)).toHaveLength(1);
  });

  it('refuses a 151-character header', async () => {
    const header = { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } };

    const result = await refusal(client.chat.postMessage({ channel: GENERAL, text: 'x', blocks: [header] }));

    expect(result.error).toBe('invalid_blocks');
    expect(result.errors?.[0]).toContain('/blocks/0/text/text');
  });

  it('refuses more than 10 section fields', async () => {
    const fields = Array.from({ length: 11 }, (_, i) => ({ type: 'mrkdwn' as const, text: `f${i}` }));

    const result = await refusal(
      client.chat.postMessage({ channel: GENERAL, text: 'x', blocks: [{ type: 'section', fields }] }),
    );

    expect(result.error).toBe('invalid_blocks');
  });

  it('refuses blocks holding too much text in total with msg_blocks_too_long', async () => {
    const blocks = Array.from({ length: 5 }, () => section('b'.repeat(2900)));

    const result = await refusal(client.chat.postMessage({ channel: GENERAL, text: 'x', blocks }));

    expect(result.error).toBe('msg_blocks_too_long');
  });

  it('refuses an unknown channel with channel_not_found', async () => {
    const result = await refusal(client.chat.postMessage({ channel: 'C0NOSUCH1', text: 'hello' }));

    expect(result.error).toBe('channel_not_found');
  });

  it('refuses a message with neither text nor blocks with no_text', async () => {
    const result = await refusal(client.chat.postMessage({ channel: GENERAL, text: '' }));

    expect(result.error).toBe('no_text');
  });

  it('truncates text beyond 40,000 characters with a message_truncated warning', async () => {
    const result = await client.chat.postMessage({ channel: GENERAL, text: 't'.repeat(40_010) });

    expect(result.message?.text).toHaveLength(40_000);
    expect(result.response_metadata?.warnings).toEqual(['message_truncated']);
  });
});

describe('recording', () => {
  it('records decoded arguments (blocks parsed from the JSON string) and the response', async () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'INC-2025-001' } },
      section('*Severity* P1'),
    ];

    const result = await client.chat.postMessage({ channel: GENERAL, text: 'fallback', blocks });
    const call = emu.lastCall('chat.postMessage');

    expect(call?.args).toEqual({ channel: GENERAL, text: 'fallback', blocks });
    expect(call?.token).toBe('xoxb-test-token');
    expect(call?.response).toMatchObject({ ok: true, ts: result.ts, channel: GENERAL });
    expect(emu.message(GENERAL, result.ts ?? '')).toMatchObject({
      user: emu.botUserId,
      bot_id: emu.botId,
      text: 'fallback',
      blocks,
    });
  });

  it('decodes form, JSON and multipart bodies alike', async () => {
    const blocks = [section('hi')];
    const form = new URLSearchParams({
      token: 'xoxb-form',
      channel: GENERAL,
      blocks: JSON.stringify(blocks),
    });
    const multipart = new FormData();
    multipart.append('channel', GENERAL);
    multipart.append('blocks', JSON.stringify(blocks));
    multipart.append('file', new Blob([Buffer.from('abc')]), 'a.txt');
    const headers = { authorization: 'Bearer xoxb-json', 'content-type': 'application/json' };

    await fetch(`${emu.url}chat.postMessage`, { method: 'POST', body: form });
    await fetch(`${emu.url}chat.postMessage`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ channel: GENERAL, blocks }),
    });
    await fetch(`${emu.url}api.test`, { method: 'POST', body: multipart });
    const [fromForm, fromJson] = emu.callsTo('chat.postMessage');
    const fromMultipart = emu.lastCall('api.test');

    expect(fromForm?.args).toEqual({ channel: GENERAL, blocks });
    expect(fromForm?.token).toBe('xoxb-form');
    expect(fromJson?.args).toEqual({ channel: GENERAL, blocks });
    expect(fromJson?.token).toBe('xoxb-json');
    expect(fromMultipart?.args).toMatchObject({
      channel: GENERAL,
      blocks,
      file: { filename: 'a.txt', size: 3 },
    });
  });

  it('waitFor resolves on a later call and rejects with the methods called so far', async () => {
    const waiting = emu.waitFor('chat.postMessage');
    await client.auth.test();
    await client.chat.postMessage({ channel: GENERAL, text: 'later' });

    const call = await waiting;
    const timeout = await thrown(emu.waitFor('pins.add', { timeoutMs: 50 }));

    expect(call.args.text).toBe('later');
    expect(String(timeout.message)).toMatch(/pins\.add.*auth\.test ×1, chat\.postMessage ×1/);
  });
});

describe('conversations.history and replies', () => {
  async function seedFive(): Promise<{ channel: string; ts: string[] }> {
    const channel = emu.createChannel('history-test', { botIsMember: true }).id;
    const ts = [1, 2, 3, 4, 5].map((n) => emu.seedMessage(channel, { user: ALICE, text: `m${n}` }).ts);
    return { channel, ts };
  }

  it('pages newest first with next_cursor until has_more is false', async () => {
    const { channel, ts } = await seedFive();

    const first = await client.conversations.history({ channel, limit: 2 });
    const second = await client.conversations.history({
      channel,
      limit: 2,
      cursor: first.response_metadata?.next_cursor,
    });
    const third = await client.conversations.history({
      channel,
      limit: 2,
      cursor: second.response_metadata?.next_cursor,
    });

    expect(first.messages?.map((m) => m.text)).toEqual(['m5', 'm4']);
    expect(first.has_more).toBe(true);
    expect(second.messages?.map((m) => m.text)).toEqual(['m3', 'm2']);
    expect(third.messages?.map((m) => m.ts)).toEqual([ts[0]]);
    expect(third.has_more).toBe(false);
    expect(third.response_metadata?.next_cursor).toBeUndefined();
  });

  it('keeps ts strictly increasing', async () => {
    const { ts } = await seedFive();

    expect([...ts].sort()).toEqual(ts);
    expect(new Set(ts).size).toBe(5);
  });

  it('honours latest with inclusive and limit=1', async () => {
    const { channel, ts } = await seedFive();

    const inclusive = await client.conversations.history({
      channel,
      latest: ts[2],
      inclusive: true,
      limit: 1,
    });
    const exclusive = await client.conversations.history({ channel, latest: ts[2], limit: 1 });
    const oldest = await client.conversations.history({ channel, oldest: ts[3] });

    expect(inclusive.messages?.map((m) => m.text)).toEqual(['m3']);
    expect(inclusive.has_more).toBe(true);
    expect(exclusive.messages?.map((m) => m.text)).toEqual(['m2']);
    expect(oldest.messages?.map((m) => m.text)).toEqual(['m5']);
  });

  it('shows reactions with users and count', async () => {
    const { channel, ts } = await seedFive();
    emu.addReaction(channel, ts[0] ?? '', 'pushpin', ALICE);
    emu.addReaction(channel, ts[0] ?? '', 'pushpin', BOB);

    await client.reactions.add({ channel, timestamp: ts[0] ?? '', name: 'eyes' });
    const again = await refusal(client.reactions.add({ channel, timestamp: ts[0] ?? '', name: 'eyes' }));
    const history = await client.conversations.history({
      channel,
      oldest: ts[0],
      inclusive: true,
      latest: ts[0],
    });

    expect(history.messages?.[0]?.reactions).toEqual([
      { name: 'pushpin', users: [ALICE, BOB], count: 2 },
      { name: 'eyes', users: [emu.botUserId], count: 1 },
    ]);
    expect(again.error).toBe('already_reacted');
  });

  it('keeps replies out of history and returns the thread from conversations.replies', async () => {
    const channel = emu.createChannel('thread-test', { botIsMember: true }).id;
    const parent = emu.seedMessage(channel, { user: ALICE, text: 'db is down' });
    emu.seedMessage(channel, { user: BOB, text: 'looking', thread_ts: parent.ts });
    emu.seedMessage(channel, { user: ALICE, text: 'thanks', thread_ts: parent.ts });
    await client.chat.postMessage({ channel, thread_ts: parent.ts, text: 'noted' });

    const history = await client.conversations.history({ channel });
    const replies = await client.conversations.replies({ channel, ts: parent.ts });
    const paged = await client.conversations.replies({ channel, ts: parent.ts, limit: 2 });
    const rest = await client.conversations.replies({
      channel,
      ts: parent.ts,
      cursor: paged.response_metadata?.next_cursor,
    });

    expect(history.messages).toHaveLength(1);
    expect(history.messages?.[0]).toMatchObject({ ts: parent.ts, thread_ts: parent.ts, reply_count: 3 });
    expect(history.messages?.[0]?.reply_users).toEqual([BOB, ALICE, emu.botUserId]);
    expect(replies.messages?.map((m) => m.text)).toEqual(['db is down', 'looking', 'thanks', 'noted']);
    expect(replies.messages?.[3]).toMatchObject({ thread_ts: parent.ts, bot_id: emu.botId });
    expect(paged.messages?.map((m) => m.text)).toEqual(['db is down', 'looking']);
    expect(paged.has_more).toBe(true);
    expect(rest.messages?.map((m) => m.text)).toEqual(['thanks', 'noted']);
  });

  it('answers thread_not_found for an unknown thread ts', async () => {
    const result = await refusal(client.conversations.replies({ channel: GENERAL, ts: '1700000000.000001' }));

    expect(result.error).toBe('thread_not_found');
  });

  it('reflects edits and deletions played into the channel', async () => {
    const { channel, ts } = await seedFive();

    emu.editMessage(channel, ts[4] ?? '', 'm5 (edited)');
    emu.deleteMessage(channel, ts[3] ?? '');
    const history = await client.conversations.history({ channel, limit: 2 });

    expect(history.messages?.map((m) => m.text)).toEqual(['m5 (edited)', 'm3']);
    expect(history.messages?.[0]?.edited?.user).toBe(ALICE);
  });
});

describe('chat.update and chat.delete', () => {
  it('edits and deletes the bot’s own messages and answers message_not_found otherwise', async () => {
    const posted = await client.chat.postMessage({ channel: GENERAL, text: 'v1' });

    const updated = await client.chat.update({ channel: GENERAL, ts: posted.ts ?? '', text: 'v2' });
    const missing = await refusal(client.chat.update({ channel: GENERAL, ts: '1.000001', text: 'x' }));
    await client.chat.delete({ channel: GENERAL, ts: posted.ts ?? '' });

    expect(updated.message?.text).toBe('v2');
    expect(missing.error).toBe('message_not_found');
    expect(emu.message(GENERAL, posted.ts ?? '')).toBeUndefined();
  });

  it('refuses to update someone else’s message', async () => {
    const human = emu.seedMessage(GENERAL, { user: ALICE, text: 'mine' });

    const result = await refusal(client.chat.update({ channel: GENERAL, ts: human.ts, text: 'hijack' }));

    expect(result.error).toBe('cant_update_message');
  });
});

describe('pins', () => {
  it('pins a message once, then refuses already_pinned and message_not_found', async () => {
    const posted = await client.chat.postMessage({ channel: GENERAL, text: 'incident card' });

    await client.pins.add({ channel: GENERAL, timestamp: posted.ts ?? '' });
    const twice = await refusal(client.pins.add({ channel: GENERAL, timestamp: posted.ts ?? '' }));
    const missing = await refusal(client.pins.add({ channel: GENERAL, timestamp: '1700000000.000009' }));

    expect(emu.pinned(GENERAL).map((m) => m.text)).toEqual(['incident card']);
    expect(emu.message(GENERAL, posted.ts ?? '')?.pinned_to).toEqual([GENERAL]);
    expect(twice.error).toBe('already_pinned');
    expect(missing.error).toBe('message_not_found');
  });
});

describe('chat.postEphemeral', () => {
  it('records ephemerals separately from channel messages', async () => {
    const result = await client.chat.postEphemeral({
      channel: GENERAL,
      user: ALICE,
      text: 'only you can see this',
    });

    expect(result.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(emu.ephemerals(GENERAL)).toEqual([
      expect.objectContaining({ user: ALICE, text: 'only you can see this', ts: result.message_ts }),
    ]);
    expect(emu.messages(GENERAL)).toHaveLength(0);
  });

  it('refuses a user who is not in the channel', async () => {
    const channel = emu.createChannel('private-ops', { members: [BOB], botIsMember: true }).id;

    const result = await refusal(client.chat.postEphemeral({ channel, user: ALICE, text: 'hi' }));

    expect(result.error).toBe('user_not_in_channel');
  });
});

describe('users.info', () => {
  it('returns seeded and added users and refuses unknown ones', async () => {
    emu.addUser('U0ERIN0001', 'erin', { realName: 'Erin Example' });

    const alice = await client.users.info({ user: ALICE });
    const erin = await client.users.info({ user: 'U0ERIN0001' });
    const nobody = await refusal(client.users.info({ user: 'U0NOBODY1' }));

    expect(alice.user).toMatchObject({ id: ALICE, name: SEEDED_USERS[0]?.name, is_bot: false });
    expect(erin.user?.profile?.real_name).toBe('Erin Example');
    expect(nobody.error).toBe('user_not_found');
  });

  it('says whether a user is deactivated or a bot, the bot itself included', async () => {
    emu.addUser('U0CIBOT001', 'ci', { isBot: true });
    emu.addUser('U0GONE0001', 'gone');
    emu.deactivateUser('U0GONE0001');

    expect((await client.users.info({ user: 'U0CIBOT001' })).user).toMatchObject({
      is_bot: true,
      deleted: false,
    });
    expect((await client.users.info({ user: 'U0GONE0001' })).user).toMatchObject({
      is_bot: false,
      deleted: true,
    });
    expect((await client.users.info({ user: emu.botUserId })).user).toMatchObject({ is_bot: true });
    expect(() => emu.deactivateUser('U0NOBODY1')).toThrow('No user U0NOBODY1');
  });
});

describe('views', () => {
  const modal = (blocks: unknown[]) => ({
    type: 'modal' as const,
    title: { type: 'plain_text' as const, text: 'Declare incident' },
    blocks: blocks as never[],
  });

  it('opens a modal and updates it by view_id with the current hash', async () => {
    const opened = await client.views.open({ trigger_id: '123.456.abc', view: modal([section('hello')]) });

    const updated = await client.views.update({
      view_id: opened.view?.id ?? '',
      hash: opened.view?.hash,
      view: modal([section('updated')]),
    });
    const stale = await refusal(
      client.views.update({
        view_id: opened.view?.id ?? '',
        hash: opened.view?.hash,
        view: modal([section('again')]),
      }),
    );

    expect(opened.view?.id).toMatch(/^V/);
    expect(updated.view?.blocks).toEqual([section('updated')]);
    expect(stale.error).toBe('hash_conflict');
  });

  it('refuses a missing trigger_id and more than 100 blocks', async () => {
    const noTrigger = await refusal(client.views.open({ trigger_id: '', view: modal([section('x')]) }));
    const tooMany = await refusal(
      client.views.open({
        trigger_id: '1.2.3',
        view: modal(Array.from({ length: 101 }, () => ({ type: 'divider' }))),
      }),
    );

    expect(noTrigger.error).toBe('invalid_arguments');
    expect(tooMany.error).toBe('invalid_arguments');
    expect(tooMany.response_metadata?.messages).toContain(
      '[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]',
    );
  });
});

describe('views.publish (the App Home)', () => {
  const home = (blocks: unknown[]) => ({ type: 'home' as const, blocks: blocks as never[] });

  it('publishes a Home per user, replacing the previous one under the same view id', async () => {
    expect(emu.homeView(ALICE)).toBeUndefined();
    const first = await client.views.publish({ user_id: ALICE, view: home([section('first')]) });
    const second = await client.views.publish({ user_id: ALICE, view: home([section('second')]) });
    await client.views.publish({ user_id: BOB, view: home([section('bob')]) });

    expect(second.view?.id).toBe(first.view?.id);
    expect(second.view?.hash).not.toBe(first.view?.hash);
    expect(emu.homeView(ALICE)).toEqual(home([section('second')]));
    expect(emu.homeView(BOB)?.blocks).toEqual([section('bob')]);
    expect(emu.views().filter((v) => v.view.type === 'home')).toHaveLength(2);
  });

  it('refuses an unknown user, a view that is not a home, and more than 100 blocks', async () => {
    const unknown = await refusal(client.views.publish({ user_id: 'U0NOBODY1', view: home([]) }));
    const modal = await refusal(
      client.views.publish({
        user_id: ALICE,
        view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } as never,
      }),
    );
    const tooMany = await refusal(
      client.views.publish({
        user_id: ALICE,
        view: home(Array.from({ length: 101 }, () => ({ type: 'divider' }))),
      }),
    );
    const longSection = await refusal(
      client.views.publish({ user_id: ALICE, view: home([section('x'.repeat(3001))]) }),
    );

    expect(unknown.error).toBe('user_not_found');
    expect(modal.error).toBe('invalid_arguments');
    expect(tooMany.error).toBe('invalid_arguments');
    expect(tooMany.response_metadata?.messages).toContain(
      '[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]',
    );
    expect(longSection.error).toBe('invalid_arguments');
    expect(emu.homeView(ALICE)).toBeUndefined();
  });

  it('describes an app_home_opened event with the DM channel and the Home last published', async () => {
    const before = appHomeOpenedEvent(emu.state, ALICE);
    await client.views.publish({ user_id: ALICE, view: home([section('mine')]) });
    const after = appHomeOpenedEvent(emu.state, ALICE, 'messages');

    expect(before).toMatchObject({ type: 'app_home_opened', user: ALICE, tab: 'home' });
    expect(before.view).toBeUndefined();
    expect(String(before.channel)).toMatch(/^D/);
    expect(after).toMatchObject({ tab: 'messages', channel: before.channel, view: { type: 'home' } });
    expect((after.view as { blocks: unknown[] }).blocks).toEqual([section('mine')]);
  });
});

describe('external file upload', () => {
  it('runs the 3-step flow and shares the file in the channel', async () => {
    const content = '# INC-2025-001 postmortem\n';

    await client.filesUploadV2({
      channel_id: GENERAL,
      file: Buffer.from(content),
      filename: 'INC-2025-001.md',
      title: 'Postmortem',
      initial_comment: 'Postmortem attached',
    });
    const step1 = emu.lastCall('files.getUploadURLExternal');
    const fileId = String(step1?.response?.file_id);
    const shared = emu.messages(GENERAL).at(-1);
    const download = await fetch(shared?.files?.[0]?.url_private ?? '');

    expect(emu.calls.map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'file_upload',
      'files.completeUploadExternal',
    ]);
    expect(String(step1?.response?.upload_url).startsWith(emu.url.replace('/api/', '/'))).toBe(true);
    expect(emu.uploadedFile(fileId)?.bytes?.toString()).toBe(content);
    expect(shared).toMatchObject({ subtype: 'file_share', text: 'Postmortem attached', user: emu.botUserId });
    expect(shared?.files?.[0]).toMatchObject({ id: fileId, title: 'Postmortem', name: 'INC-2025-001.md' });
    expect(await download.text()).toBe(content);
  });

  it('answers the raw upload POST with "OK - <length>" and refuses completing a file never uploaded', async () => {
    const first = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 5 });
    const second = await client.files.getUploadURLExternal({ filename: 'b.txt', length: 5 });

    const upload = await fetch(first.upload_url ?? '', { method: 'POST', body: 'hello' });
    const notUploaded = await refusal(
      client.files.completeUploadExternal({ files: [{ id: second.file_id ?? '' }], channel_id: GENERAL }),
    );

    expect(upload.status).toBe(200);
    expect(await upload.text()).toBe('OK - 5');
    expect(emu.uploadedFile(first.file_id ?? '')?.bytes?.toString()).toBe('hello');
    expect(notUploaded.error).toBe('file_not_found');
  });
});

describe('failure injection', () => {
  it('failNext with an error answers ok:false once, then behaves normally', async () => {
    emu.failNext('chat.postMessage', { error: 'internal_error' });

    const failed = await refusal(client.chat.postMessage({ channel: GENERAL, text: 'first' }));
    const next = await client.chat.postMessage({ channel: GENERAL, text: 'second' });

    expect(failed.error).toBe('internal_error');
    expect(next.ok).toBe(true);
    expect(emu.messages(GENERAL).map((m) => m.text)).toEqual(['second']);
  });

  it('answers HTTP 500 and 503 as configured', async () => {
    emu.failNext('conversations.create', { status: 500 });
    emu.failNext('conversations.create', { status: 503 });

    const first = await thrown(client.conversations.create({ name: 'a-500' }));
    const second = await thrown(client.conversations.create({ name: 'a-503' }));

    expect(first).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });
    expect(second).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503 });
    expect(emu.callsTo('conversations.create').map((c) => c.status)).toEqual([500, 503]);
  });

  it('answers 429 with a Retry-After header', async () => {
    emu.failNext('chat.postMessage', { status: 429, retryAfter: 7 }, 2);

    const raw = await fetch(`${emu.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-x' },
      body: new URLSearchParams({ channel: GENERAL, text: 'hi' }),
    });
    const viaClient = await thrown(
      clientFor('xoxb-x', { rejectRateLimitedCalls: true }).chat.postMessage({
        channel: GENERAL,
        text: 'hi',
      }),
    );

    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('7');
    expect(await raw.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect(viaClient).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
  });

  it('drops the connection for a network failure', async () => {
    emu.failNext('auth.test', { network: true });

    const error = await thrown(client.auth.test());
    const after = await client.auth.test();

    expect(error.code).toBe(ErrorCode.RequestError);
    expect(emu.callsTo('auth.test').map((c) => c.status)).toEqual([0, 200]);
    expect(after.ok).toBe(true);
  });

  it('failAlways keeps failing until clearFailures', async () => {
    emu.failAlways('users.info', { error: 'fatal_error' });

    const first = await refusal(client.users.info({ user: ALICE }));
    const second = await refusal(client.users.info({ user: ALICE }));
    emu.clearFailures();
    const third = await client.users.info({ user: ALICE });

    expect([first.error, second.error]).toEqual(['fatal_error', 'fatal_error']);
    expect(third.ok).toBe(true);
  });

  it('setLatency delays answers', async () => {
    emu.setLatency(120);
    const started = Date.now();

    await client.auth.test();

    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });
});

describe('response_url', () => {
  it('captures posts like Slack and applies in_channel and ephemeral answers', async () => {
    const url = emu.responseUrl({ channel: GENERAL, user: ALICE });
    const post = (body: object) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    const ephemeral = await post({ text: 'Usage: /incident declare <title>' });
    await post({ response_type: 'in_channel', text: 'Declared INC-2025-001' });
    const captured = await emu.waitForResponse(url);

    expect(ephemeral.status).toBe(200);
    expect(await ephemeral.json()).toEqual({ ok: true });
    expect(captured.body).toEqual({ text: 'Usage: /incident declare <title>' });
    expect(emu.responsesFor(url).map((r) => r.body.response_type)).toEqual([undefined, 'in_channel']);
    expect(emu.ephemerals(GENERAL).map((e) => [e.user, e.text])).toEqual([
      [ALICE, 'Usage: /incident declare <title>'],
    ]);
    expect(emu.messages(GENERAL).map((m) => [m.user, m.text])).toEqual([
      [emu.botUserId, 'Declared INC-2025-001'],
    ]);
  });
});

describe('response_url refusals', () => {
  it('answers an empty payload with HTTP 400 and no_text, so Bolt respond() throws', async () => {
    const url = emu.responseUrl({ channel: GENERAL, user: ALICE });

    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '' }),
    });

    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ ok: false, error: 'no_text' });
    expect(emu.responsesFor(url)[0]?.status).toBe(400);
    expect(emu.ephemerals()).toHaveLength(0);
  });
});

describe('renderMessageAsText', () => {
  it('renders Block Kit as readable lines', () => {
    const text = renderMessageAsText(
      {
        text: 'fallback',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'INC-2025-001: Checkout errors' } },
          {
            type: 'section',
            text: { type: 'mrkdwn', text: '*Status:* investigating, IC <@U1|alice>' },
            fields: [
              { type: 'mrkdwn', text: '*Severity*\nP1' },
              { type: 'mrkdwn', text: '*Channel*\n<#C1|inc-2025-001>' },
            ],
          },
          { type: 'divider' },
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'Declared 10:02 UTC' }] },
          {
            type: 'actions',
            elements: [
              { type: 'button', text: { type: 'plain_text', text: 'Resolve' }, action_id: 'resolve' },
              { type: 'button', text: { type: 'plain_text', text: 'Update' }, action_id: 'update' },
            ],
          },
        ],
      },
      { userName: () => 'ignored' },
    );

    expect(text.split('\n')).toEqual([
      '== INC-2025-001: Checkout errors ==',
      'Status: investigating, IC @alice',
      'Severity P1',
      'Channel #inc-2025-001',
      '----------',
      'Declared 10:02 UTC',
      '[Resolve] [Update]',
    ]);
  });

  it('renders plain text with mentions resolved through the emulator', () => {
    const message = emu.seedMessage(GENERAL, { user: ALICE, text: 'paging <@U0BOB00001> &amp; <!here>' });

    expect(emu.renderMessage(message)).toBe('paging @bob & @here');
  });
});

describe('workspace behaviour', () => {
  it('with requireMembership, refuses posting where the bot is not a member until it joins', async () => {
    const strict = await SlackEmulator.start({ requireMembership: true });
    const strictClient = new WebClient('xoxb-strict', {
      slackApiUrl: strict.url,
      retryConfig: { retries: 0 },
      logger: silentLogger,
    });

    try {
      const refused = await refusal(strictClient.chat.postMessage({ channel: GENERAL, text: 'hello' }));
      await strictClient.conversations.join({ channel: GENERAL });
      const posted = await strictClient.chat.postMessage({ channel: GENERAL, text: 'hello' });

      expect(refused.error).toBe('not_in_channel');
      expect(posted.ok).toBe(true);
    } finally {
      await strict.stop();
    }
  });

  it('acts as the named user for xoxp-<USERID> tokens', async () => {
    const alice = clientFor(`xoxp-${ALICE}-1`);

    const posted = await alice.chat.postMessage({ channel: GENERAL, text: 'posted by alice' });

    expect(emu.message(GENERAL, posted.ts ?? '')).toMatchObject({ user: ALICE, text: 'posted by alice' });
    expect(emu.message(GENERAL, posted.ts ?? '')?.bot_id).toBeUndefined();
  });

  it('posts to a user id through a direct-message conversation', async () => {
    const posted = await client.chat.postMessage({ channel: ALICE, text: 'Action item assigned to you' });

    expect(posted.channel).toMatch(/^D/);
    expect(emu.messages(posted.channel ?? '').map((m) => m.text)).toEqual(['Action item assigned to you']);
  });

  it('turns a deleted thread parent with replies into a tombstone', async () => {
    const parent = emu.seedMessage(GENERAL, { user: ALICE, text: 'parent' });
    emu.seedMessage(GENERAL, { user: BOB, text: 'reply', thread_ts: parent.ts });

    emu.deleteMessage(GENERAL, parent.ts);
    const history = await client.conversations.history({ channel: GENERAL });

    expect(history.messages?.[0]).toMatchObject({ ts: parent.ts, subtype: 'tombstone', reply_count: 1 });
  });

  it('writes a readable transcript with thread replies indented', async () => {
    const parent = emu.seedMessage(GENERAL, {
      user: ALICE,
      text: 'checkout is failing',
      ts: '1700000000.000100',
    });
    emu.seedMessage(GENERAL, { user: BOB, text: 'on it', thread_ts: parent.ts, ts: '1700000060.000100' });

    const transcript = emu.transcript(GENERAL);

    expect(transcript).toBe('[22:13:20] alice: checkout is failing\n    ↳ [22:14:20] bob: on it');
  });

  it('captures posts to response_urls it did not mint', async () => {
    const url = `${emu.url.replace('/api/', '')}/commands/handmade`;

    const answer = await fetch(url, { method: 'POST', body: JSON.stringify({ text: 'hi' }) });

    expect(await answer.json()).toEqual({ ok: true });
    expect(emu.responsesFor(url).map((r) => r.body)).toEqual([{ text: 'hi' }]);
  });
});
