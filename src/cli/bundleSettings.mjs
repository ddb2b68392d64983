import { statSync } from 'node:fs';

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
