import { incidentChannelName, isValidChannelName, slugify } from '../../src/domain/slug';

const ID = 'INC-2026-001';

describe('incidentChannelName', () => {
  it('joins the lowercase id and the slug of the title', () => {
    // Arrange
    const title = 'Database connection pool exhausted';

    // Act
    const name = incidentChannelName(ID, title);

    // Assert
    expect(name).toBe('inc-2026-001-database-connection-pool-exhausted');
  });

  it('folds accents and drops symbols', () => {
    expect(incidentChannelName(ID, 'Café down — ünïcödé')).toBe('inc-2026-001-cafe-down-unicode');
  });

  it('folds Latin letters that have no decomposition', () => {
    expect(incidentChannelName(ID, 'Øresund Straße Łódź Æsir')).toBe(
      'inc-2026-001-oresund-strasse-lodz-aesir',
    );
  });

  it('drops emoji', () => {
    expect(incidentChannelName(ID, '🔥 DB on fire 🔥')).toBe('inc-2026-001-db-on-fire');
  });

  it('gives the bare id for a title of only emoji', () => {
    expect(incidentChannelName(ID, '🔥🚒🔥')).toBe('inc-2026-001');
  });

  it('gives the bare id for an empty title', () => {
    expect(incidentChannelName(ID, '   ')).toBe('inc-2026-001');
  });

  it('turns punctuation into single hyphens and drops apostrophes', () => {
    expect(incidentChannelName(ID, "API's 5xx!!! (EU/US) -- v1.2 & <!channel>")).toBe(
      'inc-2026-001-apis-5xx-eu-us-v1-2-channel',
    );
  });

  it('keeps underscores', () => {
    expect(incidentChannelName(ID, 'queue_worker stuck')).toBe('inc-2026-001-queue_worker-stuck');
  });

  it('cuts a 300-character title at a word boundary within 80 characters', () => {
    // Arrange
    const title = 'Checkout latency spike affects payments '.repeat(8).slice(0, 300);

    // Act
    const name = incidentChannelName(ID, title);

    // Assert
    expect(title).toHaveLength(300);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^inc-2026-001-checkout-latency-spike-affects-payments-checkout-/);
    expect(name.endsWith('-')).toBe(false);
    // every word kept whole
    for (const word of name.replace('inc-2026-001-', '').split('-')) {
      expect(['checkout', 'latency', 'spike', 'affects', 'payments']).toContain(word);
    }
    expect(isValidChannelName(name)).toBe(true);
  });

  it('cuts one very long word hard at 80 characters', () => {
    const name = incidentChannelName(ID, 'x'.repeat(300));
    expect(name).toBe(`inc-2026-001-${'x'.repeat(67)}`);
    expect(name).toHaveLength(80);
  });

  it('appends -2, -3… on later attempts', () => {
    expect(incidentChannelName(ID, 'DB down', 1)).toBe('inc-2026-001-db-down-2');
    expect(incidentChannelName(ID, 'DB down', 2)).toBe('inc-2026-001-db-down-3');
  });

  it('keeps the attempt suffix within 80 characters', () => {
    // Arrange
    const title = 'word '.repeat(60);

    // Act
    const name = incidentChannelName(ID, title, 11);

    // Assert
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name.endsWith('-word-12')).toBe(true);
    expect(isValidChannelName(name)).toBe(true);
  });

  it('appends the suffix to a bare id', () => {
    expect(incidentChannelName(ID, '🔥', 1)).toBe('inc-2026-001-2');
  });

  it('handles four-digit sequences', () => {
    expect(incidentChannelName('INC-2026-1000', 'API')).toBe('inc-2026-1000-api');
  });
});

describe('slugify', () => {
  it('collapses runs of separators and trims hyphens', () => {
    expect(slugify('  --Hello,   World!--  ')).toBe('hello-world');
  });

  it('returns an empty string for text without letters or digits', () => {
    expect(slugify('🔥 — !!! 🔥')).toBe('');
  });
});

describe('isValidChannelName', () => {
  it.each(['inc-2026-001', 'a', '_x-', 'x'.repeat(80)])('accepts %p', (name) => {
    expect(isValidChannelName(name)).toBe(true);
  });

  it.each(['', 'Inc-2026', 'inc 2026', 'inc.2026', 'café', 'x'.repeat(81)])('refuses %p', (name) => {
    expect(isValidChannelName(name)).toBe(false);
  });
});
