import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { boltLogger, createLogger, maskTokens } from '../../src/logging';
import { Harness } from '../support/harness';
import { testLogger } from '../support/logged-errors';

/** A destination that keeps what was written. */
function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** Lines written to a JSON logger, parsed. */
function jsonLogger(level: 'debug' | 'info' | 'warn' | 'error' = 'info') {
  const raw: string[] = [];
  const logger = createLogger({ level, format: 'json', destination: { write: (line) => raw.push(line) } });
  return { logger, raw, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the logger', () => {
  it('LOG_FORMAT=json: one object a line with level, time, component and msg', () => {
    const { logger, raw, lines } = jsonLogger();
    logger.info({ incident: 'INC-2026-001' }, 'declared');
    boltLogger(logger, 'bolt-app').warn('Could not determine the type', new Error('nope'));
    expect(raw).toHaveLength(2);
    for (const line of raw) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.trimEnd()).not.toContain('\n');
    }
    const [first, second] = lines();
    expect(first).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      component: 'firewatch',
      incident: 'INC-2026-001',
      msg: 'declared',
    });
    expect(second).toMatchObject({
      level: 'warn',
      component: 'bolt-app',
      msg: 'Could not determine the type',
      err: { type: 'Error', message: 'nope' },
    });
  });

  it('LOG_FORMAT=pretty: a readable line with the level, the component and the message', async () => {
    const out = collector();
    const logger = createLogger({ level: 'info', format: 'pretty', destination: out.stream });
    logger.info({ incident: 'INC-2026-002' }, 'declared');
    await new Promise((resolve) => setImmediate(resolve));
    const text = out.text();
    expect(text).toMatch(/INFO.*\[firewatch\] declared/);
    expect(text).toContain('incident: "INC-2026-002"');
    expect(() => JSON.parse(text.split('\n')[0]!)).toThrow();
  });

  it('LOG_LEVEL filters: below the level nothing is written, Bolt’s lines included', () => {
    const { logger, lines } = jsonLogger('warn');
    const bolt = boltLogger(logger, 'bolt-app');
    logger.debug('d');
    logger.info('i');
    bolt.info('bolt info');
    bolt.debug('bolt debug');
    logger.warn('w');
    bolt.error('bolt error');
    expect(lines().map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'w'],
      ['error', 'bolt error'],
    ]);
    expect(bolt.getLevel()).toBe('warn');
  });

  it('Bolt’s setName sets the component, setLevel the level of that logger only', () => {
    const { logger, lines } = jsonLogger('info');
    const bolt = boltLogger(logger);
    bolt.setName('web-api');
    bolt.setLevel('debug' as never);
    bolt.debug('apiCall start');
    logger.debug('root stays at info');
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'debug', component: 'web-api', msg: 'apiCall start' }),
    ]);
  });

  it('never writes a token: token fields are redacted, xoxb-/xapp- values masked anywhere', () => {
    const { logger, raw } = jsonLogger('debug');
    logger.info(
      { token: 'plain-secret', botToken: 'b', headers: { authorization: 'Bearer xoxb-1-2-abc' } },
      'calling with xoxb-123-456-SECRET and xapp-1-A1-SECRET',
    );
    logger.error({ err: new Error('bad token xoxp-9-SECRET') }, 'failed');
    const text = raw.join('');
    expect(text).not.toMatch(/SECRET|plain-secret|abc/);
    expect(JSON.parse(raw[0]!)).toMatchObject({
      token: '[redacted]',
      botToken: '[redacted]',
      headers: { authorization: '[redacted]' },
    });
    expect(maskTokens('x xoxb-1-2-abc y')).toBe('x xoxb-[redacted] y');
  });
});

