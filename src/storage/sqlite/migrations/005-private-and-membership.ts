/**
 * Private incidents (their channel is private; nothing about them is announced outside it) and
 * channel membership that follows leaves as well as joins: a participant is a current member when
 * their latest join is later than their latest leave. `last_joined_at` is null for someone only
 * ever seen leaving (a leave delivered before its join); such a row is not a participant.
 */
export const up = `
ALTER TABLE incidents ADD COLUMN is_private INTEGER NOT NULL DEFAULT 0 CHECK (is_private IN (0, 1));
ALTER TABLE participants ADD COLUMN last_joined_at INTEGER;
ALTER TABLE participants ADD COLUMN left_at INTEGER;
UPDATE participants SET last_joined_at = joined_at;
`;
