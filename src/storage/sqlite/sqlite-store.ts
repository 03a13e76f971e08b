import path from 'node:path';
import Database from 'better-sqlite3';
import { createFolder } from '../../config';
import {
  fieldsWithLessons,
  messagesToReconcile,
  numberActions,
  type ReactionActionStep,
  reconcileReactionAction,
  timelineWithPins,
} from '../../domain/capture';
import type { ChangeSet, NewActionItem, OutboxJob } from '../../domain/changes';
import { formatIncidentId, nextIncidentSeq } from '../../domain/ids';
import {
  type ActionItem,
  type CommsEntry,
  type FieldEntry,
  type Incident,
  type IncidentStatus,
  type PostmortemField,
  type RoleName,
  type RoleTerm,
  type TimelineEvent,
  tsToMillis,
} from '../../domain/types';
import { num, type Row, str, toAction, toIncident, toJob, toMessage } from '../rows';
import {
  type CaptureBatch,
  type IncidentCount,
  type IncidentFilter,
  type Lease,
  type NewIncident,
  type OutboxStats,
  type PostmortemRecord,
  type ReactionChange,
  type ReactionPurpose,
  StaleRevisionError,
  type Store,
  type StoredJob,
  type StoredMessage,
} from '../store';
import { MIGRATIONS } from './migrations';

type Db = Database.Database;

/** Named parameters of an incident row. card_ts is written only by setCardTs, never by a change set. */
function incidentParams(i: Incident) {
  return {
    id: i.id,
    year: i.year,
    seq: i.seq,
    title: i.title,
    severity: i.severity,
    status: i.status,
    channel_id: i.channelId,
    channel_name: i.channelName,
    card_ts: i.cardTs,
    declared_by: i.declaredBy,
    origin_channel_id: i.originChannelId,
    declared_at: i.declaredAt,
    started_at: i.startedAt,
    detected_at: i.detectedAt,
    detected_by: i.detectedBy,
    identified_at: i.identifiedAt,
    mitigated_at: i.mitigatedAt,
    resolved_at: i.resolvedAt,
    closed_at: i.closedAt,
    is_private: i.isPrivate ? 1 : 0,
  };
}

/** Opens (creating file and folder) and migrates a SQLite database in WAL mode. */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') {
    const problem = createFolder(path.dirname(path.resolve(file)));
    if (problem) throw new Error(problem);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** Runs every migration above the stored `user_version`, each in its own transaction. */
export function migrate(db: Db): number {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > MIGRATIONS.length) {
    throw new Error(
      `Database schema version ${current} is newer than this Firewatch (${MIGRATIONS.length}); upgrade Firewatch.`,
    );
  }
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    const migration = MIGRATIONS[version - 1]!;
    db.transaction(() => {
      db.exec(migration.up);
      db.pragma(`user_version = ${version}`);
    })();
  }
  return MIGRATIONS.length;
}

const INCIDENT_COLUMNS =
  'id, year, seq, title, severity, status, channel_id, channel_name, card_ts, declared_by, origin_channel_id, ' +
  'declared_at, started_at, detected_at, detected_by, identified_at, mitigated_at, resolved_at, closed_at, is_private';
const INCIDENT_VALUES = INCIDENT_COLUMNS.split(', ')
  .map((c) => `@${c}`)
  .join(', ');

