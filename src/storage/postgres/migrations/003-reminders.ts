/**
 * Reminders that fired, one row per key: the primary key is what makes a reminder fire once even
 * when several replicas check at the same moment. And the names of people, which were Slack handles
 * or display names until now: forgotten, so full names (`real_name`) are looked up again.
 */
export const up = `
CREATE TABLE reminders (
  key TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL
);
DELETE FROM people;
`;
