import {
  addNote,
  changeStatus,
  DEFAULT_IMPACT_WINDOW_DAYS,
  earliestAllowedTime,
  resolveIncident,
  setDetected,
  setStarted,
} from '../../src/domain/lifecycle';
import { refuseRoleHolder } from '../../src/domain/people';
import { T0, testIncident } from './fixtures';

const DAY = 24 * 3600_000;
const ctx = { actor: 'UALICE', now: T0 + 60_000, timeZone: 'UTC' };

const incident = testIncident;

const errorOf = (outcome: ReturnType<typeof setStarted>) => (outcome.ok ? null : outcome.error);

describe('facts: the impact window', () => {
  it('defaults to 30 days before the declaration', () => {
    expect(DEFAULT_IMPACT_WINDOW_DAYS).toBe(30);
    expect(earliestAllowedTime(incident(), ctx)).toBe(T0 - 30 * DAY);
    expect(earliestAllowedTime(incident(), { ...ctx, impactWindowDays: 2 })).toBe(T0 - 2 * DAY);
  });

  it('refuses an impact start in 1970, and says which times are expected', () => {
    const error = errorOf(setStarted(incident(), Date.parse('1970-01-01T00:00:00Z'), ctx));
    expect(error).toEqual({
      code: 'time_outside_window',
      message:
        'The impact start (1970-01-01 00:00 UTC) is more than 30 days before INC-2026-001 was declared ' +
        '(2026-02-20 10:31 UTC). Expected a time from 2026-01-21 10:31 UTC to now (the window is set by ' +
        'FIREWATCH_IMPACT_WINDOW_DAYS).',
    });
  });

  it('accepts an impact start exactly at the edge of the window, and refuses one a minute earlier', () => {
    const edge = T0 - 30 * DAY;
    expect(setStarted(incident(), edge, ctx).ok).toBe(true);
    expect(errorOf(setStarted(incident(), edge - 60_000, ctx))?.code).toBe('time_outside_window');
  });

  it('follows a configured window, and says "day" for one', () => {
    const narrow = { ...ctx, impactWindowDays: 1 };
    const error = errorOf(setStarted(incident(), T0 - 2 * DAY, narrow));
    expect(error?.code).toBe('time_outside_window');
    expect(error?.message).toContain('more than 1 day before INC-2026-001');
    expect(setStarted(incident(), T0 - 2 * DAY, { ...ctx, impactWindowDays: 3 }).ok).toBe(true);
  });

  it('refuses times in the future on every path, saying a past time is expected', () => {
    const later = ctx.now + 60_000;
    const outcomes = [
      setStarted(incident(), later, ctx),
      setDetected(incident(), later, null, ctx),
      changeStatus(incident(), 'identified', later, null, ctx),
      resolveIncident(incident(), later, null, ctx),
      addNote(incident(), later, 'from the future', ctx),
    ];
    for (const outcome of outcomes) {
      expect(errorOf(outcome)).toEqual({
        code: 'time_in_future',
        message: expect.stringContaining('cannot be in the future (it is now 2026-02-20 10:32 UTC)'),
      });
      expect(errorOf(outcome)?.message).toContain('Expected a time in the past');
    }
    // Now itself is fine.
    expect(addNote(incident(), ctx.now, 'now', ctx).ok).toBe(true);
  });

  it('keeps backdated detection, status changes and resolutions inside the window', () => {
    const ancient = T0 - 31 * DAY;
    expect(errorOf(setDetected(incident(), ancient, null, ctx))?.code).toBe('time_outside_window');
    expect(errorOf(changeStatus(incident(), 'identified', ancient, null, ctx))?.code).toBe(
      'time_outside_window',
    );
    expect(errorOf(resolveIncident(incident(), ancient, null, ctx))?.code).toBe('time_outside_window');
  });

  it('lets a note tell anything that happened before, also before the window', () => {
    const started = incident({ startedAt: T0 - DAY });
    expect(addNote(started, T0 - 2 * DAY, 'deploy of v2.3 went out', ctx).ok).toBe(true);
    expect(addNote(started, T0 - 400 * DAY, 'the same outage last year', ctx).ok).toBe(true);
  });

  it('still refuses detection before the impact start, inside the window', () => {
    const started = incident({ startedAt: T0 - DAY });
    expect(errorOf(setDetected(started, T0 - 2 * DAY, null, ctx))?.code).toBe('time_before_start');
  });
});

describe('facts: who may hold a role', () => {
  it('lets an active person hold it, and also when Slack could not be asked', () => {
    expect(refuseRoleHolder('UBOB', 'ic', 'person', 'UBOT')).toBeNull();
    expect(refuseRoleHolder('UBOB', 'ic', 'unknown', 'UBOT')).toBeNull();
    expect(refuseRoleHolder('UBOB', 'ic', 'unknown', null)).toBeNull();
  });

  it('refuses an unknown user, saying a person of the workspace is expected', () => {
    const outcome = refuseRoleHolder('UNOBODY', 'ic', 'not_found', 'UBOT');
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: 'not_a_person',
        message:
          '`UNOBODY` is not a user of this workspace (Slack knows no such user), so they cannot be ' +
          "Incident Commander. Expected an active person of this workspace, e.g. `/incident ic @alice` (pick them from Slack's suggestions).",
      },
    });
  });

  it('refuses deactivated users, bots, Slackbot and Firewatch itself, even when Slack cannot be asked about it', () => {
    const message = (outcome: ReturnType<typeof refuseRoleHolder>) =>
      outcome && !outcome.ok ? outcome.error.message : null;
    expect(message(refuseRoleHolder('UGONE', 'tech', 'deactivated', 'UBOT'))).toMatch(
      /^<@UGONE> has been deactivated in this workspace, so they cannot be Technical Lead\. Expected an active person/,
    );
    expect(message(refuseRoleHolder('UCI', 'comms', 'bot', 'UBOT'))).toMatch(
      /^<@UCI> is a bot, so it cannot be Communications Lead\. Expected/,
    );
    expect(message(refuseRoleHolder('USLACKBOT', 'ic', 'person', 'UBOT'))).toContain('is a bot');
    for (const standing of ['person', 'unknown', 'bot'] as const) {
      expect(message(refuseRoleHolder('UBOT', 'ic', standing, 'UBOT'))).toMatch(
        /^I am Firewatch, a bot, so I cannot be Incident Commander\. Expected an active person/,
      );
    }
  });
});