/** Prepared statements, built once per connection. */
function prepare(db: Db) {
  return {
    // Reads a real table, so a missing or unreadable database file fails the check.
    ping: db.prepare('SELECT COUNT(*) AS n FROM (SELECT 1 FROM incidents LIMIT 1)'),
    maxSeq: db.prepare('SELECT MAX(seq) AS seq FROM incidents WHERE year = ?'),
    insertIncident: db.prepare(`INSERT INTO incidents (${INCIDENT_COLUMNS}) VALUES (${INCIDENT_VALUES})`),
    updateIncident: db.prepare(
      `UPDATE incidents SET ${INCIDENT_COLUMNS.split(', ')
        .filter((c) => c !== 'id' && c !== 'card_ts')
        .map((c) => `${c} = @${c}`)
        .join(', ')} WHERE id = @id`,
    ),
    discardIncident: db.prepare('DELETE FROM incidents WHERE id = ? AND channel_id IS NULL'),
    sweepDrafts: db.prepare('DELETE FROM incidents WHERE channel_id IS NULL AND declared_at < ?'),
    setCardTs: db.prepare('UPDATE incidents SET card_ts = ? WHERE id = ?'),
    getIncident: db.prepare('SELECT * FROM incidents WHERE id = ?'),
    byChannel: db.prepare('SELECT * FROM incidents WHERE channel_id = ?'),
    listOpen: db.prepare(
      "SELECT * FROM incidents WHERE channel_id IS NOT NULL AND status NOT IN ('resolved','closed') ORDER BY declared_at DESC, seq DESC LIMIT ?",
    ),
    listClosed: db.prepare(
      "SELECT * FROM incidents WHERE channel_id IS NOT NULL AND status IN ('resolved','closed') ORDER BY COALESCE(resolved_at, declared_at) DESC LIMIT ?",
    ),
    listUnclosed: db.prepare(
      "SELECT * FROM incidents WHERE channel_id IS NOT NULL AND status <> 'closed' ORDER BY declared_at DESC, seq DESC LIMIT ?",
    ),
    listAll: db.prepare(
      'SELECT * FROM incidents WHERE channel_id IS NOT NULL ORDER BY declared_at DESC, seq DESC LIMIT ?',
    ),
    endTerm: db.prepare(
      'UPDATE role_terms SET to_at = @at WHERE incident_id = @incident_id AND role = @role AND to_at IS NULL',
    ),
    insertTerm: db.prepare(
      'INSERT INTO role_terms (incident_id, role, user_id, from_at, to_at, assigned_by) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    terms: db.prepare('SELECT * FROM role_terms WHERE incident_id = ? ORDER BY from_at, id'),
    insertEvent: db.prepare(
      'INSERT INTO timeline_events (incident_id, kind, at, actor, text, ref, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    events: db.prepare('SELECT * FROM timeline_events WHERE incident_id = ? ORDER BY at, recorded_at, id'),
    insertComms: db.prepare(
      'INSERT INTO comms_log (incident_id, at, channel_id, channel_label, summary, audience, sent_by, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    comms: db.prepare('SELECT * FROM comms_log WHERE incident_id = ? ORDER BY at, id'),
    maxActionSeq: db.prepare('SELECT MAX(seq) AS seq FROM action_items WHERE incident_id = ?'),
    insertAction: db.prepare(
      `INSERT INTO action_items (incident_id, seq, text, owner, due, priority, status, created_at, created_by, done_at, source_ref)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateAction: db.prepare(
      'UPDATE action_items SET status = ?, done_at = ? WHERE incident_id = ? AND seq = ?',
    ),
    actions: db.prepare('SELECT * FROM action_items WHERE incident_id = ? ORDER BY seq'),
    openActions: db.prepare(
      "SELECT a.* FROM action_items a JOIN incidents i ON i.id = a.incident_id WHERE a.status = 'open' AND i.channel_id IS NOT NULL ORDER BY a.incident_id, a.seq",
    ),
    insertField: db.prepare(
      'INSERT INTO postmortem_fields (incident_id, field, value, at, author, source_ref) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    fields: db.prepare('SELECT * FROM postmortem_fields WHERE incident_id = ? ORDER BY at, id'),
    insertJob: db.prepare(
      "INSERT INTO outbox (incident_id, payload, status, attempts, next_attempt_at, created_at) VALUES (?, ?, 'pending', 0, ?, ?)",
    ),
    laterSameJob: db.prepare(
      "SELECT id FROM outbox WHERE incident_id = ? AND status = 'pending' AND payload = ? AND id > ? LIMIT 1",
    ),
    dueJobs: db.prepare(
      "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now) ORDER BY next_attempt_at, id LIMIT @limit",
    ),
    claimable: db.prepare(
      `SELECT id FROM outbox o WHERE status = 'pending' AND next_attempt_at <= @now
         AND (lease_until IS NULL OR lease_until <= @now)
         AND NOT EXISTS (SELECT 1 FROM outbox b WHERE b.incident_id = o.incident_id AND b.status = 'pending' AND b.lease_until > @now)
       ORDER BY next_attempt_at, id LIMIT 1`,
    ),
    claim: db.prepare(
      'UPDATE outbox SET claimed_by = @holder, lease_until = @until, claims = claims + 1 WHERE id = @id RETURNING *',
    ),
    renewClaim: db.prepare(
      "UPDATE outbox SET lease_until = @until WHERE id = @id AND claimed_by = @holder AND status = 'pending'",
    ),
    // Due, and not before its own claim or a claim on another job of its incident runs out.
    nextJobAt: db.prepare(
      `SELECT MIN(MAX(o.next_attempt_at, COALESCE(o.lease_until, 0), COALESCE(
         (SELECT MAX(b.lease_until) FROM outbox b WHERE b.incident_id = o.incident_id AND b.status = 'pending' AND b.id <> o.id), 0)
       )) AS at FROM outbox o WHERE o.status = 'pending'`,
    ),
    wakeJobs: db.prepare(
      "UPDATE outbox SET next_attempt_at = MIN(next_attempt_at, ?), claimed_by = NULL, lease_until = NULL WHERE status = 'pending'",
    ),
    dropLeases: db.prepare('DELETE FROM leases'),
    holdLease: db.prepare(
      `INSERT INTO leases (name, holder, until) VALUES (@name, @holder, @until)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
       WHERE leases.until <= @now OR leases.holder = excluded.holder`,
    ),
    revision: db.prepare('SELECT revision FROM incidents WHERE id = ?'),
    bumpRevision: db.prepare('UPDATE incidents SET revision = revision + 1 WHERE id = ?'),
    pendingJobs: db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'"),
    failedJobs: db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'failed' AND finished_at >= ?"),
    jobStates: db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status'),
    oldestPending: db.prepare("SELECT MIN(created_at) AS at FROM outbox WHERE status = 'pending'"),
    incidentCounts: db.prepare(
      'SELECT status, severity, COUNT(*) AS n FROM incidents GROUP BY status, severity ORDER BY status, severity',
    ),
    pruneEvents: db.prepare('DELETE FROM processed_events WHERE received_at < ?'),
    markEvent: db.prepare('INSERT OR IGNORE INTO processed_events (event_id, received_at) VALUES (?, ?)'),
    upsertMessage: db.prepare(
      `INSERT INTO messages (channel_id, ts, incident_id, at, thread_ts, user_id, bot_id, text, files, version, edited_at, deleted)
       VALUES (@channel_id, @ts, @incident_id, @at, @thread_ts, @user_id, @bot_id, @text, @files, @version, @edited_at, 0)
       ON CONFLICT (channel_id, ts) DO UPDATE SET
         text = CASE WHEN excluded.version > messages.version THEN excluded.text ELSE messages.text END,
         files = CASE WHEN excluded.version > messages.version THEN excluded.files ELSE messages.files END,
         edited_at = CASE WHEN excluded.version > messages.version THEN excluded.edited_at ELSE messages.edited_at END,
         version = MAX(excluded.version, messages.version),
         thread_ts = COALESCE(messages.thread_ts, excluded.thread_ts),
         user_id = COALESCE(messages.user_id, excluded.user_id),
         bot_id = COALESCE(messages.bot_id, excluded.bot_id)
       WHERE messages.deleted = 0`,
    ),
    deleteMessage: db.prepare(
      `INSERT INTO messages (channel_id, ts, incident_id, at, text, deleted) VALUES (@channel_id, @ts, @incident_id, @at, '', 1)
       ON CONFLICT (channel_id, ts) DO UPDATE SET deleted = 1, text = '', files = '[]'`,
    ),
    getMessage: db.prepare('SELECT * FROM messages WHERE channel_id = ? AND ts = ?'),
    messages: db.prepare('SELECT * FROM messages WHERE incident_id = ? AND deleted = 0 ORDER BY at, ts'),
    lastMessageTs: db.prepare(
      'SELECT ts FROM messages WHERE incident_id = ? ORDER BY CAST(ts AS REAL) DESC LIMIT 1',
    ),
    setReaction: db.prepare(
      `INSERT INTO reactions (channel_id, ts, user_id, emoji, purpose, present, changed_at)
       VALUES (@channel_id, @ts, @user_id, @emoji, @purpose, @present, @changed_at)
       ON CONFLICT (channel_id, ts, user_id, emoji) DO UPDATE SET present = excluded.present, changed_at = excluded.changed_at
       WHERE excluded.changed_at > reactions.changed_at`,
    ),
    reactionsOn: db.prepare('SELECT * FROM reactions WHERE channel_id = ? AND ts = ? AND present = 1'),
    reacted: db.prepare(
      `SELECT m.* FROM messages m WHERE m.incident_id = ? AND m.deleted = 0 AND EXISTS (
         SELECT 1 FROM reactions r WHERE r.channel_id = m.channel_id AND r.ts = m.ts AND r.present = 1 AND r.purpose = ?)
       ORDER BY m.at, m.ts`,
    ),
    hasActionReaction: db.prepare(
      "SELECT 1 FROM reactions WHERE channel_id = ? AND ts = ? AND present = 1 AND purpose = 'action' LIMIT 1",
    ),
    actionBySource: db.prepare('SELECT * FROM action_items WHERE incident_id = ? AND source_ref = ?'),
    updateActionText: db.prepare('UPDATE action_items SET text = ? WHERE id = ?'),
    deleteAction: db.prepare('DELETE FROM action_items WHERE id = ?'),
    addParticipant: db.prepare(
      `INSERT INTO participants (incident_id, user_id, joined_at, last_joined_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (incident_id, user_id) DO UPDATE SET joined_at = MIN(joined_at, excluded.joined_at),
         last_joined_at = MAX(COALESCE(last_joined_at, excluded.last_joined_at), excluded.last_joined_at)`,
    ),
    removeParticipant: db.prepare(
      `INSERT INTO participants (incident_id, user_id, joined_at, last_joined_at, left_at) VALUES (?, ?, ?, NULL, ?)
       ON CONFLICT (incident_id, user_id) DO UPDATE SET left_at = MAX(COALESCE(left_at, excluded.left_at), excluded.left_at)`,
    ),
    participants: db.prepare(
      'SELECT * FROM participants WHERE incident_id = ? AND last_joined_at IS NOT NULL ORDER BY joined_at',
    ),
    isMember: db.prepare(
      `SELECT 1 FROM participants WHERE incident_id = ? AND user_id = ? AND last_joined_at IS NOT NULL
       AND (left_at IS NULL OR left_at < last_joined_at)`,
    ),
    savePerson: db.prepare(
      `INSERT INTO people (user_id, name, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
       WHERE excluded.name <> people.name`,
    ),
    person: db.prepare('SELECT name FROM people WHERE user_id = ?'),
    savePostmortem: db.prepare(
      'INSERT INTO postmortems (incident_id, version, compiled_at, author, changes, markdown) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    postmortems: db.prepare('SELECT * FROM postmortems WHERE incident_id = ? ORDER BY version'),
    completeJob: db.prepare(
      "UPDATE outbox SET status = 'done', attempts = attempts + 1, finished_at = ?, last_error = NULL, claimed_by = NULL, lease_until = NULL WHERE id = ? AND status = 'pending'",
    ),
    retryJob: db.prepare(
      "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, claimed_by = NULL, lease_until = NULL WHERE id = ? AND status = 'pending'",
    ),
    failJob: db.prepare(
      "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, finished_at = ?, claimed_by = NULL, lease_until = NULL WHERE id = ? AND status = 'pending'",
    ),
  };
}

/** The SQLite implementation of Store (better-sqlite3: synchronous, so every transaction is await-free). */
export class SqliteStore implements Store {
  private readonly q: ReturnType<typeof prepare>;

  private readonly pendingCaptures: {
    batch: CaptureBatch;
    resolve: (applied: boolean) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private readonly captureOne: Database.Transaction<(batch: CaptureBatch) => boolean>;
  private readonly captureGroup: Database.Transaction<
    (
      items: { batch: CaptureBatch }[],
      results: ({ ok: true; applied: boolean } | { ok: false; error: unknown })[],
    ) => void
  >;

  constructor(readonly db: Db) {
    this.q = prepare(db);
    this.captureOne = db.transaction((batch: CaptureBatch) => this.writeCapture(batch));
    this.captureGroup = db.transaction((items, results) => {
      for (const { batch } of items) {
        try {
          results.push({ ok: true, applied: this.captureOne(batch) });
        } catch (error) {
          results.push({ ok: false, error });
        }
      }
    });
  }

  static open(file: string): SqliteStore {
    return new SqliteStore(openDatabase(file));
  }

  pool(): null {
    return null;
  }

  async ping(): Promise<void> {
    this.q.ping.get();
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.flushCaptures();
    this.db.close();
  }

  async createIncident(draft: NewIncident, year: number): Promise<Incident> {
    return this.db
      .transaction(() => {
        const max = this.q.maxSeq.get(year) as { seq: number | null };
        const seq = nextIncidentSeq(max.seq);
        const incident: Incident = { ...draft, id: formatIncidentId(year, seq), year, seq };
        this.q.insertIncident.run(incidentParams(incident));
        return incident;
      })
      .immediate();
  }

  async discardIncident(id: string): Promise<void> {
    this.q.discardIncident.run(id);
  }

  async sweepDrafts(before: number): Promise<number> {
    return this.q.sweepDrafts.run(before).changes;
  }

  async applyChange(incidentId: string, change: ChangeSet, now: number, basedOn?: number): Promise<void> {
    this.db.transaction(() => {
      if (basedOn !== undefined && this.revisionOf(incidentId) !== basedOn)
        throw new StaleRevisionError(incidentId);
      this.writeChange(incidentId, change, now);
    })();
  }

  async incidentRevision(incidentId: string): Promise<number> {
    return this.revisionOf(incidentId);
  }

  private revisionOf(incidentId: string): number {
    return Number((this.q.revision.get(incidentId) as Row | undefined)?.revision ?? 0);
  }

  /** Writes a change set; the caller holds the transaction. */
  private writeChange(incidentId: string, change: ChangeSet, now: number): void {
    const q = this.q;
    q.bumpRevision.run(incidentId);
    if (change.incident) q.updateIncident.run(incidentParams(change.incident));
    for (const end of change.endRoleTerms ?? []) {
      q.endTerm.run({ at: end.at, incident_id: incidentId, role: end.role });
    }
    for (const t of change.newRoleTerms ?? []) {
      q.insertTerm.run(incidentId, t.role, t.userId, t.from, t.to, t.assignedBy);
    }
    for (const e of change.timeline ?? []) {
      q.insertEvent.run(incidentId, e.kind, e.at, e.actor, e.text, e.ref, e.recordedAt);
    }
    for (const c of change.comms ?? []) {
      q.insertComms.run(
        incidentId,
        c.at,
        c.channelId,
        c.channelLabel,
        c.summary,
        c.audience,
        c.sentBy,
        c.status,
      );
    }
    if (change.actions?.length) {
      for (const a of numberActions(this.maxActionSeq(incidentId), change.actions)) {
        this.insertAction(incidentId, a);
      }
    }
    for (const u of change.actionUpdates ?? []) q.updateAction.run(u.status, u.doneAt, incidentId, u.seq);
    for (const f of change.fields ?? [])
      q.insertField.run(incidentId, f.field, f.value, f.at, f.author, f.sourceRef);
    for (const job of change.outbox ?? []) this.enqueue(incidentId, job, now);
  }

  private maxActionSeq(incidentId: string): number | null {
    return num((this.q.maxActionSeq.get(incidentId) as Row).seq);
  }

  private insertAction(incidentId: string, a: NewActionItem & { seq: number }): void {
    this.q.insertAction.run(
      incidentId,
      a.seq,
      a.text,
      a.owner,
      a.due,
      a.priority,
      a.status,
      a.createdAt,
      a.createdBy,
      a.doneAt,
      a.sourceRef,
    );
  }

  private enqueue(incidentId: string | null, job: OutboxJob, now: number): void {
    this.q.insertJob.run(incidentId, JSON.stringify(job), now, now);
  }

  async supersededBy(job: StoredJob): Promise<number | null> {
    const row = this.q.laterSameJob.get(job.incidentId, JSON.stringify(job.job), job.id) as Row | undefined;
    return row ? Number(row.id) : null;
  }

  async setCardTs(incidentId: string, ts: string): Promise<void> {
    this.q.setCardTs.run(ts, incidentId);
  }

  async getIncident(id: string): Promise<Incident | null> {
    const row = this.q.getIncident.get(id) as Row | undefined;
    return row ? toIncident(row) : null;
  }

  async findIncidentByChannel(channelId: string): Promise<Incident | null> {
    const row = this.q.byChannel.get(channelId) as Row | undefined;
    return row ? toIncident(row) : null;
  }

  async listIncidents(filter: IncidentFilter, limit: number): Promise<Incident[]> {
    const statements = {
      open: this.q.listOpen,
      closed: this.q.listClosed,
      unclosed: this.q.listUnclosed,
      all: this.q.listAll,
    } satisfies Record<IncidentFilter, unknown>;
    const stmt = statements[filter];
    return (stmt.all(limit) as Row[]).map(toIncident);
  }

  async roleTerms(incidentId: string): Promise<RoleTerm[]> {
    return (this.q.terms.all(incidentId) as Row[]).map((r) => ({
      id: Number(r.id),
      incidentId: String(r.incident_id),
      role: r.role as RoleName,
      userId: String(r.user_id),
      from: Number(r.from_at),
      to: num(r.to_at),
      assignedBy: String(r.assigned_by),
    }));
  }

  /** Recorded events and the messages carrying a timeline reaction, composed by the domain. */
  async timeline(incidentId: string): Promise<TimelineEvent[]> {
    return timelineWithPins(
      incidentId,
      this.recordedEvents(incidentId),
      this.reacted(incidentId, 'timeline'),
    );
  }

  /** Live messages of an incident that carry a present reaction of this purpose. */
  private reacted(incidentId: string, purpose: ReactionPurpose): StoredMessage[] {
    return (this.q.reacted.all(incidentId, purpose) as Row[]).map(toMessage);
  }

  private recordedEvents(incidentId: string): TimelineEvent[] {
    return (this.q.events.all(incidentId) as Row[]).map((r) => ({
      id: Number(r.id),
      incidentId: String(r.incident_id),
      kind: r.kind as TimelineEvent['kind'],
      at: Number(r.at),
      actor: str(r.actor),
      text: String(r.text),
      ref: str(r.ref),
      recordedAt: Number(r.recorded_at),
    }));
  }

  async comms(incidentId: string): Promise<CommsEntry[]> {
    return (this.q.comms.all(incidentId) as Row[]).map((r) => ({
      id: Number(r.id),
      incidentId: String(r.incident_id),
      at: Number(r.at),
      channelId: String(r.channel_id),
      channelLabel: String(r.channel_label),
      summary: String(r.summary),
      audience: String(r.audience),
      sentBy: str(r.sent_by),
      status: r.status as IncidentStatus,
    }));
  }

  async actions(incidentId: string): Promise<ActionItem[]> {
    return (this.q.actions.all(incidentId) as Row[]).map(toAction);
  }

  async openActions(): Promise<ActionItem[]> {
    return (this.q.openActions.all() as Row[]).map(toAction);
  }

  /** Written fields and the messages carrying a lesson reaction, composed by the domain. */
  async fields(incidentId: string): Promise<FieldEntry[]> {
    return fieldsWithLessons(incidentId, this.writtenFields(incidentId), this.reacted(incidentId, 'lesson'));
  }

  private writtenFields(incidentId: string): FieldEntry[] {
    return (this.q.fields.all(incidentId) as Row[]).map((r) => ({
      id: Number(r.id),
      incidentId: String(r.incident_id),
      field: r.field as PostmortemField,
      value: String(r.value),
      at: Number(r.at),
      author: str(r.author),
      sourceRef: str(r.source_ref),
    }));
  }

  /**
   * Capture batches are group-committed: those that arrive in one turn of the event loop are
   * written in one transaction (each in its own savepoint, so one failing batch rolls back alone),
   * and every caller's promise settles only after that transaction has committed.
   */
  applyCapture(batch: CaptureBatch): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pendingCaptures.push({ batch, resolve, reject });
      if (this.pendingCaptures.length === 1) setImmediate(() => this.flushCaptures());
    });
  }

  private flushCaptures(): void {
    const items = this.pendingCaptures.splice(0);
    if (items.length === 0) return;
    const results: ({ ok: true; applied: boolean } | { ok: false; error: unknown })[] = [];
    try {
      this.captureGroup.immediate(items, results);
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    items.forEach((item, i) => {
      const result = results[i]!;
      if (result.ok) item.resolve(result.applied);
      else item.reject(result.error);
    });
  }

  /**
   * Writes one capture batch; runs inside the group transaction (nested: a savepoint). After the
   * rows, the messages the domain names ({@link messagesToReconcile}) get their ☑️ action items
   * reconciled in the same savepoint.
   */
  private writeCapture(batch: CaptureBatch): boolean {
    const q = this.q;

    if (batch.eventId !== null && q.markEvent.run(batch.eventId, batch.now).changes === 0) return false;
    for (const m of batch.messages ?? []) {
      q.upsertMessage.run({
        channel_id: m.channelId,
        ts: m.ts,
        incident_id: m.incidentId,
        at: tsToMillis(m.ts),
        thread_ts: m.threadTs,
        user_id: m.userId,
        bot_id: m.botId,
        text: m.text,
        files: JSON.stringify(m.files),
        version: m.version,
        edited_at: m.editedAt,
      });
    }
    for (const d of batch.deletions ?? []) {
      q.deleteMessage.run({
        channel_id: d.channelId,
        ts: d.ts,
        incident_id: d.incidentId,
        at: tsToMillis(d.ts),
      });
    }
    for (const r of batch.reactions ?? []) {
      q.setReaction.run({
        channel_id: r.channelId,
        ts: r.ts,
        user_id: r.userId,
        emoji: r.emoji,
        purpose: r.purpose,
        present: r.present ? 1 : 0,
        changed_at: r.changedAt,
      });
    }
    for (const { channelId, ts } of messagesToReconcile(batch)) {
      this.reconcileReactionAction(channelId, ts, batch.now);
    }
    for (const p of batch.participants ?? [])
      q.addParticipant.run(p.incidentId, p.userId, p.joinedAt, p.joinedAt);
    for (const d of batch.departures ?? [])
      q.removeParticipant.run(d.incidentId, d.userId, d.leftAt, d.leftAt);
    for (const o of batch.outbox ?? []) this.enqueue(o.incidentId, o.job, batch.now);
    return true;
  }

  /**
   * Keeps the action item made from a ☑️ reaction in step with its message (the rule is
   * {@link reconcileReactionAction} in the domain): reads the message, whether an action reaction
   * is present, the item made before and the highest item number, then writes the step the domain
   * returns. Runs inside the capture transaction. A message not stored (yet) has nothing to read:
   * the domain's answer for it is always 'none'.
   */
  private reconcileReactionAction(channelId: string, ts: string, now: number): void {
    const q = this.q;
    const row = q.getMessage.get(channelId, ts) as Row | undefined;
    if (!row) return;
    const message = toMessage(row);
    const existing = q.actionBySource.get(message.incidentId, ts) as Row | undefined;
    const step = reconcileReactionAction(
      {
        message,
        actionReacted: q.hasActionReaction.get(channelId, ts) !== undefined,
        existing: existing ? toAction(existing) : null,
        maxSeq: this.maxActionSeq(message.incidentId),
      },
      now,
    );
    this.writeActionStep(step);
  }

  /** Writes one step of {@link reconcileReactionAction}. */
  private writeActionStep(step: ReactionActionStep): void {
    if (step.kind === 'create') this.insertAction(step.incidentId, step.item);
    else if (step.kind === 'update_text') this.q.updateActionText.run(step.text, step.id);
    else if (step.kind === 'delete') this.q.deleteAction.run(step.id);
  }

  async getMessage(channelId: string, ts: string): Promise<StoredMessage | null> {
    const row = this.q.getMessage.get(channelId, ts) as Row | undefined;
    return row ? toMessage(row) : null;
  }

  async messages(incidentId: string): Promise<StoredMessage[]> {
    return (this.q.messages.all(incidentId) as Row[]).map(toMessage);
  }

  async lastMessageTs(incidentId: string): Promise<string | null> {
    return str((this.q.lastMessageTs.get(incidentId) as Row | undefined)?.ts);
  }

  async reactionsOn(channelId: string, ts: string): Promise<ReactionChange[]> {
    return (this.q.reactionsOn.all(channelId, ts) as Row[]).map((r) => ({
      channelId: String(r.channel_id),
      ts: String(r.ts),
      userId: String(r.user_id),
      emoji: String(r.emoji),
      purpose: r.purpose as ReactionPurpose,
      present: Number(r.present) === 1,
      changedAt: String(r.changed_at),
    }));
  }

  async participants(incidentId: string): Promise<{ userId: string; joinedAt: number }[]> {
    return (this.q.participants.all(incidentId) as Row[]).map((r) => ({
      userId: String(r.user_id),
      joinedAt: Number(r.joined_at),
    }));
  }

  async isMember(incidentId: string, userId: string): Promise<boolean> {
    return this.q.isMember.get(incidentId, userId) !== undefined;
  }

  async savePeople(names: Record<string, string>, now: number): Promise<void> {
    const entries = Object.entries(names).filter(([, name]) => name.trim() !== '');
    if (entries.length === 0) return;
    this.db.transaction(() => {
      for (const [id, name] of entries) this.q.savePerson.run(id, name, now);
    })();
  }

  async people(userIds: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const id of userIds) {
      const row = this.q.person.get(id) as Row | undefined;
      if (row) out[id] = String(row.name);
    }
    return out;
  }

  async savePostmortem(record: PostmortemRecord): Promise<void> {
    this.q.savePostmortem.run(
      record.incidentId,
      record.version,
      record.compiledAt,
      record.author,
      record.changes,
      record.markdown,
    );
  }

  async postmortems(incidentId: string): Promise<PostmortemRecord[]> {
    return (this.q.postmortems.all(incidentId) as Row[]).map((r) => ({
      incidentId: String(r.incident_id),
      version: Number(r.version),
      compiledAt: Number(r.compiled_at),
      author: str(r.author),
      changes: String(r.changes),
      markdown: String(r.markdown),
    }));
  }

  /** Prepared on first use (reminders are the only writer of their table). */
  private insertReminder: Database.Statement | null = null;

  async recordReminder(key: string, incidentId: string, job: OutboxJob, now: number): Promise<boolean> {
    this.insertReminder ??= this.db.prepare(
      'INSERT INTO reminders (key, incident_id, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING',
    );
    const insert = this.insertReminder;
    return this.db.transaction(() => {
      if (insert.run(key, incidentId, now).changes !== 1) return false;
      this.enqueue(incidentId, job, now);
      return true;
    })();
  }

  async dueJobs(now: number, limit: number): Promise<StoredJob[]> {
    return (this.q.dueJobs.all({ now, limit }) as Row[]).map(toJob);
  }

  async claimJobs(now: number, limit: number, lease: Lease): Promise<StoredJob[]> {
    return this.db
      .transaction(() => {
        const claimed: StoredJob[] = [];
        while (claimed.length < limit) {
          const free = this.q.claimable.get({ now }) as Row | undefined;
          if (!free) break;
          claimed.push(toJob(this.q.claim.get({ id: free.id, ...lease }) as Row));
        }
        return claimed;
      })
      .immediate();
  }

  async renewClaim(id: number, lease: Lease): Promise<boolean> {
    return this.q.renewClaim.run({ id, ...lease }).changes > 0;
  }

  async nextJobAt(): Promise<number | null> {
    return num((this.q.nextJobAt.get() as Row).at);
  }

  async completeJob(
    id: number,
    now: number,
    followUp?: { incidentId: string; change: ChangeSet },
  ): Promise<void> {
    this.db.transaction(() => {
      const done = this.q.completeJob.run(now, id).changes > 0;
      if (done && followUp) this.writeChange(followUp.incidentId, followUp.change, now);
    })();
  }

  async retryJob(id: number, nextAttemptAt: number, error: string): Promise<void> {
    this.q.retryJob.run(nextAttemptAt, error, id);
  }

  async failJob(id: number, error: string, now: number): Promise<void> {
    this.q.failJob.run(error, now, id);
  }

  async pruneProcessedEvents(before: number): Promise<number> {
    return this.q.pruneEvents.run(before).changes;
  }

  /** One process owns a SQLite file: claims and leases left in it belong to a process that is gone. */
  async wakeJobs(now: number): Promise<void> {
    this.db.transaction(() => {
      this.q.wakeJobs.run(now);
      this.q.dropLeases.run();
    })();
  }

  async holdLease(name: string, holder: string, now: number, until: number): Promise<boolean> {
    return this.q.holdLease.run({ name, holder, now, until }).changes > 0;
  }

  async pendingJobs(): Promise<number> {
    return Number((this.q.pendingJobs.get() as Row).n);
  }

  async failedJobs(since: number): Promise<number> {
    return Number((this.q.failedJobs.get(since) as Row).n);
  }

  async outboxStats(): Promise<OutboxStats> {
    const stats: OutboxStats = { pending: 0, done: 0, failed: 0, oldestPendingAt: null };
    for (const row of this.q.jobStates.all() as Row[]) {
      const state = String(row.status) as 'pending' | 'done' | 'failed';
      stats[state] = Number(row.n);
    }
    const at = (this.q.oldestPending.get() as Row).at;
    stats.oldestPendingAt = at === null ? null : Number(at);
    return stats;
  }

  async incidentCounts(): Promise<IncidentCount[]> {
    return (this.q.incidentCounts.all() as Row[]).map((row) => ({
      status: String(row.status),
      severity: String(row.severity),
      count: Number(row.n),
    }));
  }
}
