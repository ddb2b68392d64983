/**
 * How the CLI loads its TypeScript: the build of `npm run build:cli` (dist-cli/<entry>.mjs) when
 * it is current, else src/cli/<entry>.ts through tsx. Plain JavaScript: it runs before any
 * TypeScript loader.
 *
 * Current means built from the sources as they are now: the build writes a stamp of its inputs
 * (every file under src/ and workers/ other than tests and Markdown, with package.json,
 * package-lock.json and tsconfig.json: each one's path, size and modification time), and the
 * loader compares it with the files at start-up. A source edited, added, removed or checked out
 * since the build makes the stamp differ, and the sources run instead: a stale build never runs
 * old code. The check reads directories and file metadata only, never file contents.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository's root folder. */
export const ROOT = new URL('../../', import.meta.url);

/** The build folder, relative to the root (buildCli.mjs writes it). */
export const BUILD_FOLDER = 'dist-cli/';

/** The build's stamp file in the build folder: the fingerprint of the inputs it was built from. */
export const STAMP_FILE = 'build-stamp.json';

/** Folders whose files the build may bundle, relative to the root. */
const INPUT_FOLDERS = ['src', 'workers'];
/** Single files that change what the build makes. */
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json'];

/** Files that are never bundled: tests and documentation. */
const notAnInput = (name) => name.endsWith('.test.ts') || name.endsWith('.md');

/**
 * The fingerprint of the build's inputs under `root`: a hash of each input file's path, size and
 * modification time, in path order.
 *
 * @param {URL} root
 * @returns {string}
 */
export function inputsFingerprint(root = ROOT) {
  const base = fileURLToPath(root);
  const lines = [];
  const add = (relative) => {
    try {
      const s = statSync(path.join(base, relative));
      lines.push(`${relative}\0${s.size}\0${s.mtimeMs}`);
    } catch {
      lines.push(`${relative}\0missing`);
    }
  };
  const walk = (relative) => {
    let entries;
    try {
      entries = readdirSync(path.join(base, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (!notAnInput(entry.name)) add(child);
    }
  };
  for (const folder of INPUT_FOLDERS) walk(folder);
  for (const file of INPUT_FILES) add(file);
  lines.sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/**
 * The build of `entry` under `root`: 'current' (built from the inputs as they are now), 'stale'
 * (built, but the inputs changed since, or it has no stamp) or 'none'.
 *
 * @param {string} entry
 * @param {URL} root
 * @returns {'current' | 'stale' | 'none'}
 */
export function buildState(entry, root = ROOT) {
  const build = new URL(BUILD_FOLDER, root);
  if (!existsSync(new URL(`${entry}.mjs`, build))) return 'none';
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(new URL(STAMP_FILE, build), 'utf8'));
  } catch {
    return 'stale';
  }
  return stamp?.inputs === inputsFingerprint(root) ? 'current' : 'stale';
}

/**
 * Imports `entry` ('main' or 'validateWorkerMain'): its build when current, else its source
 * through tsx (calling `onStale` first when there is a build, but a stale one).
 *
 * @param {string} entry
 * @param {{ root?: URL, onStale?: () => void }} [options] `root`: the repository's root (tests pass another)
 * @returns {Promise<Record<string, unknown>>}
 */
export async function loadEntry(entry, options = {}) {
  const root = options.root ?? ROOT;
  const state = buildState(entry, root);
  if (state === 'current') return import(new URL(`${BUILD_FOLDER}${entry}.mjs`, root).href);
  if (state === 'stale') options.onStale?.();
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(path.join(fileURLToPath(root), 'src/cli', `${entry}.ts`)).href);
}
