/**
 * The container and service files cannot be run here (no Docker engine, no systemd as PID 1), so
 * what can be checked is checked: the Dockerfile's HEALTHCHECK command against a running bot, its
 * stages, user, volume and port, the paths it and the systemd unit start, and the unit's syntax
 * (with systemd-analyze when the machine has it).
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Harness } from '../support/harness';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string> };
const dockerfile = read('Dockerfile');
const unit = read('deploy/systemd/firewatch.service');

/** The exec-form arguments of the Dockerfile's HEALTHCHECK CMD. */
function healthcheckCommand(): string[] {
  const match = /^HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile);
  if (!match) throw new Error('no HEALTHCHECK … CMD [...] in the Dockerfile');
  return JSON.parse(match[1]!) as string[];
}

/** Exit status of the health check with PORT set. */
async function probe(port: number): Promise<number> {
  const [command, ...args] = healthcheckCommand();
  expect(command).toBe('node');
  try {
    await run(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', PORT: String(port) },
      timeout: 10_000,
    });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

describe('Dockerfile', () => {
  it("HEALTHCHECK passes against a running bot's /healthz and fails when nothing answers", async () => {
    const h = await Harness.start();
    const port = Number(new URL(h.baseUrl).port);
    try {
      expect(await probe(port)).toBe(0);
    } finally {
      await h.stop();
    }
    expect(await probe(port)).toBe(1);
  });

  it('builds, installs the tarball without dev dependencies, and runs it as a non-root user on /data', () => {
    const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\w+)$/gm)].map((m) => m[1]);
    expect(stages).toEqual(['build', 'install', 'runtime']);
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(dockerfile).toContain('npm pack --pack-destination /pkg');
    expect(dockerfile).toContain('npm install --omit=dev --no-audit --no-fund /tmp/firewatch.tgz');
    expect(runtime).toMatch(/^USER firewatch$/m);
    expect(runtime).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(runtime).toMatch(/^EXPOSE 3000$/m);
    expect(runtime).toContain('DATABASE_URL=/data/firewatch.db');
    expect(runtime).toContain('POSTMORTEM_DIR=/data/postmortems');
    expect(runtime).toContain(`ENTRYPOINT ["/app/node_modules/.bin/${Object.keys(pkg.bin)[0]}"]`);
    expect(runtime).not.toMatch(/apt-get|npm (ci|install)/);
  });
});

describe('systemd unit', () => {
  it("starts the package's bin, hardened, with its state directory writable", () => {
    expect(unit).toContain(
      `ExecStart=/usr/bin/node /opt/firewatch/node_modules/firewatch/${pkg.bin.firewatch} start`,
    );
    for (const line of [
      'User=firewatch',
      'EnvironmentFile=/etc/firewatch/firewatch.env',
      'Restart=on-failure',
      'StateDirectory=firewatch',
      'WorkingDirectory=/var/lib/firewatch',
      'ReadWritePaths=/var/lib/firewatch',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
  });

  const analyze = spawnSync('systemd-analyze', ['--version']).status === 0;
  (analyze ? it : it.skip)('passes systemd-analyze verify', async () => {
    const { stderr } = await run('systemd-analyze', [
      'verify',
      path.join(root, 'deploy/systemd/firewatch.service'),
    ]);
    expect(stderr).toBe('');
  });
});
