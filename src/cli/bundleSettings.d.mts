/** Types of bundleSettings.mjs (plain JavaScript: cliBundle.mjs runs before any TypeScript loader). */

/** Files outside a build's inputs that change what it makes (package and TypeScript settings, esbuild's version): kept as inputs too. */
export const BUILD_SETTINGS: readonly string[];

/** An input modified this close (ms) before a build started is taken as changed during it: the build is used once, not kept. */
export const MTIME_SLACK_MS: number;

/** A file's size and modification time as a kept bundle's manifest records them; `[-1, -1]` for a file that is not there. */
export function fileStamp(file: string): [size: number, mtimeMs: number];

/** Whether a kept bundle's manifest still holds: this package folder, this Node, every input unchanged. */
export function manifestHolds(
  manifest: { root: string; node: string; inputs: Record<string, [number, number]> },
  root: string,
): boolean;

/** The stamps of a build's sources, its build settings and the builder's file; undefined when one changed after `started`. */
export function stampInputs(
  root: string,
  sources: string[],
  builder: string,
  started: number,
): Record<string, [number, number]> | undefined;
