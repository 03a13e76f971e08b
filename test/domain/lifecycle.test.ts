import {
  assignRole,
  changeStatus,
  closeIncident,
  currentRoles,
  reopenIncident,
  resolveIncident,
  setStarted,
} from '../../src/domain/lifecycle';
import type { RoleTerm } from '../../src/domain/types';
import { T0, testIncident } from './fixtures';

const ctx = { actor: 'UALICE', now: T0 + 60_000, timeZone: 'UTC' };

const incident = testIncident;

const term = (role: RoleTerm['role'], userId: string, from: number, to: number | null = null): RoleTerm => ({
  id: from,
  incidentId: 'INC-2026-001',
  role,
  userId,
  from,
  to,
  assignedBy: 'UALICE',
});

describe('lifecycle', () => {
  it('a new role holder ends the previous term', () => {
    const outcome = assignRole(incident(), [term('ic', 'UALICE', T0)], 'ic', 'UBOB', ctx);
    expect(outcome.ok && outcome.change).toEqual({
      endRoleTerms: [{ role: 'ic', at: ctx.now }],
      newRoleTerms: [{ role: 'ic', userId: 'UBOB', from: ctx.now, to: null, assignedBy: 'UALICE' }],
      timeline: [
        expect.objectContaining({ kind: 'role', text: '<@UBOB> is Incident Commander (was <@UALICE>)' }),
      ],
    });
  });

  it('currentRoles ignores ended terms', () => {
    const roles = currentRoles([
      term('ic', 'UALICE', T0, T0 + 5),
      term('ic', 'UBOB', T0 + 5),
      term('tech', 'UCAROL', T0),
    ]);
    expect(roles.ic?.userId).toBe('UBOB');
    expect(roles.tech?.userId).toBe('UCAROL');
    expect(roles.comms).toBeUndefined();
  });

  it('status changes stamp identified and mitigated once, at the (backdated) time', () => {
    const at = T0 + 30_000;
    const identified = changeStatus(incident(), 'identified', at, 'pool', ctx);
    expect(identified.ok && identified.change.incident).toMatchObject({
      status: 'identified',
      identifiedAt: at,
    });
    const monitoring = changeStatus(
      incident({ status: 'identified', identifiedAt: at }),
      'monitoring',
      at + 1,
      null,
      ctx,
    );
    expect(monitoring.ok && monitoring.change.incident).toMatchObject({
      identifiedAt: at,
      mitigatedAt: at + 1,
    });
  });

  it('refuses with a clear code: closed, resolved, unchanged, before the impact started', () => {
    const codes = [
      changeStatus(incident({ status: 'closed' }), 'identified', ctx.now, null, ctx),
      changeStatus(incident({ status: 'resolved' }), 'identified', ctx.now, null, ctx),
      changeStatus(incident(), 'investigating', ctx.now, null, ctx),
      changeStatus(incident({ startedAt: T0 }), 'identified', T0 - 1, null, ctx),
      resolveIncident(incident({ status: 'closed' }), ctx.now, null, ctx),
      resolveIncident(incident({ status: 'resolved', resolvedAt: T0 }), ctx.now, null, ctx),
      reopenIncident(incident(), ctx),
      setStarted(incident({ detectedAt: T0 }), T0 + 1, ctx),
    ].map((o) => (o.ok ? 'ok' : o.error.code));
    expect(codes).toEqual([
      'incident_closed',
      'incident_resolved',
      'status_unchanged',
      'time_before_start',
      'incident_closed',
      'already_resolved',
      'not_resolved',
      'start_after_detection',
    ]);
  });

  it('closing an unresolved incident resolves it first; reopening clears the close', () => {
    const closed = closeIncident(incident(), ctx);
    expect(closed.ok && closed.change.timeline?.map((e) => e.kind)).toEqual(['resolved', 'closed']);
    expect(closed.ok && closed.change.incident).toMatchObject({
      status: 'closed',
      resolvedAt: ctx.now,
      closedAt: ctx.now,
    });
    const reopened = reopenIncident(
      incident({ status: 'closed', resolvedAt: ctx.now, closedAt: ctx.now }),
      ctx,
    );
    expect(reopened.ok && reopened.change.incident).toMatchObject({
      status: 'investigating',
      closedAt: null,
    });
  });

  it('a reopen only to add late edits keeps the resolution time when closed again', () => {
    const resolvedAt = T0 + 27 * 60_000;
    const later = { ...ctx, now: T0 + 24 * 3600_000 };
    const reopened = reopenIncident(incident({ status: 'closed', resolvedAt, closedAt: resolvedAt }), later);
    const again = reopened.ok ? reopened.change.incident! : incident();
    const closed = closeIncident(again, later);
    expect(closed.ok && closed.change.incident).toMatchObject({ status: 'closed', resolvedAt });
    expect(closed.ok && closed.change.timeline?.map((e) => e.kind)).toEqual(['closed']);
    // Worked on again: the old resolution no longer holds.
    const worked = changeStatus(again, 'identified', later.now, null, later);
    expect(worked.ok && worked.change.incident?.resolvedAt).toBeNull();
  });

  it('refuses backdated times that put milestones out of order', () => {
    const identifiedAt = T0 + 10 * 60_000;
    const mitigatedAt = T0 + 20 * 60_000;
    const late = { ...ctx, now: T0 + 3600_000 };
    const cases = [
      resolveIncident(
        incident({ status: 'monitoring', identifiedAt, mitigatedAt }),
        mitigatedAt - 60_000,
        null,
        late,
      ),
      changeStatus(
        incident({ status: 'identified', identifiedAt }),
        'monitoring',
        identifiedAt - 60_000,
        null,
        late,
      ),
      setStarted(incident({ identifiedAt }), identifiedAt + 60_000, late),
    ];
    for (const outcome of cases) {
      expect(outcome.ok ? 'ok' : outcome.error.code).toBe('time_out_of_order');
      expect(outcome.ok ? '' : outcome.error.message).toMatch(
        /cannot be (before|after) the \w+ \(2026-02-20 10:\d\d UTC\)/,
      );
    }
  });

  it('escapes user text in notices', () => {
    const outcome = resolveIncident(incident(), ctx.now, '<!channel> fixed & done', ctx);
    expect(outcome.ok && outcome.notice).toContain('&lt;!channel&gt; fixed &amp; done');
  });
});
