/** Display names of the people Firewatch has seen, so documents name them even without Slack. */
export const up = `
CREATE TABLE people (
  user_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
`;
