import {
  MAX_COMMAND_TEXT,
  needsIncidentChannel,
  parseIncidentCommand,
  SUBCOMMANDS,
  USAGE,
} from '../../src/domain/command';
import { POSTMORTEM_FIELDS } from '../../src/domain/types';
import { failedWith, parsedWith } from '../support/parse';

/** Friday 2026-02-20 12:00 UTC = 13:00 in Oslo. */
const NOW = Date.parse('2026-02-20T12:00:00Z');
const ctx = { now: NOW, timeZone: 'UTC' };
const osloCtx = { now: NOW, timeZone: 'Europe/Oslo' };
const at = (iso: string): number => Date.parse(iso);

const parsed = (text: string, context = ctx) => parsedWith(text, context);
const failed = (text: string, context = ctx) => failedWith(text, context);

describe('help', () => {
  it.each(['', '   ', 'help', 'HELP', 'help declare'])('%p is help', (text) => {
    expect(parsed(text)).toEqual({ kind: 'help' });
  });

  it('USAGE lists every subcommand', () => {
    for (const word of SUBCOMMANDS) {
      expect(USAGE).toContain(word);
    }
    for (const field of POSTMORTEM_FIELDS) {
      expect(USAGE).toContain(field);
    }
  });

  it('USAGE is safe Slack mrkdwn (placeholders escaped)', () => {
    expect(USAGE).toContain('/incident declare [P1-P4] &lt;title&gt;');
    expect(USAGE).not.toMatch(/<(?!br>)/);
  });
});

describe('unknown subcommand', () => {
  it('names the bad word and lists the valid subcommands', () => {
    // Act
    const error = failed('frobnicate now');

    // Assert
    expect(error.code).toBe('unknown_subcommand');
    expect(error.message).toContain('`frobnicate`');
    expect(error.message).toContain('declare, list, stats, show');
    expect(error.message).toContain('/incident help');
  });

  it('suggests a near miss', () => {
    expect(failed('delcare DB down').message).toContain('Did you mean `declare`?');
  });

  it('escapes and truncates the quoted word', () => {
    // Arrange
    const word = `&lt;!channel&gt;${'y'.repeat(150)}`;

    // Act
    const error = failed(word);

    // Assert
    expect(error.message).toContain('&lt;!channel&gt;');
    expect(error.message).not.toContain('<!channel>');
    expect(error.message).not.toContain('y'.repeat(101));
  });

  it('refuses a real broadcast token as a subcommand without echoing it raw', () => {
    const error = failed('<!channel>');
    expect(error.code).toBe('unknown_subcommand');
    expect(error.message).not.toContain('<!channel>');
  });
});

describe('declare private', () => {
  it('reads `private` before the severity, in any case, and only there', () => {
    expect(parsed('declare private P1 Customer data exposed')).toEqual({
      kind: 'declare',
      severity: 'P1',
      title: 'Customer data exposed',
      isPrivate: true,
    });
    expect(parsed('declare PRIVATE Leaked key')).toEqual({
      kind: 'declare',
      severity: 'P3',
      title: 'Leaked key',
      isPrivate: true,
    });
    expect(parsed('declare private')).toEqual({
      kind: 'declare',
      severity: 'P3',
      title: null,
      isPrivate: true,
    });
    // Elsewhere it is part of the title, and the incident is public.
    const later = parsed('declare P2 private registry down');
    expect(later).toEqual({ kind: 'declare', severity: 'P2', title: 'private registry down' });
    expect(failed('declare private P9 x').code).toBe('invalid_severity');
  });

  it('is in the help', () => {
    expect(USAGE).toContain('/incident declare private [P1-P4] &lt;title&gt;');
  });
});

