/**
 * A graceful stop (SIGTERM / SIGINT run `stop()`): not ready at once, then the outbox jobs due now
 * are sent before the database closes; whatever Slack does not take stays stored for the next start.
 */

import { SlackEmulator } from '../../src/emulator';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store';
import { Harness } from '../support/harness';

describe('graceful stop', () => {
  it('sends the outbox jobs due now before closing the database', async () => {
    const h = await Harness.start({ shutdownFlushMs: 5000 });
    try {
      const { incident, channel } = await h.declare('P2 Search is slow');
      await h.idle();
      // Queued without a kick, as if it had come in a moment before the signal.
      await h.store.applyChange(
        incident.id,
        { outbox: [{ type: 'post_message', channel, text: 'posted on the way out' }] },
        Date.now(),
      );
      expect(await h.store.pendingJobs()).toBe(1);
    } finally {
      await h.stop();
    }
    const texts = h.slack.callsTo('chat.postMessage').map((c) => c.args.text);
    expect(texts).toContain('posted on the way out');
  });

  it('leaves what it could not send in the store, for the next start', async () => {
    const slack = await SlackEmulator.start();
    const h = await Harness.start({ emulator: slack, shutdownFlushMs: 0 });
    const { incident, channel } = await h.declare('P2 Search is slow');
    await h.idle();
    await h.store.applyChange(
      incident.id,
      { outbox: [{ type: 'post_message', channel, text: 'left for later' }] },
      Date.now(),
    );
    await h.stop();
    await slack.stop();
    const reopened = SqliteStore.open(h.config.databaseUrl);
    try {
      expect(await reopened.pendingJobs()).toBe(1);
    } finally {
      await reopened.close();
    }
  });
});
