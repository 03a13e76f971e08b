import { authorize, lowersSeverity, maySee, type Requester, roleHolders } from '../../src/domain/permissions';
import type { Incident, RoleTerm } from '../../src/domain/types';
import { T0, testIncident } from './fixtures';

const incident: Incident = testIncident({ severity: 'P2' });

const term = (role: RoleTerm['role'], userId: string, to: number | null = null): RoleTerm => ({
  id: userId.length,
  incidentId: incident.id,
  role,
  userId,
  from: T0,
  to,
  assignedBy: 'UALICE',
});

const terms = [term('ic', 'UALICE'), term('tech', 'UBOB'), term('comms', 'UOLD', T0 + 5)];
const member = (userId: string, over: Partial<Requester> = {}): Requester => ({
  userId,
  member: true,
  admins: ['UADMIN'],
  ...over,
});

describe('permissions', () => {
  it('lets a channel member run the everyday commands', () => {
    for (const command of [
      { kind: 'note', at: null, text: 'x' },
      { kind: 'update', message: 'x' },
      { kind: 'status', status: 'identified', at: null, message: null },
      { kind: 'severity', severity: 'P1' },
      { kind: 'role', role: 'comms', userId: 'UCAROL' },
      { kind: 'set', field: 'summary', value: 'x' },
      { kind: 'resolve', at: null, message: null },
    ] as const) {
      expect(authorize(command, incident, terms, member('UCAROL'))).toBeNull();
    }
  });

  it('refuses everything but reading to someone outside the channel who holds no role', () => {
    const stranger = member('USTRANGER', { member: false });
    expect(authorize({ kind: 'show' }, incident, terms, stranger)).toBeNull();
    expect(authorize({ kind: 'actions' }, incident, terms, stranger)).toBeNull();
    const refusal = authorize({ kind: 'note', at: null, text: 'x' }, incident, terms, stranger);
    expect(refusal).toEqual({
      code: 'not_a_member',
      message: 'Only members of #inc-2026-001-db-down may change INC-2026-001. Join the channel first.',
    });
  });

  it('keeps a private incident from being read by non-members', () => {
    const stranger = member('USTRANGER', { member: false });
    expect(authorize({ kind: 'show' }, incident, terms, stranger, { private: true })?.code).toBe(
      'not_a_member',
    );
    expect(authorize({ kind: 'show' }, incident, terms, member('UCAROL'), { private: true })).toBeNull();
  });

  it('limits close, reopen and lowering the severity to role holders and admins, and says who may', () => {
    const restricted = [{ kind: 'close' }, { kind: 'reopen' }, { kind: 'severity', severity: 'P4' }] as const;
    for (const command of restricted) {
      const refusal = authorize(command, incident, terms, member('UCAROL'));
      expect(refusal?.code).toBe('not_permitted');
      expect(refusal?.message).toContain('<@UALICE> (Incident Commander), <@UBOB> (Technical Lead)');
      expect(refusal?.message).not.toContain('UOLD');
      expect(authorize(command, incident, terms, member('UBOB'))).toBeNull();
      expect(authorize(command, incident, terms, member('UADMIN', { member: false }))).toBeNull();
    }
    expect(authorize({ kind: 'close' }, incident, terms, member('UCAROL'))?.message).toMatch(
      /^Only the incident's role holders or a Firewatch admin may close INC-2026-001\./,
    );
    expect(
      authorize({ kind: 'severity', severity: 'P3' }, incident, terms, member('UCAROL'))?.message,
    ).toContain('lower the severity of INC-2026-001 (P2 → P3)');
  });

  it('lets a role holder act even when not recorded as a channel member', () => {
    expect(authorize({ kind: 'close' }, incident, terms, member('UALICE', { member: false }))).toBeNull();
  });

  it('limits taking a role someone else holds, but not filling a free one or taking your own', () => {
    const carol = member('UCAROL');
    expect(authorize({ kind: 'role', role: 'ic', userId: 'UCAROL' }, incident, terms, carol)).toEqual({
      code: 'not_permitted',
      message: expect.stringContaining('take the Incident Commander role from <@UALICE>'),
    });
    expect(authorize({ kind: 'role', role: 'ic', userId: 'UDAVE' }, incident, terms, carol)?.code).toBe(
      'not_permitted',
    );
    // The comms term ended: the role is free.
    expect(authorize({ kind: 'role', role: 'comms', userId: 'UCAROL' }, incident, terms, carol)).toBeNull();
    // Handing your own role on, or naming the holder again, takes nothing from anyone.
    expect(
      authorize({ kind: 'role', role: 'ic', userId: 'UDAVE' }, incident, terms, member('UALICE')),
    ).toBeNull();
    expect(authorize({ kind: 'role', role: 'ic', userId: 'UALICE' }, incident, terms, carol)).toBeNull();
  });

  it('says plainly when nobody holds a role', () => {
    expect(authorize({ kind: 'close' }, incident, [], member('UCAROL'))?.message).toContain(
      'Role holders now: nobody holds a role yet.',
    );
  });

  it('knows which severity changes lower it, and who holds what', () => {
    expect(lowersSeverity('P1', 'P2')).toBe(true);
    expect(lowersSeverity('P3', 'P1')).toBe(false);
    expect(lowersSeverity('P2', 'P2')).toBe(false);
    expect([...roleHolders([term('ic', 'UALICE'), term('tech', 'UALICE')])]).toEqual([
      ['UALICE', ['ic', 'tech']],
    ]);
  });

  it('tells a non-member that a private incident is private, and who may see it', () => {
    const stranger = member('USTRANGER', { member: false });
    expect(authorize({ kind: 'actions' }, incident, terms, stranger, { private: true })).toEqual({
      code: 'not_a_member',
      message:
        'INC-2026-001 is private: only members of #inc-2026-001-db-down and Firewatch admins may see it.',
    });
    // Its role holders and admins read it without being recorded as members.
    expect(
      authorize({ kind: 'show' }, incident, terms, member('UBOB', { member: false }), { private: true }),
    ).toBeNull();
    expect(
      authorize({ kind: 'show' }, incident, terms, member('UADMIN', { member: false }), { private: true }),
    ).toBeNull();
  });

  it('shows a public incident to everyone, a private one to members, role holders and admins', () => {
    const secret: Incident = { ...incident, isPrivate: true };
    const stranger = member('USTRANGER', { member: false });
    expect(maySee(incident, terms, stranger)).toBe(true);
    expect(maySee(secret, terms, stranger)).toBe(false);
    expect(maySee(secret, terms, member('UCAROL'))).toBe(true);
    expect(maySee(secret, terms, member('UBOB', { member: false }))).toBe(true);
    expect(maySee(secret, terms, member('UADMIN', { member: false }))).toBe(true);
    // A role whose term ended gives no sight.
    expect(maySee(secret, terms, member('UOLD', { member: false }))).toBe(false);
  });
});
