/**
 * How the CLI loads its TypeScript: the build of `npm run build:cli` (dist-cli/<entry>.mjs) when
 * it is current, else src/cli/<entry>.ts through tsx. Plain JavaScript: it runs before any
 * TypeScript loader.
 *
 * Current means built from the sources as they are now: the build writes a stamp of its inputs
 * (every file under src/ and workers/ other than tests and Markdown, with package.json,
 * package-lock.json and tsconfig.json: each one's path, size and modification time), and the
 * loader compares it with the files at start-up. The stamp lists the sources the build read, and
 * only those (with their folders) are looked at then: see {@link inputsFingerprint}. A source edited, added, removed or checked out
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

/** One line of a fingerprint: a file's or folder's path, size and modification time. */
function lineOf(base, relative) {
  try {
    const s = statSync(`${base}${relative}`);
    return `${relative}\0${s.isDirectory() ? 'folder' : s.size}\0${s.mtimeMs}`;
  } catch {
    return `${relative}\0missing`;
  }
}

/**
 * The fingerprint of the build's inputs under `root`: a hash of each input file's path, size and
 * modification time, in path order.
 *
 * With `files` (the sources a build read, as the build's stamp lists them) only those are looked
 * at, with the folders that hold them (a folder's modification time moves when a file is added to
 * it, removed or renamed), instead of every file under the input folders: a source the build did
 * not read can only come into it through an edit of one it did, or as a file added beside one. A
 * start then reads the metadata of the ~700 files the CLI bundles, not of every source.
 *
 * @param {URL} root
 * @param {readonly string[]} [files] paths relative to the root
 * @param {ReadonlyMap<string, string>} [taken] lines taken earlier ({@link inputLines}), used
 *   instead of looking again: the build stamps what it read, not what is there once it is done
 * @returns {string}
 */
export function inputsFingerprint(root = ROOT, files = undefined, taken = undefined) {
  const base = `${fileURLToPath(root).replace(/[\\/]$/, '')}/`;
  const statLine = (b, relative) => taken?.get(relative) ?? lineOf(b, relative);
  const lines = [];
  if (files) {
    const folders = new Set();
    for (const file of files) {
      lines.push(statLine(base, file));
      for (let cut = file.lastIndexOf('/'); cut > 0; cut = file.lastIndexOf('/', cut - 1))
        folders.add(file.slice(0, cut));
    }
    for (const folder of folders) lines.push(statLine(base, folder));
  } else {
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
        else if (!notAnInput(entry.name)) lines.push(statLine(base, child));
      }
    };
    for (const folder of INPUT_FOLDERS) walk(folder);
  }
  for (const file of INPUT_FILES) lines.push(statLine(base, file));
  lines.sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/**
 * The fingerprint lines of every input file, every folder under the input folders and the single
 * input files, by path: what the build takes before it reads the sources.
 *
 * @param {URL} root
 * @returns {Map<string, string>}
 */
export function inputLines(root = ROOT) {
  const base = `${fileURLToPath(root).replace(/[\\/]$/, '')}/`;
  const lines = new Map();
  const walk = (relative) => {
    let entries;
    try {
      entries = readdirSync(`${base}${relative}`, { withFileTypes: true });
    } catch {
      return;
    }
    lines.set(relative, lineOf(base, relative));
    for (const entry of entries) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (!notAnInput(entry.name)) lines.set(child, lineOf(base, child));
    }
  };
  for (const folder of INPUT_FOLDERS) walk(folder);
  for (const file of INPUT_FILES) lines.set(file, lineOf(base, file));
  return lines;
}

/**
 * The sources under the input folders among `paths` (relative to the root, as esbuild's metafile
 * lists a build's inputs), tests and notes left out: what a stamp lists for {@link inputsFingerprint}.
 *
 * @param {Iterable<string>} paths
 * @returns {string[]}
 */
export function sourceInputs(paths) {
  const inside = (p) => INPUT_FOLDERS.some((folder) => p.startsWith(`${folder}/`));
  return [
    ...new Set([...paths].filter((p) => inside(p) && !notAnInput(p.slice(p.lastIndexOf('/') + 1)))),
  ].sort();
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
  const files = Array.isArray(stamp?.files) ? stamp.files : undefined;
  return stamp?.inputs === inputsFingerprint(root, files) ? 'current' : 'stale';
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
