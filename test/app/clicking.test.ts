import fs from 'node:fs';
import path from 'node:path';
import { SlackEmulator } from '../../src/emulator';
import { closeFieldBlock } from '../../src/slack/blocks/close-modal';
import { IDS } from '../../src/slack/ids';
import { expectWithinLimits } from '../support/block-kit';
import { Harness } from '../support/harness';
import { movableClock, tsAt } from '../support/movable-clock';

const ts = tsAt;

describe('the worked example, by clicking only', () => {
  it('runs from the declare shortcut to the postmortem without a command: 28 minutes, 99.94 %, 0.5-minute lag', async () => {
    const clock = movableClock('2026-02-20T10:31:00Z');
    const slack = await SlackEmulator.start();
    const announce = slack.createChannel('announcements', { botIsMember: true }).id;
    slack.addUser('UALEM', 'alem');
    slack.addUser('UDEV', 'dev');
    slack.addUser('UCOMMS', 'comms');
    const h = await Harness.start({ emulator: slack, clock: clock.now, env: { ANNOUNCE_CHANNEL: announce } });
    const typed = jest.spyOn(h.client, 'slashCommand');
    try {
      const card = IDS.card;
      /** Submits the form the app opened last; it must close (no errors). */
      const submit = async (entries: Record<string, string>, user: string) => {
        const reply = await h.submitLastView(entries, user);
        expect({ status: reply.status, body: reply.body }).toEqual({ status: 200, body: '' });
      };

      // Declared from the shortcut, with the impact start and the detection in the form.
      await h.client.globalShortcut(IDS.shortcuts.declare, 'UALEM');
      await h.idle();
      const d = IDS.declareModal;
      await submit(
        {
          [d.titleBlock]: 'Database connection pool exhausted',
          [d.severityBlock]: 'P1',
          [d.servicesBlock]: 'drop-api',
          [d.startedBlock]: '10:30',
          [d.detectedBlock]: '10:30:30',
          [d.detectedByBlock]: 'BetterStack monitor',
        },
        'UALEM',
      );
      const [incident] = await h.store.listIncidents('all', 1);
      const id = incident!.id;
      const channel = incident!.channelId!;
      for (const user of ['UDEV', 'UCOMMS']) {
        await h.event({
          type: 'member_joined_channel',
          user,
          channel,
          channel_type: 'C',
          event_ts: ts('2026-02-20T10:31:10Z'),
        });
      }
      await h.clickCard(id, card.roleActions.tech, { user: 'UALEM', selectedUser: 'UDEV' });
      await h.clickCard(id, card.roleActions.comms, { user: 'UALEM', selectedUser: 'UCOMMS' });

      clock.set('2026-02-20T10:40:00Z');
      const said = [
        ['2026-02-20T10:30:45Z', 'UALEM', 'looking: /api/health returns 503'],
        ['2026-02-20T10:32:00Z', 'UDEV', 'CloudWatch shows connection refused to RDS'],
        ['2026-02-20T10:35:00Z', 'UALEM', 'fix: restarting App Runner (start-deployment)'],
        ['2026-02-20T10:38:30Z', 'UDEV', 'health check green again'],
      ] as const;
      for (const [i, [at, user, text]] of said.entries()) {
        const message = { type: 'message', user, text, ts: ts(at, i + 1) };
        await h.event({ ...message, channel, event_ts: message.ts });
        // Pinned with the message shortcut instead of a 📌.
        await h.client.messageShortcut({
          callbackId: IDS.shortcuts.addToTimeline,
          channel,
          message,
          user: 'UALEM',
        });
      }
      await h.idle();

      await h.clickCard(id, card.statusAction, { user: 'UDEV' });
      await submit(
        {
          [IDS.statusModal.statusBlock]: 'identified',
          [IDS.statusModal.timeBlock]: '10:34',
          [IDS.statusModal.messageBlock]: 'Pool exhaustion after a login burst',
        },
        'UDEV',
      );
      await h.clickCard(id, card.updateAction, { user: 'UCOMMS' });
      await submit(
        { [IDS.updateModal.messageBlock]: 'Restarting the app servers; payments failing meanwhile' },
        'UCOMMS',
      );
      await h.clickCard(id, card.statusAction, { user: 'UDEV' });
      await submit(
        {
          [IDS.statusModal.statusBlock]: 'monitoring',
          [IDS.statusModal.timeBlock]: '10:38:30',
          [IDS.statusModal.messageBlock]: 'Health check green',
        },
        'UDEV',
      );

      clock.set('2026-02-20T11:00:00Z');
      await h.clickCard(id, card.resolveAction, { user: 'UALEM' });
      await submit(
        { [IDS.resolveModal.timeBlock]: '10:58', [IDS.resolveModal.messageBlock]: 'Stable for 15 minutes' },
        'UALEM',
      );
      const a = IDS.actionItemModal;
      for (const [text, owner, due, priority] of [
        ['Configure PgBouncer or RDS Proxy', 'UALEM', '2026-03-01', 'P1'],
        ['Alarm on DatabaseConnections > 70', 'UDEV', '2026-02-27', 'P2'],
      ] as const) {
        await h.clickCard(id, card.actionItemAction, { user: 'UALEM' });
        await submit(
          { [a.textBlock]: text, [a.ownerBlock]: owner, [a.dueBlock]: due, [a.priorityBlock]: priority },
          'UALEM',
        );
      }

      await h.clickCard(id, card.closeAction, { user: 'UALEM' });
      await submit(
        {
          [closeFieldBlock('summary')]:
            'A login burst exhausted the database pool; the API returned 503 for 28 minutes.',
          [closeFieldBlock('root-cause')]: 'RDS PostgreSQL connection pool exhausted by concurrent logins',
          [closeFieldBlock('went-well')]: 'BetterStack alerted within 30 seconds',
          [closeFieldBlock('went-wrong')]: 'No alarm on DatabaseConnections',
          [closeFieldBlock('lessons')]: 'Marketing campaigns need a capacity check',
        },
        'UALEM',
      );

      // Not one slash command reached the app.
      expect(typed).not.toHaveBeenCalled();
      const [record] = await h.store.postmortems(id);
      expect(record?.version).toBe(1);
      const markdown = fs.readFileSync(path.join(h.config.postmortemDir, `${id}.md`), 'utf8');
      expect(markdown).toBe(record!.markdown);
      expect(markdown).toContain('| Duration | 28 minutes |');
      expect(markdown).toContain('28 minutes downtime → monthly uptime: 99.94%');
      expect(markdown).toContain('**Lag from impact start to detection:** 0.5 minutes');
      expect(markdown).toContain('P1 — Critical (production down)');
      expect(markdown).toContain('BetterStack monitor');
      expect(markdown).toContain('drop-api');
      expect(markdown).toContain('Configure PgBouncer or RDS Proxy');
      expect(markdown).toContain('RDS PostgreSQL connection pool exhausted by concurrent logins');
      expect(markdown).toContain('Marketing campaigns need a capacity check');
      expect(markdown).toContain('Restarting the app servers');
      expect(markdown).not.toContain('{{');
      // The pinned messages and the backdated identification, in the order they happened.
      expect(markdown.indexOf('connection refused to RDS')).toBeLessThan(markdown.indexOf('identified'));
      expect(markdown.indexOf('identified')).toBeLessThan(markdown.indexOf('fix: restarting App Runner'));
      // The response metrics the typed run gives: detection 30 s after the impact, the first human
      // response 15 s after the alert, identified 3.5 min after it, mitigation at 10:38:30,
      // resolution at 10:58.
      expect(markdown).toContain('| Time to detect | impact start → detection | 0.5 minutes (30 s) |');
      expect(markdown).toContain(
        '| Time to acknowledge | detection → first human response | 0.25 minutes (15 s) |',
      );
      expect(markdown).toContain('| Time to diagnose | detection → identified | 3.5 minutes |');
      expect(markdown).toContain('| Time to mitigate | impact start → monitoring | 8.5 minutes |');
      expect(markdown).toContain('| Time to resolve | impact start → resolved | 28 minutes |');

      const summary = h.slack
        .callsTo('chat.postMessage')
        .find((c) => c.args.channel === channel && JSON.stringify(c.args.blocks ?? '').includes('99.94%'));
      expectWithinLimits((summary?.args.blocks ?? []) as unknown[]);
      expect(
        h.slack
          .callsTo('chat.postMessage')
          .some((c) => c.args.channel === announce && /postmortem/.test(String(c.args.text))),
      ).toBe(true);
    } finally {
      await h.stop();
      await slack.stop();
    }
  });
});
