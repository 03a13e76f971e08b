/** A clock that runs in real time from a chosen instant and can be moved forward (worked-example tests). */
export function movableClock(startIso: string) {
  let offset = Date.parse(startIso) - Date.now();
  return {
    now: () => Date.now() + offset,
    set: (iso: string) => {
      offset = Date.parse(iso) - Date.now();
    },
  };
}

/** The Slack ts of an ISO instant (with `micro` microseconds). */
export const tsAt = (iso: string, micro = 0) => `${Date.parse(iso) / 1000}.${String(micro).padStart(6, '0')}`;
