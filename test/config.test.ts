import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, databasePath, loadConfig } from '../src/config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('configuration', () => {
  it('applies the documented defaults in HTTP mode', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' });
    expect(config).toMatchObject({
      appToken: null,
      slackApiUrl: 'https://slack.com/api/',
      port: 3000,
      databaseUrl: 'data/firewatch.db',
      timeZone: 'UTC',
      announceChannel: null,
      postmortemDir: 'data/postmortems',
      reactions: { timeline: ['pushpin'], lesson: ['bulb'], action: ['ballot_box_with_check'] },
    });
  });

  it('reads the postmortem targets, the time to diagnose included, with the documented defaults', () => {
    const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

    expect(loadConfig(base).targets).toEqual({
      detectMinutes: 5,
      acknowledgeMinutes: 5,
      diagnoseMinutes: 3,
      mitigateMinutes: 30,
      resolveMinutes: 60,
      uptimePercent: 99.9,
      mttrMinutes: 60,
    });
    expect(loadConfig({ ...base, FIREWATCH_TARGET_DIAGNOSE_MINUTES: '15' }).targets.diagnoseMinutes).toBe(15);
    expect(problemsOf({ ...base, FIREWATCH_TARGET_DIAGNOSE_MINUTES: 'soon' })).toEqual([
      'FIREWATCH_TARGET_DIAGNOSE_MINUTES: expected a positive number of minutes',
    ]);
  });

  it('needs no signing secret in Socket Mode', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A-2' });
    expect(config.appToken).toBe('xapp-1-A-2');
    expect(config.signingSecret).toBeNull();
  });

  it('names every bad variable with what is expected, one line each', () => {
    expect(
      problemsOf({
        SLACK_BOT_TOKEN: 'xoxp-user-token',
        SLACK_APP_TOKEN: 'not-an-app-token',
        SLACK_API_URL: 'not a url',
        PORT: '70000',
        FIREWATCH_TIMEZONE: 'Mars/Olympus',
        ANNOUNCE_CHANNEL: '#general',
        FIREWATCH_REACTION_TIMELINE: ':pushpin:',
      }),
    ).toEqual([
      'SLACK_BOT_TOKEN: expected a bot token starting with xoxb-',
      'SLACK_APP_TOKEN: expected an app-level token starting with xapp-',
      'SLACK_API_URL: expected an http(s) URL such as https://slack.com/api/',
      'PORT: expected a port from 0 to 65535',
      'FIREWATCH_TIMEZONE: expected an IANA time zone such as UTC or Europe/Oslo',
      'ANNOUNCE_CHANNEL: expected a channel ID such as C0123ABCD',
      'FIREWATCH_REACTION_TIMELINE: expected comma-separated emoji names without colons',
    ]);
  });

  it('checks FIREWATCH_TIMEZONE with the one zone check, keeping the zone as written but trimmed', () => {
    const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

    expect(loadConfig({ ...base, FIREWATCH_TIMEZONE: 'Europe/Oslo' }).timeZone).toBe('Europe/Oslo');
    expect(loadConfig({ ...base, FIREWATCH_TIMEZONE: ' Asia/Kolkata ' }).timeZone).toBe('Asia/Kolkata');
    expect(problemsOf({ ...base, FIREWATCH_TIMEZONE: 'Europe/Osloo' })).toEqual([
      'FIREWATCH_TIMEZONE: expected an IANA time zone such as UTC or Europe/Oslo',
    ]);
  });

  it('treats empty variables as unset and adds the trailing slash to SLACK_API_URL', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      PORT: '',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      FIREWATCH_REACTION_TIMELINE: 'pushpin,round_pushpin',
    });
    expect(config.port).toBe(3000);
    expect(config.slackApiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(config.reactions.timeline).toEqual(['pushpin', 'round_pushpin']);
  });

  it('accepts a path or a file: URL for DATABASE_URL', () => {
    expect(databasePath('data/x.db')).toBe('data/x.db');
    expect(databasePath('file:data/x.db')).toBe('data/x.db');
    expect(databasePath('file:///var/lib/firewatch/x.db')).toBe('/var/lib/firewatch/x.db');
  });

  it('reads FIREWATCH_ADMINS and FIREWATCH_IMPACT_WINDOW_DAYS, with their defaults', () => {
    const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };
    expect(loadConfig(base)).toMatchObject({ admins: [], impactWindowDays: 30 });
    expect(
      loadConfig({ ...base, FIREWATCH_ADMINS: 'U0123ABCD, W0456EFGH', FIREWATCH_IMPACT_WINDOW_DAYS: '7' }),
    ).toMatchObject({ admins: ['U0123ABCD', 'W0456EFGH'], impactWindowDays: 7 });
    expect(loadConfig({ ...base, FIREWATCH_ADMINS: ' ' }).admins).toEqual([]);
    expect(
      problemsOf({ ...base, FIREWATCH_ADMINS: '@alice,bob', FIREWATCH_IMPACT_WINDOW_DAYS: '0' }),
    ).toEqual([
      'FIREWATCH_ADMINS: expected comma-separated Slack user IDs such as U0123ABCD,U0456EFGH',
      'FIREWATCH_IMPACT_WINDOW_DAYS: expected a whole number of days such as 30',
    ]);
    expect(problemsOf({ ...base, FIREWATCH_IMPACT_WINDOW_DAYS: '2.5' })).toEqual([
      'FIREWATCH_IMPACT_WINDOW_DAYS: expected a whole number of days such as 30',
    ]);
  });

  it('reads FIREWATCH_OUTBOX_LEASE_SECONDS (default 30) as milliseconds', () => {
    const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };
    expect(loadConfig(base).outboxLeaseMs).toBe(30_000);
    expect(loadConfig({ ...base, FIREWATCH_OUTBOX_LEASE_SECONDS: '5' }).outboxLeaseMs).toBe(5000);
    for (const bad of ['2', '3601', '1.5', 'soon']) {
      expect(problemsOf({ ...base, FIREWATCH_OUTBOX_LEASE_SECONDS: bad })).toEqual([
        'FIREWATCH_OUTBOX_LEASE_SECONDS: expected a whole number of seconds from 3 to 3600, such as 30',
      ]);
    }
  });

  it('reads FIREWATCH_UPDATE_REMINDERS (minutes or off, by severity), defaulting to P1 15, P2 30, P3 60, P4 never', () => {
    const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };
    expect(loadConfig(base).updateReminders).toEqual({ P1: 15, P2: 30, P3: 60, P4: null });
    expect(loadConfig({ ...base, FIREWATCH_UPDATE_REMINDERS: 'P1=5, p4=120' }).updateReminders).toEqual({
      P1: 5,
      P2: 30,
      P3: 60,
      P4: 120,
    });
    expect(loadConfig({ ...base, FIREWATCH_UPDATE_REMINDERS: 'P3=off' }).updateReminders.P3).toBeNull();
    expect(loadConfig({ ...base, FIREWATCH_UPDATE_REMINDERS: 'off' }).updateReminders).toEqual({
      P1: null,
      P2: null,
      P3: null,
      P4: null,
    });
    expect(loadConfig({ ...base, FIREWATCH_UPDATE_REMINDERS: ' ' }).updateReminders.P1).toBe(15);
    expect(problemsOf({ ...base, FIREWATCH_UPDATE_REMINDERS: 'P1:15' })).toEqual([
      'FIREWATCH_UPDATE_REMINDERS: "P1:15" is not understood: expected severities with whole minutes or off, such as P1=15,P2=30,P3=60,P4=off',
    ]);
    expect(problemsOf({ ...base, FIREWATCH_UPDATE_REMINDERS: 'P1=0' })).toEqual([
      'FIREWATCH_UPDATE_REMINDERS: P1=0: expected from 1 to 10080 minutes (a week), or off',
    ]);
    expect(problemsOf({ ...base, FIREWATCH_UPDATE_REMINDERS: 'P2=10,P2=20' })).toEqual([
      'FIREWATCH_UPDATE_REMINDERS: P2 is given twice: expected severities with whole minutes or off, such as P1=15,P2=30,P3=60,P4=off',
    ]);
  });

  it('documents FIREWATCH_UPDATE_REMINDERS with its default in the README and .env.example', () => {
    const read = (file: string) => fs.readFileSync(path.join(__dirname, '..', file), 'utf8');
    expect(read('README.md')).toContain('| `FIREWATCH_UPDATE_REMINDERS` |');
    expect(read('README.md')).toContain('`P1=15,P2=30,P3=60,P4=off`');
    expect(read('.env.example')).toContain('# FIREWATCH_UPDATE_REMINDERS=P1=15,P2=30,P3=60,P4=off');
  });
});
