import fs from 'node:fs';
import path from 'node:path';
import type { ChangeSet, OutboxJob } from '../domain/changes';
import { compilePostmortem } from '../domain/postmortem/compile';
import { renderJson } from '../domain/postmortem/json';
import { renderMarkdown } from '../domain/postmortem/markdown';
import type { PostmortemDocument, PostmortemInput, RelatedCandidate } from '../domain/postmortem/model';
import { selectRelatedIncidents } from '../domain/postmortem/related';
import type { MetricTargets } from '../domain/types';
import { findMentions } from '../shared/slack-text';
import type { PostmortemRecord, Store, StoredJob } from '../storage';
import type { Clock } from './clock';
import { mayHaveReachedSlack } from './outbox';
import { fullNames } from './people';
import type { Renderer } from './renderer';
import type { SlackGateway } from './slack-gateway';

export interface PostmortemSettings {
  timeZone: string;
  targets: MetricTargets;
  postmortemDir: string;
  announceChannel: string | null;
}

/** Slack calls the publisher needs (file upload goes through the WebClient's external upload flow). */
export interface PostmortemSlack {
  uploadFile(
    channel: string,
    filename: string,
    content: string,
    title: string,
    comment: string,
  ): Promise<void>;
  userName(userId: string): Promise<string | null>;
  findPosted: SlackGateway['findPosted'];
}

export interface PostmortemDeps {
  store: Store;
  slack: PostmortemSlack | null;
  clock: Clock;
  /** Draws the Slack summary post (Block Kit lives in the Slack layer). */
  renderer: Pick<Renderer, 'postmortemSummary'>;
  settings: PostmortemSettings;
  /**
   * Told when the Markdown file cannot be written to POSTMORTEM_DIR (the document is stored and
   * posted to Slack all the same): `responseUrl` is the closer's, when the close left one.
   */
  onFileError?: (incidentId: string, file: string, reason: string, responseUrl: string | null) => void;
  /** Told each time a new version was compiled and stored, with how long that took (metrics). */
  onCompiled?: (seconds: number) => void;
}

export interface Compiled {
  record: PostmortemRecord;
  doc: PostmortemDocument;
  /** The Markdown file written, or null when it could not be (see `fileError`). */
  file: string | null;
  /** The JSON file written beside it (`INC-YYYY-NNN.json`), or null when it could not be. */
  jsonFile: string | null;
  /** Why the files could not be written (a full disk, a read-only folder), or null. */
  fileError: string | null;
}

/** Compiles, stores and publishes postmortems. */
export class PostmortemService {
  constructor(private readonly deps: PostmortemDeps) {}

