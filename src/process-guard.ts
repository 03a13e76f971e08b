import type { Logger } from '@slack/bolt';

/** What the guard listens on: the process, or any emitter of the same two events (tests). */
export interface ProcessEvents {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
}

/** An error in one line: `Name: message` (no stack). */
function oneLine(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The last resort, installed by main.ts (never by createFirewatch, so tests keep Node's default): an
 * error nothing caught is logged in one line and the bot keeps running. An incident bot that dies
 * on one bad request is no use on the worst day; every known path answers its own errors, so this
 * only catches what nobody foresaw.
 */
export function installProcessGuard(logger: () => Logger, target: ProcessEvents = process): void {
  target.on('unhandledRejection', (reason) => {
    logger().error(`Unexpected error (unhandled rejection), still running: ${oneLine(reason)}`);
  });
  target.on('uncaughtException', (error) => {
    logger().error(`Unexpected error (uncaught exception), still running: ${oneLine(error)}`);
  });
}