describe('the logs of the running app', () => {
  const TOKEN = 'xoxb-4242-4242-KNOWNFAKETOKEN';

  it('a failed outbox job of an incident carries its id; the token appears nowhere, even at debug', async () => {
    const lines: Record<string, unknown>[] = [];
    const raw: string[] = [];
    const h = await Harness.start({
      env: { SLACK_BOT_TOKEN: TOKEN },
      logger: testLogger({ level: 'debug', lines, raw }),
    });
    try {
      const { incident, channel } = await h.declare('P2 Checkout is slow');
      h.slack.failAlways('chat.postMessage', { error: 'channel_not_found' });
      h.slack.failAlways('chat.update', { error: 'channel_not_found' });
      await h.slash('severity P1', { channel });
      await h.idle();
      const failed = lines.filter((l) => /^outbox job failed/.test(String(l.msg)));
      expect(failed.length).toBeGreaterThan(0);
      for (const line of failed) {
        expect(line).toMatchObject({
          level: 'warn',
          component: 'firewatch',
          incident: incident.id,
          job: expect.any(Number),
          jobType: expect.any(String),
          reason: expect.stringContaining('channel_not_found'),
        });
      }
      // Bolt's and the WebClient's lines went through the same logger.
      const components = new Set(lines.map((l) => l.component));
      expect([...components]).toEqual(expect.arrayContaining(['firewatch', 'bolt-app', 'web-api']));
      expect(
        lines.some((l) => l.component === 'web-api' && /apiCall\('chat\.update'\)/.test(String(l.msg))),
      ).toBe(true);
      const text = raw.join('');
      expect(text).not.toContain('KNOWNFAKETOKEN');
      expect(text).not.toContain(h.config.signingSecret!);
    } finally {
      await h.stop();
    }
  });

  it.each([
    ['info', false],
    ['debug', true],
  ] as const)('at %s, the text of a captured message is logged: %s', async (level, logged) => {
    const raw: string[] = [];
    const h = await Harness.start({ logger: testLogger({ level, raw }) });
    try {
      const { channel } = await h.declare('P3 Search results stale');
      const text = 'rollback plan: flip the zebra-quokka flag';
      const ts = `${Math.floor(Date.now() / 1000)}.000100`;
      await h.event({ type: 'message', channel, channel_type: 'channel', user: 'UBOB', text, ts });
      await h.event({
        type: 'message',
        channel,
        channel_type: 'channel',
        subtype: 'message_changed',
        message: { type: 'message', user: 'UBOB', text: `${text} (edited)`, ts },
        previous_message: { type: 'message', user: 'UBOB', text, ts },
        ts: `${Math.floor(Date.now() / 1000)}.000200`,
      });
      await h.idle();
      expect((await h.store.messages((await h.store.listIncidents('all', 1))[0]!.id)).length).toBe(1);
      expect(raw.join('').includes('zebra-quokka')).toBe(logged);
      if (level === 'info') {
        // The declaration is logged with its id; its title (what a person typed) is not.
        const lines = raw.map((line) => JSON.parse(line) as Record<string, unknown>);
        expect(lines).toContainEqual(
          expect.objectContaining({
            level: 'info',
            msg: 'incident declared',
            incident: expect.stringMatching(/^INC-/),
            channel,
          }),
        );
        expect(raw.join('')).not.toContain('Search results stale');
      }
    } finally {
      await h.stop();
    }
  });
});

describe('LOG_LEVEL and LOG_FORMAT', () => {
  const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

  it('default to info, and to json unless stdout is a terminal', () => {
    expect(loadConfig(base, { tty: false })).toMatchObject({ logLevel: 'info', logFormat: 'json' });
    expect(loadConfig(base, { tty: true })).toMatchObject({ logFormat: 'pretty' });
    expect(loadConfig({ ...base, LOG_LEVEL: '', LOG_FORMAT: ' ' }, { tty: false })).toMatchObject({
      logLevel: 'info',
      logFormat: 'json',
    });
  });

  it('take each valid value', () => {
    for (const level of ['debug', 'info', 'warn', 'error'] as const)
      expect(loadConfig({ ...base, LOG_LEVEL: level }).logLevel).toBe(level);
    expect(loadConfig({ ...base, LOG_FORMAT: 'pretty' }, { tty: false }).logFormat).toBe('pretty');
    expect(loadConfig({ ...base, LOG_FORMAT: 'json' }, { tty: true }).logFormat).toBe('json');
  });

  it('refuse other values with one line each', () => {
    let problems: string[] = [];
    try {
      loadConfig({ ...base, LOG_LEVEL: 'verbose', LOG_FORMAT: 'xml' });
    } catch (error) {
      problems = (error as { problems: string[] }).problems;
    }
    expect(problems).toEqual([
      'LOG_LEVEL: expected one of debug, info, warn, error',
      'LOG_FORMAT: expected one of json, pretty',
    ]);
  });
});
