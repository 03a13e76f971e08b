import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { PEOPLE } from '../../src/demo/cast';
import { parseDemoArgs } from '../../src/demo/cli';
import { runDemo } from '../../src/demo/demo';
import { openStore } from '../../src/storage';

const ROOT = path.resolve(__dirname, '../..');

/** A writable stream that keeps what was written. */
function capture() {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { out, text: () => chunks.join('') };
}

/** The transcript from the first line holding `step` on (the step must be there). */
function fromStep(transcript: string, step: string): string {
  const at = transcript.indexOf(step);
  expect(at).toBeGreaterThanOrEqual(0);
  return transcript.slice(at + step.length);
}

/** The demo's own temp folder (…/firewatch-demo-XXXX) of a postmortem path. */
function demoDir(postmortemPath: string): string {
  const dir = path.dirname(path.dirname(postmortemPath));
  expect(path.basename(dir)).toMatch(/^firewatch-demo-/);
  return dir;
}

describe('npm run demo', () => {
  const cleanup: string[] = [];
  afterEach(() => {
    for (const dir of cleanup.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('plays the worked example through the real bot and writes its postmortem', async () => {
    const { out, text } = capture();
    const result = await runDemo({ out });
    const dir = demoDir(result.postmortemPath);
    cleanup.push(dir);
    const transcript = text();

    // The declaration, the role changes and the status changes, as people saw them.
    expect(transcript).toContain(
      'alem in #drop-ops › /incident declare P1 Database connection pool exhausted',
    );
    expect(transcript).toContain(
      'firewatch created the channel #inc-2026-001-database-connection-pool-exhausted',
    );
    expect(transcript).toContain('== 🔥 INC-2026-001: Database connection pool exhausted ==');
    expect(transcript).toContain('👥 @ingrid is Technical Lead — set by @alem');
    expect(transcript).toContain('👥 @tomas is Communications Lead — set by @alem');
    expect(transcript).toContain('💡 Status: identified (at 2026-02-20 10:34 UTC) — @ingrid');
    expect(transcript).toContain('👀 Status: monitoring (at 2026-02-20 10:38:30 UTC) — @ingrid');
    expect(transcript).toContain('✅ Resolved (at 2026-02-20 10:58 UTC) — @alem');
    expect(transcript).toContain('🔒 INC-2026-001 closed by @alem.');
    expect(transcript).toContain('firewatch updated the pinned incident card: Status 👀 monitoring');
    expect(transcript).toContain(
      '[#inc-2026-001-database-connection-pool-exhausted] ingrid (in the thread): RDS',
    );
    expect(transcript).toContain('INC-2026-001 · 📢 Update (identified) from @tomas');
    expect(transcript).not.toMatch(/:warning:|⚠️|Slack refused|\{"ok"/);

    // Both ways: some steps typed, a few clicked on the card, with the form each click opened and
    // what was filled in, then what the channel showed.
    expect(transcript).toContain('alem › /incident comms @tomas');
    expect(transcript).toContain(
      'alem picks @ingrid in the Technical Lead menu [Assign… ▾] on the incident card\n' +
        '          ↳ firewatch posted in #inc-2026-001-database-connection-pool-exhausted:\n' +
        '              👥 @ingrid is Technical Lead — set by @alem',
    );
    expect(transcript).not.toContain('› /incident tech');
    const status = fromStep(transcript, 'ingrid clicks [Change status] on the incident card');
    expect(status).toMatch(
      /^\s+↳ a form opens for ingrid: “Change status” {2}\[Cancel\] \[Change\]\n.*INC-2026-001 · P1 · investigating/,
    );
    expect(status).toMatch(/New status: ▾ identified \/ monitoring\n.*Since when\? \(optional\): empty/);
    expect(status).toMatch(
      /ingrid fills in “Change status” and clicks \[Change\]:\n +New status +identified\n +Since when\? +10:34\n/,
    );
    expect(status).toMatch(
      /↳ the form closes\n.*\n +💡 Status: identified \(at 2026-02-20 10:34 UTC\) — @ingrid/,
    );
    expect(transcript).not.toContain('› /incident status identified');
    const action = fromStep(transcript, 'ingrid clicks [Add action item] on the incident card');
    expect(action).toContain('a form opens for ingrid: “Add an action item”  [Cancel] [Add]');
    expect(action).toMatch(/Owner +@ingrid\n +Due +2026-03-06\n +Priority +P2\n/);
    expect(action).toContain(
      '☑️ Action item by @ingrid: Add connection pool metrics to /api/health (owner @ingrid, due 2026-03-06, P2)',
    );
    const close = fromStep(transcript, 'alem clicks [Close incident] on the incident card');
    expect(close).toContain('a form opens for alem: “Close the incident”  [Cancel] [Close and compile]');
    // Pre-filled with what was typed; what went wrong is what it still lacks, and Alem writes it.
    expect(close).toContain(
      'Looking back — filled in: What went well (2 so far), Lessons learned (1 so far) · empty: What went wrong',
    );
    expect(close).toMatch(
      /alem fills in “Close the incident” and clicks \[Close and compile\]:\n +What went wrong +No alarm on DatabaseConnections/,
    );
    expect(close.indexOf('the form closes')).toBeLessThan(close.indexOf('🔒 INC-2026-001 closed by @alem.'));
    expect(transcript).not.toContain('› /incident close');
    expect(transcript.trimEnd().endsWith(result.postmortemPath)).toBe(true);

    // The compiled postmortem holds the worked example's numbers.
    expect(result.incidentId).toBe('INC-2026-001');
    expect(result.postmortemPath).toBe(path.join(dir, 'postmortems', 'INC-2026-001.md'));
    const markdown = fs.readFileSync(result.postmortemPath, 'utf8');
    expect(markdown).toContain('28 minutes downtime → monthly uptime: 99.94%');
    expect(markdown).toContain('**Lag from impact start to detection:** 0.5 minutes');
    expect(markdown).toContain('| Duration | 28 minutes |');
    // The template's response measures: alert 10:30:30, Alem acknowledges (declares) at 10:30:45,
    // the cause is identified at 10:34:00.
    expect(markdown).toMatch(
      /\| Time to acknowledge \| detection → first human response \| 0\.25 minutes \(15 s\) \| ≤ 5 minutes \| Good \|/,
    );
    expect(markdown).toContain(
      '| Time to diagnose | detection → identified | 3.5 minutes | ≤ 3 minutes | Fair |',
    );
    expect(markdown).toContain('Configure PgBouncer or RDS Proxy for connection pooling');
    expect(markdown).toContain('Marketing sent a campaign email to all users at 10:28');
    expect(markdown).toContain('Rate-limit BankID login initiation across all IPs');
    // What the clicks did is in the document as a typed command would have put it.
    expect(markdown).toContain(
      '| 10:31:25 | Role assigned | Alem Bašić | @Ingrid Solberg is Technical Lead |',
    );
    expect(markdown).toContain(
      '| 10:34:00 | Status changed to identified | Ingrid Solberg | Status investigating → identified: Connection pool exhausted by a burst of BankID logins |',
    );
    expect(markdown).toContain(
      '| 4 | Add connection pool metrics to /api/health | Ingrid Solberg | 2026-03-06 | P2 | Open |',
    );
    expect(markdown).toContain('- No alarm on DatabaseConnections: the health check was the first signal');
    expect(markdown).toContain('| Status | Closed |');

    expect(result.summaryText.trim().length).toBeGreaterThan(0);
    expect(result.summaryText).toContain('99.94%');
    // The throw-away database is gone; the postmortem stays for the reader.
    expect(fs.existsSync(path.join(dir, 'firewatch.db'))).toBe(false);
  });

  it('keeps a given database, tells the story in another zone, and can be played again on it', async () => {
    const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-demo-db-'));
    cleanup.push(dbDir);
    const databaseUrl = path.join(dbDir, 'demo.db');
    const first = capture();
    const one = await runDemo({ out: first.out, databaseUrl, timeZone: 'Europe/Oslo' });
    cleanup.push(demoDir(one.postmortemPath));
    expect(first.text()).toContain('Status: monitoring (at 2026-02-20 10:38:30 CET)');
    expect(fs.existsSync(databaseUrl)).toBe(true);
    // The clicked steps left the incident where the typed ones would: closed, Ingrid Technical Lead,
    // her action item as filled in, the close form's field stored.
    const store = openStore(databaseUrl);
    try {
      const incident = await store.getIncident(one.incidentId);
      expect(incident?.status).toBe('closed');
      expect(incident?.identifiedAt).toBe(Date.parse('2026-02-20T10:34:00+01:00'));
      const roles = await store.roleTerms(one.incidentId);
      expect(roles.filter((r) => r.role === 'tech').map((r) => r.userId)).toEqual([PEOPLE.ingrid.id]);
      const items = await store.actions(one.incidentId);
      expect(items.map((a) => [a.text, a.owner, a.due, a.priority])).toContainEqual([
        'Add connection pool metrics to /api/health',
        PEOPLE.ingrid.id,
        '2026-03-06',
        'P2',
      ]);
      expect(items).toHaveLength(4);
      const wrong = (await store.fields(one.incidentId)).filter((f) => f.field === 'went-wrong');
      expect(wrong.map((f) => f.value)).toEqual([
        'No alarm on DatabaseConnections: the health check was the first signal',
      ]);
    } finally {
      await store.close();
    }

    const second = capture();
    const two = await runDemo({ out: second.out, databaseUrl, timeZone: 'Europe/Oslo' });
    cleanup.push(demoDir(two.postmortemPath));
    expect(two.incidentId).toBe('INC-2026-002');
    const markdown = fs.readFileSync(two.postmortemPath, 'utf8');
    expect(markdown).toContain('28 minutes downtime → monthly uptime: 99.94%');
    expect(second.text()).toContain(
      'firewatch created the channel #inc-2026-002-database-connection-pool-exhausted',
    );
    expect(second.text()).toContain(`DATABASE_URL=${databaseUrl}`);
  });

  it('refuses an unknown time zone before starting anything', async () => {
    await expect(runDemo({ out: capture().out, timeZone: 'Mars/Olympus' })).rejects.toThrow(/time zone/);
  });

  it('reads --db and --tz', () => {
    expect(parseDemoArgs([])).toEqual({ help: false });
    expect(parseDemoArgs(['--db', 'demo.db', '--tz=Europe/Oslo'])).toEqual({
      help: false,
      databaseUrl: 'demo.db',
      timeZone: 'Europe/Oslo',
    });
    expect(() => parseDemoArgs(['--db'])).toThrow('--db needs a value');
    expect(() => parseDemoArgs(['--verbose'])).toThrow('Unknown option --verbose');
  });

  it('runs to completion as a command: exit code 0, stdout ending with the postmortem path', async () => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/demo/cli.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const last = stdout.trimEnd().split('\n').pop() ?? '';
    expect(last).toMatch(/firewatch-demo-[^/\\]+[/\\]postmortems[/\\]INC-2026-001\.md$/);
    cleanup.push(demoDir(last));
    expect(fs.existsSync(last)).toBe(true);
  }, 30_000);
});
