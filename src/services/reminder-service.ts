import type { OutboxJob } from '../domain/changes';
import { dueReminders, type Reminder, type UpdateIntervals } from '../domain/reminders';
import type { Store } from '../storage';
import { type Clock, type Every, systemEvery } from './clock';
import { openActionItems } from './home-service';
import type { Renderer } from './renderer';

/** How often the reminders are checked unless told otherwise. */
export const DEFAULT_REMINDER_PERIOD_MS = 60_000;

/** How many open incidents are checked for status updates. */
const OPEN_READ = 500;

export interface ReminderDeps {
  store: Store;
  clock: Clock;
  /** Draws the nudge and the overdue message (Block Kit lives in the Slack layer). */
  renderer: Pick<Renderer, 'updateReminder' | 'overdueReminder'>;
  settings: { timeZone: string; updateReminders: UpdateIntervals };
  /** Told when reminders were queued (kicks the outbox). */
  onQueued: () => void;
  /** A check that failed (the database did not answer); the next one tries again. */
  onError: (error: unknown) => void;
  /** The timer (default: setTimeout). */
  every?: Every;
}

/**
 * Status-update nudges and overdue action items. Every period it reads the open incidents and the
 * action items, asks the domain which reminders are due now ({@link dueReminders}), and records
 * each with its post in one transaction ({@link Store.recordReminder}): a reminder recorded before,
 * by this process before a restart or by another replica, is not posted again. The posts go out
 * through the outbox, so Slack being down delays them but never loses or doubles them.
 */
export class ReminderService {
  private cancel: (() => void) | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly deps: ReminderDeps) {}

  /** Checks every `periodMs` until {@link stop}; the first check comes after one period. */
  start(periodMs: number = DEFAULT_REMINDER_PERIOD_MS): void {
    if (this.cancel || periodMs <= 0) return;
    const every = this.deps.every ?? systemEvery;
    this.cancel = every(periodMs, async () => {
      await this.check().catch((error: unknown) => this.deps.onError(error));
    });
  }

  /** Stops the timer and waits for a check under way. */
  async stop(): Promise<void> {
    this.cancel?.();
    this.cancel = null;
    await this.running?.catch(() => undefined);
  }

  /** One check now; resolves with how many reminders it queued. A check under way is joined, not doubled. */
  check(): Promise<number> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<number> {
    const { store, clock, settings } = this.deps;
    const now = clock();
    const open = (await store.listIncidents('open', OPEN_READ)).filter(
      (incident) => settings.updateReminders[incident.severity] !== null,
    );
    const incidents = await Promise.all(
      open.map(async (incident) => ({
        incident,
        timeline: await store.timeline(incident.id),
        terms: await store.roleTerms(incident.id),
      })),
    );
    const due = dueReminders({
      now,
      timeZone: settings.timeZone,
      intervals: settings.updateReminders,
      incidents,
      actions: await openActionItems(store),
    });
    let queued = 0;
    for (const reminder of due) {
      if (await store.recordReminder(reminder.key, reminder.incident.id, this.jobFor(reminder), now))
        queued += 1;
    }
    if (queued > 0) this.deps.onQueued();
    return queued;
  }

  private jobFor(reminder: Reminder): OutboxJob {
    if (reminder.kind === 'update') {
      const { text, blocks } = this.deps.renderer.updateReminder(reminder, this.deps.settings.timeZone);
      return { type: 'post_message', channel: reminder.channelId, text, blocks };
    }
    // A user id as the channel: the app's direct message with the owner.
    const { text, blocks } = this.deps.renderer.overdueReminder(reminder);
    return { type: 'post_message', channel: reminder.owner, text, blocks };
  }
}