  /** Everything the pure compiler needs, read from the store (and Slack for display names). */
  async input(incidentId: string, compiledAt: number, upTo?: number): Promise<PostmortemInput> {
    const { store, settings } = this.deps;
    const incident = await store.getIncident(incidentId);
    if (!incident) throw new Error(`No incident ${incidentId}`);
    const [roles, timeline, comms, actions, fields, messages, previous] = await Promise.all([
      store.roleTerms(incidentId),
      store.timeline(incidentId),
      store.comms(incidentId),
      store.actions(incidentId),
      store.fields(incidentId),
      store.messages(incidentId),
      store.postmortems(incidentId),
    ]);
    const services = fields.filter((f) => f.field === 'services').map((f) => f.value);
    const candidates: RelatedCandidate[] = [];
    for (const other of await store.listIncidents('all', 500)) {
      if (other.id === incidentId) continue;
      const otherFields = await store.fields(other.id);
      candidates.push({
        id: other.id,
        title: other.title,
        declaredAt: other.declaredAt,
        resolvedAt: other.resolvedAt,
        services: otherFields.filter((f) => f.field === 'services').map((f) => f.value),
      });
    }
    const history = previous
      .filter((p) => upTo === undefined || p.version < upTo)
      .map((p) => ({
        version: p.version,
        compiledAt: p.compiledAt,
        author: p.author ?? 'Firewatch',
        changes: p.changes,
      }));
    // Everyone the document may name: actors, role holders, owners, and mentions in any text.
    const userIds = new Set<string>([incident.declaredBy]);
    const mentionsIn = (text: string | null) => {
      for (const id of findMentions(text ?? '')) userIds.add(id);
    };
    mentionsIn(incident.detectedBy);
    for (const r of roles) userIds.add(r.userId);
    // Each record: who wrote or owns it, and its text.
    const named: [string | null, string][] = [
      ...messages.map((m): [string | null, string] => [m.userId, m.text]),
      ...timeline.map((e): [string | null, string] => [e.actor, e.text]),
      ...actions.map((a): [string | null, string] => [a.owner, a.text]),
      ...fields.map((f): [string | null, string] => [f.author, f.value]),
      ...comms.map((c): [string | null, string] => [c.sentBy, c.summary]),
    ];
    for (const [userId, text] of named) {
      if (userId) userIds.add(userId);
      mentionsIn(text);
    }
    return {
      incident,
      roles,
      timeline,
      comms,
      actions,
      fields,
      messages,
      related: selectRelatedIncidents(
        { id: incident.id, title: incident.title, services, declaredAt: incident.declaredAt },
        candidates,
      ),
      people: await this.people([...userIds]),
      history,
      compiledAt,
      config: { timeZone: settings.timeZone, targets: settings.targets, documentStatus: 'Draft' },
    };
  }

  /** Full names: remembered ones first, then Slack's users.info for the rest ({@link fullNames}). */
  private async people(ids: string[]): Promise<Record<string, string>> {
    const { store, slack, clock } = this.deps;
    return fullNames(ids, { store, now: clock(), ask: slack ? (id) => slack.userName(id) : null });
  }

  /** Compiles without storing anything (the CLI): the document, its Markdown and its JSON. */
  async preview(incidentId: string): Promise<{ doc: PostmortemDocument; markdown: string; json: string }> {
    const doc = compilePostmortem(await this.input(incidentId, this.deps.clock()));
    return { doc, markdown: renderMarkdown(doc), json: renderJson(doc) };
  }

  /**
   * Compiles version `version` unless it is stored already, stores it, and writes the Markdown file
   * and the JSON file beside it. Idempotent, so an outbox retry never adds a second history row
   * (the JSON is rendered from the document compiled again with the stored version's time). A
   * file that cannot be written is reported in the result, not thrown: the stored document is
   * what Slack is given.
   */
  async compileVersion(incidentId: string, version: number, author: string | null): Promise<Compiled> {
    const { store, clock } = this.deps;
    const start = performance.now();
    const existing = (await store.postmortems(incidentId)).find((p) => p.version === version);
    const compiledAt = existing?.compiledAt ?? clock();
    const input = await this.input(incidentId, compiledAt, version);
    const changes =
      existing?.changes ?? (version === 1 ? 'First compile on close' : `Recompiled on close (${version})`);
    input.current = { version, changes, author: author ?? 'Firewatch' };
    const doc = compilePostmortem(input);
    const markdown = existing?.markdown ?? renderMarkdown(doc);
    const record: PostmortemRecord = existing ?? {
      incidentId,
      version,
      compiledAt,
      author,
      changes,
      markdown,
    };
    if (!existing) {
      await store.savePostmortem(record);
      this.deps.onCompiled?.((performance.now() - start) / 1000);
    }
    try {
      const file = this.writeFile(this.filePath(incidentId), markdown);
      const jsonFile = this.writeFile(this.jsonFilePath(incidentId), renderJson(doc));
      return { record, doc, file, jsonFile, fileError: null };
    } catch (error) {
      const fileError = error instanceof Error ? error.message : String(error);
      return { record, doc, file: null, jsonFile: null, fileError };
    }
  }

