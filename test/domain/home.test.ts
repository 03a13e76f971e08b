import { homeAudience, myActionItems, recentlyClosed, touchesHome } from '../../src/domain/home';
import type { ActionItem, RoleTerm } from '../../src/domain/types';
import { T0, testIncident } from './fixtures';

const term = (role: RoleTerm['role'], userId: string, to: number | null = null): RoleTerm => ({
  id: T0,
  incidentId: 'INC-2026-001',
  role,
  userId,
  from: T0,
  to,
  assignedBy: 'UALICE',
});

const item = (seq: number, over: Partial<ActionItem> = {}): ActionItem => ({
  id: seq,
  incidentId: 'INC-2026-001',
  seq,
  text: `item ${seq}`,
  owner: 'UBOB',
  due: null,
  priority: 'P3',
  status: 'open',
  createdAt: T0,
  createdBy: 'UALICE',
  doneAt: null,
  sourceRef: null,
  ...over,
});

describe('App Home rules', () => {
  it('a change touches the Home when it changes the incident, its roles or its action items', () => {
    expect(touchesHome({})).toBe(false);
    expect(touchesHome({ timeline: [], fields: [], comms: [], outbox: [{ type: 'refresh_card' }] })).toBe(
      false,
    );
    expect(touchesHome({ incident: testIncident() })).toBe(true);
    expect(touchesHome({ endRoleTerms: [{ role: 'ic', at: T0 }] })).toBe(true);
    expect(
      touchesHome({ newRoleTerms: [{ role: 'ic', userId: 'U1', from: T0, to: null, assignedBy: 'U1' }] }),
    ).toBe(true);
    expect(touchesHome({ actionUpdates: [{ seq: 1, status: 'done', doneAt: T0 }] })).toBe(true);
  });

  it('republishes the Homes of role holders, action owners, the declarer and participants, each once, capped', () => {
    const audience = homeAudience({
      incident: testIncident({ declaredBy: 'UDECL' }),
      terms: [term('ic', 'UOLD', T0 + 1), term('ic', 'UIC'), term('comms', 'UCOMMS')],
      items: [
        item(1, { owner: 'UOWNER' }),
        item(2, { owner: null }),
        item(3, { owner: 'UIC', status: 'done' }),
      ],
      participants: ['UCOMMS', 'UP1', 'UP2', 'UDECL'],
    });
    expect(audience).toEqual(['UIC', 'UCOMMS', 'UOWNER', 'UDECL', 'UP1', 'UP2']);
    const many = homeAudience(
      {
        incident: testIncident(),
        terms: [term('ic', 'UIC')],
        items: [],
        participants: Array.from({ length: 500 }, (_, i) => `U${i}`),
      },
      100,
    );
    expect(many).toHaveLength(100);
    expect(many[0]).toBe('UIC');
  });

  it('lists a person’s open action items: overdue first, then by due date, undated last', () => {
    const now = Date.parse('2026-03-05T12:00:00Z');
    const older = testIncident({ id: 'INC-2026-001', declaredAt: T0 });
    const newer = testIncident({ id: 'INC-2026-002', declaredAt: T0 + 1000 });
    const mine = myActionItems(
      'UBOB',
      [
        { incident: older, items: [item(1, { due: '2026-03-10' }), item(2, { due: '2026-03-01' }), item(3)] },
        {
          incident: newer,
          items: [
            item(1),
            item(2, { due: '2026-03-07' }),
            item(3, { owner: 'UCAROL' }),
            item(4, { status: 'done' }),
          ],
        },
      ],
      'UTC',
      now,
    );
    expect(mine.map((m) => [m.incident.id, m.item.seq, m.overdue])).toEqual([
      ['INC-2026-001', 2, true],
      ['INC-2026-002', 2, false],
      ['INC-2026-001', 1, false],
      ['INC-2026-002', 1, false],
      ['INC-2026-001', 3, false],
    ]);
  });

  it('recent postmortems are closed incidents, most recently closed first', () => {
    const list = recentlyClosed([
      testIncident({ id: 'A', status: 'closed', closedAt: T0 + 10 }),
      testIncident({ id: 'B', status: 'resolved' }),
      testIncident({ id: 'C', status: 'closed', closedAt: T0 + 20 }),
    ]);
    expect(list.map((i) => i.id)).toEqual(['C', 'A']);
  });
});
