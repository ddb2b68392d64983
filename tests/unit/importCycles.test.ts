/**
 * No import cycles: among the files of `src/` and `workers/` (type-only imports, re-exports and
 * dynamic `import()` included, tests included), and among the modules of `src/core` (its
 * top-level folders, their tests and `testing/` helpers left out: a module's tests may use a
 * module that uses it). A type two files both need lives in a third that imports neither
 * (docs/decisions/0021-core-module-surfaces.md).
 *
 * How: every relative import specifier is read off the source with comments blanked out, resolved
 * to a file (a folder to its `index.ts`), and the strongly connected components of the graph are
 * listed. The known cycles below are listed with why they stay; the test fails on a new cycle and
 * on a listed one that is gone, so the list stays true. An import with a variable part (the
 * generated FHIR modules) names no file and is not an edge.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * File cycles that stay, each with its reason. None now: the two engines of `validate` share the
 * core's run plan and validateOptions.ts, and neither imports the other's command file.
 */
const KNOWN_FILE_CYCLES: string[][] = [];

/**
 * Module cycles of `src/core` that stay. None now: `project` applies sign-off changes (reviews,
 * roster, signatures) through `signoff`, and what the sign-off keeps in a project's settings
 * (`project/signoffSettings.ts`, which builds `ProjectChange`s) lives in `project`.
 */
const KNOWN_MODULE_CYCLES: string[][] = [];

/** Strings are kept (they hold the specifiers), comments become a space. */
const TOKENS = /("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\/[^\n]*|\/\*[\s\S]*?\*\//g;
/** `import … from '…'`, `export … from '…'`, `import '…'`, `import('…')` (also in type positions). */
const SPECIFIER =
  /\b(?:import|export)\b[^;'"`]*?\bfrom\s*(['"])([^'"]+)\1|\bimport\s*(['"])([^'"]+)\3|\bimport\s*\(\s*(['"])([^'"]+)\5\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const file = `${dir}/${name}`;
    if (name === 'generated' || name === 'node_modules') return [];
    if (statSync(path.join(ROOT, file)).isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [file] : [];
  });
}

/** The repository-relative files `file` imports by relative specifier. */
function importsOf(file: string, source: string): string[] {
  const code = source.replace(TOKENS, (_match, text: string | undefined) => text ?? ' ');
  return [...code.matchAll(SPECIFIER)].flatMap((match) => {
    const specifier = match[2] ?? match[4] ?? match[6] ?? '';
    if (!specifier.startsWith('.')) return [];
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    const isFolder = !/\.\w+$/.test(target);
    return [isFolder ? `${target}/index.ts` : target];
  });
}

/** The strongly connected components with more than one member (or a node importing itself), sorted. */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!graph.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const members: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      members.push(member);
    } while (member !== node);
    if (members.length > 1 || graph.get(node)?.includes(node)) cycles.push(members.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

const files = [...sourceFiles('src'), ...sourceFiles('workers')];
const fileGraph = new Map(
  files.map((file) => [file, importsOf(file, readFileSync(path.join(ROOT, file), 'utf8'))]),
);

/** `src/core/<module>/…` → `<module>`; undefined outside `src/core` and for the core's top-level files. */
const coreModule = (file: string) => /^src\/core\/([^/]+)\//.exec(file)?.[1];
const isTestCode = (file: string) => /\.(test|spec|bench)\.tsx?$/.test(file) || file.includes('/testing/');

const moduleGraph = new Map<string, string[]>();
for (const [file, targets] of fileGraph) {
  const from = coreModule(file);
  if (!from || isTestCode(file)) continue;
  const edges = moduleGraph.get(from) ?? [];
  for (const target of targets) {
    const to = coreModule(target);
    if (to && to !== from && !edges.includes(to)) edges.push(to);
  }
  moduleGraph.set(from, edges);
}

describe('import cycles', () => {
  it('reads the imports it is meant to see', () => {
    const source = [
      "import type { A } from './a.ts';",
      "import {\n  b,\n  type C,\n} from '../c/index.ts';",
      "export { d } from './d.ts';",
      "export * from './e.ts';",
      "import './f.ts';",
      "const g = () => import('../g');",
      "type H = import('./h.ts').H;",
      "// import { x } from './commented.ts';",
      "/* export { y } from './block.ts'; */",
      "import { z } from 'package';",
      // a template with a variable part, written in two strings so no lint sees a placeholder here
      `const load = (type) => import(\`./generated/$` + '{type}.js`);',
    ].join('\n');
    expect(importsOf('src/core/m/file.ts', source)).toEqual([
      'src/core/m/a.ts',
      'src/core/c/index.ts',
      'src/core/m/d.ts',
      'src/core/m/e.ts',
      'src/core/m/f.ts',
      'src/core/g/index.ts',
      'src/core/m/h.ts',
    ]);
  });

  it('finds a cycle, a type-only one included, and not a chain', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
      ['e.ts', ['e.ts']],
    ]);
    expect(cyclesOf(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
    expect(
      cyclesOf(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('resolves every relative import of src/ and workers/ to a file that exists', () => {
    const missing = [...fileGraph].flatMap(([file, targets]) =>
      targets
        .filter((target) => !statSync(path.join(ROOT, target), { throwIfNoEntry: false }))
        .map((t) => `${file} → ${t}`),
    );
    expect(missing).toEqual([]);
    expect(fileGraph.size).toBeGreaterThan(500);
  });

  it('has no file cycle in src/ and workers/ but the known ones', () => {
    expect(cyclesOf(fileGraph)).toEqual(KNOWN_FILE_CYCLES);
  });

  it('has no cycle among the modules of src/core but the known ones', () => {
    expect(moduleGraph.get('fhirProfiles')).toContain('fhir');
    expect(cyclesOf(moduleGraph)).toEqual(KNOWN_MODULE_CYCLES);
  });
});
