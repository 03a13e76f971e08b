/**
 * Claims on outbox jobs and named leases, so that a job or a piece of group-wide work (catch-up)
 * is done by one worker at a time: `claimed_by`/`lease_until` say who holds a job and until when,
 * `claims` how often it was taken (a second claim with no attempt recorded means its first holder
 * never reported back). `revision` counts an incident's changes, so that a change decided on an
 * older state is refused instead of overwriting a newer one.
 */
export const up = `
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN lease_until INTEGER;
ALTER TABLE outbox ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  until INTEGER NOT NULL
) STRICT;
`;
