import { formatLocalTime, formatTime, isCalendarDate, parseTimeInput } from '../../src/domain/time';
import { formatZoneName } from '../../src/shared/time-zone';

const at = (iso: string): number => Date.parse(iso);

/** Parses and returns the ISO instant, failing the test with the error message otherwise. */
function parsedIso(input: string, nowIso: string, timeZone: string): string {
  const result = parseTimeInput(input, { now: at(nowIso), timeZone });
  if (!result.ok) throw new Error(`expected ${input} to parse: ${result.error.message}`);
  return new Date(result.at).toISOString();
}

function parseError(input: string, nowIso: string, timeZone: string): { code: string; message: string } {
  const result = parseTimeInput(input, { now: at(nowIso), timeZone });
  if (result.ok) throw new Error(`expected ${input} to fail, got ${new Date(result.at).toISOString()}`);
  return result.error;
}

describe('parseTimeInput: HH:MM in UTC', () => {
  it('reads an earlier time today as today', () => {
    // Arrange
    const ctx = { now: at('2026-02-20T12:00:00Z'), timeZone: 'UTC' };

    // Act
    const result = parseTimeInput('10:30', ctx);

    // Assert
    expect(result).toEqual({ ok: true, at: at('2026-02-20T10:30:00Z') });
  });

  it('reads a later time than now as yesterday', () => {
    expect(parsedIso('13:00', '2026-02-20T12:00:00Z', 'UTC')).toBe('2026-02-19T13:00:00.000Z');
  });

  it('reads the current minute as now-ish, not yesterday', () => {
    expect(parsedIso('12:00', '2026-02-20T12:00:30Z', 'UTC')).toBe('2026-02-20T12:00:00.000Z');
  });

  it('reads exactly now as now', () => {
    expect(parsedIso('12:00:30', '2026-02-20T12:00:30Z', 'UTC')).toBe('2026-02-20T12:00:30.000Z');
  });

  it('accepts seconds and a one-digit hour', () => {
    expect(parsedIso('10:30:30', '2026-02-20T12:00:00Z', 'UTC')).toBe('2026-02-20T10:30:30.000Z');
    expect(parsedIso('9:05', '2026-02-20T12:00:00Z', 'UTC')).toBe('2026-02-20T09:05:00.000Z');
  });

  it('goes back across midnight just after midnight', () => {
    expect(parsedIso('23:59', '2026-02-21T00:05:00Z', 'UTC')).toBe('2026-02-20T23:59:00.000Z');
  });

  it('goes back across a month and year boundary', () => {
    expect(parsedIso('23:00', '2026-01-01T00:30:00Z', 'UTC')).toBe('2025-12-31T23:00:00.000Z');
  });

  it('reads 00:00 just after midnight as today', () => {
    expect(parsedIso('00:00', '2026-02-21T00:05:00Z', 'UTC')).toBe('2026-02-21T00:00:00.000Z');
  });
});

