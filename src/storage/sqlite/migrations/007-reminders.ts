/**
 * Reminders that fired (status-update nudges, overdue action items), one row per key, so that each
 * fires once across restarts. And the names of people: until now they were Slack handles or display
 * names; documents and the App Home name people by their full name (`real_name`), so the old ones
 * are forgotten and looked up again from Slack when next needed.
 */
export const up = `
CREATE TABLE reminders (
  key TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
) STRICT;
DELETE FROM people;
`;
