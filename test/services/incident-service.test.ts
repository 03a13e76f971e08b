import type { OutboxJob } from '../../src/domain/changes';
import { USAGE, usageOf } from '../../src/domain/command';
import type { Incident } from '../../src/domain/types';
import { BackgroundTasks } from '../../src/services/background-tasks';
import {
  type CallerContext,
  IncidentService,
  type ServiceSettings,
} from '../../src/services/incident-service';
import { OutboxWorker } from '../../src/services/outbox';
import type { SqliteStore } from '../../src/storage/sqlite/sqlite-store';
import { FakeSlack, fakeRenderer, openTempStore, recordingResponder, storedIncident } from './fakes';

const T0 = Date.UTC(2026, 1, 20, 10, 0);
const ANNOUNCE = 'CANNOUNCE';
const GENERAL = 'CGENERAL';

describe('IncidentService', () => {
  let opened: ReturnType<typeof openTempStore>;
  let store: SqliteStore;
  let slack: FakeSlack;
  let now: number;
  let tasks: BackgroundTasks;
  let taskErrors: unknown[];
  let outbox: OutboxWorker;
  let settings: ServiceSettings;

  /** A service over the current store, fake Slack and settings. The worker has no handler: jobs stay queued. */
  const service = () =>
    new IncidentService({
      store,
      slack,
      clock: () => now,
      outbox,
      tasks,
      settings,
      renderer: fakeRenderer,
    });

  const caller = (over: Partial<CallerContext> = {}) => {
    const rec = recordingResponder();
    const ctx: CallerContext = {
      userId: 'UALICE',
      channelId: GENERAL,
      triggerId: null,
      responder: rec.responder,
      ...over,
    };
    return { ctx, said: rec.said };
  };

  /** Every queued job, oldest first, with the id to tell new ones from old ones. */
  const queued = async () => store.dueJobs(Number.MAX_SAFE_INTEGER, 10_000);
  const jobsAfter = async (lastId: number): Promise<OutboxJob[]> =>
    (await queued()).filter((j) => j.id > lastId).map((j) => j.job);
  const lastJobId = async () => (await queued()).at(-1)?.id ?? 0;

  /** Declares through the service and returns the incident with its channel. */
  const declared = async (title = 'Database down', severity: 'P1' | 'P2' | 'P3' | 'P4' = 'P2') => {
    const incident = await service().declare(title, severity, caller().ctx);
    if (!incident) throw new Error('declaration failed');
    return incident;
  };

  beforeEach(() => {
    opened = openTempStore();
    store = opened.store;
    slack = new FakeSlack();
    now = T0;
    taskErrors = [];
    tasks = new BackgroundTasks((error) => taskErrors.push(error));
    outbox = new OutboxWorker(
      store,
      () => now,
      () => undefined,
    );
    settings = { timeZone: 'UTC', announceChannel: ANNOUNCE, admins: [], impactWindowDays: 30 };
  });

  afterEach(async () => {
    await tasks.idle();
    await outbox.stop();
    await opened.dispose();
    expect(taskErrors).toEqual([]);
  });

  describe('command routing', () => {
    it('answers help anywhere with the usage text', async () => {
      expect(await service().handleCommand('help', caller().ctx)).toEqual({ kind: 'text', text: USAGE });
    });

    it('answers a parse error with a warning, before looking for an incident channel', async () => {
      expect(await service().handleCommand('sev P9', caller().ctx)).toEqual({
        kind: 'text',
        text: ':warning: Severity must be one of P1, P2, P3, P4 (got `P9`).\nUsage: `/incident sev &lt;P1-P4&gt;`',
      });
    });

    it('lists open incidents and closed ones anywhere, with the zone', async () => {
      const open = await declared('Open one');
      const done = await declared('Closed one');
      const closed: Incident = { ...done, status: 'closed', resolvedAt: T0, closedAt: T0 };
      await store.applyChange(done.id, { incident: closed }, T0);
      settings.timeZone = 'Europe/Berlin';
      expect(await service().handleCommand('list', caller().ctx)).toEqual({
        kind: 'list',
        open: [await store.getIncident(open.id)],
        closed: [closed],
        timeZone: 'Europe/Berlin',
      });
    });

    it('asks for at most 20 open incidents and the 10 last resolved or closed ones', async () => {
      for (let i = 0; i < 21; i++)
        await storedIncident(store, { channelId: `COPEN${i}`, declaredAt: T0 + i });
      for (let i = 0; i < 11; i++) {
        const done = await storedIncident(store, { channelId: `CDONE${i}`, declaredAt: T0 + 100 + i });
        await store.applyChange(
          done.id,
          { incident: { ...done, status: 'resolved', resolvedAt: T0 + 1000 + i } },
          T0,
        );
      }
      const reply = await service().handleCommand('list', caller().ctx);
      if (reply.kind !== 'list') throw new Error(`unexpected ${reply.kind}`);
      expect(reply.open.map((i) => i.channelId)).toEqual(
        Array.from({ length: 20 }, (_, i) => `COPEN${20 - i}`),
      );
      expect(reply.closed.map((i) => i.channelId)).toEqual(
        Array.from({ length: 10 }, (_, i) => `CDONE${10 - i}`),
      );
    });

    it('refuses an incident command outside an incident channel, writing nothing', async () => {
      const incident = await declared();
      const before = await lastJobId();
      const timeline = await store.timeline(incident.id);
      const reply = await service().handleCommand('severity P1', caller({ channelId: GENERAL }).ctx);
      expect(reply).toEqual({
        kind: 'text',
        text:
          ':warning: This command works only in an incident channel. Run it in the channel of the incident ' +
          '(see `/incident list`), or start one with `/incident declare [P1-P4] <title>`.',
      });
      expect(await jobsAfter(before)).toEqual([]);
      expect(await store.timeline(incident.id)).toEqual(timeline);
      expect((await store.getIncident(incident.id))?.severity).toBe('P2');
    });

    it('runs an incident command in the incident channel on the incident stored there', async () => {
      const incident = await declared();
      const reply = await service().handleCommand(
        'severity P1',
        caller({ channelId: incident.channelId! }).ctx,
      );
      expect(reply).toEqual({ kind: 'text', text: 'Severity is now P1.' });
      expect((await store.getIncident(incident.id))?.severity).toBe('P1');
    });

    it('runs commands on one incident one at a time, each on the state the previous one left', async () => {
      const incident = await declared();
      const { ctx } = caller({ channelId: incident.channelId! });
      const s = service();
      const [first, second] = await Promise.all([
        s.handleCommand('resolve', ctx),
        s.handleCommand('resolve', ctx),
      ]);
      expect(first).toEqual({
        kind: 'text',
        text: `${incident.id} is resolved. Run \`/incident close\` to compile the postmortem.`,
      });
      expect(second).toEqual({
        kind: 'text',
        text: `:warning: ${incident.id} is already resolved. Run \`/incident close\` to finish it.`,
      });
      expect((await store.timeline(incident.id)).filter((e) => e.kind === 'resolved')).toHaveLength(1);
    });
  });

  describe('declare from the command', () => {
    it('replies at once, then declares in the background', async () => {
      const { ctx, said } = caller();
      const reply = await service().handleCommand('declare P1 DB <!channel> & co', ctx);
      expect(reply).toEqual({ kind: 'text', text: 'Declaring a P1 incident: DB &lt;!channel&gt; &amp; co…' });
      await tasks.idle();
      const [incident] = await store.listIncidents('all', 10);
      expect(incident).toMatchObject({ id: 'INC-2026-001', title: 'DB <!channel> & co', severity: 'P1' });
      expect(said).toEqual([
        {
          how: 'inChannel',
          text:
            ':red_circle: *INC-2026-001* declared (P1) by <@UALICE>: DB &lt;!channel&gt; &amp; co\n' +
            'Join <#CNEW1> to help.',
        },
      ]);
    });

    it('takes a title of 200 characters and refuses one of 201, creating nothing', async () => {
      const { ctx } = caller();
      const long = await service().handleCommand(`declare ${'x'.repeat(201)}`, ctx);
      expect(long).toEqual({ kind: 'text', text: ':warning: The title is 201 characters; keep it to 200.' });
      await tasks.idle();
      expect(slack.calls).toEqual([]);
      expect(await store.listIncidents('all', 10)).toEqual([]);

      const fits = await service().handleCommand(`declare ${'x'.repeat(200)}`, ctx);
      expect(fits).toEqual({ kind: 'text', text: `Declaring a P3 incident: ${'x'.repeat(200)}…` });
      await tasks.idle();
      expect(await store.listIncidents('all', 10)).toHaveLength(1);
    });

    it('without a title opens the declare form from the channel it was run in', async () => {
      const reply = await service().handleCommand('declare', caller({ triggerId: 'TRIG1' }).ctx);
      expect(reply).toEqual({ kind: 'text', text: 'Opening the declare form…' });
      await tasks.idle();
      expect(slack.calls).toEqual([
        { method: 'openModal', args: ['TRIG1', { type: 'modal', originChannel: GENERAL }] },
      ]);
    });

    it('without a title and without a trigger id asks for the title', async () => {
      const reply = await service().handleCommand('declare P2', caller().ctx);
      expect(reply).toEqual({
        kind: 'text',
        text: `:warning: Give the incident a title.\n${usageOf('declare')}`,
      });
      await tasks.idle();
      expect(slack.calls).toEqual([]);
    });
  });

  describe('declare', () => {
    it('creates the channel, commits the declaration with its jobs, invites the declarer and tells the channel', async () => {
      const { ctx, said } = caller();
      const incident = await service().declare('Database down', 'P2', ctx);
      const announcement =
        ':large_orange_circle: *INC-2026-001* declared (P2) by <@UALICE>: Database down\nJoin <#CNEW1> to help.';
      expect(incident).toMatchObject({
        id: 'INC-2026-001',
        channelId: 'CNEW1',
        channelName: 'inc-2026-001-database-down',
        originChannelId: GENERAL,
        declaredBy: 'UALICE',
        declaredAt: T0,
        status: 'investigating',
      });
      expect(await store.getIncident('INC-2026-001')).toEqual(incident);
      expect(await store.findIncidentByChannel('CNEW1')).toEqual(incident);
      expect(slack.calls).toEqual([
        { method: 'createChannel', args: ['inc-2026-001-database-down', { isPrivate: false }] },
        { method: 'invite', args: ['CNEW1', ['UALICE']] },
        // The declarer's full name, remembered for documents and the App Home.
        { method: 'lookupUser', args: ['UALICE'] },
      ]);
      expect(await store.people(['UALICE'])).toEqual({ UALICE: 'UALICE' });
      expect(said).toEqual([{ how: 'inChannel', text: announcement }]);
      expect(
        (await store.roleTerms(incident!.id)).map(({ role, userId, from, to }) => ({
          role,
          userId,
          from,
          to,
        })),
      ).toEqual([{ role: 'ic', userId: 'UALICE', from: T0, to: null }]);
      expect((await store.timeline(incident!.id)).map((e) => [e.kind, e.text])).toEqual([
        ['declared', 'Incident declared (P2): Database down'],
        ['role', '<@UALICE> is Incident Commander'],
      ]);
      // The incident channel gets the card; the announcement goes to ANNOUNCE_CHANNEL only.
      expect(await jobsAfter(0)).toEqual([
        { type: 'refresh_card' },
        {
          type: 'post_message',
          channel: ANNOUNCE,
          text: `*INC-2026-001* · ${announcement}`,
          comms: {
            channelLabel: 'Announcements',
            audience: 'Stakeholders',
            sentBy: 'UALICE',
            summary: 'Declared P2: Database down',
            at: T0,
            status: 'investigating',
          },
        },
        // The Homes of the people it concerns show the new incident.
        { type: 'refresh_home' },
      ]);
      expect((await queued()).every((j) => j.incidentId === 'INC-2026-001')).toBe(true);
    });

    it('does not announce again where the declare was run, nor without ANNOUNCE_CHANNEL', async () => {
      await service().declare('From announcements', 'P3', caller({ channelId: ANNOUNCE }).ctx);
      expect(await jobsAfter(0)).toEqual([{ type: 'refresh_card' }, { type: 'refresh_home' }]);
      const mark = await lastJobId();
      settings.announceChannel = null;
      await service().declare('Nowhere to announce', 'P3', caller().ctx);
      expect(await jobsAfter(mark)).toEqual([{ type: 'refresh_card' }, { type: 'refresh_home' }]);
    });

    it('numbers incidents in the year of the declaration in the configured zone', async () => {
      settings.timeZone = 'Asia/Tokyo';
      now = Date.UTC(2026, 11, 31, 16, 0); // 2027-01-01 01:00 in Tokyo
      const incident = await declared('New year');
      expect(incident.id).toBe('INC-2027-001');
      expect(incident.channelName).toBe('inc-2027-001-new-year');
    });

    it('retries a taken channel name with a suffix', async () => {
      const taken = new Set(['inc-2026-001-database-down', 'inc-2026-001-database-down-2']);
      slack = new FakeSlack({
        createChannel: async (name) =>
          taken.has(name) ? { ok: false, error: 'name_taken' } : { ok: true, id: 'CDB3', name },
      });
      const incident = await declared();
      expect(slack.argsOf('createChannel')).toEqual([
        ['inc-2026-001-database-down', { isPrivate: false }],
        ['inc-2026-001-database-down-2', { isPrivate: false }],
        ['inc-2026-001-database-down-3', { isPrivate: false }],
      ]);
      expect(incident).toMatchObject({ channelId: 'CDB3', channelName: 'inc-2026-001-database-down-3' });
      expect(await store.getIncident(incident.id)).toEqual(incident);
    });

    it('gives up after ten taken names: the draft is discarded and the declarer told why', async () => {
      slack = new FakeSlack({ createChannel: async () => ({ ok: false, error: 'name_taken' }) });
      const { ctx, said } = caller();
      expect(await service().declare('Database down', 'P2', ctx)).toBeNull();
      expect(slack.argsOf('createChannel')).toHaveLength(10);
      expect(slack.argsOf('createChannel').at(-1)).toEqual([
        'inc-2026-001-database-down-10',
        { isPrivate: false },
      ]);
      expect(said).toEqual([
        {
          how: 'ephemeral',
          text:
            ':x: I could not create the incident channel (Slack said `name_taken`), so nothing was declared. ' +
            'Try again, or ask a workspace admin to check the Firewatch app.',
        },
      ]);
      expect(await store.getIncident('INC-2026-001')).toBeNull();
      expect(await store.listIncidents('all', 10)).toEqual([]);
      expect(await queued()).toEqual([]);
    });

    it('stops at the first other refusal and names the missing scope', async () => {
      slack = new FakeSlack({ createChannel: async () => ({ ok: false, error: 'missing_scope' }) });
      const { ctx, said } = caller();
      expect(await service().declare('Database down', 'P2', ctx)).toBeNull();
      expect(slack.calls).toEqual([
        { method: 'createChannel', args: ['inc-2026-001-database-down', { isPrivate: false }] },
      ]);
      expect(said).toEqual([
        {
          how: 'ephemeral',
          text:
            ':x: I could not create the incident channel (Slack said `missing_scope`), so nothing was declared. ' +
            'The app needs the `channels:manage` scope and permission to create channels. ' +
            'Try again, or ask a workspace admin to check the Firewatch app.',
        },
      ]);
      expect(await store.getIncident('INC-2026-001')).toBeNull();
    });

    it('treats a thrown Slack error like a refusal, quoting its message safely', async () => {
      slack = new FakeSlack({
        createChannel: async () => {
          throw new Error('socket <hang> up');
        },
      });
      const { ctx, said } = caller();
      expect(await service().declare('Database down', 'P2', ctx)).toBeNull();
      expect(said).toEqual([
        {
          how: 'ephemeral',
          text:
            ':x: I could not create the incident channel (Slack said `socket &lt;hang&gt; up`), so nothing was declared. ' +
            'Try again, or ask a workspace admin to check the Firewatch app.',
        },
      ]);
      expect(await store.listIncidents('all', 10)).toEqual([]);
      // The number was never used: the next declaration gets it.
      slack = new FakeSlack();
      expect((await declared()).id).toBe('INC-2026-001');
    });

    it('keeps the incident when the invitation or the courtesy message fails', async () => {
      slack = new FakeSlack({
        invite: async () => {
          throw new Error('already_in_channel');
        },
      });
      const failing = {
        ephemeral: async () => {
          throw new Error('expired_url');
        },
        inChannel: async () => {
          throw new Error('expired_url');
        },
      };
      const incident = await service().declare('Database down', 'P2', {
        ...caller().ctx,
        responder: failing,
      });
      expect(incident?.channelId).toBe('CNEW1');
      expect(slack.argsOf('invite')).toEqual([['CNEW1', ['UALICE']]]);
      expect(await store.getIncident('INC-2026-001')).toEqual(incident);
      expect(await jobsAfter(0)).toHaveLength(3);
    });
  });

  describe('commands in an incident channel', () => {
    let incident: Incident;
    let mark: number;
    const run = async (text: string, userId = 'UBOB') =>
      service().handleCommand(
        text,
        caller({ userId, channelId: incident.channelId!, responseUrl: 'https://r/1' }).ctx,
      );

    beforeEach(async () => {
      // UBOB and UCAROL run these as Firewatch admins: what each command does is tested here, who may run it
      // in test/domain/permissions.test.ts and over HTTP in test/slack/commands/permissions.test.ts.
      settings = { ...settings, admins: ['UBOB', 'UCAROL'] };
      incident = await declared();
      now = T0 + 10 * 60_000;
      mark = await lastJobId();
    });

    it('decides again on the newer state when another process changed the incident meanwhile', async () => {
      // Two services (two processes, each with its own in-process lock) share one database. While
      // the first decides on `status identified`, the second commits `resolve`: the first's commit,
      // based on the older revision, is refused, and its decision is made again on the resolved
      // incident, which refuses an active status.
      let raced = false;
      const racing = new Proxy(store, {
        get(target, key, receiver) {
          if (key === 'isMember' && !raced) {
            raced = true;
            return async (...args: [string, string]) => {
              await service().handleCommand(
                'resolve fixed',
                caller({ userId: 'UCAROL', channelId: incident.channelId! }).ctx,
              );
              return target.isMember(...args);
            };
          }
          const value = Reflect.get(target, key, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const first = new IncidentService({
        store: racing,
        slack,
        clock: () => now,
        outbox,
        tasks,
        settings,
        renderer: fakeRenderer,
      });
      const reply = await first.handleCommand(
        'status identified',
        caller({ userId: 'UBOB', channelId: incident.channelId! }).ctx,
      );
      expect(raced).toBe(true);
      expect(reply).toEqual({ kind: 'text', text: expect.stringContaining(':warning:') });
      expect((await store.getIncident(incident.id))!.status).toBe('resolved');
      const kinds = (await store.timeline(incident.id)).map((e) => e.kind);
      expect(kinds.filter((k) => k === 'status')).toEqual([]);
      expect(kinds).toContain('resolved');
    });

    const responders = (status: Incident['status'], summary: string, at = now) => ({
      channelLabel: '#inc-2026-001-database-down',
      audience: 'Responders',
      sentBy: 'UBOB',
      summary,
      at,
      status,
    });
    const stakeholders = (status: Incident['status'], summary: string, at = now) => ({
      channelLabel: 'Announcements',
      audience: 'Stakeholders',
      sentBy: 'UBOB',
      summary,
      at,
      status,
    });

    it('a severity change tells the incident channel (not the log) and refreshes the card', async () => {
      expect(await run('severity P1')).toEqual({ kind: 'text', text: 'Severity is now P1.' });
      expect(await jobsAfter(mark)).toEqual([
        {
          type: 'post_message',
          channel: 'CNEW1',
          text: ':red_circle: Severity P2 → P1 (Critical (production down)) — set by <@UBOB>',
        },
        { type: 'refresh_card' },
        { type: 'refresh_home' },
      ]);
    });

    it('a status change is announced in both channels, logged under the timeline text with the new status', async () => {
      expect(await run('status identified Bad <!here> deploy')).toEqual({
        kind: 'text',
        text: 'Status is now identified.',
      });
      const notice = ':bulb: *Status: identified* — <@UBOB>\n>Bad &lt;!here&gt; deploy';
      const summary = 'Status investigating → identified: Bad <!here> deploy';
      expect(await jobsAfter(mark)).toEqual([
        {
          type: 'post_message',
          channel: 'CNEW1',
          text: notice,
          comms: responders('identified', summary),
        },
        {
          type: 'post_message',
          channel: ANNOUNCE,
          text: `*${incident.id}* · ${notice}`,
          comms: stakeholders('identified', summary),
        },
        { type: 'refresh_card' },
        { type: 'refresh_home' },
      ]);
    });

    it('an update gets its notice from the service, escaped, and is announced', async () => {
      expect(await run('update DB is <b>back</b>')).toEqual({ kind: 'text', text: 'Update posted.' });
      const notice = ':loudspeaker: *Update* (investigating) from <@UBOB>\n>DB is &lt;b&gt;back&lt;/b&gt;';
      const summary = 'Status update: DB is <b>back</b>';
      expect(await jobsAfter(mark)).toEqual([
        { type: 'post_message', channel: 'CNEW1', text: notice, comms: responders('investigating', summary) },
        {
          type: 'post_message',
          channel: ANNOUNCE,
          text: `*${incident.id}* · ${notice}`,
          comms: stakeholders('investigating', summary),
        },
        { type: 'refresh_card' },
      ]);
    });

    it('posts once when ANNOUNCE_CHANNEL is the incident channel itself', async () => {
      settings.announceChannel = incident.channelId;
      await run('status identified');
      const jobs = await jobsAfter(mark);
      expect(jobs.map((j) => (j.type === 'post_message' ? `${j.type} ${j.channel}` : j.type))).toEqual([
        'post_message CNEW1',
        'refresh_card',
        'refresh_home',
      ]);
    });

    it('notes, fields and action items change no card; those without a notice post nothing', async () => {
      expect(await run('note at 10:05 Rolled back')).toEqual({
        kind: 'text',
        text: 'Noted on the timeline (at 2026-02-20 10:05 UTC).',
      });
      expect(await run('set summary The pool ran dry')).toMatchObject({ kind: 'text' });
      expect(await jobsAfter(mark)).toEqual([]);
      expect((await store.timeline(incident.id)).find((e) => e.kind === 'note')).toMatchObject({
        at: T0 + 5 * 60_000,
        actor: 'UBOB',
        text: 'Rolled back',
        recordedAt: now,
      });

      await run('action Add a pool alarm');
      expect(await jobsAfter(mark)).toEqual([
        {
          type: 'post_message',
          channel: 'CNEW1',
          text: ':ballot_box_with_check: *Action item* by <@UBOB>: Add a pool alarm (no owner yet, P3)',
        },
        // A new action item may be someone's: their Home lists it.
        { type: 'refresh_home' },
      ]);
    });

    it('role and done change what is stored: the previous term ends, the numbered item is done', async () => {
      expect(await run('ic <@UBOB>')).toMatchObject({ kind: 'text' });
      expect(
        (await store.roleTerms(incident.id)).map(({ role, userId, to }) => ({ role, userId, to })),
      ).toEqual([
        { role: 'ic', userId: 'UALICE', to: now },
        { role: 'ic', userId: 'UBOB', to: null },
      ]);
      await run('action Add a pool alarm');
      mark = await lastJobId();
      expect(await run('done 1')).toEqual({ kind: 'text', text: 'Action item #1 is done.' });
      expect((await store.actions(incident.id)).map((a) => [a.seq, a.status, a.doneAt])).toEqual([
        [1, 'done', now],
      ]);
      expect(await jobsAfter(mark)).toEqual([
        {
          type: 'post_message',
          channel: 'CNEW1',
          text: ':white_check_mark: Action item #1 done (<@UBOB>): Add a pool alarm',
        },
        { type: 'refresh_home' },
      ]);
    });

    it('announces resolve and reopen; tells only the incident channel of roles, impact start and detection', async () => {
      /** Where each new job goes: `card`, or the channel with `+log` when it is on the communication log. */
      const routes = async () =>
        (await jobsAfter(mark)).map((j) =>
          j.type === 'post_message' ? `${j.channel}${j.comms ? '+log' : ''}` : j.type,
        );
      const step = async (text: string) => {
        mark = await lastJobId();
        const reply = await run(text);
        expect(reply.kind === 'text' && reply.text.startsWith(':warning:')).toBe(false);
        now += 60_000;
        return routes();
      };
      expect(await step('ic <@UCAROL>')).toEqual(['CNEW1', 'refresh_card', 'refresh_home']);
      expect(await step('started 09:55')).toEqual(['CNEW1', 'refresh_card', 'refresh_home']);
      expect(await step('detected 10:01 by <@UDAVE>')).toEqual(['CNEW1', 'refresh_card', 'refresh_home']);
      expect(await step('resolve Pool resized')).toEqual([
        'CNEW1+log',
        `${ANNOUNCE}+log`,
        'refresh_card',
        'refresh_home',
      ]);
      expect(await step('reopen')).toEqual(['CNEW1+log', `${ANNOUNCE}+log`, 'refresh_card', 'refresh_home']);
      const incidentNow = await store.getIncident(incident.id);
      expect(incidentNow).toMatchObject({
        status: 'investigating',
        startedAt: Date.UTC(2026, 1, 20, 9, 55),
        detectedAt: Date.UTC(2026, 1, 20, 10, 1),
        detectedBy: '<@UDAVE>',
      });
    });

    it('a refused change writes nothing and says why', async () => {
      const timeline = await store.timeline(incident.id);
      expect(await run('severity P2')).toEqual({
        kind: 'text',
        text: `:warning: ${incident.id} is already P2.`,
      });
      expect(await jobsAfter(mark)).toEqual([]);
      expect(await store.timeline(incident.id)).toEqual(timeline);
    });

    it('close queues publish_postmortem after the notices and the card; each close after a reopen is the next version', async () => {
      expect(await run('close')).toEqual({
        kind: 'text',
        text: `${incident.id} is closed. Compiling the postmortem…`,
      });
      const notice = `:lock: *${incident.id} closed* by <@UBOB>.`;
      expect(await jobsAfter(mark)).toEqual([
        {
          type: 'post_message',
          channel: 'CNEW1',
          text: notice,
          comms: responders('closed', 'Incident closed'),
        },
        {
          type: 'post_message',
          channel: ANNOUNCE,
          text: `*${incident.id}* · ${notice}`,
          comms: stakeholders('closed', 'Incident closed'),
        },
        { type: 'refresh_card' },
        { type: 'publish_postmortem', version: 1, closedBy: 'UBOB', responseUrl: 'https://r/1' },
        // After the postmortem: the Homes list it among recent postmortems.
        { type: 'refresh_home' },
      ]);

      now += 60_000;
      await run('reopen');
      mark = await lastJobId();
      now += 60_000;
      await run('close', 'UCAROL');
      expect((await jobsAfter(mark)).at(-2)).toEqual({
        type: 'publish_postmortem',
        version: 2,
        closedBy: 'UCAROL',
        responseUrl: 'https://r/1',
      });
    });

    it('show and actions answer with view models of the stored state', async () => {
      await run('action Add a pool alarm @UCAROL');
      const show = await run('show');
      expect(show).toEqual({
        kind: 'show',
        incident: await store.getIncident(incident.id),
        terms: await store.roleTerms(incident.id),
        timeline: await store.timeline(incident.id),
        actions: await store.actions(incident.id),
        timeZone: 'UTC',
        now,
      });
      expect(show.kind === 'show' && show.actions.map((a) => a.text)).toEqual(['Add a pool alarm @UCAROL']);
      expect(await run('actions')).toEqual({
        kind: 'actions',
        incident: await store.getIncident(incident.id),
        actions: await store.actions(incident.id),
      });
    });
  });

  describe('names', () => {
    it('remembers full names from users.info, never the handles commands carry', async () => {
      slack = new FakeSlack({
        lookupUser: async (id) => ({
          id,
          name: id === 'UBOB' ? 'Bob Baker' : null,
          deleted: false,
          isBot: false,
        }),
      });
      const incident = await storedIncident(store);
      const { ctx } = caller({ userName: 'alice', channelId: incident.channelId! });
      await service().handleCommand('ic <@UBOB|bob>', ctx);
      await service().handleCommand('tech <@UCAROL|carol>', ctx);
      await service().handleCommand('note <@WENT1|ent> said hi', ctx);
      expect(await store.people(['UALICE', 'UBOB', 'UCAROL', 'WENT1'])).toEqual({ UBOB: 'Bob Baker' });
    });

    it('saves nothing when Slack gave no names', async () => {
      await service().handleCommand('help', caller({ userName: null }).ctx);
      expect(await store.people(['UALICE'])).toEqual({});
    });
  });
});