  /** Where the Markdown file of an incident is written. */
  filePath(incidentId: string): string {
    return path.join(this.deps.settings.postmortemDir, `${incidentId}.md`);
  }

  /** Where the JSON file of an incident is written (beside the Markdown; docs/postmortem-json.md). */
  jsonFilePath(incidentId: string): string {
    return path.join(this.deps.settings.postmortemDir, `${incidentId}.json`);
  }

  /** Writes a file under POSTMORTEM_DIR atomically (a temporary file renamed over it). */
  private writeFile(file: string, content: string): string {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
    return file;
  }

  /**
   * Outbox job `publish_postmortem`: compile and store first, then queue the Slack work (summary
   * post, file upload, announcement) as separate jobs so that each is retried on its own. When the
   * Markdown file cannot be written, the closer is told and the Slack work goes ahead.
   */
  async publish(stored: StoredJob): Promise<ChangeSet | undefined> {
    const job = stored.job;
    if (job.type !== 'publish_postmortem' || !stored.incidentId) return undefined;
    const incident = await this.deps.store.getIncident(stored.incidentId);
    if (!incident?.channelId) return undefined;
    const { record, doc, fileError } = await this.compileVersion(incident.id, job.version, job.closedBy);
    if (fileError)
      this.deps.onFileError?.(incident.id, this.filePath(incident.id), fileError, job.responseUrl);
    const filename = `${incident.id}.md`;
    const summary = this.deps.renderer.postmortemSummary(doc, { markdownFileName: filename });
    const jobs: OutboxJob[] = [
      {
        type: 'post_message',
        channel: incident.channelId,
        text: summary.text,
        blocks: summary.blocks,
        comms: {
          channelLabel: `#${incident.channelName ?? incident.channelId}`,
          audience: 'Responders',
          sentBy: null,
          summary: `Postmortem summary posted (version ${record.version})`,
        },
        // The closer hears once about trouble, through this first job.
        notify: job.responseUrl,
      },
      // Told only if the file fails for good: the summary's notice already covers a slow Slack.
      { type: 'upload_postmortem', version: record.version, notify: job.responseUrl },
    ];
    const announce = this.deps.settings.announceChannel;
    // A private incident's postmortem is posted only in its own channel.
    if (announce && announce !== incident.channelId && !incident.isPrivate) {
      jobs.push({
        type: 'post_message',
        channel: announce,
        text: `:memo: The postmortem of *${incident.id}* is ready (version ${record.version}) in <#${incident.channelId}>.`,
        comms: {
          channelLabel: 'Announcements',
          audience: 'Stakeholders',
          sentBy: null,
          summary: `Postmortem of ${incident.id} announced (version ${record.version})`,
        },
      });
    }
    // Queued with this job's completion: a retry of publish never queues them twice.
    return { outbox: jobs };
  }

  /** Outbox job `upload_postmortem`: the whole Markdown document as a file in the incident channel. */
  async upload(stored: StoredJob): Promise<undefined> {
    const job = stored.job;
    if (job.type !== 'upload_postmortem' || !stored.incidentId || !this.deps.slack) return undefined;
    const incident = await this.deps.store.getIncident(stored.incidentId);
    const record = (await this.deps.store.postmortems(stored.incidentId)).find(
      (p) => p.version === job.version,
    );
    if (!incident?.channelId || !record) return undefined;
    const fileName = `${incident.id}.md`;
    const fileTitle = `${incident.id} postmortem (v${record.version})`;
    // An earlier attempt may have reached Slack before a crash or a time-out: upload only once.
    if (mayHaveReachedSlack(stored)) {
      const posted = await this.deps.slack.findPosted(incident.channelId, stored.createdAt, {
        fileName,
        fileTitle,
      });
      if (posted) return undefined;
    }
    await this.deps.slack.uploadFile(
      incident.channelId,
      fileName,
      record.markdown,
      fileTitle,
      `:page_facing_up: Full postmortem of ${incident.id}, version ${record.version}.`,
    );
    return undefined;
  }
}
