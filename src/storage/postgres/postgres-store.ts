import pg from 'pg';
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
  type PoolFigures,
  type PostmortemRecord,
  type ReactionChange,
  type ReactionPurpose,
  StaleRevisionError,
  type Store,
  type StoredJob,
  type StoredMessage,
} from '../store';
import { MIGRATIONS } from './migrations';

/** A pooled connection or the pool itself: both answer `query`. */
type Queryable = pg.Pool | pg.PoolClient;

/** How long a caller waits for a free pooled connection before failing. */
export const POOL_WAIT_MS = 5000;
/** The per-connection limit on one statement. */
const STATEMENT_TIMEOUT_MS = 30_000;
/** A connection left idle inside a transaction is closed by the server after this. */
const IDLE_IN_TRANSACTION_MS = 60_000;
/** Advisory lock keys (first half: a Firewatch namespace; second half: what is locked). */
const LOCK_NAMESPACE = 0x46_57; // 'FW'
const MIGRATION_LOCK = 0;
/** Claims of outbox jobs take turns under this lock (incident ids' locks use the year, ≥ 1970). */
const CLAIM_LOCK = 1;

/**
 * When the next pending job may be claimed: when it is due, and not before its own claim or a
 * claim on another job of its incident runs out (one incident's jobs run one at a time).
 */
const NEXT_JOB_AT = `SELECT MIN(GREATEST(o.next_attempt_at, COALESCE(o.lease_until, 0), COALESCE(
    (SELECT MAX(b.lease_until) FROM outbox b WHERE b.incident_id = o.incident_id AND b.status = 'pending' AND b.id <> o.id), 0)
  )) AS at FROM outbox o WHERE o.status = 'pending'`;

/** The most capture batches committed in one transaction. */
const MAX_CAPTURE_GROUP = 64;

/** A capture batch waiting for the next group commit, and whom to tell the outcome. */
interface PendingCapture {
  batch: CaptureBatch;
  resolve: (applied: boolean) => void;
  reject: (error: unknown) => void;
}

/** Options of {@link PostgresStore.open}. */
export interface PostgresOptions {
  /** The most connections the pool opens (DATABASE_POOL_MAX). */
  poolMax?: number;
  /** How long to wait for a free connection (ms); tests shorten it. */
  connectionTimeoutMs?: number;
}

const INCIDENT_COLUMNS = [
  'id',
  'year',
  'seq',
  'title',
  'severity',
  'status',
  'channel_id',
  'channel_name',
  'card_ts',
  'declared_by',
  'origin_channel_id',
  'declared_at',
  'started_at',
  'detected_at',
  'detected_by',
  'identified_at',
  'mitigated_at',
  'resolved_at',
  'closed_at',
  'is_private',
] as const;

/** An incident's column values, in INCIDENT_COLUMNS order. */
function incidentValues(i: Incident): unknown[] {
  return [
    i.id,
    i.year,
    i.seq,
    i.title,
    i.severity,
    i.status,
    i.channelId,
    i.channelName,
    i.cardTs,
    i.declaredBy,
    i.originChannelId,
    i.declaredAt,
    i.startedAt,
    i.detectedAt,
    i.detectedBy,
    i.identifiedAt,
    i.mitigatedAt,
    i.resolvedAt,
    i.closedAt,
    i.isPrivate,
  ];
}

