/** Compiled postmortems: one row per compile (the document history), newest is current. */
export const up = `
CREATE TABLE postmortems (
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  compiled_at INTEGER NOT NULL,
  author TEXT,
  changes TEXT NOT NULL,
  markdown TEXT NOT NULL,
  PRIMARY KEY (incident_id, version)
) STRICT;
`;
