import { type App, SocketModeReceiver } from '@slack/bolt';

type ProcessEvent = App['processEvent'];
type ReceiverEvent = Parameters<ProcessEvent>[0];

/**
 * Socket Mode with the same promise as HTTP mode's `processBeforeResponse`: the acknowledgement
 * (with any reply a listener gave to ack()) goes back over the socket only after every listener
 * has finished, so an event is acknowledged only once it is stored. A listener that fails leaves
 * the envelope unacknowledged and Slack delivers it again.
 */
export class AckAfterProcessingReceiver extends SocketModeReceiver {
  override init(app: App): void {
    const processEvent: ProcessEvent = async (event: ReceiverEvent) => {
      let acked: { response: unknown } | null = null;
      await app.processEvent({
        ...event,
        ack: async (response?: unknown) => {
          acked = { response };
        },
      });
      const held = acked as { response: unknown } | null;
      if (held) await event.ack(held.response as never);
    };
    super.init(
      new Proxy(app, {
        get: (target, prop) => (prop === 'processEvent' ? processEvent : Reflect.get(target, prop)),
      }),
    );
  }

  /** Waits until the socket is really closed (Bolt's stop does not). */
  override async stop(): Promise<void> {
    await Promise.all([this.client.disconnect(), super.stop()]);
  }
}
