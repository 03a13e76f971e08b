/**
 * The App Home over real HTTP: signed `app_home_opened` events publish it (views.publish on the
 * emulator), changes republish the Homes of the people an incident concerns, private incidents
 * stay with their members, and any number of incidents fits in 100 blocks.
 */

import { draftIncident } from '../../src/domain/lifecycle';
import type { Incident } from '../../src/domain/types';
import { SlackEmulator } from '../../src/emulator';
import { expectViewWithinLimits, texts } from '../support/block-kit';
import { Harness } from '../support/harness';

/** Every text of the Home last published for `user` ('' when none was). */
function homeText(slack: SlackEmulator, user: string): string {
  const view = slack.homeView(user);
  return view
    ? texts(view.blocks)
        .map((t) => t.text)
        .join('\n')
    : '';
}

const publishedFor = (slack: SlackEmulator) =>
  slack.callsTo('views.publish').map((c) => String(c.args.user_id));

describe('the App Home', () => {
  let slack: SlackEmulator;
  let h: Harness;

  beforeEach(async () => {
    slack = await SlackEmulator.start();
    slack.addUser('UALEM', 'alem', { realName: 'Alem Bašić' });
    h = await Harness.start({ emulator: slack });
  });

  afterEach(async () => {
    await h.stop();
    await slack.stop();
  });

  it('is published when opened: open incidents with their IC by full name, my action items, recent postmortems', async () => {
    const { channel, incident } = await h.declare('P1 Checkout down', { user: 'UALEM' });
    await h.slash('action Add a pool alarm <@UBOB> due 2099-03-01 P2', { channel, user: 'UALEM' });
    await h.slash('action Not Bob’s <@UCAROL>', { channel, user: 'UALEM' });
    const old = await h.declare('P3 Search is slow', { user: 'UCAROL' });
    await h.slash('close', { channel: old.channel, user: 'UCAROL' });
    await h.idle();
    slack.clearCalls();

    const reply = await h.client.openHome('UBOB');
    expect(reply.status).toBe(200);
    await h.idle();

    expect(publishedFor(slack)).toEqual(['UBOB']);
    const view = slack.homeView('UBOB')!;
    expectViewWithinLimits(view as { blocks: unknown[] });
    const text = homeText(slack, 'UBOB');
    expect(text).toContain('Open incidents (1)');
    expect(text).toContain(`*${incident.id}* · P1 · :mag: investigating · <#${channel}>`);
    expect(text).toContain('Incident Commander: Alem Bašić · open for 0 min');
    expect(text).toContain('Your open action items (1)');
    expect(text).toContain(`*${incident.id}* #1 · Add a pool alarm\nDue 2099-03-01 · P2 · <#${channel}>`);
    expect(text).not.toContain('Not Bob’s');
    expect(text).toContain(`*${old.incident.id}* P3 · Search is slow\nClosed `);
    expect(text).toContain(`postmortem posted in <#${old.channel}>`);
    // The stats section: the last 30 days, both incidents counted.
    expect(text).toContain('Incident stats');
    expect(text).toMatch(/\b2 incidents?\b|\*Incidents\*\n2\b/);
    // The full name was looked up once and remembered for documents and the next Home.
    expect(await h.store.people(['UALEM'])).toEqual({ UALEM: 'Alem Bašić' });
  });

  it('is not published for the Messages tab, and a malformed event is acknowledged and ignored', async () => {
    expect((await h.client.openHome('UBOB', { tab: 'messages' })).status).toBe(200);
    const malformed = await h.event({ type: 'app_home_opened', tab: 'home' });
    expect(malformed.status).toBe(200);
    await h.idle();
    expect(publishedFor(slack)).toEqual([]);
  });

  it('when Slack refuses the publish, is drawn afresh the next time it is opened', async () => {
    slack.failNext('views.publish', { status: 500 });
    await h.client.openHome('UBOB');
    await h.idle();
    expect(slack.homeView('UBOB')).toBeUndefined();
    await h.client.openHome('UBOB');
    await h.idle();
    expect(homeText(slack, 'UBOB')).toContain('_No open incidents._');
  });

  it('shows a private incident only to its members', async () => {
    const secret = await h.declare('private P2 Customer data exposed');
    await h.client.openHome('UALICE');
    await h.client.openHome('UBOB');
    await h.idle();
    expect(homeText(slack, 'UALICE')).toContain(`*${secret.incident.id}*`);
    expect(homeText(slack, 'UALICE')).toContain(':lock: private');
    expect(homeText(slack, 'UBOB')).not.toContain(secret.incident.id);
    expect(homeText(slack, 'UBOB')).not.toContain('Customer data');
    expect(homeText(slack, 'UBOB')).toContain('_No open incidents._');
  });

  it('is republished for the people an incident concerns when what it shows changes', async () => {
    const { channel, incident } = await h.declare('P2 Payments failing', { user: 'UALEM' });
    // Bob joins the channel; Carol only ever looked at her Home; a participant Slack no longer knows.
    for (const user of ['UBOB', 'UGHOST']) {
      await h.event({
        type: 'member_joined_channel',
        user,
        channel,
        channel_type: 'C',
        event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
      });
    }
    await h.client.openHome('UCAROL');
    await h.idle();
    expect(homeText(slack, 'UCAROL')).toContain('P2 · :mag: investigating');
    slack.clearCalls();

    await h.slash('severity P1', { channel, user: 'UALEM' });
    await h.idle();
    // UGHOST is asked for too: Slack answers user_not_found and that Home is skipped, the job succeeds.
    expect(publishedFor(slack).sort()).toEqual(['UALEM', 'UBOB', 'UGHOST']);
    expect(homeText(slack, 'UBOB')).toContain(`*${incident.id}* · P1`);
    // Carol is not concerned: she sees it the next time she opens her Home.
    expect(homeText(slack, 'UCAROL')).toContain('P2 · :mag: investigating');
    expect(await h.store.failedJobs(0)).toBe(0);

    // A new action item reaches its owner's Home; a note changes nothing shown.
    slack.clearCalls();
    await h.slash('action Rotate the keys <@UDAVE> due 2026-03-02', { channel, user: 'UALEM' });
    await h.idle();
    expect(publishedFor(slack)).toContain('UDAVE');
    expect(homeText(slack, 'UDAVE')).toContain('Rotate the keys');
    slack.clearCalls();
    await h.slash('note Looked at the dashboards', { channel, user: 'UALEM' });
    await h.idle();
    expect(publishedFor(slack)).toEqual([]);

    // Resolved: off everyone's list of open incidents.
    await h.slash('resolve Fixed', { channel, user: 'UALEM' });
    await h.idle();
    expect(homeText(slack, 'UBOB')).toContain('_No open incidents._');
  });

  it('stays within 100 blocks with many incidents, saying how many more', async () => {
    const declaredAt = Date.now() - 3600_000;
    for (let i = 0; i < 60; i++) {
      const draft = await h.store.createIncident(
        draftIncident({
          title: `Incident <${i}> & more ${'x'.repeat(300)}`,
          severity: 'P2',
          declaredBy: 'UALICE',
          originChannelId: 'CGENERAL',
          declaredAt: declaredAt + i,
        }),
        new Date(declaredAt).getUTCFullYear(),
      );
      const incident: Incident = { ...draft, channelId: `CMANY${i}`, channelName: `inc-many-${i}` };
      await h.store.applyChange(
        incident.id,
        {
          incident,
          actions: Array.from({ length: 2 }, (_, n) => ({
            text: `Follow-up ${n} of ${i}`,
            owner: 'UBOB',
            due: '2026-01-01',
            priority: 'P2' as const,
            status: 'open' as const,
            createdAt: declaredAt,
            createdBy: 'UALICE',
            doneAt: null,
            sourceRef: null,
          })),
        },
        declaredAt,
      );
    }
    await h.client.openHome('UBOB');
    await h.idle();
    const view = slack.homeView('UBOB')!;
    expectViewWithinLimits(view as { blocks: unknown[] });
    const text = homeText(slack, 'UBOB');
    expect(text).toContain('Open incidents (60)');
    expect(text).toContain('… and 45 more open incidents');
    expect(text).toContain('Your open action items (120)');
    expect(text).toContain('… and 105 more of your action items');
    expect(text).toContain(':warning: *overdue*');
  });
});
