import { type App, type Logger, type ReceiverEvent, SocketModeReceiver } from '@slack/bolt';
import { guardProcessEvent, withProcessEvent } from './boundary/guard';

/**
 * Socket Mode with the same promise as HTTP mode's `processBeforeResponse`: the acknowledgement
 * (with any reply a listener gave to ack()) goes back over the socket only after every listener
 * has finished, so an event is acknowledged only once it is stored. A listener that fails leaves
 * the envelope unacknowledged and Slack delivers it again. Malformed and unmatched envelopes are
 * acknowledged at once by the boundary guard (./boundary/guard).
 */
export class AckAfterProcessingReceiver extends SocketModeReceiver {
  override init(app: App): void {
    const guarded = guardProcessEvent(app, () => app.logger);
    const processEvent = async (event: ReceiverEvent) => {
      let acked: { response: unknown } | null = null;
      await guarded({
        ...event,
        ack: async (response?: unknown) => {
          acked = { response };
        },
      });
      const held = acked as { response: unknown } | null;
      if (held) await event.ack(held.response as never);
    };
    super.init(withProcessEvent(app, processEvent));
  }

  /** Waits until the socket is really closed (Bolt's stop does not). */
  override async stop(): Promise<void> {
    await Promise.all([this.client.disconnect(), super.stop()]);
  }
}

/**
 * The Socket Mode client's logger with its "Failed to retrieve a new WSS URL" errors demoted to
 * debug: our supervisor (./connection) reports each failed attempt itself, as one warning, and a
 * refused app token as the one line naming SLACK_APP_TOKEN.
 */
export function supervisedClientLogger(base: Logger): Logger {
  return {
    debug: (...msg) => base.debug(...msg),
    info: (...msg) => base.info(...msg),
    warn: (...msg) => base.warn(...msg),
    error: (...msg) =>
      String(msg[0]).startsWith('Failed to retrieve a new WSS URL') ? base.debug(...msg) : base.error(...msg),
    setLevel: (level) => base.setLevel(level),
    getLevel: () => base.getLevel(),
    setName: (name) => base.setName(name),
  };
}
