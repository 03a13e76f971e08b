import { SlackEmulator } from '../../../src/emulator';
import { Harness } from '../../support/harness';

const year = new Date().getUTCFullYear();

/** Every mrkdwn text of a message (fallback text and block texts): what Slack parses for mentions. */
function mrkdwnTexts(args: { text?: unknown; blocks?: unknown }): string[] {
  const out: string[] = [String(args.text ?? '')];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      if (obj.type === 'mrkdwn') out.push(String(obj.text));
      for (const value of Object.values(obj)) walk(value);
    }
  };
  walk(args.blocks ?? []);
  return out;
}

/** Text of every block and the fallback of a recorded message, for assertions. */
const textOf = (args: { text?: unknown; blocks?: unknown }): string =>
  JSON.stringify([args.text, args.blocks ?? []]);

describe('/incident lifecycle over real HTTP', () => {
  let h: Harness;
  let ANNOUNCE = '';
  beforeEach(async () => {
    const slack = await SlackEmulator.start();
    ANNOUNCE = slack.createChannel('announcements', { botIsMember: true }).id;
    // UALICE runs the whole lifecycle, also after handing her role on: as a Firewatch admin (who
    // may do what is tested in permissions.test.ts).
    h = await Harness.start({
      emulator: slack,
      env: { ANNOUNCE_CHANNEL: ANNOUNCE, FIREWATCH_ADMINS: 'UALICE' },
    });
  });
  afterEach(async () => {
    await h.stop();
    await h.slack.stop();
  });

  it('declare creates the channel, invites the declarer, posts and pins the card, announces it', async () => {
    const { reply, incident, channel } = await h.declare('P1 Database connection pool exhausted');

    expect(reply.status).toBe(200);
    expect(reply.json.response_type).toBe('ephemeral');
    expect(incident.id).toBe(`INC-${year}-001`);
    expect(incident.severity).toBe('P1');
    expect(incident.status).toBe('investigating');

    const create = h.slack.lastCall('conversations.create')!;
    expect(create.args.name).toBe(`inc-${year}-001-database-connection-pool-exhausted`);
    expect(h.slack.lastCall('conversations.invite')!.args).toMatchObject({ channel, users: 'UALICE' });

    const card = h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === channel)!;
    expect(textOf(card.args)).toContain(`INC-${year}-001`);
    expect(textOf(card.args)).toContain('Incident Commander');
    expect(textOf(card.args)).toContain('<@UALICE>');
    expect(h.slack.pinned(channel)).toHaveLength(1);
    expect(incident.cardTs ?? (await h.store.getIncident(incident.id))!.cardTs).toBeTruthy();

    const inChannel = h.slack
      .responsesFor(reply.responseUrl)
      .find((r) => r.body.response_type === 'in_channel');
    expect(inChannel?.body.text).toContain(`INC-${year}-001`);
    const announced = h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === ANNOUNCE);
    expect(announced?.args.text).toContain('Database connection pool exhausted');

    const terms = await h.store.roleTerms(incident.id);
    expect(terms).toEqual([expect.objectContaining({ role: 'ic', userId: 'UALICE', to: null })]);
    const timeline = await h.store.timeline(incident.id);
    expect(timeline.map((e) => e.kind)).toEqual(['declared', 'role']);
  });

  it('defaults to P3 and numbers incidents per year', async () => {
    await h.declare('First thing');
    const second = await h.declare('Second thing');
    expect(second.incident.id).toBe(`INC-${year}-002`);
    expect(second.incident.severity).toBe('P3');
  });

  it('adds a suffix when the channel name is taken', async () => {
    h.slack.createChannel(`inc-${year}-001-database-down`);
    const { incident } = await h.declare('P1 Database down');
    expect(incident.channelName).toBe(`inc-${year}-001-database-down-2`);
    const names = h.slack.callsTo('conversations.create').map((c) => c.args.name);
    expect(names).toEqual([`inc-${year}-001-database-down`, `inc-${year}-001-database-down-2`]);
  });

  it('leaves no half-made incident when Slack refuses the channel', async () => {
    h.slack.failNext('conversations.create', { error: 'missing_scope' });
    const reply = await h.slash('declare P2 Payments failing');
    await h.idle();
    expect(reply.status).toBe(200);
    expect(await h.store.listIncidents('all', 10)).toHaveLength(0);
    const told = h.slack
      .responsesFor(reply.responseUrl)
      .map((r) => r.body.text)
      .join('\n');
    expect(told).toContain('missing_scope');
    expect(told).toContain('nothing was declared');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
    // The number is not burned: the next declaration still gets 001.
    const { incident } = await h.declare('P2 Payments failing');
    expect(incident.id).toBe(`INC-${year}-001`);
  });

  it('escapes user text so a title cannot ping the channel', async () => {
    const { channel } = await h.declare('P2 <!channel> & <b>everyone</b>');
    const posts = h.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === channel || c.args.channel === ANNOUNCE);
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) {
      const texts = mrkdwnTexts(post.args).join('\n');
      expect(texts).not.toContain('<!channel>');
      expect(texts).toContain('&lt;!channel&gt; &amp; &lt;b&gt;');
    }
  });

  it('escapes user text in every notice it echoes: update, status, resolve, detected, action', async () => {
    const { channel } = await h.declare('P2 Quiet title');
    const evil = '<!channel> & <!here> <b>';
    for (const text of [
      `update ${evil}`,
      `status identified ${evil}`,
      `detected 00:00 by ${evil}`,
      `action ${evil}`,
      `resolve ${evil}`,
    ]) {
      const reply = await h.slash(text, { channel });
      expect(reply.json.text).not.toContain('<!channel>');
      await h.idle();
    }
    const posts = h.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === channel || c.args.channel === ANNOUNCE);
    const echoed = posts.filter((p) => mrkdwnTexts(p.args).join('\n').includes('&lt;!channel&gt;'));
    expect(echoed.length).toBeGreaterThanOrEqual(5);
    for (const post of posts) {
      const texts = mrkdwnTexts(post.args).join('\n');
      expect(texts).not.toContain('<!channel>');
      expect(texts).not.toContain('<!here>');
    }
  });

  it('a card refresh never leaves an older state on the card, however fast changes come', async () => {
    const { channel, incident } = await h.declare('P3 Flapping');
    h.slack.setLatency(50);
    await Promise.all([h.slash('sev P1', { channel }), h.slash('tech <@UBOB>', { channel })]);
    await h.slash('sev P2', { channel });
    await h.idle();
    h.slack.setLatency(0);
    const last = h.slack
      .callsTo('chat.update')
      .filter((c) => c.args.channel === channel)
      .at(-1)!;
    expect(String(last.args.text)).toContain('(P2,');
    expect(JSON.stringify(last.args.blocks)).toContain('<@UBOB>');
    expect((await h.store.getIncident(incident.id))!.severity).toBe('P2');
  });

  it('runs roles, severity, status, update, started, detected, resolve, close and reopen', async () => {
    const { incident, channel } = await h.declare('P2 Checkout API 503');
    const run = async (text: string, user = 'UALICE') => {
      const reply = await h.slash(text, { channel, user });
      await h.idle();
      expect(reply.status).toBe(200);
      return reply.json;
    };

    expect((await run('tech <@UBOB|bob>')).text).toContain('Technical Lead');
    expect((await run('comms <@UCAROL>')).text).toContain('Communications Lead');
    expect((await run('role ic <@UDAVE|dave>')).text).toContain('Incident Commander');
    const terms = await h.store.roleTerms(incident.id);
    const ic = terms.filter((t) => t.role === 'ic');
    expect(ic).toHaveLength(2);
    expect(ic[0]).toMatchObject({ userId: 'UALICE' });
    expect(ic[0]!.to).not.toBeNull();
    expect(ic[1]).toMatchObject({ userId: 'UDAVE', to: null, assignedBy: 'UALICE' });

    expect((await run('sev P1')).text).toContain('P1');
    expect((await run('status identified Pool exhausted')).text).toContain('identified');
    expect((await run('update Restarting the app servers')).text).toContain('posted');
    expect((await run('status monitoring')).text).toContain('monitoring');
    expect((await run('started 00:00')).text).toContain('Impact started');
    expect((await run('detected 00:00 by Datadog monitor')).text).toContain('Datadog');
    expect((await run('resolve Pool resized')).text).toContain('resolved');

    let stored = (await h.store.getIncident(incident.id))!;
    expect(stored).toMatchObject({ severity: 'P1', status: 'resolved', detectedBy: 'Datadog monitor' });
    expect(stored.identifiedAt).not.toBeNull();
    expect(stored.mitigatedAt).not.toBeNull();
    expect(stored.resolvedAt).not.toBeNull();

    expect((await run('close')).text).toContain('closed');
    stored = (await h.store.getIncident(incident.id))!;
    expect(stored.status).toBe('closed');
    expect(stored.closedAt).not.toBeNull();

    expect((await run('reopen')).text).toContain('open again');
    stored = (await h.store.getIncident(incident.id))!;
    // The earlier resolution stays on record until the incident is worked on again.
    expect(stored).toMatchObject({ status: 'investigating', closedAt: null });
    expect(stored.resolvedAt).not.toBeNull();

    const kinds = (await h.store.timeline(incident.id)).map((e) => e.kind);
    for (const kind of [
      'declared',
      'role',
      'severity',
      'status',
      'update',
      'started',
      'detected',
      'resolved',
      'closed',
      'reopened',
    ]) {
      expect(kinds).toContain(kind);
    }
    // Every state change refreshed the pinned card.
    const updates = h.slack.callsTo('chat.update').filter((c) => c.args.channel === channel);
    expect(updates.length).toBeGreaterThanOrEqual(5);
    expect(textOf(updates.at(-1)!.args)).toContain('investigating');
    // Updates and status changes went to the channel and to ANNOUNCE_CHANNEL and into the communication log.
    const announced = h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === ANNOUNCE);
    expect(announced.some((c) => String(c.args.text).includes('Restarting the app servers'))).toBe(true);
    const comms = await h.store.comms(incident.id);
    expect(
      comms.some((c) => c.summary.includes('Restarting the app servers') && c.audience === 'Stakeholders'),
    ).toBe(true);
    expect(
      comms.some((c) => c.summary.includes('Restarting the app servers') && c.audience === 'Responders'),
    ).toBe(true);
  });

  it('list shows open incidents then closed ones; show gives the state', async () => {
    const a = await h.declare('P1 Alpha outage');
    const b = await h.declare('P4 Beta glitch');
    await h.slash('close', { channel: b.channel });
    await h.idle();

    const list = (await h.slash('list')).json;
    const listText = JSON.stringify(list.blocks);
    expect(listText.indexOf(a.incident.id)).toBeLessThan(listText.indexOf(b.incident.id));
    expect(listText.indexOf('Recently')).toBeLessThan(listText.indexOf(b.incident.id));
    expect(listText.indexOf('Recently')).toBeGreaterThan(listText.indexOf(a.incident.id));

    const show = (await h.slash('show', { channel: a.channel })).json;
    expect(show.response_type).toBe('ephemeral');
    const showText = JSON.stringify(show.blocks);
    for (const part of ['P1', 'investigating', 'Incident Commander', '<@UALICE>', 'timeline entries']) {
      expect(showText).toContain(part);
    }
  });

  describe('errors are ephemeral and say what was expected', () => {
    const cases: [string, string, boolean][] = [
      ['frobnicate', 'frobnicate', false],
      ['frobnicate', 'declare', false],
      ['severity P9', 'P1', true],
      ['ic', 'mention', true],
      ['status identified at 25:99', 'HH:MM', true],
      ['update', 'message', true],
    ];
    it.each(cases)('/incident %s', async (text, expected, inIncident) => {
      const channel = inIncident ? (await h.declare('P3 Something')).channel : 'CGENERAL';
      const before = await h.store.timeline((await h.store.listIncidents('all', 1))[0]?.id ?? 'none');
      const reply = await h.slash(text, { channel });
      expect(reply.status).toBe(200);
      expect(reply.json.response_type).toBe('ephemeral');
      expect(reply.json.text).toContain(expected);
      const after = await h.store.timeline((await h.store.listIncidents('all', 1))[0]?.id ?? 'none');
      expect(after).toHaveLength(before.length);
    });

    it('declare without a title and without a trigger id asks for the title', async () => {
      const reply = await h.slash('declare', { triggerId: '' });
      expect(reply.json.response_type).toBe('ephemeral');
      expect(reply.json.text).toContain('/incident declare [P1-P4] &lt;title&gt;');
      expect(await h.store.listIncidents('all', 10)).toHaveLength(0);
    });

    it('an incident command outside an incident channel', async () => {
      const reply = await h.slash('severity P1', { channel: 'CGENERAL' });
      expect(reply.json.response_type).toBe('ephemeral');
      expect(reply.json.text).toContain('incident channel');
    });

    it('resolving a closed incident', async () => {
      const { channel } = await h.declare('P2 Done already');
      await h.slash('close', { channel });
      await h.idle();
      const reply = await h.slash('resolve', { channel });
      expect(reply.json.response_type).toBe('ephemeral');
      expect(reply.json.text).toContain('closed');
      expect(reply.json.text).toContain('reopen');
    });
  });

  it('declare without a title opens the declare modal, and submitting it declares', async () => {
    const reply = await h.slash('declare', { triggerId: 'trigger-1' });
    expect(reply.status).toBe(200);
    await h.idle();
    const open = h.slack.lastCall('views.open')!;
    expect(open.args.trigger_id).toBe('trigger-1');
    const view = open.args.view;
    const submit = await h.interaction({
      type: 'view_submission',
      team: { id: 'T0001' },
      user: { id: 'UALICE', name: 'alice' },
      api_app_id: 'A0001',
      token: 'legacy',
      trigger_id: 'trigger-2',
      view: {
        ...(view as object),
        id: 'V1',
        state: {
          values: {
            declare_title: { title: { type: 'plain_text_input', value: 'Search is slow' } },
            declare_severity: { severity: { type: 'static_select', selected_option: { value: 'P2' } } },
          },
        },
      },
    });
    expect(submit.status).toBe(200);
    await h.idle();
    const [incident] = await h.store.listIncidents('all', 1);
    expect(incident).toMatchObject({ title: 'Search is slow', severity: 'P2' });
    expect(incident!.channelName).toBe(`inc-${year}-001-search-is-slow`);
  });

  it('acknowledges before any Slack Web API work is done', async () => {
    h.slack.setLatency(400);
    const reply = await h.slash('declare P1 Slow Slack');
    // The reply is back while the channel is still being created.
    expect(reply.status).toBe(200);
    expect(await h.store.listIncidents('all', 10)).toHaveLength(0);
    await h.idle();
    h.slack.setLatency(0);
    expect(await h.store.listIncidents('all', 10)).toHaveLength(1);
  });
});
