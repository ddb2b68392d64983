/**
 * A worker thread's entry bundled with what it imports into one plain JavaScript text (esbuild,
 * which tsx already runs on), for `new Worker(code, { eval: true })`: the CLI's range workers
 * (validateWorkers.ts) then load no TypeScript loader of their own.
 *
 * Constraints:
 * - The bundle is kept on disk (`node_modules/.cache/preflight/<entry>.cjs`, with a manifest of
 *   every file it was built from, its size and modification time): building it took 0.2–0.5 s of
 *   wall time on every `--workers` run, in series before the first worker could start, where
 *   checking ~150 files costs a few ms. Any change to an input (or another Node version, or
 *   another package folder sharing node_modules) builds it again, as `make` decides.
 * - Keeping is best effort and safe beside a concurrent CLI run: files are written aside and
 *   renamed (the bundle before its manifest), and a bundle whose inputs changed while it was built
 *   is not kept. A folder that cannot be written only costs the next run a build.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifestHolds, stampInputs } from './bundleSettings.mjs';

/** This file, relative to the package folder: its build options are part of every bundle it keeps. */
const BUILD_CODE = 'src/cli/workerBundle.ts';

/** The folder of package.json (this file is src/cli/workerBundle.ts). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What a kept bundle was built from. */
interface BundleManifest {
  /** the package folder and Node version it was built in (a shared node_modules is not mixed up) */
  root: string;
  node: string;
  /** each input file (relative to root): its size and modification time */
  inputs: Record<string, [size: number, mtimeMs: number]>;
}

/** Where the bundle of `entry` is kept under `root`. */
function bundleFile(entry: string, root: string): string {
  return path.join(root, 'node_modules', '.cache', 'preflight', `${path.basename(entry, '.ts')}.cjs`);
}

/**
 * The bundle of `entry` (a TypeScript file under `root`, the package folder by default): the
 * kept one while none of its inputs changed, else built now and kept. Undefined when esbuild
 * cannot be loaded or the entry does not build (the caller starts its workers another way).
 */
export async function bundleWorkerEntry(entry: string, root = PACKAGE_ROOT): Promise<string | undefined> {
  const kept = keptBundle(entry, root);
  if (kept !== undefined) return kept;
  try {
    const { build } = await import('esbuild');
    const started = Date.now();
    const out = await build({
      entryPoints: [entry],
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]?.text;
    if (code !== undefined) await keepBundle(entry, root, code, Object.keys(out.metafile.inputs), started);
    return code;
  } catch {
    return undefined;
  }
}

/**
 * The kept bundle of `entry`, if every file it was built from is unchanged, else undefined.
 * Synchronous on purpose (≈ 150 stats, a few ms): the CLI starts its workers while its own thread
 * is busy loading modules and compiling the contract, and asynchronous stats completed only when
 * that thread next turned its event loop — the workers then started ≈ 0.15 s later (1M rows).
 */
function keptBundle(entry: string, root: string): string | undefined {
  try {
    const file = bundleFile(entry, root);
    const manifest = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as BundleManifest;
    return manifestHolds(manifest, root) ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined; // none kept, or an input is gone: build again
  }
}

/** Keeps a bundle and its manifest (see the file header); not when an input changed after `started`. */
async function keepBundle(
  entry: string,
  root: string,
  code: string,
  sources: string[],
  started: number,
): Promise<void> {
  try {
    const stamps = stampInputs(root, sources, BUILD_CODE, started);
    if (stamps === undefined) return;
    const manifest: BundleManifest = { root, node: process.version, inputs: stamps };
    const file = bundleFile(entry, root);
    await mkdir(path.dirname(file), { recursive: true });
    const aside = `.${process.pid}-${Date.now()}`;
    await writeFile(file + aside, code);
    await rename(file + aside, file);
    await writeFile(`${file}.json${aside}`, JSON.stringify(manifest));
    await rename(`${file}.json${aside}`, `${file}.json`);
  } catch {
    // not kept
  }
}
