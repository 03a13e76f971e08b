/**
 * Capture of incident channels: messages keyed by (channel, ts) with an edit version so that
 * out-of-order edits never roll back, reactions keyed by (channel, ts, user, emoji) with the
 * event time of their last change (only reactions that mean something: timeline, lesson, action), participants, and the ids of Events API deliveries already applied.
 */
export const up = `
CREATE TABLE messages (
  channel_id TEXT NOT NULL,
  ts TEXT NOT NULL,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  thread_ts TEXT,
  user_id TEXT,
  bot_id TEXT,
  text TEXT NOT NULL,
  files TEXT NOT NULL DEFAULT '[]',
  version TEXT NOT NULL DEFAULT '',
  edited_at INTEGER,
  deleted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (channel_id, ts)
) STRICT;
CREATE INDEX messages_incident ON messages (incident_id, at);

CREATE TABLE reactions (
  channel_id TEXT NOT NULL,
  ts TEXT NOT NULL,
  user_id TEXT NOT NULL,
  emoji TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('timeline','lesson','action')),
  present INTEGER NOT NULL,
  changed_at TEXT NOT NULL,
  PRIMARY KEY (channel_id, ts, user_id, emoji)
) STRICT;

CREATE TABLE participants (
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  joined_at INTEGER NOT NULL,
  PRIMARY KEY (incident_id, user_id)
) STRICT;

CREATE TABLE processed_events (
  event_id TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX action_items_source ON action_items (incident_id, source_ref) WHERE source_ref IS NOT NULL;
`;
