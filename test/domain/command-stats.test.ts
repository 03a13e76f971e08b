/** `/incident stats [30d|90d|<from> <to>]` in the command grammar. */
import { needsIncidentChannel, USAGE } from '../../src/domain/command';
import { failedWith, parsedWith } from '../support/parse';

/** Friday 2026-02-20 12:00 UTC; 23:30 UTC is already Saturday the 21st in Oslo. */
const NOW = Date.parse('2026-02-20T12:00:00Z');
const ctx = { now: NOW, timeZone: 'UTC' };

const parsed = (text: string, context = ctx) => parsedWith(text, context);
const failed = (text: string, context = ctx) => failedWith(text, context);

const days = (n: number) => ({ kind: 'stats', period: { kind: 'days', days: n } });
const range = (from: string, to: string) => ({ kind: 'stats', period: { kind: 'range', from, to } });

describe('/incident stats', () => {
  it('defaults to the last 30 days and runs anywhere', () => {
    const command = parsed('stats');
    expect(command).toEqual(days(30));
    expect(needsIncidentChannel(command)).toBe(false);
  });

  it.each([
    ['stats 30d', 30],
    ['stats 90d', 90],
    ['STATS 7D', 7],
    ['stats 14days', 14],
    ['stats 1day', 1],
    ['stats 45 days', 45],
    ['stats last 90d', 90],
    ['stats past 7 days', 7],
    ['stats 730d', 730],
  ])('%p is the last %p days', (text, n) => {
    expect(parsed(text)).toEqual(days(n));
  });

  it.each([
    ['stats 2026-01-01 2026-01-31', '2026-01-01', '2026-01-31'],
    ['stats 2026-01-01 to 2026-01-31', '2026-01-01', '2026-01-31'],
    ['stats 2026-01-01..2026-01-31', '2026-01-01', '2026-01-31'],
    ['stats 2026-02-20 2026-02-20', '2026-02-20', '2026-02-20'],
  ])('%p is a range of calendar days', (text, from, to) => {
    expect(parsed(text)).toEqual(range(from, to));
  });

  it('"today" is the configured zone’s: a range ending on the zone’s date is not in the future', () => {
    const late = { now: Date.parse('2026-02-20T23:30:00Z'), timeZone: 'Europe/Oslo' };
    expect(parsed('stats 2026-02-01 2026-02-21', late)).toEqual(range('2026-02-01', '2026-02-21'));
    expect(failed('stats 2026-02-01 2026-02-21', { ...late, timeZone: 'UTC' }).code).toBe('invalid_range');
  });

  it('a number without its unit suggests one', () => {
    const error = failed('stats 30');
    expect(error.code).toBe('invalid_period');
    expect(error.message).toContain('did you mean `30d` (30 days)?');
    expect(error.message).toContain('Usage: `/incident stats [30d|90d|&lt;from&gt; &lt;to&gt;]`');
  });

  it.each([
    ['stats month', '30d'],
    ['stats last-month', '30d'],
    ['stats quarter', '90d'],
    ['stats week', '7d'],
    ['stats year', '365d'],
  ])('%p suggests %p', (text, suggestion) => {
    const error = failed(text);
    expect(error.code).toBe('invalid_period');
    expect(error.message).toContain(`Did you mean \`${suggestion}\`?`);
  });

  it('an unknown period says what is expected, quoting the input safely', () => {
    const error = failed('stats <!channel> &amp; more');
    expect(error.code).toBe('invalid_period');
    expect(error.message).toContain('Unknown period `&lt;!channel&gt;`.');
    expect(error.message).toContain('`30d`, `90d` (any number of days up to 730) or two dates like');
    expect(error.message).not.toContain('<!channel>');
  });

  it.each(['stats 0d', 'stats 731d', 'stats 999999d'])('%p is out of range', (text) => {
    const error = failed(text);
    expect(error.code).toBe('invalid_range');
    expect(error.message).toContain('A period is 1 to 730 days');
  });

  it('a start date alone asks for the end date', () => {
    const error = failed('stats 2026-01-01');
    expect(error.code).toBe('missing_date');
    expect(error.message).toContain('needs an end date too: `/incident stats 2026-01-01 YYYY-MM-DD`');
    expect(failed('stats 2026-01-01 to').code).toBe('missing_date');
  });

  it.each([
    'stats 2026-02-30 2026-03-01',
    'stats 2026-01-01 2026-13-01',
    'stats 2026-1-5 2026-01-31',
    'stats 2026-01-01 tomorrow',
  ])('%p has a date that is not a calendar day', (text) => {
    const error = failed(text);
    expect(error.code).toBe('invalid_date');
    expect(error.message).toContain('Dates are real calendar days written YYYY-MM-DD');
  });

  it('refuses a reversed range, one ending after today, and one too long', () => {
    expect(failed('stats 2026-02-01 2026-01-01').message).toContain(
      'The period starts (2026-02-01) after it ends (2026-01-01); give the earlier date first.',
    );
    expect(failed('stats 2026-02-01 2026-03-01').message).toContain(
      'The period ends after today (2026-02-20); use 2026-02-20 at the latest.',
    );
    const long = failed('stats 2020-01-01 2026-01-01');
    expect(long.code).toBe('invalid_range');
    expect(long.message).toContain('a period may be at most 730 days');
  });

  it('takes nothing after the period', () => {
    const error = failed('stats 30d please');
    expect(error.code).toBe('unexpected_argument');
    expect(error.message).toContain('`please`');
    expect(failed('stats 2026-01-01 2026-01-31 extra').code).toBe('unexpected_argument');
  });

  it('a near miss of the subcommand suggests it', () => {
    expect(failed('stat 30d').message).toContain('Did you mean `stats`?');
  });

  it('is in the help, with its default', () => {
    expect(USAGE).toContain('`/incident stats [30d|90d|&lt;from&gt; &lt;to&gt;]`');
    expect(USAGE).toContain('default `30d`');
  });
});