describe('declare', () => {
  it('reads severity and title', () => {
    expect(parsed('declare P1 Database connection pool exhausted')).toEqual({
      kind: 'declare',
      severity: 'P1',
      title: 'Database connection pool exhausted',
    });
  });

  it('defaults to P3', () => {
    expect(parsed('declare Checkout slow')).toEqual({
      kind: 'declare',
      severity: 'P3',
      title: 'Checkout slow',
    });
  });

  it('is case-insensitive for the subcommand and the severity', () => {
    expect(parsed('DECLARE p2 Search down')).toEqual({
      kind: 'declare',
      severity: 'P2',
      title: 'Search down',
    });
  });

  it('gives a null title (open the modal) when none is given', () => {
    expect(parsed('declare')).toEqual({ kind: 'declare', severity: 'P3', title: null });
    expect(parsed('declare P1')).toEqual({ kind: 'declare', severity: 'P1', title: null });
  });

  it('decodes entities in the title and keeps mentions', () => {
    // Arrange
    const text = 'declare P2 Checkout &amp; payments &lt;EU&gt; down, ask <@U123|bob>';

    // Act
    const command = parsed(text);

    // Assert
    expect(command).toEqual({
      kind: 'declare',
      severity: 'P2',
      title: 'Checkout & payments <EU> down, ask <@U123|bob>',
    });
  });

  it('puts the title on one line', () => {
    expect(parsed('declare API\n  errors')).toMatchObject({ title: 'API errors' });
  });

  it('does not take a word that merely starts with P and a digit for a severity', () => {
    expect(parsed('declare P2P sync broken')).toEqual({
      kind: 'declare',
      severity: 'P3',
      title: 'P2P sync broken',
    });
  });

  it('refuses a severity-like word that is not P1-P4', () => {
    // Act
    const error = failed('declare P9 Everything is on fire');

    // Assert
    expect(error.code).toBe('invalid_severity');
    expect(error.message).toContain('Severity must be one of P1, P2, P3, P4 (got `P9`)');
    expect(error.message).toContain('Usage: `/incident declare [P1-P4] &lt;title&gt;`');
  });

  it('refuses P0', () => {
    expect(failed('declare p0 x').code).toBe('invalid_severity');
  });
});

describe('list / show / actions / close / reopen', () => {
  it.each([
    ['list', { kind: 'list' }],
    ['show', { kind: 'show' }],
    ['actions', { kind: 'actions' }],
    ['close', { kind: 'close' }],
    ['Reopen', { kind: 'reopen' }],
  ])('%s', (text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });

  it('refuses extra words', () => {
    // Act
    const error = failed('close now please');

    // Assert
    expect(error.code).toBe('unexpected_argument');
    expect(error.message).toContain('`/incident close` takes no arguments (got `now`)');
    expect(error.message).toContain('Usage: `/incident close`');
  });
});

describe('roles', () => {
  it.each([
    ['ic <@U123|alice>', 'ic', 'U123'],
    ['tech <@U234>', 'tech', 'U234'],
    ['comms <@W345|carol>', 'comms', 'W345'],
    ['IC <@U123>', 'ic', 'U123'],
    ['role ic <@U123|alice>', 'ic', 'U123'],
    ['role TECH <@U9>', 'tech', 'U9'],
    ['role comms <@W1>', 'comms', 'W1'],
  ])('%s', (text, role, userId) => {
    expect(parsed(text)).toEqual({ kind: 'role', role, userId });
  });

  it('asks for a user mention when none is given', () => {
    // Act
    const error = failed('ic');

    // Assert
    expect(error.code).toBe('missing_mention');
    expect(error.message).toContain('user mention like @alice');
    expect(error.message).toContain('Usage: `/incident ic @user`');
  });

  it('refuses text that is not a mention', () => {
    const error = failed('tech @bob');
    expect(error.code).toBe('invalid_mention');
    expect(error.message).toContain('user mention like @alice (got `@bob`)');
  });

  it('refuses a channel instead of a user', () => {
    expect(failed('comms <#C1|ops>').code).toBe('invalid_mention');
  });

  it('refuses two people', () => {
    expect(failed('ic <@U1> <@U2>').code).toBe('unexpected_argument');
  });

  it('refuses an unknown role', () => {
    // Act
    const error = failed('role scribe <@U1>');

    // Assert
    expect(error.code).toBe('invalid_role');
    expect(error.message).toContain('`ic`, `tech` or `comms` (got `scribe`)');
    expect(error.message).toContain('/incident role &lt;ic|tech|comms&gt; @user');
  });

  it('asks for the role', () => {
    expect(failed('role').code).toBe('missing_role');
  });

  it('asks for the user after role', () => {
    expect(failed('role ic').code).toBe('missing_mention');
  });
});

