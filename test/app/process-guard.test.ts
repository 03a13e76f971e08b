import { EventEmitter } from 'node:events';
import { installProcessGuard } from '../../src/process-guard';

describe('the process guard', () => {
  it('logs an unhandled rejection or uncaught exception in one line, without a stack', () => {
    const events = new EventEmitter();
    const lines: string[] = [];
    const logger = { error: (...msg: unknown[]) => lines.push(msg.map(String).join(' ')) };
    installProcessGuard(() => logger as never, events);
    events.emit('unhandledRejection', new TypeError("Cannot read properties of null (reading 'ssl_check')"));
    events.emit('uncaughtException', new RangeError('boom'));
    events.emit('unhandledRejection', 'a string');
    expect(lines).toEqual([
      "Unexpected error (unhandled rejection), still running: TypeError: Cannot read properties of null (reading 'ssl_check')",
      'Unexpected error (uncaught exception), still running: RangeError: boom',
      'Unexpected error (unhandled rejection), still running: a string',
    ]);
  });
});
