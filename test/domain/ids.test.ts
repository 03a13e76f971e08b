import { formatIncidentId, nextIncidentSeq, parseIncidentId } from '../../src/domain/ids';

describe('formatIncidentId', () => {
  it('pads the sequence to three digits', () => {
    // Arrange
    const year = 2026;
    const seq = 1;

    // Act
    const id = formatIncidentId(year, seq);

    // Assert
    expect(id).toBe('INC-2026-001');
  });

  it.each([
    [42, 'INC-2026-042'],
    [999, 'INC-2026-999'],
    [1000, 'INC-2026-1000'],
    [12345, 'INC-2026-12345'],
  ])('formats sequence %d as %s', (seq, expected) => {
    expect(formatIncidentId(2026, seq)).toBe(expected);
  });

  it.each([
    [2026, 0],
    [2026, -1],
    [2026, 1.5],
    [26, 1],
    [Number.NaN, 1],
  ])('refuses year %d with sequence %d', (year, seq) => {
    expect(() => formatIncidentId(year, seq)).toThrow(RangeError);
  });
});

describe('parseIncidentId', () => {
  it('reads the canonical form', () => {
    // Act
    const parts = parseIncidentId('INC-2026-001');

    // Assert
    expect(parts).toEqual({ year: 2026, seq: 1, id: 'INC-2026-001' });
  });

  it('reads lowercase ids and long sequences', () => {
    expect(parseIncidentId('inc-2027-1234')).toEqual({ year: 2027, seq: 1234, id: 'INC-2027-1234' });
  });

  it('tolerates missing zero padding and returns the canonical id', () => {
    expect(parseIncidentId(' INC-2026-7 ')).toEqual({ year: 2026, seq: 7, id: 'INC-2026-007' });
  });

  it.each(['INC-2026-000', 'INC-26-001', 'INC-2026-', 'INC-2026-01a', 'ABC-2026-001', '', 'inc-2026-001-db'])(
    'returns null for %p',
    (text) => {
      expect(parseIncidentId(text)).toBeNull();
    },
  );

  it('round-trips with formatIncidentId', () => {
    const id = formatIncidentId(2030, 1001);
    expect(parseIncidentId(id)?.id).toBe(id);
  });
});

describe('nextIncidentSeq', () => {
  it('starts at 1 when the year has no incidents', () => {
    expect(nextIncidentSeq(null)).toBe(1);
  });

  it('continues after the highest sequence', () => {
    expect(nextIncidentSeq(41)).toBe(42);
    expect(nextIncidentSeq(999)).toBe(1000);
  });

  it('treats 0 as "none used yet"', () => {
    expect(nextIncidentSeq(0)).toBe(1);
  });

  it.each([-1, 2.5, Number.NaN])('refuses %p', (max) => {
    expect(() => nextIncidentSeq(max)).toThrow(RangeError);
  });
});
