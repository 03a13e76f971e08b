/**
 * The Store contract: what every Store implementation must do, written against the `Store`
 * interface alone (no SQL, no reaching into a database handle). An implementation runs it with
 * `describeStoreContract('SqliteStore', factory)`; the factory opens a fresh, empty store.
 */

import type { ChangeSet, OutboxJob } from '../../src/domain/changes';
import { draftIncident } from '../../src/domain/lifecycle';
import type { Incident, IncidentStatus } from '../../src/domain/types';
import type { CaptureBatch, MessageUpsert, NewIncident, ReactionChange, Store } from '../../src/storage';

/** A fresh, empty store, and how to get rid of it (close it and remove what it made). */
export interface OpenedStore {
  store: Store;
  dispose(): Promise<void>;
}

export type StoreFactory = () => Promise<OpenedStore>;

const CHANNEL = 'CINC1';

const draft = (declaredAt: number, title = 'Something broke'): NewIncident =>
  draftIncident({ title, severity: 'P2', declaredBy: 'UALICE', originChannelId: 'CGENERAL', declaredAt });

const message = (incidentId: string, ts: string, over: Partial<MessageUpsert> = {}): MessageUpsert => ({
  incidentId,
  channelId: CHANNEL,
  ts,
  threadTs: null,
  userId: 'UALICE',
  botId: null,
  text: `m ${ts}`,
  files: [],
  version: '',
  editedAt: null,
  ...over,
});

const reaction = (ts: string, over: Partial<ReactionChange> = {}): ReactionChange => ({
  channelId: CHANNEL,
  ts,
  userId: 'UBOB',
  emoji: 'pushpin',
  purpose: 'timeline',
  present: true,
  changedAt: '1780000000.000001',
  ...over,
});

const batch = (over: Partial<CaptureBatch>): CaptureBatch => ({ eventId: null, now: 1, ...over });

const post = (channel: string, text: string): OutboxJob => ({ type: 'post_message', channel, text });

