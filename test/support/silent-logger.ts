import { type Logger, LogLevel } from '@slack/logger';

/** A Slack SDK logger that prints nothing (clients under test log expected failures). */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};
