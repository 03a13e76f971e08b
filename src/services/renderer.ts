import type { PostmortemDocument } from '../domain/postmortem/model';
import type { OverdueReminder, UpdateReminder } from '../domain/reminders';
import type { Incident, RoleTerm } from '../domain/types';
import type { HomeView } from './replies';

/** A message as Slack shows it: the fallback (notification) text and its Block Kit blocks. */
export interface RenderedMessage {
  text: string;
  blocks: unknown[];
}

/** What the pinned incident card shows: the incident as it is now. */
export interface CardView {
  incident: Incident;
  terms: readonly RoleTerm[];
  timeZone: string;
  now: number;
}

/**
 * The Block Kit that services must hand to Slack themselves, drawn by the Slack layer
 * (`blockKitRenderer` in src/slack/blocks/renderer.ts) and injected at the composition root, so
 * that services never import src/slack/.
 *
 * Why a port rather than a view model in the job: answers to a command are drawn by the listener
 * that acknowledges it (see {@link Reply} in ./replies.ts), but some messages are posted later by
 * the outbox. The card of a `refresh_card` job must show the incident as it is when the job runs,
 * not when it was queued, and a postmortem summary is drawn once from a document that is never
 * stored as such; jobs stay small, stable rows that hold no domain objects.
 */
export interface Renderer {
  /** The pinned incident card. */
  card(view: CardView): RenderedMessage;
  /** The Slack summary post of a compiled postmortem (the whole document goes in the file). */
  postmortemSummary(doc: PostmortemDocument, opts: { markdownFileName: string }): RenderedMessage;
  /**
   * The declare form (a modal view), remembering the channel it was opened from; `isPrivate`
   * (from `declare private`) ticks its "private incident" box; `timeZone` is the one its times are
   * typed in.
   */
  declareModal(originChannel: string, opts?: { isPrivate?: boolean; timeZone?: string }): unknown;
  /** A person's App Home (a `home` view for views.publish). */
  home(view: HomeView): unknown;
  /** The nudge in an incident channel when no status update came for a whole interval. */
  updateReminder(reminder: UpdateReminder, timeZone: string): RenderedMessage;
  /** The direct message to the owner of an overdue action item. */
  overdueReminder(reminder: OverdueReminder): RenderedMessage;
}
