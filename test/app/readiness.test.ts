/** GET /readyz over real HTTP: database, Slack (auth.test) and shutdown, each named when it fails. */
import net from 'node:net';
import { SlackEmulator } from '../../src/emulator';
import { Harness } from '../support/harness';

async function readyz(h: Harness): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${h.baseUrl}/readyz`);
  return { status: res.status, body: await res.json() };
}

async function until(check: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends a raw HTTP request on an already open socket and reads the whole answer (Connection: close). */
function finishRequest(socket: net.Socket, rest: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString();
    });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.write(rest);
  });
}

describe('GET /readyz', () => {
  it('is 200 with every check ok when the database and Slack answer', async () => {
    const h = await Harness.start();
    try {
      expect(await readyz(h)).toEqual({
        status: 200,
        body: { status: 'ok', checks: { db: 'ok', slack: 'ok', shutdown: 'ok' } },
      });
      // /healthz stays the cheap liveness check, beside it.
      const health = await fetch(`${h.baseUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', checks: { db: 'ok', outbox: 'ok', slack: 'ok' } });
    } finally {
      await h.stop();
    }
  });

  it('is 503 naming slack: unreachable once a Web API call finds Slack gone (HTTP mode), and ok again when it is back', async () => {
    const slack = await SlackEmulator.start();
    const h = await Harness.start({ emulator: slack });
    const port = Number(new URL(slack.url).port);
    let back: SlackEmulator | undefined;
    try {
      expect((await readyz(h)).status).toBe(200);
      await slack.stop();
      // Any call that fails as if Slack were unreachable makes auth.test ask again.
      await expect(
        h.firewatch.app.client.chat.postMessage({ channel: 'C1', text: 'x' }),
      ).rejects.toBeDefined();
      await until(async () => (await readyz(h)).status === 503, '/readyz 503');
      expect(await readyz(h)).toEqual({
        status: 503,
        body: { status: 'down', checks: { db: 'ok', slack: 'unreachable', shutdown: 'ok' } },
      });
      const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/^firewatch_ready 0$/m);
      expect(metrics).toMatch(
        /^firewatch_slack_api_calls_total\{method="chat\.postMessage",outcome="network"\} 1$/m,
      );
      // Liveness is not Slack's: /healthz stays 200.
      expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
      // Slack comes back on the same address: the background auth.test finds it.
      back = await SlackEmulator.start({ port });
      await until(async () => (await readyz(h)).status === 200, '/readyz 200 again', 10_000);
      expect((await readyz(h)).body).toEqual({
        status: 'ok',
        checks: { db: 'ok', slack: 'ok', shutdown: 'ok' },
      });
    } finally {
      await h.stop();
      await back?.stop();
    }
  }, 15_000);

  it('is 503 naming the database when it cannot answer', async () => {
    const h = await Harness.start();
    try {
      await h.store.close();
      const { status, body } = await readyz(h);
      expect(status).toBe(503);
      expect(body).toEqual({
        status: 'down',
        checks: { db: expect.stringMatching(/^fail: /), slack: 'ok', shutdown: 'ok' },
      });
      // /metrics still answers, so that Prometheus sees the instance is not ready (not just down).
      const metrics = await fetch(`${h.baseUrl}/metrics`);
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toMatch(/^firewatch_ready 0$/m);
      expect(text).not.toMatch(/^firewatch_outbox_jobs\{/m);
    } finally {
      await h.stop();
    }
  });

  it('is 503 with shutdown: stopping for a request answered after stop() began', async () => {
    const h = await Harness.start();
    const { port } = new URL(h.baseUrl);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    // The request line and headers go out before stop(); the blank line that ends them after.
    socket.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopping = h.stop();
    const answer = await finishRequest(socket, '\r\n');
    await stopping;
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    // The body is chunked: the JSON object is the one line that starts with `{`.
    expect(JSON.parse(/^\{.*\}$/m.exec(answer)?.[0] ?? 'null')).toMatchObject({
      status: 'down',
      checks: { shutdown: 'stopping' },
    });
  });
});
