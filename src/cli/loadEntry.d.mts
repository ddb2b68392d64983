// Types of loadEntry.mjs (plain JavaScript: it runs before any TypeScript loader).

/** The repository's root folder. */
export const ROOT: URL;
/** The build folder, relative to the root. */
export const BUILD_FOLDER: string;
/** The build's stamp file in the build folder. */
export const STAMP_FILE: string;
/**
 * The fingerprint of the build's inputs under `root`: of `files` and their folders when given (the
 * sources a build read), else of every source; `taken`: lines taken earlier by {@link inputLines}.
 */
export function inputsFingerprint(
  root?: URL,
  files?: readonly string[],
  taken?: ReadonlyMap<string, string>,
): string;
/** The fingerprint lines of every input file and folder under `root`, by path. */
export function inputLines(root?: URL): Map<string, string>;
/** The sources among `paths` (relative to the root) that a stamp lists. */
export function sourceInputs(paths: Iterable<string>): string[];
/** The build of `entry` under `root`: current, stale or none. */
export function buildState(entry: string, root?: URL): 'current' | 'stale' | 'none';
/** Imports `entry`: its build when current, else its source through tsx. */
export function loadEntry(
  entry: string,
  options?: { root?: URL; onStale?: () => void },
): Promise<Record<string, unknown>>;
