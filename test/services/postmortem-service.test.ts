import fs from 'node:fs';
import path from 'node:path';
import { declaration } from '../../src/domain/lifecycle';
import { postmortemJsonSchema } from '../../src/domain/postmortem/json';
import { DEFAULT_TARGETS, type Incident } from '../../src/domain/types';
import {
  PostmortemService,
  type PostmortemSettings,
  type PostmortemSlack,
} from '../../src/services/postmortem-service';
import type { StoredJob } from '../../src/storage';
import type { SqliteStore } from '../../src/storage/sqlite/sqlite-store';
import { fakeRenderer, openTempStore, storedIncident } from './fakes';

const T0 = Date.UTC(2026, 1, 20, 10, 0);
const CLOSED_AT = T0 + 45 * 60_000;

/** An in-memory Slack for the publisher: records uploads and name look-ups; names from `names`. */
class FakePostmortemSlack implements PostmortemSlack {
  readonly uploads: unknown[][] = [];
  readonly asked: string[] = [];
  down = false;

  constructor(private readonly names: Record<string, string> = {}) {}

  async uploadFile(channel: string, filename: string, content: string, title: string, comment: string) {
    this.uploads.push([channel, filename, content, title, comment]);
  }

  async findPosted(): Promise<string | null> {
    // Nothing was posted before: every publish here is its first attempt.
    return null;
  }

  async userName(userId: string): Promise<string | null> {
    this.asked.push(userId);
    if (this.down) throw Object.assign(new Error('timeout'), { code: 'slack_webapi_request_error' });
    return this.names[userId] ?? null;
  }
}