describe('severity', () => {
  it.each([
    ['severity P1', 'P1'],
    ['severity p4', 'P4'],
    ['sev P2', 'P2'],
    ['SEV p3', 'P3'],
  ])('%s', (text, severity) => {
    expect(parsed(text)).toEqual({ kind: 'severity', severity });
  });

  it('refuses P9 with the exact expectation', () => {
    // Act
    const error = failed('severity P9');

    // Assert
    expect(error.code).toBe('invalid_severity');
    expect(error.message).toMatch(/^Severity must be one of P1, P2, P3, P4 \(got `P9`\)\./);
    expect(error.message).toContain('Usage: `/incident severity &lt;P1-P4&gt;`');
  });

  it('refuses words', () => {
    expect(failed('sev high').code).toBe('invalid_severity');
  });

  it('asks for the level', () => {
    expect(failed('severity').code).toBe('missing_severity');
  });

  it('refuses extra words', () => {
    expect(failed('sev P1 now').code).toBe('unexpected_argument');
  });
});

describe('status', () => {
  it('reads a status alone', () => {
    expect(parsed('status identified')).toEqual({
      kind: 'status',
      status: 'identified',
      at: null,
      message: null,
    });
  });

  it('reads a status with a message', () => {
    expect(parsed('status Monitoring Fix deployed &amp; watching')).toEqual({
      kind: 'status',
      status: 'monitoring',
      at: null,
      message: 'Fix deployed & watching',
    });
  });

  it('reads a backdated status with a message (HH:MM in the configured zone)', () => {
    expect(parsed('status identified at 12:10 Pool exhausted', osloCtx)).toEqual({
      kind: 'status',
      status: 'identified',
      at: at('2026-02-20T11:10:00Z'),
      message: 'Pool exhausted',
    });
  });

  it('reads AT in any case and a date-and-time given as two words', () => {
    expect(parsed('status investigating AT 2026-02-20 10:30 looking')).toEqual({
      kind: 'status',
      status: 'investigating',
      at: at('2026-02-20T10:30:00Z'),
      message: 'looking',
    });
  });

  it('treats "at" followed by words as part of the message', () => {
    expect(parsed('status identified at last: the pool')).toMatchObject({
      at: null,
      message: 'at last: the pool',
    });
  });

  it('refuses resolved and points to /incident resolve', () => {
    // Act
    const error = failed('status resolved');

    // Assert
    expect(error.code).toBe('invalid_status');
    expect(error.message).toContain('`investigating`, `identified` or `monitoring` (got `resolved`)');
    expect(error.message).toContain('/incident resolve');
  });

  it('asks for the status', () => {
    expect(failed('status').code).toBe('missing_status');
  });

  it('refuses a bad time', () => {
    // Act
    const error = failed('status monitoring at 25:61 deployed', osloCtx);

    // Assert
    expect(error.code).toBe('invalid_time');
    expect(error.message).toContain('`HH:MM` or `HH:MM:SS` (in Europe/Oslo');
    expect(error.message).toContain('ISO 8601');
    expect(error.message).toContain('Usage: `/incident status');
  });

  it('refuses a future time', () => {
    const error = failed('status monitoring at 2026-02-21T10:00:00Z deployed');
    expect(error.code).toBe('future_time');
    expect(error.message).toContain('in the future');
  });

  it('asks for a time after a trailing at', () => {
    expect(failed('status monitoring at').code).toBe('missing_time');
  });
});

describe('update', () => {
  it('reads the message, decoded, keeping its lines and mentions', () => {
    expect(parsed('update Rolled back &lt;v2.3&gt;\nNext update in 30 min, <@U1|ic>')).toEqual({
      kind: 'update',
      message: 'Rolled back <v2.3>\nNext update in 30 min, <@U1|ic>',
    });
  });

  it('requires a message', () => {
    // Act
    const error = failed('update');

    // Assert
    expect(error.code).toBe('missing_message');
    expect(error.message).toContain('Usage: `/incident update &lt;message&gt;`');
  });
});

