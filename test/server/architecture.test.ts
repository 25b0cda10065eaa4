/**
 * The server's layering, read from its import statements (type imports included: an interface in the wrong
 * room is still a wrong arrow). Requests flow http → engine → store / providers; the store knows nothing of
 * the engine, and the engine nothing of HTTP. The rule-based extractor (extract/) is a leaf library beside them. docs/architecture.md describes the same map.
 */
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../server/src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative imports of one file, resolved to files under server/src. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]/g)].map((m) => m[1]);
  return specs.flatMap((spec) => {
    const base = path.resolve(path.dirname(file), spec);
    const found = [base + '.ts', path.join(base, 'index.ts')].find((p) => fs.existsSync(p));
    return found ? [found] : [];
  });
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => path.relative(SRC, f);
const layer = (f: string) => rel(f).split(path.sep)[0];

describe('server layering', () => {
  test('the import graph was read', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(graph.get(path.join(SRC, 'engine/write.ts'))?.map(rel)).toContain('engine/context.ts');
  });

  test.each([
    ['engine', ['http']],
    ['store', ['engine', 'http', 'providers', 'docs']],
    ['providers', ['http']],
    ['docs', ['http', 'engine', 'store']],
    ['extract', ['http', 'engine', 'store', 'providers', 'docs']],
    ['api', ['http', 'store']],
  ])('%s imports nothing from %p', (from, forbidden) => {
    const wrong = files
      .filter((f) => layer(f) === from)
      .flatMap((f) => graph.get(f)!.filter((t) => forbidden.includes(layer(t))).map((t) => `${rel(f)} -> ${rel(t)}`));
    expect(wrong).toEqual([]);
  });

  test('http modules import no route file (routes are leaves)', () => {
    const wrong = files
      .filter((f) => layer(f) === 'http' && !rel(f).startsWith('http/routes/') && rel(f) !== 'http/app.ts')
      .flatMap((f) => graph.get(f)!.filter((t) => rel(t).startsWith('http/routes/')).map((t) => `${rel(f)} -> ${rel(t)}`));
    expect(wrong).toEqual([]);
  });

  test('no import loop', () => {
    const loops: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 'open') loops.push([...stack.slice(stack.indexOf(t)), t].map(rel).join(' -> '));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(loops).toEqual([]);
  });
});
