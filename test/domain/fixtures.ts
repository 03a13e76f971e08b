/** Incidents for the domain's unit tests: declared 2026-02-20 10:31 UTC in #inc-2026-001-db-down. */
import { draftIncident } from '../../src/domain/lifecycle';
import type { Incident } from '../../src/domain/types';

/** When the test incident was declared. */
export const T0 = Date.parse('2026-02-20T10:31:00Z');

/** INC-2026-001 "DB down", P1, investigating, declared by UALICE at {@link T0}, with `over` on top. */
export function testIncident(over: Partial<Incident> = {}): Incident {
  return {
    ...draftIncident({
      title: 'DB down',
      severity: 'P1',
      declaredBy: 'UALICE',
      originChannelId: 'CGENERAL',
      declaredAt: T0,
    }),
    id: 'INC-2026-001',
    year: 2026,
    seq: 1,
    channelId: 'C1',
    channelName: 'inc-2026-001-db-down',
    ...over,
  };
}
