/**
 * How the `preflight` command loads its TypeScript: from a kept esbuild bundle of src/cli/main.ts
 * when one is up to date, else by building one now, else (esbuild cannot be loaded, or the build
 * fails) through tsx as before. Plain JavaScript on purpose: it runs before any TypeScript loader.
 *
 * Why (issue 8): `preflight validate` on a 3-line file took ≈ 0.6 s on an idle machine against
 * 0.08 s for bare node, and ≈ 0.35 s of it was tsx: registering it starts a loader-hooks thread,
 * then every module crosses to that thread and back (`makeSyncRequest`), is transpiled, and gets
 * an inline source map. Measured on this machine, loaded, 7 runs each alternating, medians:
 * tsx 1.36 s wall / 0.96 s CPU, this bundle 0.31 s / 0.30 s (bare node 0.13 s / 0.08 s).
 *
 * Constraints:
 * - Code splitting keeps the command table lazy (commands/index.ts): `validate` loads its own
 *   chunks, not FHIR's or the workflow commands'. One file holding every command (with the
 *   generated FHIR modules, 11 MB) loaded no faster than tsx.
 * - Every module keeps its own `import.meta.url` (the build writes each source file's URL in its
 *   place): the CLI finds package.json, its worker entries and the generated FHIR modules relative
 *   to its sources, wherever the bundle is kept.
 * - Kept as `make` would: the manifest lists every input file with its size and modification
 *   time (≈ 500 stats, a few ms), and the files that change a build without being one of its
 *   inputs (bundleSettings.mjs: package.json, tsconfig.json, esbuild's version, this file); any
 *   change, another Node version or another package folder sharing node_modules builds again
 *   (≈ 0.5-1 s once, then the kept bundle is used). A kept build that fails to load (damaged on
 *   disk) falls back to tsx for that run.
 * - Safe beside concurrent runs: each build goes to a folder of its own, the manifest naming the
 *   current one is written aside and renamed; a build whose inputs changed while it ran is not
 *   kept. The two newest builds stay, and any used in the last hour (a run started from an older
 *   build may still import its chunks lazily, e.g. FHIR modules); the rest are removed.
 * - `PREFLIGHT_NO_BUNDLE=1` loads through tsx (a developer debugging with source maps).
 */
import { constants, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { manifestHolds, stampInputs } from './bundleSettings.mjs';

/** The folder of package.json (this file is src/cli/cliBundle.mjs). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The CLI's TypeScript entry, relative to the package folder. */
const ENTRY = 'src/cli/main.ts';

/** Where kept builds live by default: node_modules/.cache/preflight/cli. */
function defaultCacheDir(root) {
  return path.join(root, 'node_modules', '.cache', 'preflight', 'cli');
}

/** This file, relative to the package folder: its build options are part of every build. */
const BUILD_CODE = 'src/cli/cliBundle.mjs';

/** How many builds stay (the current one and the one before it). */
const KEPT_BUILDS = 2;
/** Builds younger than this stay too: runs started from them may still import their chunks. */
const PRUNE_AFTER_MS = 60 * 60 * 1000;

/**
 * The file URL of the kept bundle's main module, if every file it was built from is unchanged,
 * else undefined. Synchronous: a few ms of stats, before anything else has loaded.
 *
 * @param {{ root?: string, cacheDir?: string }} [where]
 * @returns {string | undefined}
 */
export function keptCliBundle({ root = PACKAGE_ROOT, cacheDir = defaultCacheDir(root) } = {}) {
  try {
    const manifest = JSON.parse(readFileSync(path.join(cacheDir, 'manifest.json'), 'utf8'));
    if (!manifestHolds(manifest, root)) return undefined;
    const main = path.join(cacheDir, manifest.build, 'main.mjs');
    statSync(main); // a build folder removed by hand: build again
    touchBuild(path.join(cacheDir, manifest.build));
    return pathToFileURL(main).href;
  } catch {
    return undefined; // none kept, or an input is gone: build again
  }
}

/**
 * Marks a build folder as used now (best effort): pruning goes by last use, so a build a run is
 * still loading chunks from lazily (e.g. an export at the end of a long validation) is not removed
 * under it by newer builds, however long ago it was made.
 */
function touchBuild(dir) {
  try {
    const now = new Date();
    utimesSync(dir, now, now);
  } catch {
    // a read-only cache: nothing is pruned from it either
  }
}

/**
 * An esbuild plugin that writes each source file's own URL where it reads `import.meta.url`
 * (files of the package outside node_modules; packages do not read it).
 */
function keepImportMetaUrl(root) {
  const modules = path.join(root, 'node_modules') + path.sep;
  return {
    name: 'keep-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.(ts|mjs|js)$/ }, async (args) => {
        if (!args.path.startsWith(root) || args.path.startsWith(modules)) return undefined;
        const text = await readFile(args.path, 'utf8');
        return {
          contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
          loader: args.path.endsWith('.ts') ? 'ts' : 'js',
        };
      });
    },
  };
}

