import { ErrorLog } from './logged-errors';

describe('the unexpected-error guard of the test run', () => {
  it('fails on an error nobody expected, naming it', () => {
    const log = new ErrorLog();
    log.record(['[ERROR]  bolt-app catch-up failed', new TypeError('The database connection is not open')]);
    expect(() => log.check('during this test')).toThrow(
      'The bot logged 1 error(s) during this test that no test expected:\n' +
        '[ERROR]  bolt-app catch-up failed TypeError: The database connection is not open',
    );
    // Reported once.
    expect(() => log.check('during this test')).not.toThrow();
  });

  it('lets through what the test expected, and only until the next test', () => {
    const log = new ErrorLog();
    log.expect(/database connection is not open/);
    log.record(['Unhandled error', new Error('The database connection is not open')]);
    expect(() => log.check('during this test')).not.toThrow();
    log.reset();
    log.record(['Unhandled error', new Error('The database connection is not open')]);
    expect(() => log.check('during this test')).toThrow(/1 error\(s\)/);
  });
});