describe('parseTimeInput: HH:MM in other zones', () => {
  it('reads the time in Europe/Oslo (UTC+1 in winter)', () => {
    expect(parsedIso('11:30', '2026-02-20T12:00:00Z', 'Europe/Oslo')).toBe('2026-02-20T10:30:00.000Z');
  });

  it('uses the zone day, not the UTC day, around midnight', () => {
    // Arrange: 00:30 on Feb 21 in Oslo, still Feb 20 in UTC
    const now = '2026-02-20T23:30:00Z';

    // Act
    const earlierToday = parsedIso('00:10', now, 'Europe/Oslo');
    const lateYesterday = parsedIso('23:50', now, 'Europe/Oslo');

    // Assert
    expect(earlierToday).toBe('2026-02-20T23:10:00.000Z');
    expect(lateYesterday).toBe('2026-02-20T22:50:00.000Z');
  });

  it('reads the time in Europe/Oslo summer time (UTC+2)', () => {
    expect(parsedIso('10:00', '2026-07-01T12:00:00Z', 'Europe/Oslo')).toBe('2026-07-01T08:00:00.000Z');
  });

  it('uses yesterday offset when yesterday was before a DST change (Oslo, spring forward)', () => {
    // 2026-03-29: Oslo goes from UTC+1 to UTC+2 at 01:00 UTC. Now is 08:00 local (UTC+2).
    expect(parsedIso('09:00', '2026-03-29T06:00:00Z', 'Europe/Oslo')).toBe('2026-03-28T08:00:00.000Z');
    expect(parsedIso('01:30', '2026-03-29T06:00:00Z', 'Europe/Oslo')).toBe('2026-03-29T00:30:00.000Z');
    expect(parsedIso('03:30', '2026-03-29T06:00:00Z', 'Europe/Oslo')).toBe('2026-03-29T01:30:00.000Z');
  });

  describe('America/New_York, spring forward (2026-03-08 02:00 EST → 03:00 EDT)', () => {
    const now = '2026-03-08T12:00:00Z'; // 08:00 EDT

    it('reads a time before the change with the winter offset', () => {
      expect(parsedIso('01:30', now, 'America/New_York')).toBe('2026-03-08T06:30:00.000Z');
    });

    it('reads a time after the change with the summer offset', () => {
      expect(parsedIso('03:30', now, 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
    });

    it('reads a skipped time with the offset before the jump', () => {
      expect(parsedIso('02:30', now, 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
    });

    it('reads a later time as yesterday, still winter time', () => {
      expect(parsedIso('09:00', now, 'America/New_York')).toBe('2026-03-07T14:00:00.000Z');
    });
  });

  describe('America/New_York, fall back (2026-11-01 02:00 EDT → 01:00 EST, 01:xx happens twice)', () => {
    it('takes the second 01:30 once it has passed', () => {
      expect(parsedIso('01:30', '2026-11-01T06:45:00Z', 'America/New_York')).toBe('2026-11-01T06:30:00.000Z');
    });

    it('takes the first 01:30 while the second is still ahead', () => {
      expect(parsedIso('01:30', '2026-11-01T06:10:00Z', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    });

    it('takes yesterday 01:30 before the first one', () => {
      expect(parsedIso('01:30', '2026-11-01T05:20:00Z', 'America/New_York')).toBe('2026-10-31T05:30:00.000Z');
    });

    it('reads an afternoon time with the winter offset', () => {
      expect(parsedIso('12:00', '2026-11-01T20:00:00Z', 'America/New_York')).toBe('2026-11-01T17:00:00.000Z');
    });
  });
});

describe('parseTimeInput: ISO 8601', () => {
  const now = '2026-03-01T00:00:00Z';

  it.each([
    ['2026-02-20T10:30:00Z', '2026-02-20T10:30:00.000Z'],
    ['2026-02-20T10:30Z', '2026-02-20T10:30:00.000Z'],
    ['2026-02-20t10:30:00z', '2026-02-20T10:30:00.000Z'],
    ['2026-02-20T11:30:00+01:00', '2026-02-20T10:30:00.000Z'],
    ['2026-02-20T11:30:00+0100', '2026-02-20T10:30:00.000Z'],
    ['2026-02-20T11:30+01', '2026-02-20T10:30:00.000Z'],
    ['2026-02-20T05:00:00-05:30', '2026-02-20T10:30:00.000Z'],
    ['2026-02-20T10:30:00.250Z', '2026-02-20T10:30:00.250Z'],
    ['2026-02-20 10:30Z', '2026-02-20T10:30:00.000Z'],
  ])('reads %s', (input, expected) => {
    expect(parsedIso(input, now, 'Europe/Oslo')).toBe(expected);
  });

  it('reads a time without offset in the configured zone', () => {
    expect(parsedIso('2026-02-20T11:30:00', now, 'Europe/Oslo')).toBe('2026-02-20T10:30:00.000Z');
  });

  it('reads a date and time separated by a space in the configured zone', () => {
    expect(parsedIso('2026-02-20 11:30', now, 'Europe/Oslo')).toBe('2026-02-20T10:30:00.000Z');
  });

  it('reads a repeated local hour as the latest occurrence in the past', () => {
    expect(parsedIso('2026-11-01T01:30', '2026-11-02T00:00:00Z', 'America/New_York')).toBe(
      '2026-11-01T06:30:00.000Z',
    );
  });

  it.each([
    ['2026-02-30T10:00:00Z', 'not a real calendar date'],
    ['2026-13-01T10:00:00Z', 'not a real calendar date'],
    ['2026-02-20T24:00:00Z', 'not a valid time of day'],
    ['2026-02-20T10:60Z', 'not a valid time of day'],
    ['2026-02-20T10:30+15:00', 'invalid UTC offset'],
    ['2026-02-20', 'date without a time of day'],
  ])('refuses %s', (input, reason) => {
    const error = parseError(input, now, 'UTC');
    expect(error.code).toBe('invalid_time');
    expect(error.message).toContain(reason);
  });
});

describe('parseTimeInput: errors', () => {
  const now = '2026-02-20T12:00:00Z';

  it.each(['25:00', '10:60', '10:30:61', '1030', '10h30', 'noon', '', 'yesterday 10:30', '10:3'])(
    'refuses %p with a message listing the formats and the zone',
    (input) => {
      // Act
      const error = parseError(input, now, 'Europe/Oslo');

      // Assert
      expect(error.code).toBe('invalid_time');
      expect(error.message).toContain('`HH:MM` or `HH:MM:SS` (in Europe/Oslo');
      expect(error.message).toContain('ISO 8601');
    },
  );

  it('refuses a time in the future with its own code and message', () => {
    // Act
    const error = parseError('2026-02-20T12:00:01Z', now, 'UTC');

    // Assert
    expect(error.code).toBe('future_time');
    expect(error.message).toContain('`2026-02-20T12:00:01Z` is in the future');
    expect(error.message).toContain('2026-02-20 12:00 UTC');
  });

  it('refuses a local ISO time in the future', () => {
    expect(parseError('2026-02-20 13:30', now, 'Europe/Oslo').code).toBe('future_time');
  });

  it('quotes hostile input escaped and truncated', () => {
    // Arrange
    const input = `<!channel>${'x'.repeat(200)}`;

    // Act
    const error = parseError(input, now, 'UTC');

    // Assert
    expect(error.message).not.toContain('<!channel>');
    expect(error.message).toContain('&lt;!channel&gt;');
    expect(error.message).toContain('…');
    expect(error.message).not.toContain('x'.repeat(101));
  });

  it('does not throw for an invalid zone and explains it', () => {
    // Act
    const error = parseError('10:30', now, 'Mars/Olympus_Mons');

    // Assert
    expect(error.code).toBe('invalid_time_zone');
    expect(error.message).toContain('Mars/Olympus_Mons');
  });

  it('still reads an ISO time with an offset when the zone is invalid', () => {
    expect(parsedIso('2026-02-20T10:30:00Z', now, 'Not/AZone')).toBe('2026-02-20T10:30:00.000Z');
  });
});

describe('isCalendarDate', () => {
  it.each(['2026-02-28', '2028-02-29', '2026-12-31'])('accepts %s', (date) => {
    expect(isCalendarDate(date)).toBe(true);
  });

  it.each(['2026-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-2-1', '26-02-01', 'tomorrow'])(
    'refuses %s',
    (date) => {
      expect(isCalendarDate(date)).toBe(false);
    },
  );
});

describe('formatting', () => {
  const instant = at('2026-02-20T10:30:00Z');

  it('formats a time with the zone name', () => {
    expect(formatTime(instant, 'UTC', 'HH:mm')).toBe('10:30 UTC');
  });

  it('formats date and time by default', () => {
    expect(formatTime(instant, 'Europe/Oslo')).toBe('2026-02-20 11:30 CET');
  });

  it('uses summer time names', () => {
    expect(formatTime(at('2026-07-01T10:30:00Z'), 'Europe/Oslo')).toBe('2026-07-01 12:30 CEST');
    expect(formatTime(at('2026-07-01T10:30:00Z'), 'America/New_York')).toBe('2026-07-01 06:30 EDT');
  });

  it('falls back to a UTC offset when the zone has no abbreviation', () => {
    expect(formatZoneName('Asia/Kolkata', instant)).toBe('UTC+05:30');
    expect(formatZoneName('America/Sao_Paulo', instant)).toBe('UTC-03:00');
  });

  it('names British summer time', () => {
    expect(formatZoneName('Europe/London', new Date('2026-07-01T00:00:00Z'))).toBe('BST');
  });

  it('formats without the zone name', () => {
    expect(formatLocalTime(instant, 'Europe/Oslo', 'HH:mm:ss')).toBe('11:30:00');
  });

  it('does not throw for an invalid zone', () => {
    expect(formatTime(instant, 'Bad/Zone', 'HH:mm')).toBe('10:30 UTC');
    expect(formatZoneName('Bad/Zone', instant)).toBe('Bad/Zone');
  });
});