const INSERT_INCIDENT = `INSERT INTO incidents (${INCIDENT_COLUMNS.join(', ')}) VALUES (${INCIDENT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
// card_ts is written only by setCardTs, never by a change set.
const UPDATED_COLUMNS = INCIDENT_COLUMNS.filter((c) => c !== 'card_ts');
const UPDATE_INCIDENT = `UPDATE incidents SET ${UPDATED_COLUMNS.slice(1)
  .map((c, i) => `${c} = $${i + 2}`)
  .join(', ')} WHERE id = $1`;

/** The values of UPDATE_INCIDENT: id first, then every column but card_ts. */
function updateValues(i: Incident): unknown[] {
  return incidentValues(i).filter((_, n) => INCIDENT_COLUMNS[n] !== 'card_ts');
}

/**
 * Runs every migration above the highest row of `schema_migrations`, each in its own transaction,
 * under an advisory lock so that two processes starting together migrate once. Refuses a database
 * whose schema is newer than this Firewatch.
 */
export async function migrate(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_NAMESPACE, MIGRATION_LOCK]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      );
      const current = Number(
        (await client.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')).rows[0].v,
      );
      if (current > MIGRATIONS.length) {
        throw new Error(
          `Database schema version ${current} is newer than this Firewatch (${MIGRATIONS.length}); upgrade Firewatch.`,
        );
      }
      for (let version = current + 1; version <= MIGRATIONS.length; version++) {
        const migration = MIGRATIONS[version - 1]!;
        await client.query('BEGIN');
        try {
          await client.query(migration.up);
          await client.query(
            'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
            [version, migration.name, Date.now()],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
  return MIGRATIONS.length;
}

/** A readable one-line reason for a connection failure (pg errors may have an empty message). */
function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}

/**
 * The PostgreSQL implementation of Store, over a bounded `pg.Pool`. Every method is one
 * transaction or one statement; changes to one incident take its row lock (`FOR UPDATE`), incident
 * numbers are allocated under an advisory lock on the year, and capture batches are deduplicated by
 * the primary key of `processed_events`. No transaction is held across anything but SQL.
 */
export class PostgresStore implements Store {
  /** Settles when the schema is migrated; every method waits for it. */
  readonly ready: Promise<void>;

  private constructor(
    readonly connections: pg.Pool,
    private readonly poolMax: number,
    private readonly waitMs: number,
  ) {
    this.ready = migrate(connections).then(
      () => undefined,
      (error: unknown) => {
        throw this.explain(error);
      },
    );
    // Surfaced by the first call; a rejection nobody has awaited yet must not crash the process.
    this.ready.catch(() => undefined);
  }

  /** Opens a pool on `url` and starts migrating; the first call waits for the migration. */
  static open(url: string, options: PostgresOptions = {}): PostgresStore {
    const max = options.poolMax ?? 10;
    const waitMs = options.connectionTimeoutMs ?? POOL_WAIT_MS;
    const pool = new pg.Pool({
      connectionString: url,
      max,
      connectionTimeoutMillis: waitMs,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
      types: { getTypeParser: bigintAsNumber },
    });
    // An idle connection dropped by the server is replaced by the pool; it is no crash.
    pool.on('error', () => undefined);
    return new PostgresStore(pool, max, waitMs);
  }

  /** Turns a driver error into one naming DATABASE_URL when it is about reaching the server. */
  private explain(error: unknown): Error {
    const reason = reasonOf(error);
    if (/timeout exceeded when trying to connect/i.test(reason)) {
      const count = this.connections.totalCount;
      if (count >= this.poolMax) {
        return new Error(
          `DATABASE_URL: the PostgreSQL pool (max ${this.poolMax}) had no free connection within ${this.waitMs / 1000} s`,
        );
      }
      return new Error(`DATABASE_URL: the PostgreSQL server did not answer within ${this.waitMs / 1000} s`);
    }
    const code = (error as { code?: string } | null)?.code;
    if (
      code === '28P01' ||
      code === '28000' ||
      code === '3D000' ||
      /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(reason)
    ) {
      return new Error(`DATABASE_URL: cannot connect to PostgreSQL (${reason})`);
    }
    return error instanceof Error ? error : new Error(reason);
  }

  /** A pooled connection, with the pool's errors explained. */
  private async connect(): Promise<pg.PoolClient> {
    await this.ready;
    try {
      return await this.connections.connect();
    } catch (error) {
      throw this.explain(error);
    }
  }

  /** One statement on any pooled connection. */
  private async query(sql: string, params: unknown[] = []): Promise<pg.QueryResult<Row>> {
    const client = await this.connect();
    try {
      return await client.query<Row>(sql, params);
    } finally {
      client.release();
    }
  }

  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  private async transaction<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  pool(): PoolFigures {
    const { totalCount, idleCount, waitingCount } = this.connections;
    return { max: this.poolMax, open: totalCount, idle: idleCount, waiting: waitingCount };
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1 FROM incidents LIMIT 1');
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.capturing;
    if (!this.connections.ended) await this.connections.end();
  }

  async createIncident(draft: NewIncident, year: number): Promise<Incident> {
    return this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, year]);
      const max = (await c.query<Row>('SELECT MAX(seq) AS seq FROM incidents WHERE year = $1', [year]))
        .rows[0]!;
      const seq = nextIncidentSeq(num(max.seq));
      const incident: Incident = { ...draft, id: formatIncidentId(year, seq), year, seq };
      await c.query(INSERT_INCIDENT, incidentValues(incident));
      return incident;
    });
  }

  async discardIncident(id: string): Promise<void> {
    await this.query('DELETE FROM incidents WHERE id = $1 AND channel_id IS NULL', [id]);
  }

  async sweepDrafts(before: number): Promise<number> {
    return (await this.query('DELETE FROM incidents WHERE channel_id IS NULL AND declared_at < $1', [before]))
      .rowCount!;
  }

  async applyChange(incidentId: string, change: ChangeSet, now: number, basedOn?: number): Promise<void> {
    await this.transaction(async (c) => {
      const revision = await this.writeChange(c, incidentId, change, now);
      if (basedOn !== undefined && revision !== basedOn + 1) throw new StaleRevisionError(incidentId);
    });
  }

  async incidentRevision(incidentId: string): Promise<number> {
    return Number(
      (await this.query('SELECT revision FROM incidents WHERE id = $1', [incidentId])).rows[0]?.revision ?? 0,
    );
  }

  /**
   * Writes a change set and returns the incident's new revision; the caller holds the transaction.
   * Raising the revision takes the incident's row lock first, which serialises changes across processes.
   */
  private async writeChange(
    c: Queryable,
    incidentId: string,
    change: ChangeSet,
    now: number,
  ): Promise<number> {
    const bumped = await c.query<Row>(
      'UPDATE incidents SET revision = revision + 1 WHERE id = $1 RETURNING revision',
      [incidentId],
    );
    if (change.incident) await c.query(UPDATE_INCIDENT, updateValues(change.incident));
    for (const end of change.endRoleTerms ?? []) {
      await c.query(
        'UPDATE role_terms SET to_at = $1 WHERE incident_id = $2 AND role = $3 AND to_at IS NULL',
        [end.at, incidentId, end.role],
      );
    }
    for (const t of change.newRoleTerms ?? []) {
      await c.query(
        'INSERT INTO role_terms (incident_id, role, user_id, from_at, to_at, assigned_by) VALUES ($1, $2, $3, $4, $5, $6)',
        [incidentId, t.role, t.userId, t.from, t.to, t.assignedBy],
      );
    }
    for (const e of change.timeline ?? []) {
      await c.query(
        'INSERT INTO timeline_events (incident_id, kind, at, actor, text, ref, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [incidentId, e.kind, e.at, e.actor, e.text, e.ref, e.recordedAt],
      );
    }
    for (const m of change.comms ?? []) {
      await c.query(
        'INSERT INTO comms_log (incident_id, at, channel_id, channel_label, summary, audience, sent_by, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [incidentId, m.at, m.channelId, m.channelLabel, m.summary, m.audience, m.sentBy, m.status],
      );
    }
    if (change.actions?.length) {
      for (const a of numberActions(await this.maxActionSeq(c, incidentId), change.actions)) {
        await this.insertAction(c, incidentId, a);
      }
    }
    for (const u of change.actionUpdates ?? []) {
      await c.query('UPDATE action_items SET status = $1, done_at = $2 WHERE incident_id = $3 AND seq = $4', [
        u.status,
        u.doneAt,
        incidentId,
        u.seq,
      ]);
    }
    for (const f of change.fields ?? []) {
      await c.query(
        'INSERT INTO postmortem_fields (incident_id, field, value, at, author, source_ref) VALUES ($1, $2, $3, $4, $5, $6)',
        [incidentId, f.field, f.value, f.at, f.author, f.sourceRef],
      );
    }
    for (const job of change.outbox ?? []) await this.enqueue(c, incidentId, job, now);
    return Number(bumped.rows[0]?.revision ?? 0);
  }

  private async maxActionSeq(c: Queryable, incidentId: string): Promise<number | null> {
    return num(
      (await c.query<Row>('SELECT MAX(seq) AS seq FROM action_items WHERE incident_id = $1', [incidentId]))
        .rows[0]!.seq,
    );
  }

  private async insertAction(
    c: Queryable,
    incidentId: string,
    a: NewActionItem & { seq: number },
  ): Promise<void> {
    await c.query(
      `INSERT INTO action_items (incident_id, seq, text, owner, due, priority, status, created_at, created_by, done_at, source_ref)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
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
      ],
    );
  }

  private async enqueue(c: Queryable, incidentId: string | null, job: OutboxJob, now: number): Promise<void> {
    await c.query(
      "INSERT INTO outbox (incident_id, payload, status, attempts, next_attempt_at, created_at) VALUES ($1, $2, 'pending', 0, $3, $4)",
      [incidentId, JSON.stringify(job), now, now],
    );
  }

  async supersededBy(job: StoredJob): Promise<number | null> {
    const { rows } = await this.query(
      "SELECT id FROM outbox WHERE incident_id IS NOT DISTINCT FROM $1 AND status = 'pending' AND payload = $2 AND id > $3 ORDER BY id LIMIT 1",
      [job.incidentId, JSON.stringify(job.job), job.id],
    );
    return rows[0] ? Number(rows[0].id) : null;
  }

  async setCardTs(incidentId: string, ts: string): Promise<void> {
    await this.query('UPDATE incidents SET card_ts = $1 WHERE id = $2', [ts, incidentId]);
  }

  async getIncident(id: string): Promise<Incident | null> {
    const { rows } = await this.query('SELECT * FROM incidents WHERE id = $1', [id]);
    return rows[0] ? toIncident(rows[0]) : null;
  }

  async findIncidentByChannel(channelId: string): Promise<Incident | null> {
    const { rows } = await this.query('SELECT * FROM incidents WHERE channel_id = $1', [channelId]);
    return rows[0] ? toIncident(rows[0]) : null;
  }

  async listIncidents(filter: IncidentFilter, limit: number): Promise<Incident[]> {
    const sql = {
      open: "SELECT * FROM incidents WHERE channel_id IS NOT NULL AND status NOT IN ('resolved','closed') ORDER BY declared_at DESC, seq DESC LIMIT $1",
      closed:
        "SELECT * FROM incidents WHERE channel_id IS NOT NULL AND status IN ('resolved','closed') ORDER BY COALESCE(resolved_at, declared_at) DESC LIMIT $1",
      unclosed:
        "SELECT * FROM incidents WHERE channel_id IS NOT NULL AND status <> 'closed' ORDER BY declared_at DESC, seq DESC LIMIT $1",
      all: 'SELECT * FROM incidents WHERE channel_id IS NOT NULL ORDER BY declared_at DESC, seq DESC LIMIT $1',
    } satisfies Record<IncidentFilter, string>;
    return (await this.query(sql[filter], [limit])).rows.map(toIncident);
  }

  async roleTerms(incidentId: string): Promise<RoleTerm[]> {
    const { rows } = await this.query(
      'SELECT * FROM role_terms WHERE incident_id = $1 ORDER BY from_at, id',
      [incidentId],
    );
    return rows.map((r) => ({
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
    const { rows } = await this.query(
      'SELECT * FROM timeline_events WHERE incident_id = $1 ORDER BY at, recorded_at, id',
      [incidentId],
    );
    const events: TimelineEvent[] = rows.map((r) => ({
      id: Number(r.id),
      incidentId: String(r.incident_id),
      kind: r.kind as TimelineEvent['kind'],
      at: Number(r.at),
      actor: str(r.actor),
      text: String(r.text),
      ref: str(r.ref),
      recordedAt: Number(r.recorded_at),
    }));
    return timelineWithPins(incidentId, events, await this.reacted(incidentId, 'timeline'));
  }

  /** Live messages of an incident that carry a present reaction of this purpose. */
  private async reacted(incidentId: string, purpose: ReactionPurpose): Promise<StoredMessage[]> {
    const { rows } = await this.query(
      `SELECT m.* FROM messages m WHERE m.incident_id = $1 AND NOT m.deleted AND EXISTS (
         SELECT 1 FROM reactions r WHERE r.channel_id = m.channel_id AND r.ts = m.ts AND r.present AND r.purpose = $2)
       ORDER BY m.at, m.ts COLLATE "C"`,
      [incidentId, purpose],
    );
    return rows.map(toMessage);
  }

  async comms(incidentId: string): Promise<CommsEntry[]> {
    const { rows } = await this.query('SELECT * FROM comms_log WHERE incident_id = $1 ORDER BY at, id', [
      incidentId,
    ]);
    return rows.map((r) => ({
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
    return (
      await this.query('SELECT * FROM action_items WHERE incident_id = $1 ORDER BY seq', [incidentId])
    ).rows.map(toAction);
  }

  async openActions(): Promise<ActionItem[]> {
    return (
      await this.query(
        "SELECT a.* FROM action_items a JOIN incidents i ON i.id = a.incident_id WHERE a.status = 'open' AND i.channel_id IS NOT NULL ORDER BY a.incident_id, a.seq",
      )
    ).rows.map(toAction);
  }

  /** Written fields and the messages carrying a lesson reaction, composed by the domain. */
  async fields(incidentId: string): Promise<FieldEntry[]> {
    const { rows } = await this.query(
      'SELECT * FROM postmortem_fields WHERE incident_id = $1 ORDER BY at, id',
      [incidentId],
    );
    const written: FieldEntry[] = rows.map((r) => ({
      id: Number(r.id),
      incidentId: String(r.incident_id),
      field: r.field as PostmortemField,
      value: String(r.value),
      at: Number(r.at),
      author: str(r.author),
      sourceRef: str(r.source_ref),
    }));
    return fieldsWithLessons(incidentId, written, await this.reacted(incidentId, 'lesson'));
  }

  /**
   * One transaction per batch. The delivery id goes in first (`ON CONFLICT DO NOTHING`): a second
   * process applying the same batch at the same moment waits on the key and then finds it taken.
   */
  /**
   * Capture batches are committed in groups: while one group's transaction runs, the batches that
   * arrive wait and go together into the next one. One commit and one round of incident locks
   * serve the whole group, which is what keeps a busy incident channel from queueing event by
   * event on its incident's lock.
   */
  async applyCapture(batch: CaptureBatch): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.pendingCaptures.push({ batch, resolve, reject });
      this.capturing ??= this.drainCaptures();
    });
  }

  private readonly pendingCaptures: PendingCapture[] = [];
  /** The running drain of {@link pendingCaptures}, if any (close() waits for it). */
  private capturing: Promise<void> | null = null;

  private async drainCaptures(): Promise<void> {
    try {
      while (this.pendingCaptures.length > 0) {
        await this.captureGroup(this.pendingCaptures.splice(0, MAX_CAPTURE_GROUP));
      }
    } finally {
      this.capturing = null;
    }
  }

  /**
   * Commits a group in one transaction. When that fails (one batch is bad, a deadlock, the
   * connection), nothing of it was written, and each batch is applied again on its own, so that
   * one bad batch fails alone.
   */
  private async captureGroup(group: PendingCapture[]): Promise<void> {
    const inOne = async (items: PendingCapture[]) =>
      this.transaction(async (c) => {
        await this.lockCaptureIncidents(
          c,
          items.map((item) => item.batch),
        );
        const applied: boolean[] = [];
        for (const { batch } of items) applied.push(await this.captureOne(c, batch));
        return applied;
      });
    if (group.length > 1) {
      const applied = await inOne(group).catch(() => null);
      if (applied) {
        for (const [i, item] of group.entries()) item.resolve(applied[i]!);
        return;
      }
    }
    for (const item of group) {
      await inOne([item]).then(
        ([applied]) => item.resolve(applied!),
        (error: unknown) => item.reject(error),
      );
    }
  }

  /** One batch inside the group's transaction; false when its eventId was applied before. */
  private async captureOne(c: pg.PoolClient, batch: CaptureBatch): Promise<boolean> {
    if (batch.eventId !== null) {
      const marked = await c.query(
        'INSERT INTO processed_events (event_id, received_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [batch.eventId, batch.now],
      );
      if (marked.rowCount === 0) return false;
    }
    await this.writeCapture(c, batch);
    return true;
  }

  /** Writes one capture batch's rows, then reconciles the ☑️ action items the domain names. */
  private async writeCapture(c: pg.PoolClient, batch: CaptureBatch): Promise<void> {
    for (const m of batch.messages ?? []) {
      await c.query(
        `INSERT INTO messages (channel_id, ts, incident_id, at, thread_ts, user_id, bot_id, text, files, version, edited_at, deleted)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, FALSE)
         ON CONFLICT (channel_id, ts) DO UPDATE SET
           text = CASE WHEN excluded.version > messages.version THEN excluded.text ELSE messages.text END,
           files = CASE WHEN excluded.version > messages.version THEN excluded.files ELSE messages.files END,
           edited_at = CASE WHEN excluded.version > messages.version THEN excluded.edited_at ELSE messages.edited_at END,
           version = GREATEST(excluded.version, messages.version),
           thread_ts = COALESCE(messages.thread_ts, excluded.thread_ts),
           user_id = COALESCE(messages.user_id, excluded.user_id),
           bot_id = COALESCE(messages.bot_id, excluded.bot_id)
         WHERE NOT messages.deleted`,
        [
          m.channelId,
          m.ts,
          m.incidentId,
          tsToMillis(m.ts),
          m.threadTs,
          m.userId,
          m.botId,
          m.text,
          JSON.stringify(m.files),
          m.version,
          m.editedAt,
        ],
      );
    }
    for (const d of batch.deletions ?? []) {
      await c.query(
        `INSERT INTO messages (channel_id, ts, incident_id, at, text, deleted) VALUES ($1, $2, $3, $4, '', TRUE)
         ON CONFLICT (channel_id, ts) DO UPDATE SET deleted = TRUE, text = '', files = '[]'`,
        [d.channelId, d.ts, d.incidentId, tsToMillis(d.ts)],
      );
    }
    for (const r of batch.reactions ?? []) {
      await c.query(
        `INSERT INTO reactions (channel_id, ts, user_id, emoji, purpose, present, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (channel_id, ts, user_id, emoji) DO UPDATE SET present = excluded.present, changed_at = excluded.changed_at
         WHERE excluded.changed_at > reactions.changed_at`,
        [r.channelId, r.ts, r.userId, r.emoji, r.purpose, r.present, r.changedAt],
      );
    }
    for (const { channelId, ts } of messagesToReconcile(batch)) {
      await this.reconcileReactionAction(c, channelId, ts, batch.now);
    }
    for (const p of batch.participants ?? []) {
      await c.query(
        `INSERT INTO participants (incident_id, user_id, joined_at, last_joined_at) VALUES ($1, $2, $3, $3)
         ON CONFLICT (incident_id, user_id) DO UPDATE SET joined_at = LEAST(participants.joined_at, excluded.joined_at),
           last_joined_at = GREATEST(COALESCE(participants.last_joined_at, excluded.last_joined_at), excluded.last_joined_at)`,
        [p.incidentId, p.userId, p.joinedAt],
      );
    }
    for (const d of batch.departures ?? []) {
      await c.query(
        `INSERT INTO participants (incident_id, user_id, joined_at, last_joined_at, left_at) VALUES ($1, $2, $3, NULL, $3)
         ON CONFLICT (incident_id, user_id) DO UPDATE SET left_at = GREATEST(COALESCE(participants.left_at, excluded.left_at), excluded.left_at)`,
        [d.incidentId, d.userId, d.leftAt],
      );
    }
    for (const o of batch.outbox ?? []) await this.enqueue(c, o.incidentId, o.job, batch.now);
  }

  /**
   * Takes the row lock of every incident a group of batches touches, in id order, before writing
   * anything. Rows that reference an incident (messages, participants) take a share lock on it, and
   * the ☑️ reconcile then wants its row lock: two transactions doing that in turn would deadlock.
   */
  private async lockCaptureIncidents(c: pg.PoolClient, batches: readonly CaptureBatch[]): Promise<void> {
    const ids = new Set<string>();
    const channels = new Set<string>();
    for (const batch of batches) {
      for (const m of batch.messages ?? []) ids.add(m.incidentId);
      for (const d of batch.deletions ?? []) ids.add(d.incidentId);
      for (const p of batch.participants ?? []) ids.add(p.incidentId);
      for (const d of batch.departures ?? []) ids.add(d.incidentId);
      for (const o of batch.outbox ?? []) ids.add(o.incidentId);
      for (const r of batch.reactions ?? []) channels.add(r.channelId);
    }
    if (channels.size > 0) {
      const rows = await c.query<Row>('SELECT id FROM incidents WHERE channel_id = ANY($1)', [[...channels]]);
      for (const row of rows.rows) ids.add(String(row.id));
    }
    if (ids.size === 0) return;
    await c.query('SELECT 1 FROM incidents WHERE id = ANY($1) ORDER BY id FOR UPDATE', [[...ids].sort()]);
  }

  /**
   * Keeps the action item made from a ☑️ reaction in step with its message (the rule is
   * {@link reconcileReactionAction} in the domain). Runs inside a capture group, which holds the
   * row locks of its incidents ({@link lockCaptureIncidents}), so item numbers are not raced by
   * another process. What the rule needs is read in one statement.
   */
  private async reconcileReactionAction(
    c: pg.PoolClient,
    channelId: string,
    ts: string,
    now: number,
  ): Promise<void> {
    const found = (
      await c.query<Row>(
        `SELECT m.*,
           (SELECT row_to_json(a) FROM action_items a WHERE a.incident_id = m.incident_id AND a.source_ref = m.ts) AS existing_item,
           EXISTS (SELECT 1 FROM reactions r WHERE r.channel_id = m.channel_id AND r.ts = m.ts AND r.present AND r.purpose = 'action') AS action_reacted,
           (SELECT MAX(seq) FROM action_items x WHERE x.incident_id = m.incident_id) AS max_seq
         FROM messages m WHERE m.channel_id = $1 AND m.ts = $2`,
        [channelId, ts],
      )
    ).rows[0];
    if (!found) return;
    const step = reconcileReactionAction(
      {
        message: toMessage(found),
        actionReacted: found.action_reacted === true,
        existing: found.existing_item ? toAction(found.existing_item as Row) : null,
        maxSeq: num(found.max_seq),
      },
      now,
    );
    await this.writeActionStep(c, step);
  }

  /** Writes one step of {@link reconcileReactionAction}. */
  private async writeActionStep(c: pg.PoolClient, step: ReactionActionStep): Promise<void> {
    if (step.kind === 'create') await this.insertAction(c, step.incidentId, step.item);
    else if (step.kind === 'update_text')
      await c.query('UPDATE action_items SET text = $1 WHERE id = $2', [step.text, step.id]);
    else if (step.kind === 'delete') await c.query('DELETE FROM action_items WHERE id = $1', [step.id]);
  }

  async getMessage(channelId: string, ts: string): Promise<StoredMessage | null> {
    const { rows } = await this.query('SELECT * FROM messages WHERE channel_id = $1 AND ts = $2', [
      channelId,
      ts,
    ]);
    return rows[0] ? toMessage(rows[0]) : null;
  }

  async messages(incidentId: string): Promise<StoredMessage[]> {
    const { rows } = await this.query(
      'SELECT * FROM messages WHERE incident_id = $1 AND NOT deleted ORDER BY at, ts COLLATE "C"',
      [incidentId],
    );
    return rows.map(toMessage);
  }

  async lastMessageTs(incidentId: string): Promise<string | null> {
    const { rows } = await this.query(
      'SELECT ts FROM messages WHERE incident_id = $1 ORDER BY CAST(ts AS DOUBLE PRECISION) DESC LIMIT 1',
      [incidentId],
    );
    return str(rows[0]?.ts);
  }

  async reactionsOn(channelId: string, ts: string): Promise<ReactionChange[]> {
    const { rows } = await this.query(
      'SELECT * FROM reactions WHERE channel_id = $1 AND ts = $2 AND present',
      [channelId, ts],
    );
    return rows.map((r) => ({
      channelId: String(r.channel_id),
      ts: String(r.ts),
      userId: String(r.user_id),
      emoji: String(r.emoji),
      purpose: r.purpose as ReactionPurpose,
      present: r.present === true,
      changedAt: String(r.changed_at),
    }));
  }

  async participants(incidentId: string): Promise<{ userId: string; joinedAt: number }[]> {
    const { rows } = await this.query(
      'SELECT * FROM participants WHERE incident_id = $1 AND last_joined_at IS NOT NULL ORDER BY joined_at',
      [incidentId],
    );
    return rows.map((r) => ({ userId: String(r.user_id), joinedAt: Number(r.joined_at) }));
  }

  async isMember(incidentId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.query(
      `SELECT 1 FROM participants WHERE incident_id = $1 AND user_id = $2 AND last_joined_at IS NOT NULL
       AND (left_at IS NULL OR left_at < last_joined_at)`,
      [incidentId, userId],
    );
    return rowCount! > 0;
  }

  async savePeople(names: Record<string, string>, now: number): Promise<void> {
    const entries = Object.entries(names).filter(([, name]) => name.trim() !== '');
    if (entries.length === 0) return;
    await this.transaction(async (c) => {
      for (const [id, name] of entries) {
        await c.query(
          `INSERT INTO people (user_id, name, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
           WHERE excluded.name <> people.name`,
          [id, name, now],
        );
      }
    });
  }

  async people(userIds: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    if (userIds.length === 0) return out;
    const { rows } = await this.query('SELECT user_id, name FROM people WHERE user_id = ANY($1::text[])', [
      userIds,
    ]);
    const byId = new Map(rows.map((r) => [String(r.user_id), String(r.name)]));
    for (const id of userIds) {
      const name = byId.get(id);
      if (name !== undefined) out[id] = name;
    }
    return out;
  }

  async savePostmortem(record: PostmortemRecord): Promise<void> {
    await this.query(
      'INSERT INTO postmortems (incident_id, version, compiled_at, author, changes, markdown) VALUES ($1, $2, $3, $4, $5, $6)',
      [record.incidentId, record.version, record.compiledAt, record.author, record.changes, record.markdown],
    );
  }

  async postmortems(incidentId: string): Promise<PostmortemRecord[]> {
    const { rows } = await this.query('SELECT * FROM postmortems WHERE incident_id = $1 ORDER BY version', [
      incidentId,
    ]);
    return rows.map((r) => ({
      incidentId: String(r.incident_id),
      version: Number(r.version),
      compiledAt: Number(r.compiled_at),
      author: str(r.author),
      changes: String(r.changes),
      markdown: String(r.markdown),
    }));
  }

  async recordReminder(key: string, incidentId: string, job: OutboxJob, now: number): Promise<boolean> {
    return this.transaction(async (c) => {
      // A replica inserting the same key at the same moment waits for this one, then inserts nothing.
      const { rowCount } = await c.query(
        'INSERT INTO reminders (key, incident_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING',
        [key, incidentId, now],
      );
      if (rowCount !== 1) return false;
      await this.enqueue(c, incidentId, job, now);
      return true;
    });
  }

  async dueJobs(now: number, limit: number): Promise<StoredJob[]> {
    const { rows } = await this.query(
      "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1) ORDER BY next_attempt_at, id LIMIT $2",
      [now, limit],
    );
    return rows.map(toJob);
  }

  /**
   * The oldest free job whose incident has no job held, in one short transaction. Claims of every
   * process take turns under an advisory lock: without it, two processes claiming at the same
   * moment could each take a different job of one incident (neither sees the other's claim before
   * it commits), and that incident's posts could land out of order.
   */
  async claimJobs(now: number, limit: number, lease: Lease): Promise<StoredJob[]> {
    return this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, CLAIM_LOCK]);
      const claimed: StoredJob[] = [];
      while (claimed.length < limit) {
        const { rows } = await c.query<Row>(
          `UPDATE outbox SET claimed_by = $2, lease_until = $3, claims = claims + 1
           WHERE id = (
             SELECT id FROM outbox o
             WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
               AND NOT EXISTS (SELECT 1 FROM outbox b WHERE b.incident_id = o.incident_id AND b.status = 'pending' AND b.lease_until > $1)
             ORDER BY next_attempt_at, id LIMIT 1
             FOR UPDATE)
           RETURNING *`,
          [now, lease.holder, lease.until],
        );
        if (rows.length === 0) break;
        claimed.push(toJob(rows[0]!));
      }
      return claimed;
    });
  }

  async renewClaim(id: number, lease: Lease): Promise<boolean> {
    const result = await this.query(
      "UPDATE outbox SET lease_until = $3 WHERE id = $1 AND claimed_by = $2 AND status = 'pending'",
      [id, lease.holder, lease.until],
    );
    return result.rowCount! > 0;
  }

  async nextJobAt(): Promise<number | null> {
    return num((await this.query(NEXT_JOB_AT)).rows[0]!.at);
  }

  async completeJob(
    id: number,
    now: number,
    followUp?: { incidentId: string; change: ChangeSet },
  ): Promise<void> {
    const done =
      "UPDATE outbox SET status = 'done', attempts = attempts + 1, finished_at = $1, last_error = NULL, claimed_by = NULL, lease_until = NULL WHERE id = $2 AND status = 'pending'";
    if (!followUp) {
      await this.query(done, [now, id]);
      return;
    }
    await this.transaction(async (c) => {
      const finished = await c.query(done, [now, id]);
      if (finished.rowCount! > 0) await this.writeChange(c, followUp.incidentId, followUp.change, now);
    });
  }

  async retryJob(id: number, nextAttemptAt: number, error: string): Promise<void> {
    await this.query(
      "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2, claimed_by = NULL, lease_until = NULL WHERE id = $3 AND status = 'pending'",
      [nextAttemptAt, error, id],
    );
  }

  async failJob(id: number, error: string, now: number): Promise<void> {
    await this.query(
      "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = $1, finished_at = $2, claimed_by = NULL, lease_until = NULL WHERE id = $3 AND status = 'pending'",
      [error, now, id],
    );
  }

  async pruneProcessedEvents(before: number): Promise<number> {
    return (await this.query('DELETE FROM processed_events WHERE received_at < $1', [before])).rowCount!;
  }

  /**
   * Several processes share the database: a process starting changes nothing. The claims and
   * leases of the others stand until they run out, and a job's back-off (Slack's Retry-After
   * above all) is the group's, not to be cut short because one replica restarted.
   */
  async wakeJobs(_now: number): Promise<void> {
    await this.ready;
  }

  async holdLease(name: string, holder: string, now: number, until: number): Promise<boolean> {
    const result = await this.query(
      `INSERT INTO leases (name, holder, until) VALUES ($1, $2, $4)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
       WHERE leases.until <= $3 OR leases.holder = excluded.holder`,
      [name, holder, now, until],
    );
    return result.rowCount! > 0;
  }

  async pendingJobs(): Promise<number> {
    return Number((await this.query("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'")).rows[0]!.n);
  }

  async failedJobs(since: number): Promise<number> {
    return Number(
      (
        await this.query("SELECT COUNT(*) AS n FROM outbox WHERE status = 'failed' AND finished_at >= $1", [
          since,
        ])
      ).rows[0]!.n,
    );
  }

  async outboxStats(): Promise<OutboxStats> {
    const stats: OutboxStats = { pending: 0, done: 0, failed: 0, oldestPendingAt: null };
    for (const row of (await this.query('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status')).rows) {
      stats[String(row.status) as 'pending' | 'done' | 'failed'] = Number(row.n);
    }
    stats.oldestPendingAt = num(
      (await this.query("SELECT MIN(created_at) AS at FROM outbox WHERE status = 'pending'")).rows[0]!.at,
    );
    return stats;
  }

  async incidentCounts(): Promise<IncidentCount[]> {
    const { rows } = await this.query(
      'SELECT status, severity, COUNT(*) AS n FROM incidents GROUP BY status, severity ORDER BY status, severity',
    );
    return rows.map((row) => ({
      status: String(row.status),
      severity: String(row.severity),
      count: Number(row.n),
    }));
  }
}

/** int8 (BIGINT, COUNT) comes back as a number: every such column holds epoch ms or a count, well inside 2^53. */
function bigintAsNumber(oid: number, format?: string): (value: string) => unknown {
  if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
  return pg.types.getTypeParser(oid, format as 'text');
}
