/** The source of "now" (epoch ms). Passed in so tests and replays control time. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();

/**
 * Runs `tick` every `ms` (each wait starts when the previous tick has finished) until the returned
 * function is called. Periodic work (the reminder check) takes one, so tests can drive it.
 */
export type Every = (ms: number, tick: () => Promise<void>) => () => void;

export const systemEvery: Every = (ms, tick) => {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const wait = () => {
    timer = setTimeout(() => {
      tick().finally(() => {
        if (!stopped) wait();
      });
    }, ms);
    // Never what keeps the process alive: the server is.
    timer.unref();
  };
  wait();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
};
