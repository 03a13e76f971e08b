import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { freshDatabase, serverStartMs, stopPostgres } from '../../../scripts/support/postgres';
import { ConfigError, checkPaths, loadConfig } from '../../../src/config';
import { draftIncident } from '../../../src/domain/lifecycle';
import type { NewIncident } from '../../../src/storage';
import { openStore } from '../../../src/storage';
import { MIGRATIONS } from '../../../src/storage/postgres/migrations';
import { PostgresStore } from '../../../src/storage/postgres/postgres-store';
import { describeStoreContract } from '../store-contract';

const draft = (declaredAt: number, title = 'Something broke'): NewIncident =>
  draftIncident({ title, severity: 'P2', declaredBy: 'UALICE', originChannelId: 'CGENERAL', declaredAt });

afterAll(async () => {
  await stopPostgres();
}, 60_000);

// The whole Store contract, on a fresh database of a real PostgreSQL server per test.
describeStoreContract('PostgresStore', async () => {
  const store = PostgresStore.open(await freshDatabase());
  await store.ready;
  return { store, dispose: () => store.close() };
});

describe('PostgresStore (PostgreSQL specifics)', () => {
  it('leaves the back-offs, claims and leases of the other processes alone when one starts', async () => {
    const store = PostgresStore.open(await freshDatabase());
    try {
      const incident = await store.createIncident(draft(1000), 2026);
      const post = (text: string) => ({ type: 'post_message' as const, channel: 'C1', text });
      await store.applyChange(incident.id, { outbox: [post('a')] }, 2000);
      const other = await store.createIncident(draft(1100), 2026);
      await store.applyChange(other.id, { outbox: [post('b')] }, 2000);
      const [a] = await store.dueJobs(2000, 1);
      await store.retryJob(a!.id, 90_000, 'ratelimited');
      const [held] = await store.claimJobs(3000, 1, { holder: 'alive', until: 60_000 });
      expect(await store.holdLease('catch-up', 'alive', 3000, 60_000)).toBe(true);
      await store.wakeJobs(3000);
      expect(await store.dueJobs(3000, 10)).toEqual([]);
      expect(await store.nextJobAt()).toBe(60_000);
      expect(await store.claimJobs(3000, 1, { holder: 'new', until: 70_000 })).toEqual([]);
      expect(await store.holdLease('catch-up', 'new', 3000, 70_000)).toBe(false);
      expect(held!.incidentId).toBe(other.id);
    } finally {
      await store.close();
    }
  });

  it('lets one of two processes claiming at the same moment take one job of an incident, never two', async () => {
    const url = await freshDatabase();
    const [one, two] = [PostgresStore.open(url), PostgresStore.open(url)];
    try {
      const incident = await one.createIncident(draft(1000), 2026);
      const post = (text: string) => ({ type: 'post_message' as const, channel: 'C1', text });
      await one.applyChange(incident.id, { outbox: [post('a'), post('b'), post('c')] }, 2000);
      const claims = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? one : two).claimJobs(3000, 1, { holder: `p${i}`, until: 60_000 }),
        ),
      );
      const taken = claims.flat();
      expect(taken).toHaveLength(1);
      expect((taken[0]!.job as { text: string }).text).toBe('a');
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('starts its test server quickly', async () => {
    expect(await serverStartMs()).toBeLessThan(15_000);
  });

  it('runs numbered migrations once, tracked in schema_migrations', async () => {
    const url = await freshDatabase();
    const first = PostgresStore.open(url);
    await first.ready;
    await first.close();
    const again = PostgresStore.open(url);
    await again.ready;
    const { rows } = await again.connections.query(
      'SELECT version, name FROM schema_migrations ORDER BY version',
    );
    expect(rows).toEqual(MIGRATIONS.map((m, i) => ({ version: i + 1, name: m.name })));
    await again.close();
  });

  it('refuses a database whose schema is newer than this Firewatch', async () => {
    const url = await freshDatabase();
    const store = PostgresStore.open(url);
    await store.ready;
    await store.connections.query(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)",
    );
    await store.close();
    const newer = PostgresStore.open(url);
    await expect(newer.ping()).rejects.toThrow(/schema version 999 is newer than this Firewatch/);
    await newer.close();
  });

  it('gives two processes declaring at the same moment different incident ids', async () => {
    const url = await freshDatabase();
    const a = PostgresStore.open(url);
    const b = PostgresStore.open(url);
    await Promise.all([a.ready, b.ready]);
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).createIncident(draft(1000 + i), 2026)),
    );
    const ids = made.map((i) => i.id).sort();
    expect(new Set(ids).size).toBe(20);
    expect(ids[0]).toBe('INC-2026-001');
    expect(ids[19]).toBe('INC-2026-020');
    await Promise.all([a.close(), b.close()]);
  });

  it('applies a capture batch delivered to two processes at once exactly once', async () => {
    const url = await freshDatabase();
    const a = PostgresStore.open(url);
    const b = PostgresStore.open(url);
    await Promise.all([a.ready, b.ready]);
    const incident = await a.createIncident(draft(1000), 2026);
    const capture = {
      eventId: 'Ev123',
      now: 5,
      outbox: [
        { incidentId: incident.id, job: { type: 'post_message' as const, channel: 'C1', text: 'once' } },
      ],
    };
    const applied = await Promise.all([a.applyCapture(capture), b.applyCapture(capture)]);
    expect(applied.filter(Boolean)).toHaveLength(1);
    expect(await b.pendingJobs()).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('fires a reminder once when two replicas record it at the same moment', async () => {
    const url = await freshDatabase();
    const a = PostgresStore.open(url);
    const b = PostgresStore.open(url);
    await Promise.all([a.ready, b.ready]);
    const incident = await a.createIncident(draft(1000), 2026);
    const job = { type: 'post_message' as const, channel: 'C1', text: 'Post an update' };
    const key = `update:${incident.id}:1000:15m:1`;
    const recorded = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).recordReminder(key, incident.id, job, 2000)),
    );
    expect(recorded.filter(Boolean)).toHaveLength(1);
    expect(await b.pendingJobs()).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('fails fast with a clear error when the pool has no free connection', async () => {
    const url = await freshDatabase();
    const store = PostgresStore.open(url, { poolMax: 1, connectionTimeoutMs: 300 });
    await store.ready;
    const held = await store.connections.connect();
    try {
      await expect(store.pendingJobs()).rejects.toThrow(
        'DATABASE_URL: the PostgreSQL pool (max 1) had no free connection within 0.3 s',
      );
    } finally {
      held.release();
    }
    expect(await store.pendingJobs()).toBe(0);
    await store.close();
  });

  it('names DATABASE_URL when the server refuses the password', async () => {
    const url = new URL(await freshDatabase());
    url.password = 'wrong';
    const store = PostgresStore.open(url.toString());
    await expect(store.ping()).rejects.toThrow(/^DATABASE_URL: cannot connect to PostgreSQL \(.*password/);
    await store.close();
  });

  it('reads epoch-ms columns back as numbers', async () => {
    const store = PostgresStore.open(await freshDatabase());
    const incident = await store.createIncident(draft(1_780_000_000_123), 2026);
    expect((await store.getIncident(incident.id))?.declaredAt).toBe(1_780_000_000_123);
    const client = new pg.Client({
      connectionString: (store.connections.options as { connectionString: string }).connectionString,
    });
    await client.connect();
    expect((await client.query('SELECT declared_at FROM incidents')).rows[0].declared_at).toBe(
      '1780000000123',
    );
    await client.end();
    await store.close();
  });
});

