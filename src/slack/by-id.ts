import type {
  AllMiddlewareArgs,
  App,
  SlackActionMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';

/**
 * One Bolt listener a kind of interaction (card actions, submitted forms, shortcuts), handing each
 * request to the listener its `action_id` or `callback_id` names in a table.
 *
 * Why not a Bolt listener a control: Bolt runs the matching middleware of every registered
 * listener for every request it receives, Events API events included, so each listener adds to
 * the cost of every captured message. With a listener for each of the nineteen controls the
 * events benchmark (`npm run bench:events`, SQLite, a shared 2-core machine) measured 0.39–0.55 of
 * a bare Bolt app's throughput; with one listener a kind 0.62–0.65, and 0.61–0.72 with no control
 * listeners at all. Bolt still matches the kind; the table picks which of ours runs.
 */
type Listener<Args> = (args: Args & AllMiddlewareArgs) => Promise<void>;

/**
 * Runs the listener `id` names. An id the table lacks is left alone: the boundary guard
 * (./boundary/guard) acknowledges any request no listener acknowledged.
 */
function run<Args>(table: Record<string, Listener<Args>>, id: unknown, args: Args & AllMiddlewareArgs) {
  const listener = typeof id === 'string' && Object.hasOwn(table, id) ? table[id] : undefined;
  return listener ? listener(args) : Promise.resolve();
}

/** `block_actions` by `action_id`. */
export function actionsById(app: App, table: Record<string, Listener<SlackActionMiddlewareArgs>>): void {
  app.action({ type: 'block_actions' }, (args) =>
    run(table, (args.payload as { action_id?: unknown }).action_id, args),
  );
}

/** `view_submission` by the view's `callback_id`. */
export function viewsById(app: App, table: Record<string, Listener<SlackViewMiddlewareArgs>>): void {
  app.view({ type: 'view_submission' }, (args) => run(table, args.view?.callback_id, args));
}

/** Global and message shortcuts by `callback_id`. */
export function shortcutsById(app: App, table: Record<string, Listener<SlackShortcutMiddlewareArgs>>): void {
  app.shortcut({}, (args) => run(table, args.shortcut?.callback_id, args));
}
