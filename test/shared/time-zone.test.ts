import {
  canonicalTimeZone,
  formatUtcOffset,
  formatZoneName,
  isValidTimeZone,
} from '../../src/shared/time-zone';

describe('isValidTimeZone / canonicalTimeZone', () => {
  it.each(['UTC', 'Europe/Oslo', 'America/New_York', 'Asia/Kolkata'])('accepts %s', (zone) => {
    expect(isValidTimeZone(zone)).toBe(true);
  });

  it.each(['', 'Mars/Olympus_Mons', 'Europe/Osloo', 'not a zone'])('refuses %p without throwing', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
  });

  it('returns the canonical spelling', () => {
    expect(canonicalTimeZone('europe/oslo')).toBe('Europe/Oslo');
    expect(canonicalTimeZone('Nope/Nope')).toBeNull();
  });
});

describe('formatUtcOffset', () => {
  it.each([
    [330, 'UTC+05:30'],
    [-180, 'UTC-03:00'],
    [540, 'UTC+09:00'],
    [345, 'UTC+05:45'],
    [-570, 'UTC-09:30'],
    [0, 'UTC+00:00'],
  ])('writes %p minutes as %s', (minutes, label) => {
    expect(formatUtcOffset(minutes)).toBe(label);
  });
});

describe('formatZoneName', () => {
  const winter = Date.UTC(2026, 0, 15, 12);
  const summer = Date.UTC(2026, 6, 15, 12);

  it('keeps the abbreviations the runtime knows', () => {
    expect(formatZoneName('UTC', winter)).toBe('UTC');
    expect(formatZoneName('Europe/Oslo', winter)).toBe('CET');
    expect(formatZoneName('Europe/Oslo', summer)).toBe('CEST');
    expect(formatZoneName('America/New_York', summer)).toBe('EDT');
  });

  it('writes every other zone as a two-digit offset', () => {
    expect(formatZoneName('Asia/Kathmandu', winter)).toBe('UTC+05:45');
    expect(formatZoneName('Asia/Tokyo', new Date(summer))).toBe('UTC+09:00');
  });

  it('accepts any spelling the zone check accepts', () => {
    expect(formatZoneName('europe/oslo', winter)).toBe('CET');
    expect(formatZoneName(' Europe/Oslo ', winter)).toBe('CET');
  });

  it('returns an unknown zone unchanged', () => {
    expect(formatZoneName('Mars/Olympus', winter)).toBe('Mars/Olympus');
  });
});