describe('DATABASE_URL=postgres://… (configuration and selection)', () => {
  const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

  it('opens a PostgresStore for postgres:// and postgresql:// URLs, with the configured pool size', async () => {
    const url = await freshDatabase();
    for (const u of [url, url.replace('postgres://', 'postgresql://')]) {
      const store = openStore(u, { poolMax: 3 });
      expect(store).toBeInstanceOf(PostgresStore);
      expect((store as PostgresStore).connections.options.max).toBe(3);
      await store.ping();
      await store.close();
    }
  });

  it('takes DATABASE_POOL_MAX (default 10) and never treats a PostgreSQL URL as a file path', () => {
    expect(loadConfig(base).databasePoolMax).toBe(10);
    expect(loadConfig({ ...base, DATABASE_POOL_MAX: '25' }).databasePoolMax).toBe(25);
    for (const bad of ['0', 'lots', '2.5']) {
      expect(() => loadConfig({ ...base, DATABASE_POOL_MAX: bad })).toThrow(ConfigError);
    }
    const config = loadConfig({ ...base, DATABASE_URL: 'postgres://fw:pw@db.invalid:5432/firewatch' });
    expect(config.databaseUrl).toBe('postgres://fw:pw@db.invalid:5432/firewatch');
    // No folder named "postgres:" is checked or created.
    expect(() => checkPaths({ databaseUrl: config.databaseUrl, postmortemDir: os.tmpdir() })).not.toThrow();
    expect(fs.existsSync('postgres:')).toBe(false);
  });

  it('names DATABASE_URL in one line when the server cannot be reached', async () => {
    const store = openStore('postgres://fw:pw@127.0.0.1:1/firewatch');
    await expect(store.ping()).rejects.toThrow(
      /^DATABASE_URL: cannot connect to PostgreSQL \(.*ECONNREFUSED/,
    );
    await store.close();
  });
});