/** Runs the whole Store contract against stores made by `factory`. */
export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`${name} (Store contract)`, () => {
    let opened: OpenedStore;
    let store: Store;

    beforeEach(async () => {
      opened = await factory();
      store = opened.store;
    });

    afterEach(async () => {
      await opened.dispose();
    });

    /** An incident with a channel (as after a completed declaration). */
    async function incidentWithChannel(
      declaredAt: number,
      over: Partial<Incident> = {},
      channelId = `C${declaredAt}`,
    ): Promise<Incident> {
      const created = await store.createIncident(draft(declaredAt), 2026);
      const incident: Incident = { ...created, channelId, channelName: `inc-${declaredAt}`, ...over };
      await store.applyChange(incident.id, { incident }, declaredAt);
      return incident;
    }

    describe('incidents', () => {
      it('answers a ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });

      it('numbers incidents per year, and declarations in the same millisecond never share an id', async () => {
        const at = Date.parse('2026-06-01T12:00:00Z');
        const ids = (
          await Promise.all(Array.from({ length: 20 }, () => store.createIncident(draft(at), 2026)))
        ).map((i) => i.id);
        expect(new Set(ids).size).toBe(20);
        expect(ids).toContain('INC-2026-001');
        expect(ids).toContain('INC-2026-020');
        const nextYear = await store.createIncident(draft(Date.parse('2027-01-01T00:00:00Z')), 2027);
        expect(nextYear.id).toBe('INC-2027-001');
        expect(nextYear).toMatchObject({ year: 2027, seq: 1 });
      });

      it('stores the draft as given and reads it back by id', async () => {
        const at = Date.parse('2026-06-01T12:00:00Z');
        const created = await store.createIncident(draft(at, 'Pool exhausted'), 2026);
        expect(created).toEqual({ ...draft(at, 'Pool exhausted'), id: 'INC-2026-001', year: 2026, seq: 1 });
        expect(await store.getIncident(created.id)).toEqual(created);
        expect(await store.getIncident('INC-2026-999')).toBeNull();
      });

      it('sweeps drafts left by an interrupted declaration, and only old ones', async () => {
        const old = await store.createIncident(draft(1000), 1970);
        const fresh = await store.createIncident(draft(5000), 1970);
        expect(await store.sweepDrafts(2000)).toBe(1);
        expect(await store.getIncident(old.id)).toBeNull();
        expect(await store.getIncident(fresh.id)).not.toBeNull();
      });

      it('never sweeps an incident that has a channel', async () => {
        const incident = await incidentWithChannel(1000);
        expect(await store.sweepDrafts(5000)).toBe(0);
        expect(await store.getIncident(incident.id)).not.toBeNull();
      });

      it('discards only an incident that never got a channel', async () => {
        const a = await store.createIncident(draft(Date.now()), 2026);
        await store.discardIncident(a.id);
        expect(await store.getIncident(a.id)).toBeNull();
        const b = await store.createIncident(draft(Date.now()), 2026);
        await store.applyChange(
          b.id,
          { incident: { ...b, channelId: 'C1', channelName: 'inc' } },
          Date.now(),
        );
        await store.discardIncident(b.id);
        expect(await store.getIncident(b.id)).not.toBeNull();
      });

      it('keeps whether an incident is private, public by default', async () => {
        const open = await store.createIncident(draft(1000), 2026);
        expect(open.isPrivate).toBe(false);
        const secret = await store.createIncident(
          draftIncident({
            title: 'Secret',
            severity: 'P1',
            declaredBy: 'UALICE',
            originChannelId: null,
            declaredAt: 2000,
            isPrivate: true,
          }),
          2026,
        );
        expect((await store.getIncident(secret.id))?.isPrivate).toBe(true);
        await store.applyChange(
          secret.id,
          { incident: { ...secret, channelId: 'CSECRET', channelName: 's' } },
          3000,
        );
        expect(await store.findIncidentByChannel('CSECRET')).toMatchObject({
          isPrivate: true,
          channelName: 's',
        });
        expect((await store.getIncident(open.id))?.isPrivate).toBe(false);
      });

      it('finds an incident by its channel', async () => {
        const incident = await incidentWithChannel(1000, {}, 'CFIND');
        expect(await store.findIncidentByChannel('CFIND')).toEqual(incident);
        expect(await store.findIncidentByChannel('CNONE')).toBeNull();
      });

      it('keeps the card ts when a change set rewrites the incident', async () => {
        const incident = await store.createIncident(draft(Date.now()), 2026);
        await store.setCardTs(incident.id, '123.456');
        await store.applyChange(incident.id, { incident: { ...incident, severity: 'P1' } }, Date.now());
        expect(await store.getIncident(incident.id)).toMatchObject({ severity: 'P1', cardTs: '123.456' });
      });
    });

    describe('listIncidents', () => {
      /** A: investigating, B: resolved, C: closed, D: monitoring, plus a channel-less draft. */
      async function mixed() {
        const a = await incidentWithChannel(1000);
        const b = await incidentWithChannel(2000, { status: 'resolved', resolvedAt: 9000 });
        const c = await incidentWithChannel(3000, { status: 'closed', resolvedAt: 4000, closedAt: 5000 });
        const d = await incidentWithChannel(4000, { status: 'monitoring' });
        await store.createIncident(draft(6000), 2026);
        return { a, b, c, d };
      }
      const ids = (list: Incident[]) => list.map((i) => i.id);

      it("'open': not resolved or closed, newest declaration first", async () => {
        const { a, d } = await mixed();
        expect(ids(await store.listIncidents('open', 10))).toEqual([d.id, a.id]);
      });

      it("'closed': resolved or closed, most recently resolved first", async () => {
        const { b, c } = await mixed();
        expect(ids(await store.listIncidents('closed', 10))).toEqual([b.id, c.id]);
      });

      it("'unclosed': everything not closed yet (resolved included), newest first", async () => {
        const { a, b, d } = await mixed();
        expect(ids(await store.listIncidents('unclosed', 10))).toEqual([d.id, b.id, a.id]);
      });

      it("'all': every incident with a channel, newest first; drafts never", async () => {
        const { a, b, c, d } = await mixed();
        expect(ids(await store.listIncidents('all', 10))).toEqual([d.id, c.id, b.id, a.id]);
      });

      it('breaks ties of declaration time by number, newest first, and honours the limit', async () => {
        const first = await incidentWithChannel(1000, {}, 'CT1');
        const second = await incidentWithChannel(1000, {}, 'CT2');
        expect(ids(await store.listIncidents('all', 10))).toEqual([second.id, first.id]);
        for (const filter of ['open', 'unclosed', 'all'] as const) {
          expect(ids(await store.listIncidents(filter, 1))).toEqual([second.id]);
        }
      });
    });

    describe('applyChange', () => {
      it('writes every part of a change set', async () => {
        const incident = await incidentWithChannel(1000);
        const change: ChangeSet = {
          incident: { ...incident, status: 'identified', identifiedAt: 2000 },
          newRoleTerms: [{ role: 'ic', userId: 'UALICE', from: 1000, to: null, assignedBy: 'UALICE' }],
          timeline: [
            {
              kind: 'status',
              at: 2000,
              actor: 'UALICE',
              text: 'Identified',
              ref: 'identified',
              recordedAt: 2000,
            },
          ],
          comms: [
            {
              at: 2000,
              channelId: 'CANN',
              channelLabel: 'announcements',
              summary: 'We know why',
              audience: 'everyone',
              sentBy: 'UALICE',
              status: 'identified',
            },
          ],
          actions: [
            {
              text: 'Add an alert',
              owner: 'UBOB',
              due: '2026-07-01',
              priority: 'P2',
              status: 'open',
              createdAt: 2000,
              createdBy: 'UALICE',
              doneAt: null,
              sourceRef: null,
            },
          ],
          fields: [{ field: 'summary', value: 'Pool ran dry', at: 2000, author: 'UALICE', sourceRef: null }],
          outbox: [{ type: 'refresh_card' }],
        };
        await store.applyChange(incident.id, change, 2500);
        expect(await store.getIncident(incident.id)).toMatchObject({
          status: 'identified',
          identifiedAt: 2000,
        });
        expect(await store.roleTerms(incident.id)).toEqual([
          expect.objectContaining({
            incidentId: incident.id,
            role: 'ic',
            userId: 'UALICE',
            from: 1000,
            to: null,
          }),
        ]);
        expect(await store.timeline(incident.id)).toEqual([
          expect.objectContaining({
            incidentId: incident.id,
            kind: 'status',
            text: 'Identified',
            ref: 'identified',
          }),
        ]);
        expect(await store.comms(incident.id)).toEqual([
          expect.objectContaining({
            incidentId: incident.id,
            channelLabel: 'announcements',
            summary: 'We know why',
          }),
        ]);
        expect(await store.actions(incident.id)).toEqual([
          expect.objectContaining({
            incidentId: incident.id,
            seq: 1,
            text: 'Add an alert',
            owner: 'UBOB',
            due: '2026-07-01',
          }),
        ]);
        expect(await store.fields(incident.id)).toEqual([
          expect.objectContaining({ incidentId: incident.id, field: 'summary', value: 'Pool ran dry' }),
        ]);
        expect(await store.dueJobs(2500, 10)).toEqual([
          expect.objectContaining({
            incidentId: incident.id,
            job: { type: 'refresh_card' },
            attempts: 0,
            nextAttemptAt: 2500,
            createdAt: 2500,
          }),
        ]);
      });

      it('applies a change set atomically: nothing is written when one part fails', async () => {
        const incident = await store.createIncident(draft(Date.now()), 2026);
        await expect(
          store.applyChange(
            incident.id,
            {
              timeline: [{ kind: 'note', at: 1, actor: 'U1', text: 'kept?', ref: null, recordedAt: 1 }],
              outbox: [{ type: 'refresh_card' }],
              // Not a role: the store must refuse it.
              newRoleTerms: [{ role: 'boss' as never, userId: 'U1', from: 1, to: null, assignedBy: 'U1' }],
            },
            Date.now(),
          ),
        ).rejects.toBeDefined();
        expect(await store.timeline(incident.id)).toHaveLength(0);
        expect(await store.roleTerms(incident.id)).toHaveLength(0);
        expect(await store.pendingJobs()).toBe(0);
      });
    });

    describe('role terms', () => {
      it('ends the current term of a role and starts the next, ordered by start', async () => {
        const incident = await incidentWithChannel(1000);
        await store.applyChange(
          incident.id,
          {
            newRoleTerms: [
              { role: 'tech', userId: 'UCAROL', from: 1500, to: null, assignedBy: 'UALICE' },
              { role: 'ic', userId: 'UALICE', from: 1000, to: null, assignedBy: 'UALICE' },
            ],
          },
          1500,
        );
        await store.applyChange(
          incident.id,
          {
            endRoleTerms: [{ role: 'ic', at: 3000 }],
            newRoleTerms: [{ role: 'ic', userId: 'UBOB', from: 3000, to: null, assignedBy: 'UALICE' }],
          },
          3000,
        );
        const terms = await store.roleTerms(incident.id);
        expect(terms.map((t) => [t.role, t.userId, t.from, t.to, t.assignedBy])).toEqual([
          ['ic', 'UALICE', 1000, 3000, 'UALICE'],
          ['tech', 'UCAROL', 1500, null, 'UALICE'],
          ['ic', 'UBOB', 3000, null, 'UALICE'],
        ]);
        expect(new Set(terms.map((t) => t.id)).size).toBe(3);
      });
    });

    describe('timeline', () => {
      it('sorts by when things happened, then when recorded, then in the order written', async () => {
        const incident = await incidentWithChannel(1000);
        const note = (at: number, recordedAt: number, text: string) => ({
          kind: 'note' as const,
          at,
          actor: 'UALICE',
          text,
          ref: null,
          recordedAt,
        });
        await store.applyChange(
          incident.id,
          {
            timeline: [
              note(3000, 3000, 'late'),
              note(2000, 2600, 'recorded later'),
              note(2000, 2500, 'recorded first'),
            ],
          },
          3000,
        );
        await store.applyChange(
          incident.id,
          { timeline: [note(2000, 2600, 'same as an earlier one')] },
          3000,
        );
        expect((await store.timeline(incident.id)).map((e) => e.text)).toEqual([
          'recorded first',
          'recorded later',
          'same as an earlier one',
          'late',
        ]);
      });

      it('adds a pin at the message time for a message with a timeline reaction, while the reaction and message last', async () => {
        const incident = await incidentWithChannel(1000, {}, CHANNEL);
        await store.applyChange(
          incident.id,
          {
            timeline: [
              {
                kind: 'note',
                at: 1_500_000,
                actor: 'UALICE',
                text: 'note',
                ref: null,
                recordedAt: 9_000_000,
              },
            ],
          },
          9_000_000,
        );
        await store.applyCapture(
          batch({
            messages: [
              message(incident.id, '2000.000000', { text: 'after the note' }),
              message(incident.id, '1000.000000', { text: 'before the note' }),
              message(incident.id, '1200.000000', { text: 'not pinned' }),
            ],
            reactions: [reaction('2000.000000'), reaction('1000.000000', { userId: 'UCAROL' })],
          }),
        );
        const timeline = await store.timeline(incident.id);
        expect(timeline.map((e) => [e.kind, e.text])).toEqual([
          ['pin', 'before the note'],
          ['note', 'note'],
          ['pin', 'after the note'],
        ]);
        expect(timeline[0]).toMatchObject({
          incidentId: incident.id,
          at: 1_000_000,
          actor: 'UALICE',
          ref: '1000.000000',
        });

        await store.applyCapture(
          batch({
            reactions: [
              reaction('1000.000000', { userId: 'UCAROL', present: false, changedAt: '1780000000.000002' }),
            ],
            deletions: [{ incidentId: incident.id, channelId: CHANNEL, ts: '2000.000000' }],
          }),
        );
        expect((await store.timeline(incident.id)).map((e) => e.kind)).toEqual(['note']);
      });
    });

    describe('comms', () => {
      it('lists the communication log by time, then in the order written', async () => {
        const incident = await incidentWithChannel(1000);
        const entry = (at: number, summary: string, status: IncidentStatus = 'investigating') => ({
          at,
          channelId: 'CANN',
          channelLabel: 'announcements',
          summary,
          audience: 'everyone',
          sentBy: null,
          status,
        });
        await store.applyChange(
          incident.id,
          { comms: [entry(3000, 'third', 'resolved'), entry(2000, 'first')] },
          3000,
        );
        await store.applyChange(incident.id, { comms: [entry(2000, 'second')] }, 3000);
        const comms = await store.comms(incident.id);
        expect(comms.map((c) => c.summary)).toEqual(['first', 'second', 'third']);
        expect(comms[2]).toMatchObject({
          incidentId: incident.id,
          status: 'resolved',
          sentBy: null,
          channelId: 'CANN',
        });
      });
    });

    describe('action items', () => {
      const item = (text: string) => ({
        text,
        owner: null,
        due: null,
        priority: 'P3' as const,
        status: 'open' as const,
        createdAt: 1000,
        createdBy: 'UALICE',
        doneAt: null,
        sourceRef: null,
      });

      it('lists the open items across every incident with a channel', async () => {
        const one = await incidentWithChannel(1000);
        const two = await incidentWithChannel(2000);
        const draftOnly = await store.createIncident(draft(3000), 2026);
        const owned = (text: string) => ({ ...item(text), owner: 'UBOB' });
        await store.applyChange(two.id, { actions: [owned('t1'), item('nobody'), owned('t3')] }, 1000);
        await store.applyChange(one.id, { actions: [owned('o1'), owned('o2')] }, 1000);
        await store.applyChange(one.id, { actionUpdates: [{ seq: 1, status: 'done', doneAt: 1500 }] }, 1500);
        await store.applyChange(draftOnly.id, { actions: [owned('no channel yet')] }, 3000);
        expect((await store.openActions()).map((a) => [a.incidentId, a.seq, a.text])).toEqual([
          [one.id, 2, 'o2'],
          [two.id, 1, 't1'],
          [two.id, 2, 'nobody'],
          [two.id, 3, 't3'],
        ]);
      });

      it('numbers items per incident from 1, across change sets, and marks them done', async () => {
        const one = await incidentWithChannel(1000);
        const two = await incidentWithChannel(2000);
        await store.applyChange(one.id, { actions: [item('a'), item('b')] }, 1000);
        await store.applyChange(two.id, { actions: [item('x')] }, 1000);
        await store.applyChange(one.id, { actions: [item('c')] }, 1000);
        expect((await store.actions(one.id)).map((a) => [a.seq, a.text])).toEqual([
          [1, 'a'],
          [2, 'b'],
          [3, 'c'],
        ]);
        expect((await store.actions(two.id)).map((a) => [a.seq, a.text])).toEqual([[1, 'x']]);
        await store.applyChange(one.id, { actionUpdates: [{ seq: 2, status: 'done', doneAt: 5000 }] }, 5000);
        expect((await store.actions(one.id)).map((a) => [a.seq, a.status, a.doneAt])).toEqual([
          [1, 'open', null],
          [2, 'done', 5000],
          [3, 'open', null],
        ]);
      });

      describe('from ☑️ reactions', () => {
        const ts = '1780000000.000100';
        const check = (over: Partial<ReactionChange> = {}) =>
          reaction(ts, { emoji: 'ballot_box_with_check', purpose: 'action', ...over });

        it('becomes an open P3 item, numbered after the others, with the decoded text, whichever comes first', async () => {
          const a = await incidentWithChannel(1000, {}, CHANNEL);
          await store.applyChange(a.id, { actions: [item('written')] }, 1000);
          // Reaction first, message later.
          await store.applyCapture(batch({ now: 7000, reactions: [check()] }));
          expect(await store.actions(a.id)).toHaveLength(1);
          await store.applyCapture(
            batch({
              now: 8000,
              messages: [message(a.id, ts, { userId: 'UCAROL', text: 'Fix &lt;pool&gt; &amp; alert' })],
            }),
          );
          expect((await store.actions(a.id))[1]).toMatchObject({
            incidentId: a.id,
            seq: 2,
            text: 'Fix <pool> & alert',
            priority: 'P3',
            status: 'open',
            owner: null,
            due: null,
            createdAt: 8000,
            createdBy: 'UCAROL',
            doneAt: null,
            sourceRef: ts,
          });

          // Message first, reaction later (another message).
          const later = '1780000100.000100';
          await store.applyCapture(
            batch({ now: 9000, messages: [message(a.id, later, { text: 'Second' })] }),
          );
          expect(await store.actions(a.id)).toHaveLength(2);
          await store.applyCapture(batch({ now: 9500, reactions: [check({ ts: later })] }));
          expect((await store.actions(a.id)).map((x) => [x.seq, x.text, x.createdAt])).toEqual([
            [1, 'written', 1000],
            [2, 'Fix <pool> & alert', 8000],
            [3, 'Second', 9500],
          ]);
        });

        it('keeps the text in step with edits, and a second ☑️ makes no second item', async () => {
          const a = await incidentWithChannel(1000, {}, CHANNEL);
          await store.applyCapture(
            batch({ messages: [message(a.id, ts, { text: 'Old' })], reactions: [check()] }),
          );
          await store.applyCapture(batch({ reactions: [check({ userId: 'UCAROL' })] }));
          await store.applyCapture(
            batch({
              messages: [message(a.id, ts, { text: 'New &amp; better', version: '1780000200.000000' })],
            }),
          );
          expect((await store.actions(a.id)).map((x) => [x.seq, x.text])).toEqual([[1, 'New & better']]);
        });

        it('goes away when the last ☑️ goes or the message is deleted, but a done item stays', async () => {
          const a = await incidentWithChannel(1000, {}, CHANNEL);
          const other = '1780000300.000100';
          await store.applyCapture(
            batch({
              messages: [message(a.id, ts), message(a.id, other)],
              reactions: [check(), check({ userId: 'UCAROL' }), check({ ts: other })],
            }),
          );
          expect(await store.actions(a.id)).toHaveLength(2);
          await store.applyCapture(
            batch({ reactions: [check({ present: false, changedAt: '1780000000.000002' })] }),
          );
          expect(await store.actions(a.id)).toHaveLength(2);
          await store.applyCapture(
            batch({
              reactions: [check({ userId: 'UCAROL', present: false, changedAt: '1780000000.000002' })],
            }),
          );
          expect((await store.actions(a.id)).map((x) => x.sourceRef)).toEqual([other]);
          await store.applyCapture(
            batch({ deletions: [{ incidentId: a.id, channelId: CHANNEL, ts: other }] }),
          );
          expect(await store.actions(a.id)).toEqual([]);

          // A done item is history: edits, unreactions and deletion leave it alone.
          const done = '1780000400.000100';
          await store.applyCapture(
            batch({
              messages: [message(a.id, done, { text: 'Done one' })],
              reactions: [check({ ts: done })],
            }),
          );
          const [made] = await store.actions(a.id);
          await store.applyChange(
            a.id,
            { actionUpdates: [{ seq: made!.seq, status: 'done', doneAt: 5000 }] },
            5000,
          );
          await store.applyCapture(
            batch({ messages: [message(a.id, done, { text: 'Edited', version: '1780000500.000000' })] }),
          );
          await store.applyCapture(
            batch({ reactions: [check({ ts: done, present: false, changedAt: '1780000000.000003' })] }),
          );
          await store.applyCapture(
            batch({ deletions: [{ incidentId: a.id, channelId: CHANNEL, ts: done }] }),
          );
          expect((await store.actions(a.id)).map((x) => [x.text, x.status])).toEqual([['Done one', 'done']]);
        });
      });
    });

    describe('fields', () => {
      it('lists written fields by time, plus a lessons bullet for each message with a lesson reaction', async () => {
        const incident = await incidentWithChannel(1000, {}, CHANNEL);
        await store.applyChange(
          incident.id,
          {
            fields: [
              { field: 'went-well', value: 'later', at: 3_000_000, author: 'UALICE', sourceRef: null },
              { field: 'summary', value: 'earlier', at: 1_500_000, author: 'UALICE', sourceRef: null },
            ],
          },
          3_000_000,
        );
        await store.applyCapture(
          batch({
            messages: [message(incident.id, '2000.000000', { userId: 'UCAROL', text: 'Alert sooner' })],
            reactions: [reaction('2000.000000', { emoji: 'bulb', purpose: 'lesson' })],
          }),
        );
        const fields = await store.fields(incident.id);
        expect(fields.map((f) => [f.field, f.value])).toEqual([
          ['summary', 'earlier'],
          ['lessons', 'Alert sooner'],
          ['went-well', 'later'],
        ]);
        expect(fields[1]).toMatchObject({
          incidentId: incident.id,
          at: 2_000_000,
          author: 'UCAROL',
          sourceRef: '2000.000000',
        });
      });
    });

    describe('capture batches', () => {
      it('remembers delivered event ids until they are pruned', async () => {
        expect(await store.applyCapture({ eventId: 'Ev1', now: 1000 })).toBe(true);
        expect(await store.applyCapture({ eventId: 'Ev1', now: 2000 })).toBe(false);
        expect(await store.pruneProcessedEvents(1500)).toBe(1);
        expect(await store.pruneProcessedEvents(1500)).toBe(0);
        expect(await store.applyCapture({ eventId: 'Ev1', now: 3000 })).toBe(true);
      });

      it('skips a re-delivered batch whole, and never dedupes a batch without an event id', async () => {
        const incident = await incidentWithChannel(1000, {}, CHANNEL);
        const first = batch({ eventId: 'Ev9', messages: [message(incident.id, '10.000000')] });
        expect(await store.applyCapture(first)).toBe(true);
        const again = batch({
          eventId: 'Ev9',
          messages: [message(incident.id, '20.000000')],
          outbox: [{ incidentId: incident.id, job: { type: 'refresh_card' } }],
        });
        expect(await store.applyCapture(again)).toBe(false);
        expect((await store.messages(incident.id)).map((m) => m.ts)).toEqual(['10.000000']);
        expect(await store.pendingJobs()).toBe(0);
        expect(await store.applyCapture(batch({ messages: [message(incident.id, '30.000000')] }))).toBe(true);
        expect(await store.applyCapture(batch({ messages: [message(incident.id, '30.000000')] }))).toBe(true);
        expect((await store.messages(incident.id)).map((m) => m.ts)).toEqual(['10.000000', '30.000000']);
      });

      it('applies batches atomically: one bad batch rolls back alone, its event id with it', async () => {
        const incident = await store.createIncident(draft(Date.now()), 2026);
        const m = (ts: string) =>
          message(incident.id, ts, { channelId: 'C1', userId: 'U1', text: `m ${ts}` });
        const results = await Promise.allSettled([
          store.applyCapture({ eventId: 'A', now: 1, messages: [m('1.000001')] }),
          store.applyCapture({
            eventId: 'B',
            now: 1,
            messages: [m('2.000001')],
            // An unknown purpose: the store must refuse it, and this batch must vanish whole.
            reactions: [
              reaction('2.000001', {
                channelId: 'C1',
                userId: 'U1',
                emoji: 'x',
                purpose: 'nope' as never,
                changedAt: '1',
              }),
            ],
          }),
          store.applyCapture({ eventId: 'C', now: 1, messages: [m('3.000001')] }),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((await store.messages(incident.id)).map((x) => x.ts)).toEqual(['1.000001', '3.000001']);
        // B's event id was rolled back with it, so a retry of B can still apply.
        expect(await store.applyCapture({ eventId: 'B', now: 2, messages: [m('2.000001')] })).toBe(true);
      });

      it('keeps the newest edit of a message: an older version never overrides a newer one', async () => {
        const incident = await incidentWithChannel(1000, {}, CHANNEL);
        const ts = '1780000000.000100';
        await store.applyCapture(
          batch({
            messages: [
              message(incident.id, ts, {
                text: 'original',
                threadTs: '1780000000.000001',
                files: [{ name: 'a.png' }],
              }),
            ],
          }),
        );
        await store.applyCapture(
          batch({
            messages: [
              message(incident.id, ts, {
                text: 'second edit',
                version: '1780000200.000000',
                editedAt: 1780000200000,
                threadTs: null,
                files: [{ name: 'b.png', permalink: 'https://x/b' }],
              }),
            ],
          }),
        );
        await store.applyCapture(
          batch({
            messages: [
              message(incident.id, ts, {
                text: 'first edit',
                version: '1780000100.000000',
                editedAt: 1780000100000,
              }),
            ],
          }),
        );
        await store.applyCapture(batch({ messages: [message(incident.id, ts, { text: 'original again' })] }));
        expect(await store.getMessage(CHANNEL, ts)).toEqual({
          incidentId: incident.id,
          channelId: CHANNEL,
          ts,
          at: 1780000000000,
          threadTs: '1780000000.000001',
          userId: 'UALICE',
          botId: null,
          text: 'second edit',
          files: [{ name: 'b.png', permalink: 'https://x/b' }],
          editedAt: 1780000200000,
          deleted: false,
          version: '1780000200.000000',
        });
      });

      it('keeps a deleted message as an empty tombstone that later deliveries never bring back', async () => {
        const incident = await incidentWithChannel(1000, {}, CHANNEL);
        await store.applyCapture(
          batch({
            messages: [
              message(incident.id, '10.000000', { files: [{ name: 'f' }] }),
              message(incident.id, '20.000000'),
            ],
          }),
        );
        await store.applyCapture(
          batch({ deletions: [{ incidentId: incident.id, channelId: CHANNEL, ts: '10.000000' }] }),
        );
        // A deletion may arrive before the message itself.
        await store.applyCapture(
          batch({ deletions: [{ incidentId: incident.id, channelId: CHANNEL, ts: '30.000000' }] }),
        );
        await store.applyCapture(
          batch({
            messages: [
              message(incident.id, '10.000000', { version: '99.000000' }),
              message(incident.id, '30.000000'),
            ],
          }),
        );
        expect((await store.messages(incident.id)).map((m) => m.ts)).toEqual(['20.000000']);
        expect(await store.getMessage(CHANNEL, '10.000000')).toMatchObject({
          deleted: true,
          text: '',
          files: [],
        });
        expect(await store.getMessage(CHANNEL, '30.000000')).toMatchObject({
          incidentId: incident.id,
          deleted: true,
          text: '',
        });
        expect(await store.getMessage(CHANNEL, '40.000000')).toBeNull();
      });

      it('keeps the newest reaction change, and lists the reactions present on a message', async () => {
        const incident = await incidentWithChannel(1000, {}, CHANNEL);
        const ts = '10.000000';
        await store.applyCapture(batch({ messages: [message(incident.id, ts)] }));
        await store.applyCapture(batch({ reactions: [reaction(ts, { changedAt: '200.000000' })] }));
        // An older removal arrives late: it must not win.
        await store.applyCapture(
          batch({ reactions: [reaction(ts, { present: false, changedAt: '100.000000' })] }),
        );
        await store.applyCapture(
          batch({
            reactions: [
              reaction(ts, { userId: 'UCAROL', emoji: 'bulb', purpose: 'lesson', changedAt: '150.000000' }),
            ],
          }),
        );
        const on = await store.reactionsOn(CHANNEL, ts);
        expect(on.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([
          {
            channelId: CHANNEL,
            ts,
            userId: 'UBOB',
            emoji: 'pushpin',
            purpose: 'timeline',
            present: true,
            changedAt: '200.000000',
          },
          {
            channelId: CHANNEL,
            ts,
            userId: 'UCAROL',
            emoji: 'bulb',
            purpose: 'lesson',
            present: true,
            changedAt: '150.000000',
          },
        ]);
        await store.applyCapture(
          batch({ reactions: [reaction(ts, { present: false, changedAt: '300.000000' })] }),
        );
        expect((await store.reactionsOn(CHANNEL, ts)).map((r) => r.userId)).toEqual(['UCAROL']);
        expect(await store.reactionsOn(CHANNEL, '99.000000')).toEqual([]);
      });

      it('keeps the earliest join of each participant', async () => {
        const incident = await incidentWithChannel(1000, {}, CHANNEL);
        await store.applyCapture(
          batch({ participants: [{ incidentId: incident.id, userId: 'UBOB', joinedAt: 200 }] }),
        );
        await store.applyCapture(
          batch({
            participants: [
              { incidentId: incident.id, userId: 'UBOB', joinedAt: 100 },
              { incidentId: incident.id, userId: 'UCAROL', joinedAt: 150 },
            ],
          }),
        );
        await store.applyCapture(
          batch({ participants: [{ incidentId: incident.id, userId: 'UBOB', joinedAt: 300 }] }),
        );
        expect(await store.participants(incident.id)).toEqual([
          { userId: 'UBOB', joinedAt: 100 },
          { userId: 'UCAROL', joinedAt: 150 },
        ]);
      });

      it('follows leaves as well as joins: a member is someone whose latest join is after their latest leave', async () => {
        const incident = await incidentWithChannel(1000, {}, CHANNEL);
        const joins = (userId: string, joinedAt: number) =>
          store.applyCapture(batch({ participants: [{ incidentId: incident.id, userId, joinedAt }] }));
        const leaves = (userId: string, leftAt: number) =>
          store.applyCapture(batch({ departures: [{ incidentId: incident.id, userId, leftAt }] }));
        expect(await store.isMember(incident.id, 'UBOB')).toBe(false);
        await joins('UBOB', 100);
        expect(await store.isMember(incident.id, 'UBOB')).toBe(true);
        await leaves('UBOB', 200);
        expect(await store.isMember(incident.id, 'UBOB')).toBe(false);
        await joins('UBOB', 300);
        expect(await store.isMember(incident.id, 'UBOB')).toBe(true);
        // A late leave from before the latest join changes nothing.
        await leaves('UBOB', 250);
        expect(await store.isMember(incident.id, 'UBOB')).toBe(true);
        // A leave delivered before its join: not a member, and not listed as a participant.
        await leaves('UCAROL', 500);
        await joins('UCAROL', 400);
        expect(await store.isMember(incident.id, 'UCAROL')).toBe(false);
        await leaves('UDAVE', 600);
        expect(await store.isMember(incident.id, 'UDAVE')).toBe(false);
        // Who left stays a participant of the incident, with their first join.
        expect(await store.participants(incident.id)).toEqual([
          { userId: 'UBOB', joinedAt: 100 },
          { userId: 'UCAROL', joinedAt: 400 },
        ]);
        // Membership is per incident.
        const other = await incidentWithChannel(2000, {}, 'COTHER');
        expect(await store.isMember(other.id, 'UBOB')).toBe(false);
      });

      it('stores the outbox jobs of a batch with it', async () => {
        const incident = await incidentWithChannel(1000, {}, CHANNEL);
        const job: OutboxJob = { type: 'fetch_message', channel: CHANNEL, ts: '10.000000', threadTs: null };
        await store.applyCapture(batch({ now: 4000, outbox: [{ incidentId: incident.id, job }] }));
        expect(await store.pendingJobs()).toBe(1);
        expect(await store.dueJobs(4000, 10)).toEqual([
          {
            id: expect.any(Number),
            incidentId: incident.id,
            job,
            attempts: 0,
            nextAttemptAt: 4000,
            createdAt: 4000,
            claims: 0,
          },
        ]);
      });
    });

    describe('messages', () => {
      it('lists live messages oldest first and names the newest ts numerically', async () => {
        const incident = await incidentWithChannel(1000, {}, CHANNEL);
        const other = await incidentWithChannel(2000, {}, 'COTHER');
        expect(await store.lastMessageTs(incident.id)).toBeNull();
        await store.applyCapture(
          batch({
            messages: [
              message(incident.id, '1000.000002'),
              message(incident.id, '999.000001'),
              message(incident.id, '1000.000001', { threadTs: '999.000001', botId: 'BWATCH', userId: null }),
              message(other.id, '5000.000000', { channelId: 'COTHER' }),
            ],
          }),
        );
        const messages = await store.messages(incident.id);
        expect(messages.map((m) => m.ts)).toEqual(['999.000001', '1000.000001', '1000.000002']);
        expect(messages[1]).toMatchObject({
          threadTs: '999.000001',
          botId: 'BWATCH',
          userId: null,
          at: 1_000_000,
        });
        expect(await store.lastMessageTs(incident.id)).toBe('1000.000002');
        expect(await store.lastMessageTs(other.id)).toBe('5000.000000');
      });
    });

    describe('people', () => {
      it('remembers names, renames, ignores blank names and leaves unknown ids out', async () => {
        await store.savePeople({ UALICE: 'Alice', UBOB: 'Bob', UBLANK: '  ' }, 1000);
        await store.savePeople({ UBOB: 'Robert' }, 2000);
        await store.savePeople({}, 3000);
        expect(await store.people(['UALICE', 'UBOB', 'UBLANK', 'UNONE'])).toEqual({
          UALICE: 'Alice',
          UBOB: 'Robert',
        });
        expect(await store.people([])).toEqual({});
      });
    });

    describe('reminders', () => {
      it('records a key once, queueing its job only the first time', async () => {
        const incident = await incidentWithChannel(1000);
        const job = post(incident.channelId!, 'no update for 15 min');
        expect(await store.recordReminder('update:a:1', incident.id, job, 2000)).toBe(true);
        expect(await store.recordReminder('update:a:1', incident.id, post('C1', 'again'), 3000)).toBe(false);
        expect(await store.recordReminder('update:a:2', incident.id, post('C1', 'second'), 4000)).toBe(true);
        const jobs = await store.dueJobs(10_000, 10);
        expect(jobs.map((j) => [j.incidentId, j.job, j.createdAt])).toEqual([
          [incident.id, job, 2000],
          [incident.id, post('C1', 'second'), 4000],
        ]);
      });

      it('records a key once when many ask at the same moment', async () => {
        const incident = await incidentWithChannel(1000);
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            store.recordReminder('overdue:x:1', incident.id, post('U1', `${i}`), 2000),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.pendingJobs()).toBe(1);
      });

      it('writes nothing when the incident does not exist', async () => {
        // (Not `rejects.toThrow()`: a native driver's error may come from another realm than the test's.)
        const outcome = await store.recordReminder('k', 'INC-2026-999', post('C1', 'x'), 1000).then(
          () => 'recorded',
          () => 'refused',
        );
        expect(outcome).toBe('refused');
        expect(await store.pendingJobs()).toBe(0);
      });
    });

    describe('postmortems', () => {
      it('keeps every compile, oldest first', async () => {
        const incident = await incidentWithChannel(1000);
        const record = (version: number) => ({
          incidentId: incident.id,
          version,
          compiledAt: version * 1000,
          author: version === 1 ? null : 'UALICE',
          changes: `changes ${version}`,
          markdown: `# v${version}`,
        });
        await store.savePostmortem(record(2));
        await store.savePostmortem(record(1));
        expect(await store.postmortems(incident.id)).toEqual([record(1), record(2)]);
        expect(await store.postmortems('INC-2026-999')).toEqual([]);
      });
    });

    describe('outbox', () => {
      it('hands out due jobs oldest first, within the limit, and knows when the next is due', async () => {
        const incident = await incidentWithChannel(1000);
        expect(await store.nextJobAt()).toBeNull();
        await store.applyChange(incident.id, { outbox: [post('C1', 'one'), post('C1', 'two')] }, 2000);
        await store.applyChange(incident.id, { outbox: [post('C1', 'three')] }, 1500);
        expect(await store.pendingJobs()).toBe(3);
        expect(await store.nextJobAt()).toBe(1500);
        expect(await store.dueJobs(1000, 10)).toEqual([]);
        expect((await store.dueJobs(1500, 10)).map((j) => (j.job as { text: string }).text)).toEqual([
          'three',
        ]);
        expect((await store.dueJobs(2000, 10)).map((j) => (j.job as { text: string }).text)).toEqual([
          'three',
          'one',
          'two',
        ]);
        expect(await store.dueJobs(2000, 2)).toHaveLength(2);
      });

      it('completes a job, writing its follow-up in the same unit of work', async () => {
        const incident = await incidentWithChannel(1000);
        await store.applyChange(incident.id, { outbox: [post('C1', 'hello')] }, 2000);
        const [job] = await store.dueJobs(2000, 10);
        await store.completeJob(job!.id, 3000, {
          incidentId: incident.id,
          change: {
            comms: [
              {
                at: 2000,
                channelId: 'C1',
                channelLabel: '#inc',
                summary: 'hello',
                audience: 'responders',
                sentBy: null,
                status: 'investigating',
              },
            ],
            outbox: [{ type: 'refresh_card' }],
          },
        });
        expect((await store.comms(incident.id)).map((c) => c.summary)).toEqual(['hello']);
        const due = await store.dueJobs(3000, 10);
        expect(due.map((j) => j.job)).toEqual([{ type: 'refresh_card' }]);
        expect(due[0]).toMatchObject({ incidentId: incident.id, createdAt: 3000, nextAttemptAt: 3000 });
        await store.completeJob(due[0]!.id, 3000);
        expect(await store.pendingJobs()).toBe(0);
        expect(await store.nextJobAt()).toBeNull();
      });

      it('leaves the job pending when its follow-up cannot be written', async () => {
        const incident = await incidentWithChannel(1000);
        await store.applyChange(incident.id, { outbox: [post('C1', 'hello')] }, 2000);
        const [job] = await store.dueJobs(2000, 10);
        await expect(
          store.completeJob(job!.id, 3000, {
            incidentId: incident.id,
            change: {
              timeline: [{ kind: 'note', at: 1, actor: null, text: 'kept?', ref: null, recordedAt: 1 }],
              newRoleTerms: [{ role: 'boss' as never, userId: 'U1', from: 1, to: null, assignedBy: 'U1' }],
            },
          }),
        ).rejects.toBeDefined();
        expect(await store.timeline(incident.id)).toEqual([]);
        expect((await store.dueJobs(3000, 10)).map((j) => j.id)).toEqual([job!.id]);
      });

      it('retries a job later, counting attempts, and fails it for good', async () => {
        const incident = await incidentWithChannel(1000);
        await store.applyChange(incident.id, { outbox: [post('C1', 'a'), post('C1', 'b')] }, 2000);
        const [a, b] = await store.dueJobs(2000, 10);
        await store.retryJob(a!.id, 5000, 'ratelimited');
        expect((await store.dueJobs(4999, 10)).map((j) => j.id)).toEqual([b!.id]);
        expect(await store.nextJobAt()).toBe(2000);
        expect(await store.failedJobs(0)).toBe(0);
        await store.failJob(b!.id, 'channel_not_found', 3000);
        expect(await store.nextJobAt()).toBe(5000);
        expect(await store.pendingJobs()).toBe(1);
        expect(await store.failedJobs(3000)).toBe(1);
        expect(await store.failedJobs(3001)).toBe(0);
        const [retried] = await store.dueJobs(5000, 10);
        expect(retried).toMatchObject({ id: a!.id, attempts: 1, nextAttemptAt: 5000 });
        await store.retryJob(a!.id, 6000, 'ratelimited');
        expect((await store.dueJobs(6000, 10))[0]).toMatchObject({ id: a!.id, attempts: 2 });
      });

      it('counts jobs by state and names when the oldest pending job was queued', async () => {
        expect(await store.outboxStats()).toEqual({ pending: 0, done: 0, failed: 0, oldestPendingAt: null });
        const incident = await incidentWithChannel(1000);
        await store.applyChange(incident.id, { outbox: [post('C1', 'a'), post('C1', 'b')] }, 2000);
        await store.applyChange(incident.id, { outbox: [post('C1', 'c')] }, 3000);
        const [a, b] = await store.dueJobs(5000, 10);
        await store.completeJob(a!.id, 4000);
        await store.failJob(b!.id, 'channel_not_found', 4000);
        expect(await store.outboxStats()).toEqual({ pending: 1, done: 1, failed: 1, oldestPendingAt: 3000 });
      });

      it('counts incidents by status and severity', async () => {
        expect(await store.incidentCounts()).toEqual([]);
        await incidentWithChannel(1000);
        await incidentWithChannel(2000);
        await incidentWithChannel(3000, { status: 'resolved', severity: 'P1' });
        expect(await store.incidentCounts()).toEqual([
          { status: 'investigating', severity: 'P2', count: 2 },
          { status: 'resolved', severity: 'P1', count: 1 },
        ]);
      });

      it('names a later identical pending job that supersedes one', async () => {
        const one = await incidentWithChannel(1000);
        const two = await incidentWithChannel(2000);
        await store.applyChange(one.id, { outbox: [{ type: 'refresh_card' }, post('C1', 'x')] }, 2000);
        await store.applyChange(two.id, { outbox: [{ type: 'refresh_card' }] }, 2000);
        await store.applyChange(one.id, { outbox: [{ type: 'refresh_card' }] }, 2000);
        const jobs = await store.dueJobs(2000, 10);
        const [firstCard, other, otherIncident, laterCard] = jobs;
        expect(await store.supersededBy(firstCard!)).toBe(laterCard!.id);
        expect(await store.supersededBy(laterCard!)).toBeNull();
        expect(await store.supersededBy(other!)).toBeNull();
        expect(await store.supersededBy(otherIncident!)).toBeNull();
        await store.completeJob(laterCard!.id, 3000);
        expect(await store.supersededBy(firstCard!)).toBeNull();
      });
    });

    describe('claims on outbox jobs', () => {
      const lease = (holder: string, until: number) => ({ holder, until });

      it('claims a due job for one holder until its lease runs out, then lets another take it', async () => {
        const incident = await incidentWithChannel(1000);
        await store.applyChange(incident.id, { outbox: [post('C1', 'a')] }, 2000);
        const [mine] = await store.claimJobs(2000, 1, lease('A', 5000));
        expect(mine).toMatchObject({ incidentId: incident.id, claims: 1, attempts: 0 });
        expect(await store.claimJobs(2000, 1, lease('B', 6000))).toEqual([]);
        expect(await store.dueJobs(4999, 10)).toEqual([]);
        expect(await store.nextJobAt()).toBe(5000);
        // A holder that never reports back loses the job once its lease is out.
        const [taken] = await store.claimJobs(5000, 1, lease('B', 9000));
        expect(taken).toMatchObject({ id: mine!.id, claims: 2 });
        expect(await store.renewClaim(mine!.id, lease('A', 10_000))).toBe(false);
        expect(await store.renewClaim(mine!.id, lease('B', 12_000))).toBe(true);
        expect(await store.claimJobs(11_000, 1, lease('A', 20_000))).toEqual([]);
      });

      it('runs one job of an incident at a time, and other incidents meanwhile', async () => {
        const first = await incidentWithChannel(1000);
        const second = await incidentWithChannel(1100, {}, 'CINC2');
        await store.applyChange(first.id, { outbox: [post('C1', 'a'), post('C1', 'b')] }, 2000);
        await store.applyChange(second.id, { outbox: [post('C2', 'c')] }, 2000);
        const claimed = await store.claimJobs(2000, 10, lease('A', 5000));
        expect(claimed.map((j) => (j.job as { text: string }).text)).toEqual(['a', 'c']);
        expect(await store.claimJobs(2000, 10, lease('B', 5000))).toEqual([]);
        await store.completeJob(claimed[0]!.id, 2100);
        const [next] = await store.claimJobs(2100, 10, lease('B', 5000));
        expect(next!.job).toEqual(post('C1', 'b'));
      });

      it('ends the claim with the attempt, and a retry is claimed afresh', async () => {
        const incident = await incidentWithChannel(1000);
        await store.applyChange(incident.id, { outbox: [post('C1', 'a')] }, 2000);
        const [job] = await store.claimJobs(2000, 1, lease('A', 60_000));
        await store.retryJob(job!.id, 3000, 'ratelimited');
        expect(await store.nextJobAt()).toBe(3000);
        const [again] = await store.claimJobs(3000, 1, lease('B', 60_000));
        expect(again).toMatchObject({ id: job!.id, attempts: 1, claims: 2 });
        await store.failJob(job!.id, 'gone', 3100);
        expect(await store.renewClaim(job!.id, lease('B', 70_000))).toBe(false);
        expect(await store.outboxStats()).toMatchObject({ pending: 0, failed: 1 });
      });

      it('completes a job once: a second completion writes no follow-up', async () => {
        const incident = await incidentWithChannel(1000);
        await store.applyChange(incident.id, { outbox: [post('C1', 'a')] }, 2000);
        const [job] = await store.claimJobs(2000, 1, lease('A', 5000));
        const followUp = { incidentId: incident.id, change: { outbox: [{ type: 'refresh_card' as const }] } };
        await store.completeJob(job!.id, 2500, followUp);
        await store.completeJob(job!.id, 2600, followUp);
        await store.retryJob(job!.id, 9000, 'late');
        expect((await store.dueJobs(3000, 10)).map((j) => j.job)).toEqual([{ type: 'refresh_card' }]);
        expect(await store.outboxStats()).toMatchObject({ pending: 1, done: 1 });
      });
    });

    describe('leases', () => {
      it('is held by one holder at a time, extended by its holder, and free once it runs out', async () => {
        expect(await store.holdLease('catch-up', 'A', 1000, 5000)).toBe(true);
        expect(await store.holdLease('catch-up', 'B', 1000, 6000)).toBe(false);
        expect(await store.holdLease('other', 'B', 1000, 6000)).toBe(true);
        expect(await store.holdLease('catch-up', 'A', 2000, 8000)).toBe(true);
        expect(await store.holdLease('catch-up', 'B', 7999, 9000)).toBe(false);
        expect(await store.holdLease('catch-up', 'B', 8000, 9000)).toBe(true);
        expect(await store.holdLease('catch-up', 'A', 8500, 9500)).toBe(false);
      });
    });

    describe('revisions', () => {
      it('raises the revision with every change and refuses a change based on an older one', async () => {
        const incident = await incidentWithChannel(1000);
        const start = await store.incidentRevision(incident.id);
        await store.applyChange(incident.id, { incident: { ...incident, severity: 'P1' } }, 2000, start);
        expect(await store.incidentRevision(incident.id)).toBe(start + 1);
        const note = {
          kind: 'note' as const,
          at: 2100,
          actor: 'UBOB',
          text: 'stale',
          ref: null,
          recordedAt: 2100,
        };
        await expect(
          store.applyChange(
            incident.id,
            { incident: { ...incident, severity: 'P4' }, timeline: [note] },
            2100,
            start,
          ),
        ).rejects.toMatchObject({ code: 'stale_revision' });
        expect((await store.getIncident(incident.id))!.severity).toBe('P1');
        expect(await store.timeline(incident.id)).toEqual([]);
        expect(await store.incidentRevision(incident.id)).toBe(start + 1);
        // Without a revision to check, a change always applies.
        await store.applyChange(incident.id, { timeline: [note] }, 2200);
        expect(await store.incidentRevision(incident.id)).toBe(start + 2);
      });
    });
  });
}
