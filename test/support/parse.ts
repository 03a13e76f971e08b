/** The command grammar's test helpers: a text that must parse, and one that must be refused. */
import { type IncidentCommand, type ParseContext, parseIncidentCommand } from '../../src/domain/command';
import type { CodedError, ParseErrorCode } from '../../src/shared/errors';

/** The command `text` parses into; throws (naming the error) when it is refused. */
export function parsedWith(text: string, context: ParseContext): IncidentCommand {
  const result = parseIncidentCommand(text, context);
  if (!result.ok)
    throw new Error(`expected "${text}" to parse, got ${result.error.code}: ${result.error.message}`);
  return result.command;
}

/** The error `text` is refused with; throws when it parses. */
export function failedWith(text: string, context: ParseContext): CodedError<ParseErrorCode> {
  const result = parseIncidentCommand(text, context);
  if (result.ok) throw new Error(`expected "${text}" to fail, got ${JSON.stringify(result.command)}`);
  return result.error;
}
