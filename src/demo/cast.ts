/** The cast of the demo's story: its people and the monitoring bot, as workspace members of the emulator. */

/** The people of the story. */
export const PEOPLE = {
  alem: { id: 'U0ALEM0001', realName: 'Alem Bašić' },
  ingrid: { id: 'U0INGRID01', realName: 'Ingrid Solberg' },
  tomas: { id: 'U0TOMAS001', realName: 'Tomás Lindqvist' },
} as const;
export type Person = keyof typeof PEOPLE;
/** The monitoring app that notices the outage first. */
export const MONITOR = {
  userId: 'U0BETTERS1',
  botId: 'B0BETTERS1',
  name: 'betterstack',
  label: 'BetterStack',
};
