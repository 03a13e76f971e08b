// `npm start`'s prestart: compiles src/ to dist/ only when dist/ is missing or older than a source
// (or a tsconfig / package.json). Plain Node, no TypeScript loaded when nothing changed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** Every .ts file under `dir`, relative to src/. */
function sources(dir, rel = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const name = path.join(rel, entry.name);
    if (entry.isDirectory()) return sources(path.join(dir, entry.name), name);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [name] : [];
  });
}

const mtime = (file) => fs.statSync(file).mtimeMs;

/** Why dist/ needs a build, or null when it is up to date. */
function staleReason() {
  const configs = ['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) => path.join(root, f));
  let newestInput = Math.max(...configs.map(mtime));
  let oldestOutput = Number.POSITIVE_INFINITY;
  for (const source of sources(path.join(root, 'src'))) {
    const output = path.join(root, 'dist', source.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(output)) return `dist/${source.replace(/\.ts$/, '.js')} is missing`;
    newestInput = Math.max(newestInput, mtime(path.join(root, 'src', source)));
    oldestOutput = Math.min(oldestOutput, mtime(output));
  }
  return newestInput > oldestOutput ? 'a source is newer than dist/' : null;
}

const reason = staleReason();
if (reason) {
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  if (!fs.existsSync(tsc)) {
    process.stderr.write(
      `Cannot build: ${reason} and TypeScript is not installed (dev dependencies omitted?).\n` +
        'Run `npm install` in the clone, or install the package: `npm pack`, then ' +
        '`npm install --omit=dev firewatch-<version>.tgz` and `npx firewatch start`.\n',
    );
    process.exit(1);
  }
  process.stderr.write(`Building (${reason})…\n`);
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