describe('note', () => {
  it('reads a note', () => {
    expect(parsed('note Restarted pgbouncer')).toEqual({
      kind: 'note',
      at: null,
      text: 'Restarted pgbouncer',
    });
  });

  it('reads a backdated note', () => {
    expect(parsed('note at 10:45:30 Restarted pgbouncer')).toEqual({
      kind: 'note',
      at: at('2026-02-20T10:45:30Z'),
      text: 'Restarted pgbouncer',
    });
  });

  it('reads a time later than now as yesterday', () => {
    expect(parsed('note at 23:00 Deploy started')).toMatchObject({ at: at('2026-02-19T23:00:00Z') });
  });

  it('keeps a note that starts with "at"', () => {
    expect(parsed('note at least 3 hosts affected')).toEqual({
      kind: 'note',
      at: null,
      text: 'at least 3 hosts affected',
    });
  });

  it('requires text', () => {
    expect(failed('note').code).toBe('missing_text');
    expect(failed('note at 10:00').code).toBe('missing_text');
  });

  it('refuses a time that looks like a time but is not valid', () => {
    expect(failed('note at 10.30 restarted').code).toBe('invalid_time');
    expect(failed('note at 10pm restarted').code).toBe('invalid_time');
  });
});

describe('started', () => {
  it('reads a time', () => {
    expect(parsed('started 10:30')).toEqual({ kind: 'started', at: at('2026-02-20T10:30:00Z') });
  });

  it('accepts an optional "at" and ISO 8601', () => {
    expect(parsed('started at 2026-02-20T11:30:00+01:00')).toEqual({
      kind: 'started',
      at: at('2026-02-20T10:30:00Z'),
    });
  });

  it('reads a date and time in the configured zone', () => {
    expect(parsed('started 2026-02-20 11:30', osloCtx)).toEqual({
      kind: 'started',
      at: at('2026-02-20T10:30:00Z'),
    });
  });

  it('requires a time', () => {
    const error = failed('started');
    expect(error.code).toBe('missing_time');
    expect(error.message).toContain('Usage: `/incident started &lt;time&gt;`');
  });

  it('refuses a bad time, naming it and the accepted formats', () => {
    // Act
    const error = failed('started yesterday');

    // Assert
    expect(error.code).toBe('invalid_time');
    expect(error.message).toContain('`yesterday`');
    expect(error.message).toContain('`HH:MM` or `HH:MM:SS` (in UTC');
  });

  it('refuses a future time', () => {
    expect(failed('started 2026-02-20T12:00:01Z').code).toBe('future_time');
  });

  it('refuses words after the time', () => {
    expect(failed('started 10:30 roughly').code).toBe('unexpected_argument');
  });
});

describe('detected', () => {
  it('reads a time alone', () => {
    expect(parsed('detected 10:30:30')).toEqual({
      kind: 'detected',
      at: at('2026-02-20T10:30:30Z'),
      by: null,
    });
  });

  it('reads a monitor name as free text', () => {
    expect(parsed('detected 10:30:30 by BetterStack &amp; Datadog')).toEqual({
      kind: 'detected',
      at: at('2026-02-20T10:30:30Z'),
      by: 'BetterStack & Datadog',
    });
  });

  it.each(['<@U123|alice>', '<@U123>'])('reads a person (%s) as a mention', (mention) => {
    expect(parsed(`detected at 10:31 BY ${mention}`)).toEqual({
      kind: 'detected',
      at: at('2026-02-20T10:31:00Z'),
      by: '<@U123>',
    });
  });

  it('refuses words after the time that are not "by …"', () => {
    const error = failed('detected 10:30 Datadog');
    expect(error.code).toBe('unexpected_argument');
    expect(error.message).toContain('`by &lt;who or what&gt;` (got `Datadog`)');
  });

  it('asks who after by', () => {
    expect(failed('detected 10:30 by').code).toBe('missing_detector');
  });

  it('requires a time', () => {
    expect(failed('detected').code).toBe('missing_time');
  });
});

