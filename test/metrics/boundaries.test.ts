/** prom-client stays inside src/metrics and src/http: the rest of the app speaks the port (src/metrics/port). */
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '../../src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('the metrics boundary', () => {
  it('imports prom-client only in src/metrics and src/http', () => {
    const importing = sources(SRC)
      .filter((file) => /from 'prom-client'/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(SRC, file).split(path.sep).join('/'));
    expect(importing.length).toBeGreaterThan(0);
    for (const file of importing) expect(file).toMatch(/^(metrics|http)\//);
  });

  it('keeps the domain free of metrics, and the services on the port only', () => {
    for (const file of sources(path.join(SRC, 'domain'))) {
      expect(fs.readFileSync(file, 'utf8')).not.toMatch(/from '\.\.\/(\.\.\/)?metrics\//);
    }
    for (const file of sources(path.join(SRC, 'services'))) {
      const imports = [...fs.readFileSync(file, 'utf8').matchAll(/from '\.\.\/metrics\/([\w-]+)'/g)].map(
        (m) => m[1],
      );
      for (const name of imports)
        expect({ file: path.basename(file), name }).toEqual({ file: path.basename(file), name: 'port' });
    }
  });
});
