import { Harness } from '../../support/harness';

/** A Slack event_ts `n` seconds after a fixed instant, so joins and leaves have an order. */
const at = (n: number) => `${1_780_000_000 + n}.000100`;

describe('who may do what, over real HTTP', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start({ env: { FIREWATCH_ADMINS: 'UADMIN, UOTHERADMIN' } });
    h.slack.addUser('UADMIN', 'admin');
  });
  afterEach(async () => {
    await h.stop();
  });

  const joins = (user: string, channel: string, n: number) =>
    h.event({ type: 'member_joined_channel', user, channel, channel_type: 'C', event_ts: at(n) });
  const leaves = (user: string, channel: string, n: number) =>
    h.event({ type: 'member_left_channel', user, channel, channel_type: 'C', event_ts: at(n) });

  /** Runs a command in `channel` as `user`; the text of the answer. */
  const run = async (channel: string, user: string, text: string) => {
    const reply = await h.slash(text, { channel, user });
    await h.idle();
    expect(reply.status).toBe(200);
    return String(reply.json.text);
  };

  it('refuses a stranger severity P4, the Incident Commander role and close, and says who may', async () => {
    const { incident, channel } = await h.declare('P2 Checkout API 503');
    const refusal = `:no_entry: Only members of #${incident.channelName} may change ${incident.id}. Join the channel first.`;
    expect(await run(channel, 'UERIN', 'severity P4')).toBe(refusal);
    expect(await run(channel, 'UERIN', 'ic <@UERIN>')).toBe(refusal);
    expect(await run(channel, 'UERIN', 'close')).toBe(refusal);
    expect(await run(channel, 'UERIN', 'note I was here')).toBe(refusal);

    const stored = (await h.store.getIncident(incident.id))!;
    expect(stored).toMatchObject({ severity: 'P2', status: 'investigating', closedAt: null });
    expect((await h.store.roleTerms(incident.id)).map((t) => [t.role, t.userId, t.to])).toEqual([
      ['ic', 'UALICE', null],
    ]);
    expect(h.slack.callsTo('chat.postMessage').some((c) => String(c.args.text).includes('UERIN'))).toBe(
      false,
    );
    // Reading a public incident stays open to everyone.
    expect((await h.slash('show', { channel, user: 'UERIN' })).json.blocks).toBeDefined();
    expect((await h.slash('actions', { channel, user: 'UERIN' })).json.text).not.toContain(':no_entry:');
  });

  it('lets channel members run the everyday commands, but not close, lower the severity or take a role', async () => {
    const { incident, channel } = await h.declare('P2 Checkout API 503');
    await joins('UBOB', channel, 1);

    expect(await run(channel, 'UBOB', 'note restarted the pool')).toContain('Noted');
    expect(await run(channel, 'UBOB', 'severity P1')).toContain('Severity is now P1');
    expect(await run(channel, 'UBOB', 'status identified pool exhausted')).toContain('identified');
    expect(await run(channel, 'UBOB', 'set summary The pool ran dry')).not.toContain(':no_entry:');

    const holders = 'Role holders now: <@UALICE> (Incident Commander).';
    for (const [text, what] of [
      ['severity P3', 'lower the severity of INC-'],
      ['close', 'close INC-'],
      ['ic <@UBOB>', 'take the Incident Commander role from <@UALICE>'],
    ] as const) {
      const refusal = await run(channel, 'UBOB', text);
      expect(refusal).toMatch(/^:no_entry: Only the incident's role holders or a Firewatch admin may /);
      expect(refusal).toContain(what);
      expect(refusal).toContain(holders);
      expect(refusal).toContain('FIREWATCH_ADMINS');
    }
    const stored = (await h.store.getIncident(incident.id))!;
    expect(stored).toMatchObject({ severity: 'P1', status: 'identified' });

    // A free role may be filled by a member; as its holder they may then do the restricted things.
    expect(await run(channel, 'UBOB', 'tech <@UBOB>')).toContain('Technical Lead');
    expect(await run(channel, 'UBOB', 'severity P3')).toContain('Severity is now P3');
    expect(await run(channel, 'UBOB', 'close')).toContain('is closed');
    expect((await h.store.getIncident(incident.id))!.status).toBe('closed');
    expect(await run(channel, 'UALICE', 'reopen')).toContain('open again');
  });

  it('lets admins do everything, without being in the channel', async () => {
    const { incident, channel } = await h.declare('P2 Checkout API 503');
    expect(await run(channel, 'UADMIN', 'severity P4')).toContain('Severity is now P4');
    expect(await run(channel, 'UADMIN', 'ic <@UADMIN>')).toContain('Incident Commander');
    expect(await run(channel, 'UADMIN', 'close')).toContain('is closed');
    expect((await h.store.getIncident(incident.id))!).toMatchObject({ severity: 'P4', status: 'closed' });
    // The declarer, no longer holding a role and never seen joining, may no longer reopen it.
    expect(await run(channel, 'UALICE', 'reopen')).toMatch(/^:no_entry: Only members of #/);
  });

  it('stops treating someone as a member once they left the channel, and a stale leave changes nothing', async () => {
    const { channel } = await h.declare('P2 Checkout API 503');
    await joins('UCAROL', channel, 10);
    expect(await run(channel, 'UCAROL', 'note here')).toContain('Noted');
    await leaves('UCAROL', channel, 20);
    expect(await run(channel, 'UCAROL', 'note still here?')).toMatch(/^:no_entry: Only members of #/);
    await joins('UCAROL', channel, 30);
    // A leave from before the latest join, delivered late, does not count.
    await leaves('UCAROL', channel, 25);
    expect(await run(channel, 'UCAROL', 'note back again')).toContain('Noted');
  });

  it('acts only on the incident of the channel it runs in: membership of another incident does not count', async () => {
    const a = await h.declare('P2 Alpha outage');
    const b = await h.declare('P3 Beta glitch');
    await joins('UBOB', b.channel, 1);
    expect(await run(b.channel, 'UBOB', 'note in beta')).toContain('Noted');
    expect(await run(a.channel, 'UBOB', 'note in alpha')).toBe(
      `:no_entry: Only members of #${a.incident.channelName} may change ${a.incident.id}. Join the channel first.`,
    );
    const notes = async (id: string) =>
      (await h.store.timeline(id)).filter((e) => e.kind === 'note').map((e) => e.text);
    expect(await notes(a.incident.id)).toEqual([]);
    expect(await notes(b.incident.id)).toEqual(['in beta']);
  });
});
