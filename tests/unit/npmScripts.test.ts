/**
 * Every npm script the documentation names works from a plain clone: it exists in package.json,
 * and a script that loads the sources importing the generated FHIR modules (git-ignored build
 * output of src/cli/generateFhir.ts) makes them first, through its own `pre` script. npm runs
 * `pre<name>` before `<name>` for every script, `build:cli` included, so a script reached
 * through another (`build` runs `npm run build:cli`) generates on its own too.
 *
 * Nothing is built or run here: the scripts are read as text, which is what a fresh clone has.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GENERATE = 'tsx src/cli/generateFhir.ts --if-stale';

/**
 * Commands that load the application or CLI sources, which import the generated modules: Vite
 * (dev server, build, preview after a build), Vitest, the CLI bundler, and the suite, bench and
 * team demo runners.
 */
const LOADS_GENERATED =
  /\bvite\b|\bvitest\b|buildCli\.mjs|tests\/runAll\.ts|tests\/bench\/run\.ts|teamDemoMain\.ts/;

const scripts = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

/** The documents a reader follows: the README, CONTRIBUTING and every page of docs/. */
function documents(): string[] {
  const docs = readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join('docs', name));
  return ['README.md', 'CONTRIBUTING.md', 'samples/README.md', ...docs];
}

/** The scripts a text names: `npm run <name>`, `npm start`, `npm test`. */
function namedScripts(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/\bnpm run ([a-z][a-z0-9:_-]*)/g)) names.add(match[1] as string);
  for (const match of text.matchAll(/\bnpm (start|test)\b/g)) names.add(match[1] as string);
  return [...names];
}

describe('npm scripts the documentation names', () => {
  it('reads the script names out of a text', () => {
    expect(namedScripts('Run `npm run build:cli`, then `npm test`; `npm ci` is npm itself.').sort()).toEqual([
      'build:cli',
      'test',
    ]);
  });

  const named = documents().flatMap((file) =>
    namedScripts(readFileSync(path.join(ROOT, file), 'utf8')).map((name) => ({ file, name })),
  );

  it('finds the scripts the documents name', () => {
    expect(named.map((n) => n.name)).toContain('build:cli');
  });

  it.each(named)('$file names `$name`, which package.json has', ({ name }) => {
    expect(Object.keys(scripts)).toContain(name);
  });

  const loading = Object.entries(scripts).filter(
    ([name, command]) => !name.startsWith('pre') && !name.startsWith('post') && LOADS_GENERATED.test(command),
  );

  it('finds the scripts that load the sources', () => {
    expect(loading.map(([name]) => name)).toEqual(
      expect.arrayContaining(['build', 'build:cli', 'test:unit']),
    );
  });

  it.each(loading.map(([name]) => name))('`%s` makes the generated FHIR modules first', (name) => {
    expect(scripts[`pre${name}`]).toBe(GENERATE);
  });
});