/**
 * Builds the bundle now and keeps it (see the header); its main module's file URL, or undefined
 * when esbuild cannot be loaded or the build fails (the caller loads through tsx).
 *
 * @param {{ root?: string, cacheDir?: string }} [where]
 * @returns {Promise<string | undefined>}
 */
export async function buildCliBundle({ root = PACKAGE_ROOT, cacheDir = defaultCacheDir(root) } = {}) {
  try {
    // a folder that cannot be written fails here, in a few ms, not after a build on every run
    await mkdir(cacheDir, { recursive: true });
    await access(cacheDir, constants.W_OK);
    const { build } = await import('esbuild');
    const started = Date.now();
    const id = `${started.toString(36)}-${process.pid}`;
    const outdir = path.join(cacheDir, id);
    const out = await build({
      entryPoints: { main: path.join(root, ENTRY) },
      absWorkingDir: root,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outdir,
      // node_modules/.cache has no package.json saying "module": .mjs says it
      outExtension: { '.js': '.mjs' },
      // esbuild finds its binary next to its own files; tsx is the fallback loader
      external: ['esbuild', 'tsx', 'tsx/*'],
      // CommonJS packages inside an ES module bundle call require() for Node's built-ins
      banner: {
        js: "import { createRequire as __preflightRequire } from 'node:module';\nconst require = __preflightRequire(import.meta.url);",
      },
      plugins: [keepImportMetaUrl(root)],
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = stampInputs(root, Object.keys(out.metafile.inputs), BUILD_CODE, started);
    // changed while it was built: usable for this run, not kept
    if (inputs === undefined) return pathToFileURL(path.join(outdir, 'main.mjs')).href;
    const manifest = { root, node: process.version, build: id, inputs };
    const file = path.join(cacheDir, 'manifest.json');
    const aside = `${file}.${id}`;
    await mkdir(cacheDir, { recursive: true });
    await writeFile(aside, JSON.stringify(manifest));
    await rename(aside, file);
    pruneBuilds(cacheDir);
    return pathToFileURL(path.join(outdir, 'main.mjs')).href;
  } catch {
    return undefined;
  }
}

/**
 * Removes the build folders of `cacheDir` beyond the `keep` newest that are older than
 * `olderThanMs` (best effort).
 *
 * @param {string} cacheDir
 * @param {number} [keep]
 * @param {number} [olderThanMs]
 */
export function pruneBuilds(cacheDir, keep = KEPT_BUILDS, olderThanMs = PRUNE_AFTER_MS) {
  try {
    const builds = readdirSync(cacheDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => ({ dir: path.join(cacheDir, e.name), at: statSync(path.join(cacheDir, e.name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const { dir, at } of builds.slice(keep))
      if (Date.now() - at > olderThanMs) rmSync(dir, { recursive: true, force: true });
  } catch {
    // kept: the next build tries again
  }
}

/**
 * The CLI's `main` (src/cli/main.ts): from the kept bundle, a new one, or through tsx.
 *
 * @param {{ root?: string, cacheDir?: string }} [where]
 * @returns {Promise<(argv: string[], io?: unknown) => Promise<number>>}
 */
export async function loadCliMain(where = {}) {
  if (process.env.PREFLIGHT_NO_BUNDLE !== '1') {
    const bundle = keptCliBundle(where) ?? (await buildCliBundle(where));
    if (bundle !== undefined) {
      try {
        return (await import(bundle)).main;
      } catch {
        // a kept build damaged on disk (a chunk removed by hand): tsx still runs the CLI
      }
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return (await import(pathToFileURL(path.join(where.root ?? PACKAGE_ROOT, ENTRY)).href)).main;
}
