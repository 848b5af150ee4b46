/**
 * The layering of the source folders: no import cycle between files, and no folder importing a
 * folder of a higher rank. Imports are read with TypeScript's own pre-processor (static imports,
 * re-exports, `import()` types and calls, `require()`), so a lazily loaded module counts too.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';
import { REPO } from './helpers/workspace';

/**
 * Lowest first. A folder may import its own rank or lower. `output/` reads synthesized output:
 * above stacks/, below the policies and reviews that use it.
 */
const RANKS: readonly (readonly string[])[] = [
  ['lib', 'commitments', 'parallel'],
  ['contract'],
  ['constructs', 'gateway-config'],
  ['stacks'],
  ['output'],
  ['main.ts', 'policies', 'monitoring'],
  ['report'],
  ['review', 'events', 'devices', 'build', 'drift', 'rollout'],
  ['bench', 'server'],
  ['cli'],
];

const RANK = new Map(RANKS.flatMap((names, rank) => names.map((name) => [name, rank] as const)));

/** Module -> the modules it imports, both as paths relative to the root, with '/'. */
type Graph = Map<string, string[]>;

/** Every .ts source file of the ranked folders (tests and generated code are not sources). */
function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const name of RANK.keys()) {
    const path = join(root, name);
    if (!existsSync(path)) continue;
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
  return files;
}

const posix = (path: string): string => path.split(sep).join('/');

/** The source file a relative specifier names, or undefined (a package, a JSON file). */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

export function importGraph(root: string): Graph {
  const graph: Graph = new Map();
  for (const file of sourceFiles(root)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles
      .map((ref) => resolveImport(file, ref.fileName))
      .filter((target): target is string => target !== undefined)
      .map((target) => posix(relative(root, target)));
    graph.set(posix(relative(root, file)), [...new Set(targets)].sort());
  }
  return graph;
}

/** The top-level folder (or root file) a module belongs to. */
const layerOf = (module: string): string => module.split('/')[0];

/** Imports from a module to a module of a higher-ranked (or unranked) folder. */
export function upwardEdges(graph: Graph): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    const own = RANK.get(layerOf(from));
    for (const to of targets) {
      const theirs = RANK.get(layerOf(to));
      if (own === undefined || theirs === undefined || theirs > own) {
        found.push(`${from} -> ${to} (${layerOf(from)} rank ${own ?? '?'} imports ${layerOf(to)} rank ${theirs ?? '?'})`);
      }
    }
  }
  return found;
}

/** Every strongly connected group of two or more modules (or a module importing itself), as a cycle. */
export function cycles(graph: Graph): string[] {
  // Tarjan's algorithm.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) groups.push(group.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return groups.map((group) => group.join(' <-> ')).sort();
}

describe('the source layering', () => {
  const graph = importGraph(REPO);

  test('reads the imports of every source folder', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('main.ts')).toContain('stacks/synth.ts');
  });

  test('ranks every top-level folder that holds TypeScript sources', () => {
    // An unranked folder would be skipped by the checks below, not judged.
    const NOT_SOURCES = new Set(['node_modules', 'dist', 'test', 'cdktf.out', 'reports', 'test-results', 'coverage']);
    const unranked = readdirSync(REPO, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !NOT_SOURCES.has(e.name) && !RANK.has(e.name))
      .filter((e) => readdirSync(join(REPO, e.name), { recursive: true }).some((f) => String(f).endsWith('.ts')))
      .map((e) => e.name);
    expect(unranked).toEqual([]);
  });

  test('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  test('has no upward import', () => {
    expect(upwardEdges(graph)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  let root: string;
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ras-architecture-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('find a planted cycle, whatever kind of import closes it', () => {
    write('contract/a.ts', "import { b } from './b';\nexport const a = b;\n");
    write('contract/b.ts', "export const b = 1;\nexport type C = typeof import('./c');\n");
    write('contract/c.ts', "const { a } = require('./a');\nexport { a };\n");
    write('contract/d.ts', "import { a } from './a';\nexport const d = a;\n");
    const graph = importGraph(root);
    expect(graph.get('contract/d.ts')).toEqual(['contract/a.ts']);
    expect(cycles(graph)).toEqual(['contract/a.ts <-> contract/b.ts <-> contract/c.ts']);
    expect(upwardEdges(graph)).toEqual([]);
  });

  test('find a planted upward import, and accept the same and lower ranks', () => {
    write('lib/util.ts', 'export const one = 1;\n');
    write('contract/model.ts', "import { one } from '../lib/util';\nimport type { S } from '../stacks';\nexport const m: S = one;\n");
    write('stacks/index.ts', "import { m } from '../contract/model';\nexport type S = number;\nexport const s = m;\n");
    write('constructs/x.ts', "import { one } from '../lib/util';\nexport * from '../gateway-config/y';\nexport const x = one;\n");
    write('gateway-config/y.ts', 'export const y = 2;\n');
    const graph = importGraph(root);
    expect(upwardEdges(graph)).toEqual(['contract/model.ts -> stacks/index.ts (contract rank 1 imports stacks rank 3)']);
    expect(cycles(graph)).toEqual(['contract/model.ts <-> stacks/index.ts']);
  });
});