describe('action', () => {
  it('reads text alone', () => {
    expect(parsed('action Add pool alerts')).toEqual({
      kind: 'action',
      text: 'Add pool alerts',
      owner: null,
      due: null,
      priority: null,
    });
  });

  it('reads owner, due date and priority', () => {
    expect(parsed('action Raise pool size <@U123|alice> due 2026-03-01 P1')).toEqual({
      kind: 'action',
      text: 'Raise pool size',
      owner: 'U123',
      due: '2026-03-01',
      priority: 'P1',
    });
  });

  it('reads the trailing options in any order', () => {
    expect(parsed('action Raise pool size p2 DUE 2026-03-01 <@W9>')).toEqual({
      kind: 'action',
      text: 'Raise pool size',
      owner: 'W9',
      due: '2026-03-01',
      priority: 'P2',
    });
  });

  it('keeps mentions inside the text and decodes entities', () => {
    expect(parsed('action Pair <@U1> &amp; <@U2|b> on runbook <@U3>')).toEqual({
      kind: 'action',
      text: 'Pair <@U1> & <@U2|b> on runbook',
      owner: 'U3',
      due: null,
      priority: null,
    });
  });

  it('refuses a date that is not on the calendar', () => {
    // Act
    const error = failed('action Fix it due 2026-02-30');

    // Assert
    expect(error.code).toBe('invalid_due_date');
    expect(error.message).toContain('YYYY-MM-DD');
    expect(error.message).toContain('(got `2026-02-30`)');
    expect(error.message).toContain(
      'Usage: `/incident action &lt;text&gt; [@owner] [due YYYY-MM-DD] [P1-P4]`',
    );
  });

  it('refuses a due date in another format', () => {
    expect(failed('action Fix it due 01/03/2026').code).toBe('invalid_due_date');
  });

  it('asks for the date after due', () => {
    expect(failed('action Fix it due').code).toBe('missing_due_date');
  });

  it('refuses a priority outside P1-P4', () => {
    const error = failed('action Fix it P5');
    expect(error.code).toBe('invalid_priority');
    expect(error.message).toContain('Priority must be one of P1, P2, P3, P4 (got `P5`)');
  });

  it('refuses two owners', () => {
    expect(failed('action Fix it <@U1> <@U2>').code).toBe('duplicate_option');
  });

  it('requires text', () => {
    expect(failed('action').code).toBe('missing_text');
    expect(failed('action <@U1> P1').code).toBe('missing_text');
  });
});

describe('done', () => {
  it.each([
    ['done 1', 1],
    ['done 12', 12],
    ['done #3', 3],
  ])('%s', (text, n) => {
    expect(parsed(text)).toEqual({ kind: 'done', n });
  });

  it.each(['done 0', 'done x', 'done -1', 'done 1.5', 'done 1e3'])('refuses %p', (text) => {
    // Act
    const error = failed(text);

    // Assert
    expect(error.code).toBe('invalid_number');
    expect(error.message).toContain('whole number from 1');
    expect(error.message).toContain('Usage: `/incident done &lt;n&gt;`');
  });

  it('asks for the number', () => {
    expect(failed('done').code).toBe('missing_number');
  });
});

describe('set', () => {
  it.each(POSTMORTEM_FIELDS)('accepts the field %s', (field) => {
    expect(parsed(`set ${field} Some text`)).toEqual({ kind: 'set', field, value: 'Some text' });
  });

  it('is case-insensitive and accepts underscores for hyphens', () => {
    expect(parsed('set Root_Cause Pool too small')).toEqual({
      kind: 'set',
      field: 'root-cause',
      value: 'Pool too small',
    });
  });

  it('decodes the value, keeps lines and unwraps links', () => {
    expect(parsed('set summary Pool &gt; 100%\nSee <https://status.example.com/a?b=1&amp;c=2>')).toEqual({
      kind: 'set',
      field: 'summary',
      value: 'Pool > 100%\nSee https://status.example.com/a?b=1&c=2',
    });
  });

  it('refuses an unknown field, listing the valid ones', () => {
    // Act
    const error = failed('set rootcause x');

    // Assert
    expect(error.code).toBe('invalid_field');
    expect(error.message).toContain('Unknown field `rootcause`');
    for (const field of POSTMORTEM_FIELDS) expect(error.message).toContain(`\`${field}\``);
  });

  it('asks for the field and the text', () => {
    expect(failed('set').code).toBe('missing_field');
    expect(failed('set impact').code).toBe('missing_text');
  });
});

