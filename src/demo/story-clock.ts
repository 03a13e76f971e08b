/**
 * The demo's clock: story time, set to the wall-clock times of the worked example and running on in real
 * time between steps. (Not the bot's `Clock` of `src/services/clock.ts`: the bot gets {@link StoryClock.now}.)
 */
import { TZDate } from '@date-fns/tz';
import { formatLocalTime } from '../domain/time';

/** The day of the worked example; times of day are read in the demo's zone. */
const STORY_DAY = { year: 2026, month: 2, day: 20 } as const;

/** Story time: set to the wall-clock times of the example, running on in real time between steps. */
export class StoryClock {
  private base = 0;
  private mark = performance.now();

  constructor(readonly timeZone: string) {}

  /** Epoch ms now, in story time (the bot's `clock`). */
  readonly now = (): number => Math.floor(this.base + performance.now() - this.mark);

  /** The instant of a wall-clock time (`HH:MM[:SS]`) on the story's day in the demo's zone. */
  instant(time: string): number {
    const [h = 0, m = 0, s = 0] = time.split(':').map(Number);
    const { year, month, day } = STORY_DAY;
    return new TZDate(year, month - 1, day, h, m, s, this.timeZone).getTime();
  }

  /** Moves story time forward to `time` (never backwards); returns the instant. */
  advanceTo(time: string): number {
    const at = this.instant(time);
    this.base = Math.max(at, this.now());
    this.mark = performance.now();
    return at;
  }

  /** `HH:MM:SS` of an instant in the demo's zone. */
  label(at: number): string {
    return formatLocalTime(at, this.timeZone, 'HH:mm:ss');
  }
}
