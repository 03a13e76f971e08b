/**
 * The production install, exactly as an operator does it (and as the Dockerfile does): `npm pack` →
 * `npm install --omit=dev <tarball>` in an empty folder → `npx firewatch start` against the Slack
 * emulator (in this process) → ready → a declared incident. No TypeScript, no dev dependency.
 *
 * better-sqlite3 is not compiled again: its installer (prebuild-install) is pointed, through
 * `npm_config_better_sqlite3_local_prebuilds`, at a prebuild tarball made from the binary already
 * compiled in this checkout's node_modules (same Node ABI and platform). Without it the install
 * compiles SQLite from source (about 80 s here, and it needs a compiler).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SlackEmulator, SlackRequestClient } from '../../src/emulator';
import { SIGNING_SECRET } from '../support/harness';

jest.setTimeout(180_000);

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
/** What must never be installed by `--omit=dev` (a sample of the devDependencies and their tools). */
const DEV_ONLY = [
  'typescript',
  'tsx',
  'jest',
  '@swc/core',
  '@swc/jest',
  '@biomejs/biome',
  'fast-check',
  'esbuild',
];

/** A free TCP port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A prebuild tarball (prebuild-install's layout) of the better-sqlite3 binary compiled in node_modules. */
async function localPrebuild(dir: string): Promise<string> {
  const pkg = JSON.parse(
    fs.readFileSync(path.join(root, 'node_modules/better-sqlite3/package.json'), 'utf8'),
  );
  const name = `better-sqlite3-v${pkg.version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await run('tar', [
    '-czf',
    path.join(dir, name),
    '-C',
    path.join(root, 'node_modules/better-sqlite3'),
    'build/Release/better_sqlite3.node',
  ]);
  return dir;
}

const timings: Record<string, number> = {};
async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings[what] = Date.now() - started;
  }
}

describe('the installable package', () => {
  let work: string;
  let installDir: string;
  let slack: SlackEmulator | null = null;
  let bot: ChildProcess | null = null;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'firewatch-pack-'));
    installDir = path.join(work, 'install');
    fs.mkdirSync(installDir);
    fs.writeFileSync(
      path.join(installDir, 'package.json'),
      '{ "name": "firewatch-install", "private": true }\n',
    );
  });

  afterAll(async () => {
    if (bot?.exitCode === null && bot.pid) process.kill(-bot.pid, 'SIGKILL');
    await slack?.stop();
    fs.rmSync(work, { recursive: true, force: true });
    process.stderr.write(`package test timings (ms): ${JSON.stringify(timings)}\n`);
  });

  it('packs compiled JavaScript only, installs without dev dependencies, starts and declares', async () => {
    const { stdout } = await timed('pack', () =>
      run(npm, ['pack', '--json', '--pack-destination', work], { cwd: root, maxBuffer: 16 << 20 }),
    );
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    const files = packed!.files.map((f) => f.path);
    expect(files).toContain('dist/cli/firewatch.js');
    expect(files).toContain('dist/emulator/slack-emulator.js');
    expect(files).toContain('package.json');
    expect(
      files.filter(
        (f) => !/^(dist\/.*\.js|package\.json|README\.md|LICENSE|\.env\.example|manifest\.yml)$/.test(f),
      ),
    ).toEqual([]);
    const tarball = path.join(work, path.basename(packed!.filename));

    const prebuilds = await localPrebuild(fs.mkdtempSync(path.join(work, 'prebuilds-')));
    await timed('install', () =>
      run(npm, ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', tarball], {
        cwd: installDir,
        env: { ...process.env, npm_config_better_sqlite3_local_prebuilds: prebuilds },
        maxBuffer: 16 << 20,
      }),
    );
    const modules = path.join(installDir, 'node_modules');
    for (const dev of DEV_ONLY) expect(fs.existsSync(path.join(modules, dev))).toBe(false);
    expect(fs.existsSync(path.join(modules, 'firewatch/src'))).toBe(false);
    // Every package the compiled code requires (the emulator and the demo included) is installed.
    const required = new Set<string>();
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const code = fs.readFileSync(path.join(modules, 'firewatch', file), 'utf8');
      for (const [, name] of code.matchAll(/require\("([^".][^"]*)"\)/g)) {
        if (!name!.startsWith('node:'))
          required.add(name!.startsWith('@') ? name!.split('/').slice(0, 2).join('/') : name!.split('/')[0]!);
      }
    }
    expect([...required].sort()).toEqual(expect.arrayContaining(['@slack/bolt', 'better-sqlite3', 'zod']));
    for (const name of required) {
      expect(fs.existsSync(path.join(modules, name, 'package.json'))).toBe(true);
    }
    expect(
      fs.readFileSync(path.join(modules, '.bin/firewatch'), 'utf8').startsWith('#!/usr/bin/env node'),
    ).toBe(true);

    slack = await SlackEmulator.start();
    const port = await freePort();
    const data = path.join(work, 'data');
    let stderr = '';
    bot = spawn(npx, ['--no-install', 'firewatch', 'start'], {
      cwd: installDir,
      // Its own process group, so that npx and the bot it runs are stopped together.
      detached: true,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        SLACK_BOT_TOKEN: 'xoxb-package',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.url,
        PORT: String(port),
        DATABASE_URL: path.join(data, 'firewatch.db'),
        POSTMORTEM_DIR: path.join(data, 'postmortems'),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    bot.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<string>((resolve) =>
      bot!.on('exit', (code, signal) => resolve(signal ?? `exit ${code}`)),
    );

    // Ready: /readyz when the build has it, else /healthz.
    const ready = await timed('start', async () => {
      for (let i = 0; i < 400; i += 1) {
        if (bot!.exitCode !== null) break;
        const readyz = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
        if (readyz && readyz.status !== 404) {
          if (readyz.status === 200) return '/readyz';
        } else {
          const healthz = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
          if (healthz?.status === 200) return '/healthz';
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`the installed bot did not become ready: ${stderr}`);
    });
    expect(['/readyz', '/healthz']).toContain(ready);

    const client = new SlackRequestClient({
      emulator: slack,
      http: { url: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET },
    });
    const reply = await client.slashCommand({ text: 'declare P2 Installed from the tarball' });
    client.close();
    expect(reply.status).toBe(200);
    const deadline = Date.now() + 15_000;
    while (slack.callsTo('conversations.create').length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const [create] = slack.callsTo('conversations.create');
    expect(create?.args.name).toMatch(/^inc-\d{4}-001-installed-from-the-tarball$/);

    // SIGTERM to the process group: npx does not wait for the bot it started, so the bot gets it
    // directly and shuts down on its own; its port closes once it has.
    process.kill(-bot.pid!, 'SIGTERM');
    await exited;
    let closed = false;
    for (let i = 0; i < 200 && !closed; i += 1) {
      closed = (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null)) === null;
      if (!closed) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(closed).toBe(true);
    expect(fs.existsSync(path.join(data, 'firewatch.db'))).toBe(true);
  });
});
