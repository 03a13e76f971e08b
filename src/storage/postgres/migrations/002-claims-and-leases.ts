/**
 * The same as SQLite's migration 006: outbox claims (holder, lease end, how often taken), named
 * leases for group-wide work, and the incident revision that refuses a change decided on an older
 * state. The partial index finds the jobs a worker may claim without reading finished ones.
 */
export const up = `
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN lease_until BIGINT;
ALTER TABLE outbox ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_pending_incident ON outbox (incident_id, lease_until) WHERE status = 'pending';
ALTER TABLE incidents ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  until BIGINT NOT NULL
);
`;
