/** Incidents, roles as time-bounded terms, timeline, communication log, actions, fields, outbox. */
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
  declared_at INTEGER NOT NULL,
  started_at INTEGER,
  detected_at INTEGER,
  detected_by TEXT,
  identified_at INTEGER,
  mitigated_at INTEGER,
  resolved_at INTEGER,
  closed_at INTEGER,
  UNIQUE (year, seq)
) STRICT;

CREATE TABLE role_terms (
  id INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('ic','tech','comms')),
  user_id TEXT NOT NULL,
  from_at INTEGER NOT NULL,
  to_at INTEGER,
  assigned_by TEXT NOT NULL
) STRICT;
CREATE INDEX role_terms_incident ON role_terms (incident_id, role);

CREATE TABLE timeline_events (
  id INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT,
  text TEXT NOT NULL,
  ref TEXT,
  recorded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX timeline_incident_at ON timeline_events (incident_id, at, recorded_at, id);

CREATE TABLE comms_log (
  id INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  channel_id TEXT NOT NULL,
  channel_label TEXT NOT NULL,
  summary TEXT NOT NULL,
  audience TEXT NOT NULL,
  sent_by TEXT,
  status TEXT NOT NULL
) STRICT;
CREATE INDEX comms_incident ON comms_log (incident_id, at);

CREATE TABLE action_items (
  id INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  text TEXT NOT NULL,
  owner TEXT,
  due TEXT,
  priority TEXT NOT NULL CHECK (priority IN ('P1','P2','P3','P4')),
  status TEXT NOT NULL CHECK (status IN ('open','done')),
  created_at INTEGER NOT NULL,
  created_by TEXT,
  done_at INTEGER,
  source_ref TEXT,
  UNIQUE (incident_id, seq)
) STRICT;

CREATE TABLE postmortem_fields (
  id INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  at INTEGER NOT NULL,
  author TEXT,
  source_ref TEXT
) STRICT;
CREATE INDEX fields_incident ON postmortem_fields (incident_id, field);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  incident_id TEXT,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','done','failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  finished_at INTEGER
) STRICT;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
`;
