import { statSync } from 'node:fs';
import path from 'node:path';

/**
 * What the CLI's kept esbuild bundles (cliBundle.mjs for the command, workerBundle.ts for its range
 * workers) are checked against besides their own inputs. A module of its own, in plain
 * JavaScript: cliBundle.mjs runs before any TypeScript loader, and the bundles rewrite
 * `import.meta` in the files they hold, so the build code itself stays out of them.
 */

/**
 * Files that change what a build makes without being among its inputs: the package's and
 * TypeScript's settings (esbuild reads tsconfig.json), esbuild's own version, and the settings' own file
 * (each builder adds its own file: its options, banner and plugin). Kept as inputs of every kept bundle, so a change to any of
 * them builds again instead of loading a bundle made another way.
 */
export const BUILD_SETTINGS = [
  'package.json',
  'tsconfig.json',
  'node_modules/esbuild/package.json',
  'src/cli/bundleSettings.mjs',
];

/**
 * An input modified this close before a build started may have been read before the edit: the
 * kernel stamps modification times from a coarse clock that can lag the wall clock by a tick.
 */
export const MTIME_SLACK_MS = 100;

/**
 * A file's size and modification time as a kept bundle's manifest records them; `[-1, -1]` for
 * a file that is not there (a package folder without a tsconfig.json: its return builds again).
 *
 * @param {string} file
 * @returns {[size: number, mtimeMs: number]}
 */
export function fileStamp(file) {
  try {
    const info = statSync(file);
    return [info.size, info.mtimeMs];
  } catch {
    return [-1, -1];
  }
}

/**
 * Whether a kept bundle's manifest still holds: made in this package folder by this Node, and
 * every input (its sources and {@link BUILD_SETTINGS}) unchanged, as `make` decides.
 *
 * @param {{ root: string, node: string, inputs: Record<string, [number, number]> }} manifest
 * @param {string} root
 * @returns {boolean}
 */
export function manifestHolds(manifest, root) {
  if (manifest.root !== root || manifest.node !== process.version) return false;
  return Object.entries(manifest.inputs).every(([input, [size, mtimeMs]]) => {
    const [nowSize, nowMtimeMs] = fileStamp(path.resolve(root, input));
    return nowSize === size && nowMtimeMs === mtimeMs;
  });
}

/**
 * The stamps of a build's `sources` (relative to `root`), its {@link BUILD_SETTINGS} and the
 * builder's own file, for its manifest; undefined when one changed after the build `started`
 * (it may have been read before the edit: the build serves this run and is not kept).
 *
 * @param {string} root
 * @param {string[]} sources
 * @param {string} builder
 * @param {number} started
 * @returns {Record<string, [number, number]> | undefined}
 */
export function stampInputs(root, sources, builder, started) {
  /** @type {Record<string, [number, number]>} */
  const inputs = {};
  for (const input of [...sources, ...BUILD_SETTINGS, builder]) {
    const stamp = fileStamp(path.resolve(root, input));
    if (stamp[1] >= started - MTIME_SLACK_MS) return undefined;
    inputs[input] = stamp;
  }
  return inputs;
}
