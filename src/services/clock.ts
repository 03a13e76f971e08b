/** The source of "now" (epoch ms). Passed in so tests and replays control time. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
