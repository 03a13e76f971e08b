/**
 * The whole schema as SQLite has it after its migration 005: incidents, role terms, timeline,
 * communication log, action items, fields, outbox, captured messages and reactions, participants,
 * processed Events API deliveries, postmortems and people. Epoch-ms columns are BIGINT.
 * Version and Slack-ts comparisons use the "C" collation, so they compare byte-wise as SQLite does.
 */
export const up = `
CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  year INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  title TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('P1','P2','P3','P4')),
  status TEXT NOT NULL CHECK (status IN ('investigating','identified','monitoring','resolved','closed')),
  channel_id TEXT UNIQUE,
  channel_name TEXT,
  card_ts TEXT,
  declared_by TEXT NOT NULL,
  origin_channel_id TEXT,
  declared_at BIGINT NOT NULL,
  started_at BIGINT,
  detected_at BIGINT,
  detected_by TEXT,
  identified_at BIGINT,
  mitigated_at BIGINT,
  resolved_at BIGINT,
  closed_at BIGINT,
  is_private BOOLEAN NOT NULL DEFAULT FALSE,
  UNIQUE (year, seq)
);

CREATE TABLE role_terms (
  id BIGSERIAL PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('ic','tech','comms')),
  user_id TEXT NOT NULL,
  from_at BIGINT NOT NULL,
  to_at BIGINT,
  assigned_by TEXT NOT NULL
);
CREATE INDEX role_terms_incident ON role_terms (incident_id, role);

CREATE TABLE timeline_events (
  id BIGSERIAL PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT,
  text TEXT NOT NULL,
  ref TEXT,
  recorded_at BIGINT NOT NULL
);
CREATE INDEX timeline_incident_at ON timeline_events (incident_id, at, recorded_at, id);

CREATE TABLE comms_log (
  id BIGSERIAL PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  at BIGINT NOT NULL,
  channel_id TEXT NOT NULL,
  channel_label TEXT NOT NULL,
  summary TEXT NOT NULL,
  audience TEXT NOT NULL,
  sent_by TEXT,
  status TEXT NOT NULL
);
CREATE INDEX comms_incident ON comms_log (incident_id, at);

CREATE TABLE action_items (
  id BIGSERIAL PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  text TEXT NOT NULL,
  owner TEXT,
  due TEXT,
  priority TEXT NOT NULL CHECK (priority IN ('P1','P2','P3','P4')),
  status TEXT NOT NULL CHECK (status IN ('open','done')),
  created_at BIGINT NOT NULL,
  created_by TEXT,
  done_at BIGINT,
  source_ref TEXT,
  UNIQUE (incident_id, seq)
);
CREATE UNIQUE INDEX action_items_source ON action_items (incident_id, source_ref) WHERE source_ref IS NOT NULL;

CREATE TABLE postmortem_fields (
  id BIGSERIAL PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  at BIGINT NOT NULL,
  author TEXT,
  source_ref TEXT
);
CREATE INDEX fields_incident ON postmortem_fields (incident_id, field);

CREATE TABLE outbox (
  id BIGSERIAL PRIMARY KEY,
  incident_id TEXT,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','done','failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);

CREATE TABLE messages (
  channel_id TEXT NOT NULL,
  ts TEXT NOT NULL,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  at BIGINT NOT NULL,
  thread_ts TEXT,
  user_id TEXT,
  bot_id TEXT,
  text TEXT NOT NULL,
  files TEXT NOT NULL DEFAULT '[]',
  version TEXT COLLATE "C" NOT NULL DEFAULT '',
  edited_at BIGINT,
  deleted BOOLEAN NOT NULL DEFAULT FALSE,
  PRIMARY KEY (channel_id, ts)
);
CREATE INDEX messages_incident ON messages (incident_id, at);

CREATE TABLE reactions (
  channel_id TEXT NOT NULL,
  ts TEXT NOT NULL,
  user_id TEXT NOT NULL,
  emoji TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('timeline','lesson','action')),
  present BOOLEAN NOT NULL,
  changed_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (channel_id, ts, user_id, emoji)
);

CREATE TABLE participants (
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  joined_at BIGINT NOT NULL,
  last_joined_at BIGINT,
  left_at BIGINT,
  PRIMARY KEY (incident_id, user_id)
);

CREATE TABLE processed_events (
  event_id TEXT PRIMARY KEY,
  received_at BIGINT NOT NULL
);

CREATE TABLE postmortems (
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  compiled_at BIGINT NOT NULL,
  author TEXT,
  changes TEXT NOT NULL,
  markdown TEXT NOT NULL,
  PRIMARY KEY (incident_id, version)
);

CREATE TABLE people (
  user_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
`;
