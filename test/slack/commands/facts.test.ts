import { Harness } from '../../support/harness';

describe('facts are checked, over real HTTP', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  const run = async (channel: string, text: string, user = 'UALICE') => {
    const reply = await h.slash(text, { channel, user });
    await h.idle();
    expect(reply.status).toBe(200);
    return String(reply.json.text);
  };
  const icOf = async (incidentId: string) =>
    (await h.store.roleTerms(incidentId))
      .filter((t) => t.role === 'ic' && t.to === null)
      .map((t) => t.userId);

  it('refuses an impact start in 1970 instead of 29935186.79 minutes of downtime', async () => {
    const { incident, channel } = await h.declare('P2 Checkout API 503');
    const text = await run(channel, 'started 1970-01-01T00:00:00Z');
    expect(text).toMatch(
      /^:warning: The impact start \(1970-01-01 00:00 UTC\) is more than 30 days before INC-\d{4}-001 was declared/,
    );
    expect(text).toContain('Expected a time from');
    expect((await h.store.getIncident(incident.id))!.startedAt).toBeNull();
    // Inside the window it is taken.
    expect(await run(channel, 'started 00:00')).toContain('Impact started');
  });

  it('refuses unknown users, deactivated users, bots and Firewatch itself as Incident Commander', async () => {
    const { incident, channel } = await h.declare('P2 Checkout API 503');
    h.slack.addUser('UCIBOT', 'ci-bot', { isBot: true });
    h.slack.deactivateUser('UFRANK');

    const nobody = await run(channel, 'ic <@UNOBODY>');
    expect(nobody).toMatch(/^:warning: `UNOBODY` is not a user of this workspace/);
    expect(nobody).toContain('Expected an active person of this workspace');
    expect(await run(channel, `ic <@${h.slack.botUserId}>`)).toMatch(
      /^:warning: I am Firewatch, a bot, so I cannot be Incident Commander\. Expected an active person/,
    );
    expect(await run(channel, 'tech <@UCIBOT|ci-bot>')).toMatch(/^:warning: <@UCIBOT> is a bot/);
    expect(await run(channel, 'comms <@UFRANK>')).toMatch(/^:warning: <@UFRANK> has been deactivated/);

    expect(await icOf(incident.id)).toEqual(['UALICE']);
    expect((await h.store.roleTerms(incident.id)).map((t) => t.role)).toEqual(['ic']);
    expect(h.slack.callsTo('users.info').map((c) => c.args.user)).toEqual(
      expect.arrayContaining(['UNOBODY', 'UCIBOT', 'UFRANK']),
    );
    // A real, active person is taken.
    expect(await run(channel, 'ic <@UBOB>')).toContain('Incident Commander');
    expect(await icOf(incident.id)).toEqual(['UBOB']);
  });

  it('accepts the assignment when Slack cannot say who the user is: incident response goes on', async () => {
    const { incident, channel } = await h.declare('P2 Checkout API 503');
    h.slack.failAlways('users.info', { status: 503 });
    expect(await run(channel, 'ic <@UDAVE>')).toContain('Incident Commander');
    expect(await icOf(incident.id)).toEqual(['UDAVE']);
    h.slack.clearFailures();
  });

  it('answers within the 3 seconds Slack waits when users.info is slow, and accepts the assignment', async () => {
    const { incident, channel } = await h.declare('P2 Checkout API 503');
    h.slack.setLatency(2_600);
    const started = Date.now();
    const reply = await h.slash('tech <@UCAROL>', { channel });
    const took = Date.now() - started;
    h.slack.setLatency(0);
    expect(reply.json.text).toContain('Technical Lead');
    expect(took).toBeLessThan(2_500);
    await h.idle();
    expect(
      (await h.store.roleTerms(incident.id)).some((t) => t.role === 'tech' && t.userId === 'UCAROL'),
    ).toBe(true);
  }, 15_000);
});

describe('the impact window is configurable', () => {
  it('follows FIREWATCH_IMPACT_WINDOW_DAYS', async () => {
    const h = await Harness.start({ env: { FIREWATCH_IMPACT_WINDOW_DAYS: '1' } });
    try {
      const { channel } = await h.declare('P2 Checkout API 503');
      const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const reply = await h.slash(`started ${twoDaysAgo}`, { channel });
      expect(reply.json.text).toContain('is more than 1 day before');
    } finally {
      await h.stop();
    }
  });
});
