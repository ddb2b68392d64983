/**
 * The CLI's loader runs its build only while the build matches the sources: in a small repository
 * of its own (a source, a test, a note and a build with its stamp), each change either keeps the
 * build current or makes the loader run the sources through tsx.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BUILD_FOLDER,
  buildState,
  inputLines,
  inputsFingerprint,
  STAMP_FILE,
  sourceInputs,
} from './loadEntry.mjs';

const LOADER = pathToFileURL(path.join(import.meta.dirname, 'loadEntry.mjs')).href;

let dir: string;
let root: URL;

/** Writes `text` to `relative` in the test repository, with a modification time `seconds` after 2026-01-01. */
async function put(relative: string, text: string, seconds = 0) {
  const file = path.join(dir, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  const at = new Date(Date.UTC(2026, 0, 1) + seconds * 1000);
  await utimes(file, at, at);
}

/** Stamps the build with the inputs as they are now (what buildCli.mjs does after building). */
async function stamp() {
  await writeFile(
    path.join(dir, BUILD_FOLDER, STAMP_FILE),
    JSON.stringify({ inputs: inputsFingerprint(root) }),
  );
}

/** What `loadEntry('main')` loads in a fresh Node process (no test runner's loader in between). */
async function loadedInChild(): Promise<string> {
  const script = `const { loadEntry } = await import(${JSON.stringify(LOADER)});
const m = await loadEntry('main', { root: new URL(${JSON.stringify(root.href)}), onStale: () => process.stdout.write('stale ') });
process.stdout.write(m.which);`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  return stdout;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-load-entry-'));
  root = pathToFileURL(`${dir}/`);
  // type annotations: only tsx can run this file
  await put('src/cli/main.ts', "export const which: string = 'source';\n");
  await put('src/core/rule.ts', 'export const limit: number = 1;\n');
  await put('src/core/rule.test.ts', '// a test\n');
  await put('workers/task.ts', 'export const task: string = "t";\n');
  await put('src/README.md', '# notes\n');
  await put('package.json', '{ "type": "module" }\n');
  await put(`${BUILD_FOLDER}main.mjs`, "export const which = 'built';\n");
  await stamp();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the CLI build is used only while it matches the sources', () => {
  it.each([
    { description: 'nothing changed', change: async () => {}, state: 'current' },
    {
      description: 'a test edited',
      change: () => put('src/core/rule.test.ts', '// another test\n', 60),
      state: 'current',
    },
    {
      description: 'a note edited',
      change: () => put('src/README.md', '# more notes\n', 60),
      state: 'current',
    },
    {
      description: 'a source edited (same size, later time)',
      change: () => put('src/core/rule.ts', 'export const limit: number = 2;\n', 60),
      state: 'stale',
    },
    {
      description: 'a source put back to an older copy',
      change: () => put('src/core/rule.ts', 'export const limit: number = 1;\n', -60),
      state: 'stale',
    },
    {
      description: 'a worker source edited',
      change: () => put('workers/task.ts', 'export const task = 1;\n'),
      state: 'stale',
    },
    { description: 'a source added', change: () => put('src/core/new.ts', 'export {};\n'), state: 'stale' },
    {
      description: 'a source removed',
      change: () => unlink(path.join(dir, 'src/core/rule.ts')),
      state: 'stale',
    },
    {
      description: 'package.json changed',
      change: () => put('package.json', '{ "type": "module", "private": true }\n', 60),
      state: 'stale',
    },
    {
      description: 'a package lock appeared',
      change: () => put('package-lock.json', '{}\n'),
      state: 'stale',
    },
    {
      description: 'the build has no stamp (it failed half way)',
      change: () => unlink(path.join(dir, BUILD_FOLDER, STAMP_FILE)),
      state: 'stale',
    },
    {
      description: 'no build',
      change: () => rm(path.join(dir, BUILD_FOLDER), { recursive: true }),
      state: 'none',
    },
  ])('$description: $state', async ({ change, state }) => {
    await change();
    expect(buildState('main', root)).toBe(state);
    // the worker's entry was not built here
    expect(buildState('validateWorkerMain', root)).toBe('none');
  });

  it.each([
    {
      description: 'a source the build did not read edited',
      change: () => put('src/other/unused.ts', 'export const unused: number = 2;\n', 60),
      state: 'current',
    },
    {
      description: 'a source the build read edited',
      change: () => put('src/core/rule.ts', 'export const limit: number = 2;\n', 60),
      state: 'stale',
    },
    {
      description: 'a source added beside one the build read',
      change: () => put('src/core/new.ts', 'export {};\n'),
      state: 'stale',
    },
    {
      description: 'a source the build read removed',
      change: () => unlink(path.join(dir, 'src/core/rule.ts')),
      state: 'stale',
    },
    {
      description: 'package.json changed',
      change: () => put('package.json', '{ "type": "module", "private": true }\n', 60),
      state: 'stale',
    },
  ])('stamped with the sources it read, $description: $state', async ({ change, state }) => {
    await put('src/other/unused.ts', 'export const unused: number = 1;\n');
    // what buildCli.mjs does: the lines taken before the build, the sources its metafile names
    const taken = inputLines(root);
    const files = sourceInputs(['src/cli/main.ts', 'src/core/rule.ts', 'src/core/rule.test.ts', '../x.ts']);
    expect(files).toEqual(['src/cli/main.ts', 'src/core/rule.ts']);
    await writeFile(
      path.join(dir, BUILD_FOLDER, STAMP_FILE),
      JSON.stringify({ inputs: inputsFingerprint(root, files, taken), files }),
    );
    expect(buildState('main', root)).toBe('current');
    await change();
    expect(buildState('main', root)).toBe(state);
  });

  it('loads the build while it is current, and the sources through tsx once one is edited', async () => {
    expect(await loadedInChild()).toBe('built');
    await put('src/core/rule.ts', 'export const limit: number = 3;\n', 120);
    expect(await loadedInChild()).toBe('stale source');
    // built again: the build runs again
    await stamp();
    expect(await loadedInChild()).toBe('built');
    // no build at all: the sources, without a word about a stale build
    await rm(path.join(dir, BUILD_FOLDER), { recursive: true });
    expect(await loadedInChild()).toBe('source');
  }, 60_000);
});
