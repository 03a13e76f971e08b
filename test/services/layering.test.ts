import fs from 'node:fs';
import path from 'node:path';

/**
 * The layers point one way: src/slack → src/services → src/domain, with storage behind the Store
 * interface. Read from the source itself, so a wrong import fails here rather than in review.
 */
const SRC = path.resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The top-level folder under src/ of every relative import of a file (`domain`, `slack`, …). */
function importedLayers(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const layers = new Set<string>();
  for (const match of text.matchAll(/from '(\.{1,2}\/[^']*)'/g)) {
    const target = path.relative(SRC, path.resolve(path.dirname(file), match[1]!));
    layers.add(target.split(path.sep)[0]!);
  }
  return [...layers];
}

/** `layer/file.ts → other` for every import of `layer` that reaches into a forbidden layer. */
function violations(layer: string, forbidden: string[]): string[] {
  return sourceFiles(path.join(SRC, layer)).flatMap((file) =>
    importedLayers(file)
      .filter((target) => forbidden.includes(target))
      .map((target) => `${path.relative(SRC, file)} → ${target}`),
  );
}

describe('layering', () => {
  it('finds the source and its imports (the check below is not vacuous)', () => {
    expect(importedLayers(path.join(SRC, 'services/incident-service.ts'))).toEqual(
      expect.arrayContaining(['domain', 'services']),
    );
    expect(importedLayers(path.join(SRC, 'slack/replies.ts'))).toEqual(
      expect.arrayContaining(['services', 'slack']),
    );
  });

  it('services never import the Slack layer, the composition root or the emulator', () => {
    expect(violations('services', ['slack', 'app.ts', 'main.ts', 'emulator', 'demo', 'cli'])).toEqual([]);
  });

  it('the domain imports no services, Slack, storage or I/O layer', () => {
    expect(
      violations('domain', [
        'services',
        'slack',
        'storage',
        'app.ts',
        'main.ts',
        'config.ts',
        'http',
        'emulator',
        'demo',
        'cli',
      ]),
    ).toEqual([]);
  });

  it('shared modules import nothing of Firewatch but each other', () => {
    expect(
      sourceFiles(path.join(SRC, 'shared')).flatMap((file) =>
        importedLayers(file).filter((target) => target !== 'shared'),
      ),
    ).toEqual([]);
  });
});
