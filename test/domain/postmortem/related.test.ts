import type { RelatedCandidate } from '../../../src/domain/postmortem/model';
import { selectRelatedIncidents, serviceNames } from '../../../src/domain/postmortem/related';

describe('selectRelatedIncidents', () => {
  const day = 86_400_000;
  const now = Date.UTC(2026, 1, 20);
  function candidate(id: string, daysAgo: number, title: string, services: string[] = []): RelatedCandidate {
    return { id, title, declaredAt: now - daysAgo * day, resolvedAt: daysAgo > 1 ? now : null, services };
  }
  const current = {
    id: 'INC-2026-010',
    title: 'Payments API connection pool exhausted',
    services: ['payments-api'],
    declaredAt: now,
  };

  it('lists shared-service incidents first, then similar titles, newest first within each group', () => {
    const candidates = [
      candidate('INC-2025-001', 300, 'Checkout slow', ['payments-api']),
      candidate('INC-2025-050', 30, 'Connection pool exhausted on payments', ['ledger']),
      candidate('INC-2026-003', 10, 'DNS outage', ['Payments-API', 'dns']),
      candidate('INC-2025-040', 60, 'Pool exhausted in payments API', []),
      candidate('INC-2025-060', 20, 'Marketing site typo', ['www']),
    ];

    const related = selectRelatedIncidents(current, candidates);

    expect(related.map((r) => [r.id, r.similarity])).toEqual([
      ['INC-2026-003', 'same service: Payments-API'],
      ['INC-2025-001', 'same service: payments-api'],
      ['INC-2025-050', 'similar title'],
      ['INC-2025-040', 'similar title'],
    ]);
    expect(related[0]).toEqual({
      id: 'INC-2026-003',
      declaredAt: now - 10 * day,
      similarity: 'same service: Payments-API',
      resolved: true,
    });
  });

  it('breaks a tie on declaredAt by the incident sequence instead of dropping the candidate', () => {
    const candidates = [
      candidate('INC-2026-009', 0, 'x', ['payments-api']),
      candidate('INC-2026-011', 0, 'x', ['payments-api']),
      candidate('INC-2026-002', 0, 'x', ['payments-api']),
    ];

    const related = selectRelatedIncidents(current, candidates);

    expect(related.map((r) => r.id)).toEqual(['INC-2026-009', 'INC-2026-002']);
  });

  it('matches services case-insensitively, split on commas, without a parenthesised note', () => {
    const candidates = [
      candidate('INC-2025-001', 30, 'x', ['Drop API (all users), Ledger']),
      candidate('INC-2025-002', 20, 'x', ['payments-API (EU only) (degraded)']),
      candidate('INC-2025-003', 10, 'x', ['drop']),
    ];

    const related = selectRelatedIncidents(
      { ...current, services: ['drop api', ' payments-api , www'] },
      candidates,
    );

    expect(related.map((r) => [r.id, r.similarity])).toEqual([
      ['INC-2025-002', 'same service: payments-API'],
      ['INC-2025-001', 'same service: Drop API'],
    ]);
    expect([...serviceNames(['A (x), b ,, C&amp;D (y)']).entries()]).toEqual([
      ['a', 'A'],
      ['b', 'b'],
      ['c&d', 'C&D'],
    ]);
  });

  it('ignores the incident itself and later incidents, and lists at most five', () => {
    const candidates = [
      candidate('INC-2026-010', 0, 'Payments API connection pool exhausted', ['payments-api']),
      candidate('INC-2026-011', -1, 'Payments API down', ['payments-api']),
      ...Array.from({ length: 8 }, (_, i) => candidate(`INC-2025-${100 + i}`, 10 + i, 'x', ['payments-api'])),
    ];

    const related = selectRelatedIncidents(current, candidates);

    expect(related).toHaveLength(5);
    expect(related.map((r) => r.id)).toEqual([
      'INC-2025-100',
      'INC-2025-101',
      'INC-2025-102',
      'INC-2025-103',
      'INC-2025-104',
    ]);
  });

  it('does not match titles on stop words or short words alone', () => {
    const candidates = [candidate('INC-2025-001', 5, 'The API is on fire for all of the users', [])];

    expect(selectRelatedIncidents({ ...current, services: [] }, candidates)).toEqual([]);
  });

  it('orders by incident number when the current declaration time is not given', () => {
    const candidates = [
      candidate('INC-2026-009', 1, 'x', ['payments-api']),
      candidate('INC-2026-012', 0, 'x', ['payments-api']),
    ];

    const related = selectRelatedIncidents(
      { id: 'INC-2026-010', title: 'y', services: ['payments-api'] },
      candidates,
    );

    expect(related.map((r) => r.id)).toEqual(['INC-2026-009']);
  });
});