describe('resolve', () => {
  it('reads a bare resolve', () => {
    expect(parsed('resolve')).toEqual({ kind: 'resolve', at: null, message: null });
  });

  it('reads a backdated resolve with a message', () => {
    expect(parsed('resolve at 10:58 Pool resized')).toEqual({
      kind: 'resolve',
      at: at('2026-02-20T10:58:00Z'),
      message: 'Pool resized',
    });
  });

  it('reads a message without a time', () => {
    expect(parsed('resolve All good')).toEqual({ kind: 'resolve', at: null, message: 'All good' });
  });

  it('refuses a future time', () => {
    expect(failed('resolve at 2026-02-20T12:30Z').code).toBe('future_time');
  });
});

describe('Slack escaping', () => {
  it('keeps a broadcast token in free text as a token (renderers must escape it)', () => {
    expect(parsed('update <!channel> we are down')).toEqual({
      kind: 'update',
      message: '<!channel> we are down',
    });
  });

  it('decodes a typed <!channel> to text, indistinguishable from the token', () => {
    expect(parsed('note &lt;!channel&gt; typed by hand')).toMatchObject({ text: '<!channel> typed by hand' });
  });

  it('keeps channel references in free text', () => {
    expect(parsed('note moved to <#C123|ops>')).toMatchObject({ text: 'moved to <#C123|ops>' });
  });

  it('never echoes raw input in error messages', () => {
    const error = failed('severity <!here>');
    expect(error.message).toContain('(got `&lt;!here&gt;`)');
    expect(error.message).not.toContain('<!here>');
  });
});

describe('needsIncidentChannel', () => {
  it.each([
    ['help', false],
    ['declare X', false],
    ['list', false],
    ['show', true],
    ['ic <@U1>', true],
    ['sev P1', true],
    ['status identified', true],
    ['update x', true],
    ['note x', true],
    ['started 10:00', true],
    ['detected 10:00', true],
    ['action x', true],
    ['actions', true],
    ['done 1', true],
    ['set impact x', true],
    ['resolve', true],
    ['close', true],
    ['reopen', true],
  ])('%s → %s', (text, expected) => {
    expect(needsIncidentChannel(parsed(text))).toBe(expected);
  });
});

describe('very long texts', () => {
  const ctx = { now: Date.parse('2026-02-20T12:00:00Z'), timeZone: 'UTC' };

  it('refuses a text over the limit, saying how long it was and what is taken', () => {
    const result = parseIncidentCommand(`note ${'a'.repeat(MAX_COMMAND_TEXT)}`, ctx);
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'text_too_long',
        message: expect.stringContaining(
          'That command is 10,005 characters long; Firewatch takes at most 10,000.',
        ),
      },
    });
  });

  it('takes a text at the limit', () => {
    const text = `note ${'a'.repeat(MAX_COMMAND_TEXT - 5)}`;
    expect(parseIncidentCommand(text, ctx)).toMatchObject({ ok: true, command: { kind: 'note' } });
  });

  it('suggests nothing for a long unknown word (no edit distance over it), and still says what is valid', () => {
    const result = parseIncidentCommand('x'.repeat(MAX_COMMAND_TEXT), ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('unknown_subcommand');
    expect(result.error.message).not.toContain('Did you mean');
    expect(result.error.message).toContain('Valid subcommands: help, declare');
    // A near miss still gets its suggestion.
    const near = parseIncidentCommand('resolv', ctx);
    expect(!near.ok && near.error.message).toContain('Did you mean `resolve`?');
  });
});
