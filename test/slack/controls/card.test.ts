import { SlackEmulator } from '../../../src/emulator';
import { messageBlocksRejection } from '../../../src/emulator/validate';
import { IDS } from '../../../src/slack/ids';
import { Harness } from '../../support/harness';

const card = IDS.card;

/** An ISO 8601 time `minutes` ago (what a person may type in a time field). */
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Every element of a message's blocks (accessories and actions elements), by action_id. */
function controlsOf(blocks: unknown[] | undefined): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const block of (blocks ?? []) as Record<string, unknown>[]) {
    const elements = [block.accessory, ...((block.elements as unknown[]) ?? [])] as Record<string, unknown>[];
    for (const e of elements) if (e?.action_id) out.set(String(e.action_id), e);
  }
  return out;
}

describe('the incident card’s controls, over real HTTP', () => {
  let h: Harness;
  let ANNOUNCE = '';
  beforeEach(async () => {
    const slack = await SlackEmulator.start();
    ANNOUNCE = slack.createChannel('announcements', { botIsMember: true }).id;
    h = await Harness.start({ emulator: slack, env: { ANNOUNCE_CHANNEL: ANNOUNCE } });
  });
  afterEach(async () => {
    await h.stop();
    await h.slack.stop();
  });

  const joins = (user: string, channel: string) =>
    h.event({
      type: 'member_joined_channel',
      user,
      channel,
      channel_type: 'C',
      event_ts: `${Date.now() / 1000}`,
    });

  /** A declared incident, with Bob a member of its channel. */
  async function declared(text = 'P2 Checkout API 503') {
    const { incident, channel } = await h.declare(text);
    await joins('UBOB', channel);
    return { id: incident.id, channel };
  }

  /** The card's redraws since `since` (chat.update of the card). */
  const redraws = (channel: string, since: number) =>
    h.slack.callsTo('chat.update').filter((c) => c.args.channel === channel && c.at >= since).length;

  it('carries role menus, the severity menu and the buttons while open; reopen only once resolved', async () => {
    const { id } = await declared();
    const open = await h.card(id);
    expect(messageBlocksRejection(open.blocks)).toBeUndefined();
    const controls = controlsOf(open.blocks);
    expect([...controls.keys()].sort()).toEqual(
      [
        card.roleActions.ic,
        card.roleActions.tech,
        card.roleActions.comms,
        card.severityAction,
        card.statusAction,
        card.updateAction,
        card.actionItemAction,
        card.resolveAction,
        card.closeAction,
      ].sort(),
    );
    expect(controls.get(card.roleActions.ic)).toMatchObject({ type: 'users_select', initial_user: 'UALICE' });
    expect(controls.get(card.roleActions.tech)).not.toHaveProperty('initial_user');
    expect(controls.get(card.severityAction)).toMatchObject({
      type: 'static_select',
      initial_option: { value: 'P2' },
    });
    for (const button of [card.statusAction, card.updateAction, card.resolveAction, card.closeAction]) {
      expect(controls.get(button)).toMatchObject({ type: 'button', value: id });
    }

    await h.slash('resolve', { channel: (await h.store.getIncident(id))!.channelId! });
    await h.idle();
    const resolved = controlsOf((await h.card(id)).blocks);
    expect(resolved.has(card.reopenAction)).toBe(true);
    expect(resolved.has(card.statusAction)).toBe(false);
    expect(resolved.has(card.resolveAction)).toBe(false);
    expect(resolved.has(card.closeAction)).toBe(true);
  });

  describe('role menus', () => {
    it('hand a role to the person picked: roles, timeline, a notice, and the card shows them', async () => {
      const { id, channel } = await declared();
      const reply = await h.clickCard(id, card.roleActions.tech, { selectedUser: 'UBOB' });
      expect(reply.status).toBe(200);
      const terms = await h.store.roleTerms(id);
      expect(terms.filter((t) => t.to === null).map((t) => [t.role, t.userId])).toEqual([
        ['ic', 'UALICE'],
        ['tech', 'UBOB'],
      ]);
      const notice = h.slack
        .callsTo('chat.postMessage')
        .find((c) => c.args.channel === channel && /Technical Lead/.test(String(c.args.text)));
      expect(notice?.args.text).toContain('<@UBOB> is Technical Lead — set by <@UALICE>');
      expect(controlsOf((await h.card(id)).blocks).get(card.roleActions.tech)).toMatchObject({
        initial_user: 'UBOB',
      });
    });

    it('refuse someone outside the channel, and a bot; the person is told why and the card redrawn', async () => {
      const { id, channel } = await declared();
      const before = Date.now();
      await h.clickCard(id, card.roleActions.ic, { user: 'UERIN', selectedUser: 'UERIN' });
      const incident = (await h.store.getIncident(id))!;
      expect(h.ephemeralsFor('UERIN')).toEqual([
        `:no_entry: Only members of #${incident.channelName} may change ${id}. Join the channel first.`,
      ]);
      expect(redraws(channel, before)).toBeGreaterThan(0);

      await h.clickCard(id, card.roleActions.comms, { user: 'UALICE', selectedUser: h.slack.botUserId });
      expect(h.ephemeralsFor('UALICE').at(-1)).toMatch(/^:warning: .*(bot|Firewatch)/i);
      expect((await h.store.roleTerms(id)).filter((t) => t.to === null).map((t) => t.role)).toEqual(['ic']);
      // The menu shows the holder again (the redraw resets it to nobody for Communications Lead).
      expect(controlsOf((await h.card(id)).blocks).get(card.roleActions.comms)).not.toHaveProperty(
        'initial_user',
      );
    });
  });

  describe('severity menu', () => {
    it('changes the severity like `/incident severity`', async () => {
      const { id, channel } = await declared();
      await h.clickCard(id, card.severityAction, { user: 'UBOB', selectedOption: 'P1' });
      expect((await h.store.getIncident(id))!.severity).toBe('P1');
      expect(
        h.slack
          .callsTo('chat.postMessage')
          .some((c) => c.args.channel === channel && /Severity P2 → P1/.test(String(c.args.text))),
      ).toBe(true);
      expect(controlsOf((await h.card(id)).blocks).get(card.severityAction)).toMatchObject({
        initial_option: { value: 'P1' },
      });
    });

    it('refuses a member without a role lowering it, says who may, and redraws the card at P2', async () => {
      const { id, channel } = await declared();
      const before = Date.now();
      await h.clickCard(id, card.severityAction, { user: 'UBOB', selectedOption: 'P4' });
      expect((await h.store.getIncident(id))!.severity).toBe('P2');
      expect(h.ephemeralsFor('UBOB').at(-1)).toContain(
        `:no_entry: Only the incident's role holders or a Firewatch admin may lower the severity of ${id} (P2 → P4).`,
      );
      expect(redraws(channel, before)).toBeGreaterThan(0);
      expect(controlsOf((await h.card(id)).blocks).get(card.severityAction)).toMatchObject({
        initial_option: { value: 'P2' },
      });
    });
  });

  describe('Change status', () => {
    it('opens the status form; submitted, the status changes with the message posted and announced', async () => {
      const { id, channel } = await declared();
      await h.clickCard(id, card.statusAction, { user: 'UBOB' });
      const form = h.lastView();
      expect(form.view.callback_id).toBe(IDS.statusModal.callbackId);
      const reply = await h.submitLastView(
        {
          [IDS.statusModal.statusBlock]: 'identified',
          [IDS.statusModal.messageBlock]: 'Connection pool exhausted <!channel>',
        },
        'UBOB',
      );
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('');
      const incident = (await h.store.getIncident(id))!;
      expect(incident.status).toBe('identified');
      const posted = h.slack
        .callsTo('chat.postMessage')
        .filter((c) => /Status: identified/.test(String(c.args.text)));
      expect(posted.map((c) => c.args.channel).sort()).toEqual([channel, ANNOUNCE].sort());
      expect(String(posted[0]!.args.text)).toContain('&lt;!channel&gt;');
      expect(String(posted[0]!.args.text)).not.toContain('<!channel>');
      const logged = (await h.store.comms(id)).filter((c) => /identified/.test(c.summary));
      expect(logged.map((c) => c.audience).sort()).toEqual(['Responders', 'Stakeholders']);
    });

    it('shows a time it cannot read, a future time and a time before the impact next to the time field', async () => {
      const { id } = await declared();
      await h.clickCard(id, card.statusAction);
      const time = IDS.statusModal.timeBlock;
      const submit = (when: string) =>
        h.submitLastView({ [IDS.statusModal.statusBlock]: 'identified', [time]: when });

      const garbled = await submit('half past ten');
      expect(garbled.json).toMatchObject({ response_action: 'errors' });
      expect(garbled.json.errors[time]).toContain('is not a time I understand');

      const future = await submit(new Date(Date.now() + 3_600_000).toISOString());
      expect(future.json.errors[time]).toMatch(/is in the future/);

      const early = await submit(ago(60));
      expect(early.json.errors[time]).toMatch(/cannot be before the impact started/);
      // Plain text, as a form shows it: no mrkdwn code marks or entities.
      expect(early.json.errors[time]).not.toMatch(/`|&lt;|&gt;|&amp;/);
      expect((await h.store.getIncident(id))!.status).toBe('investigating');
    });

    it('backdates within the rules: after the impact start set earlier', async () => {
      const { id, channel } = await declared();
      await h.slash(`started ${ago(30)}`, { channel });
      await h.clickCard(id, card.statusAction);
      const at = ago(10);
      const reply = await h.submitLastView({
        [IDS.statusModal.statusBlock]: 'identified',
        [IDS.statusModal.timeBlock]: at,
      });
      expect(reply.body).toBe('');
      expect((await h.store.getIncident(id))!.identifiedAt).toBe(Date.parse(at));
    });

    it('refuses someone outside the channel at the click: no form, and they are told why', async () => {
      const { id } = await declared();
      const opened = h.slack.views().length;
      await h.clickCard(id, card.statusAction, { user: 'UERIN' });
      expect(h.slack.views()).toHaveLength(opened);
      expect(h.ephemeralsFor('UERIN').at(-1)).toMatch(/^:no_entry: Only members of #/);
    });

    it('refuses on submission when the incident was resolved meanwhile (a stale form)', async () => {
      const { id, channel } = await declared();
      await h.clickCard(id, card.statusAction);
      await h.slash('resolve', { channel });
      await h.idle();
      const reply = await h.submitLastView({ [IDS.statusModal.statusBlock]: 'monitoring' });
      expect(reply.json.errors[IDS.statusModal.statusBlock]).toContain('is resolved');
      expect((await h.store.getIncident(id))!.status).toBe('resolved');
    });
  });

  describe('Post an update', () => {
    it('posts the update in the channel and the announcement channel, on the communication log', async () => {
      const { id, channel } = await declared();
      await h.clickCard(id, card.updateAction, { user: 'UBOB' });
      expect(h.lastView().view.callback_id).toBe(IDS.updateModal.callbackId);
      const reply = await h.submitLastView(
        { [IDS.updateModal.messageBlock]: 'Failover done; watching errors' },
        'UBOB',
      );
      expect(reply.body).toBe('');
      const posts = h.slack
        .callsTo('chat.postMessage')
        .filter((c) => /Failover done/.test(String(c.args.text)));
      expect(posts.map((c) => c.args.channel).sort()).toEqual([channel, ANNOUNCE].sort());
      expect(
        (await h.store.timeline(id)).some((e) => e.kind === 'update' && /Failover done/.test(e.text)),
      ).toBe(true);
    });

    it('needs a message, and is refused for someone who left the channel', async () => {
      const { id, channel } = await declared();
      await h.clickCard(id, card.updateAction, { user: 'UBOB' });
      const empty = await h.submitLastView({ [IDS.updateModal.messageBlock]: '   ' }, 'UBOB');
      expect(empty.json.errors[IDS.updateModal.messageBlock]).toBe(
        'A status update needs a message: say where things stand, e.g. "Rolled back; error rate falling".',
      );
      await h.event({
        type: 'member_left_channel',
        user: 'UBOB',
        channel,
        channel_type: 'C',
        event_ts: `${Date.now() / 1000 + 1}`,
      });
      const refused = await h.submitLastView({ [IDS.updateModal.messageBlock]: 'still here?' }, 'UBOB');
      expect(refused.json.errors[IDS.updateModal.messageBlock]).toMatch(/^Only members of #/);
      expect((await h.store.timeline(id)).some((e) => e.kind === 'update')).toBe(false);
    });
  });

  describe('Add action item', () => {
    it('adds the item with its owner, due date and priority', async () => {
      const { id } = await declared();
      await h.clickCard(id, card.actionItemAction, { user: 'UBOB' });
      const ids = IDS.actionItemModal;
      const reply = await h.submitLastView(
        {
          [ids.textBlock]: 'Alert on pool saturation',
          [ids.ownerBlock]: 'UCAROL',
          [ids.dueBlock]: '2030-03-31',
          [ids.priorityBlock]: 'P1',
        },
        'UBOB',
      );
      expect(reply.body).toBe('');
      expect(await h.store.actions(id)).toEqual([
        expect.objectContaining({
          seq: 1,
          text: 'Alert on pool saturation',
          owner: 'UCAROL',
          due: '2030-03-31',
          priority: 'P1',
          createdBy: 'UBOB',
        }),
      ]);
    });

    it('defaults the priority like the command (P3), and refuses a stranger next to the text', async () => {
      const { id } = await declared();
      await h.clickCard(id, card.actionItemAction);
      await h.submitLastView({ [IDS.actionItemModal.textBlock]: 'Write the runbook' });
      expect((await h.store.actions(id))[0]).toMatchObject({ priority: 'P3', owner: null, due: null });

      await h.clickCard(id, card.actionItemAction);
      const refused = await h.submitLastView({ [IDS.actionItemModal.textBlock]: 'sneaky' }, 'UERIN');
      expect(refused.json.errors[IDS.actionItemModal.textBlock]).toMatch(/^Only members of #/);
      expect(await h.store.actions(id)).toHaveLength(1);
    });
  });

  describe('Resolve and Reopen', () => {
    it('resolve backdates like `/incident resolve at`, posts the fix; reopen brings it back', async () => {
      const { id, channel } = await declared();
      await h.slash(`started ${ago(40)}`, { channel });
      await h.clickCard(id, card.resolveAction);
      const at = ago(5);
      const reply = await h.submitLastView({
        [IDS.resolveModal.timeBlock]: at,
        [IDS.resolveModal.messageBlock]: 'Pool size raised',
      });
      expect(reply.body).toBe('');
      const resolved = (await h.store.getIncident(id))!;
      expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: Date.parse(at) });
      expect(
        h.slack
          .callsTo('chat.postMessage')
          .some((c) => /Resolved.*\n>Pool size raised/s.test(String(c.args.text))),
      ).toBe(true);

      await h.clickCard(id, card.reopenAction);
      expect((await h.store.getIncident(id))!.status).toBe('investigating');
    });

    it('shows a resolution before the impact started next to the time; reopen is for role holders', async () => {
      const { id, channel } = await declared();
      await h.clickCard(id, card.resolveAction);
      const early = await h.submitLastView({ [IDS.resolveModal.timeBlock]: ago(90) });
      expect(early.json.errors[IDS.resolveModal.timeBlock]).toMatch(
        /The resolution cannot be before the impact started/,
      );
      expect((await h.store.getIncident(id))!.status).toBe('investigating');

      await h.slash('resolve', { channel });
      await h.idle();
      await h.clickCard(id, card.reopenAction, { user: 'UBOB' });
      expect(h.ephemeralsFor('UBOB').at(-1)).toContain(`may reopen ${id}`);
      expect((await h.store.getIncident(id))!.status).toBe('resolved');
    });
  });

  it('tells the person to click again when Slack does not open the form (an expired trigger)', async () => {
    const { id } = await declared();
    h.slack.failNext('views.open', { error: 'expired_trigger_id' });
    await h.clickCard(id, card.updateAction);
    expect(h.ephemeralsFor('UALICE').at(-1)).toMatch(
      /The update form did not open .*expired_trigger_id.*click again/,
    );
  });

  it('opens each form on a trigger that is still fresh (the emulator refuses one older than 3 s)', async () => {
    const { id } = await declared();
    for (const action of [
      card.statusAction,
      card.updateAction,
      card.actionItemAction,
      card.resolveAction,
      card.closeAction,
    ]) {
      await h.clickCard(id, action);
      const open = h.slack.lastCall('views.open')!;
      expect(open.response).toMatchObject({ ok: true });
    }
  });
});