describe('PostmortemService', () => {
  let opened: ReturnType<typeof openTempStore>;
  let store: SqliteStore;
  let slack: FakePostmortemSlack | null;
  let now: number;
  let settings: PostmortemSettings;
  let incident: Incident;

  const service = () =>
    new PostmortemService({ store, slack, clock: () => now, renderer: fakeRenderer, settings });
  const publishJob = (version: number, over: Partial<StoredJob> = {}): StoredJob => ({
    id: 1,
    incidentId: incident.id,
    job: { type: 'publish_postmortem', version, closedBy: 'UBOB', responseUrl: 'https://r/1' },
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    claims: 1,
    ...over,
  });
  const file = () => path.join(settings.postmortemDir, `${incident.id}.md`);

  beforeEach(async () => {
    opened = openTempStore();
    store = opened.store;
    slack = new FakePostmortemSlack({ UALICE: 'Alice Liddell', UBOB: 'Bob Builder' });
    now = CLOSED_AT + 1000;
    settings = {
      timeZone: 'UTC',
      targets: DEFAULT_TARGETS,
      postmortemDir: path.join(opened.dir, 'deep', 'postmortems'),
      announceChannel: 'CANNOUNCE',
    };
    const stored = await storedIncident(store, { channelId: 'CINC', declaredAt: T0, title: 'Database down' });
    await store.applyChange(
      stored.id,
      declaration(stored, { actor: 'UALICE', now: T0, timeZone: 'UTC' }),
      T0,
    );
    incident = { ...stored, status: 'closed', resolvedAt: CLOSED_AT, closedAt: CLOSED_AT };
    await store.applyChange(
      incident.id,
      {
        incident,
        timeline: [
          {
            kind: 'note',
            at: T0 + 60_000,
            actor: 'UBOB',
            text: 'Restarted by <@UCAROL>',
            ref: null,
            recordedAt: T0,
          },
          {
            kind: 'closed',
            at: CLOSED_AT,
            actor: 'UBOB',
            text: 'Incident closed',
            ref: 'closed',
            recordedAt: CLOSED_AT,
          },
        ],
      },
      CLOSED_AT,
    );
  });

  afterEach(async () => {
    await opened.dispose();
  });

  describe('publish', () => {
    it('compiles and stores version 1, writes the file, and queues summary, upload and announcement', async () => {
      const followUp = await service().publish(publishJob(1));
      const [record, ...more] = await store.postmortems(incident.id);
      expect(more).toEqual([]);
      expect(record).toEqual({
        incidentId: incident.id,
        version: 1,
        compiledAt: now,
        author: 'UBOB',
        changes: 'First compile on close',
        markdown: expect.stringContaining('Database down'),
      });
      expect(record!.markdown).toContain('First compile on close');
      expect(fs.readFileSync(file(), 'utf8')).toBe(record!.markdown);
      // The JSON beside it, in the documented schema, with the same document's facts.
      expect(fs.readdirSync(settings.postmortemDir).sort()).toEqual([
        `${incident.id}.json`,
        `${incident.id}.md`,
      ]);
      const json = postmortemJsonSchema.parse(
        JSON.parse(fs.readFileSync(path.join(settings.postmortemDir, `${incident.id}.json`), 'utf8')),
      );
      expect(json).toMatchObject({
        schemaVersion: 1,
        incidentId: incident.id,
        title: 'Database down',
        compiledAt: new Date(now).toISOString(),
        document: { history: [{ version: 1, changes: 'First compile on close' }] },
      });
      expect(json.timeline.entries.map((e) => e.event)).toContain('Restarted by @UCAROL');
      expect(followUp).toEqual({
        outbox: [
          {
            type: 'post_message',
            channel: 'CINC',
            text: `summary ${incident.id}: Database down`,
            blocks: [{ summary: incident.id, file: `${incident.id}.md` }],
            comms: {
              channelLabel: '#inc-2026-001-database-down',
              audience: 'Responders',
              sentBy: null,
              summary: 'Postmortem summary posted (version 1)',
            },
            notify: 'https://r/1',
          },
          { type: 'upload_postmortem', version: 1, notify: 'https://r/1' },
          {
            type: 'post_message',
            channel: 'CANNOUNCE',
            text: `:memo: The postmortem of *${incident.id}* is ready (version 1) in <#CINC>.`,
            comms: {
              channelLabel: 'Announcements',
              audience: 'Stakeholders',
              sentBy: null,
              summary: `Postmortem of ${incident.id} announced (version 1)`,
            },
          },
        ],
      });
    });

    it('is idempotent per version: a retry keeps the stored compile and rewrites the file from it', async () => {
      await service().publish(publishJob(1));
      const [first] = await store.postmortems(incident.id);
      fs.rmSync(file());
      now += 60_000;
      await store.applyChange(
        incident.id,
        {
          timeline: [
            { kind: 'note', at: now, actor: 'UBOB', text: 'A late note', ref: null, recordedAt: now },
          ],
        },
        now,
      );
      const again = await service().publish(publishJob(1));
      expect(await store.postmortems(incident.id)).toEqual([first]);
      expect(fs.readFileSync(file(), 'utf8')).toBe(first!.markdown);
      expect(first!.markdown).not.toContain('A late note');
      expect(again?.outbox?.map((j) => j.type)).toEqual([
        'post_message',
        'upload_postmortem',
        'post_message',
      ]);
    });

    it('stores a later close as the next version, with the earlier one in its history', async () => {
      await service().publish(publishJob(1));
      now += 3600_000;
      await service().publish(
        publishJob(2, { job: { type: 'publish_postmortem', version: 2, closedBy: null, responseUrl: null } }),
      );
      const records = await store.postmortems(incident.id);
      expect(
        records.map(({ version, author, changes, compiledAt }) => ({ version, author, changes, compiledAt })),
      ).toEqual([
        { version: 1, author: 'UBOB', changes: 'First compile on close', compiledAt: CLOSED_AT + 1000 },
        { version: 2, author: null, changes: 'Recompiled on close (2)', compiledAt: now },
      ]);
      expect(records[1]!.markdown).toContain('First compile on close');
      expect(records[1]!.markdown).toContain('Recompiled on close (2)');
      expect(records[0]!.markdown).not.toContain('Recompiled on close (2)');
      expect(fs.readFileSync(file(), 'utf8')).toBe(records[1]!.markdown);
    });

    it('announces nowhere else without ANNOUNCE_CHANNEL, or when it is the incident channel', async () => {
      settings.announceChannel = null;
      expect((await service().publish(publishJob(1)))?.outbox?.map((j) => j.type)).toEqual([
        'post_message',
        'upload_postmortem',
      ]);
      settings.announceChannel = 'CINC';
      expect((await service().publish(publishJob(1)))?.outbox).toHaveLength(2);
    });

    it('does nothing for other jobs, jobs without an incident, or an incident without a channel', async () => {
      expect(await service().publish(publishJob(1, { job: { type: 'refresh_card' } }))).toBeUndefined();
      expect(await service().publish(publishJob(1, { incidentId: null }))).toBeUndefined();
      expect(await service().publish(publishJob(1, { incidentId: 'INC-2026-404' }))).toBeUndefined();
      const draft = await store.createIncident({ ...incident, channelId: null, channelName: null }, 2026);
      expect(await service().publish(publishJob(1, { incidentId: draft.id }))).toBeUndefined();
      expect(await store.postmortems(incident.id)).toEqual([]);
      expect(await store.postmortems(draft.id)).toEqual([]);
      expect(fs.existsSync(settings.postmortemDir)).toBe(false);
    });
  });

  describe('upload', () => {
    const uploadJob = (version: number): StoredJob => ({
      ...publishJob(version),
      job: { type: 'upload_postmortem', version },
    });

    it('uploads the stored Markdown of that version to the incident channel', async () => {
      await service().publish(publishJob(1));
      const [record] = await store.postmortems(incident.id);
      expect(await service().upload(uploadJob(1))).toBeUndefined();
      expect(slack!.uploads).toEqual([
        [
          'CINC',
          `${incident.id}.md`,
          record!.markdown,
          `${incident.id} postmortem (v1)`,
          `:page_facing_up: Full postmortem of ${incident.id}, version 1.`,
        ],
      ]);
    });

    it('uploads nothing for a version never stored, or without Slack', async () => {
      expect(await service().upload(uploadJob(3))).toBeUndefined();
      expect(slack!.uploads).toEqual([]);
      await service().publish(publishJob(1));
      slack = null;
      await expect(service().upload(uploadJob(1))).resolves.toBeUndefined();
    });
  });

  describe('names', () => {
    it('asks Slack once for everyone the document may name, and remembers the answers', async () => {
      await store.applyChange(
        incident.id,
        {
          incident: { ...incident, detectedBy: '<@UERIN|erin>' },
          actions: [
            {
              text: 'Ask <@UFRANK>',
              owner: 'UDAVE',
              due: null,
              priority: 'P2',
              status: 'open',
              createdAt: T0,
              createdBy: 'UBOB',
              doneAt: null,
              sourceRef: null,
            },
          ],
        },
        T0,
      );
      const input = await service().input(incident.id, now);
      expect([...slack!.asked].sort()).toEqual(['UALICE', 'UBOB', 'UCAROL', 'UDAVE', 'UERIN', 'UFRANK']);
      expect(input.people).toEqual({ UALICE: 'Alice Liddell', UBOB: 'Bob Builder' });
      expect(await store.people(['UALICE', 'UBOB', 'UCAROL'])).toEqual({
        UALICE: 'Alice Liddell',
        UBOB: 'Bob Builder',
      });
      // Known names are not asked for again.
      slack!.asked.length = 0;
      await service().input(incident.id, now);
      expect([...slack!.asked].sort()).toEqual(['UCAROL', 'UDAVE', 'UERIN', 'UFRANK']);
    });

    it('uses the people table when Slack is down, and without Slack (the CLI)', async () => {
      await store.savePeople({ UALICE: 'Alice (remembered)' }, T0);
      slack!.down = true;
      const { doc } = await service().preview(incident.id);
      expect(doc.people).toEqual({ UALICE: 'Alice (remembered)' });
      expect(slack!.asked).not.toContain('UALICE');
      expect(slack!.asked).toContain('UBOB');

      slack = null;
      const offline = await service().preview(incident.id);
      expect(offline.doc.people).toEqual({ UALICE: 'Alice (remembered)' });
      expect(offline.markdown).toContain('Alice (remembered)');
      expect(await store.postmortems(incident.id)).toEqual([]);
    });
  });

  describe('input', () => {
    it('offers the other incidents as related candidates, with their services', async () => {
      await store.applyChange(
        incident.id,
        { fields: [{ field: 'services', value: 'payments-db', at: T0, author: 'UBOB', sourceRef: null }] },
        T0,
      );
      const earlier = await storedIncident(store, {
        channelId: 'CEARLY',
        channelName: 'inc-2026-002-x',
        declaredAt: T0 - 86_400_000,
        title: 'Unrelated outage',
      });
      await store.applyChange(
        earlier.id,
        { fields: [{ field: 'services', value: 'payments-db', at: T0, author: 'UBOB', sourceRef: null }] },
        T0,
      );
      await storedIncident(store, {
        channelId: 'COTHER',
        channelName: 'inc-2026-003-y',
        declaredAt: T0 - 3600_000,
        title: 'Printer jam',
      });
      const input = await service().input(incident.id, now);
      expect(input.related).toEqual([
        {
          id: earlier.id,
          declaredAt: T0 - 86_400_000,
          similarity: 'same service: payments-db',
          resolved: false,
        },
      ]);
      expect(input.config).toEqual({ timeZone: 'UTC', targets: DEFAULT_TARGETS, documentStatus: 'Draft' });
      expect(input.compiledAt).toBe(now);
    });

    it('refuses an incident that does not exist', async () => {
      await expect(service().input('INC-2026-404', now)).rejects.toThrow('No incident INC-2026-404');
    });
  });
});
