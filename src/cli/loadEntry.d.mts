// Types of loadEntry.mjs (plain JavaScript: it runs before any TypeScript loader).

/** The repository's root folder. */
export const ROOT: URL;
/** The build folder, relative to the root. */
export const BUILD_FOLDER: string;
/** The build's stamp file in the build folder. */
export const STAMP_FILE: string;
/** The fingerprint of the build's inputs under `root`. */
export function inputsFingerprint(root?: URL): string;
/** The build of `entry` under `root`: current, stale or none. */
export function buildState(entry: string, root?: URL): 'current' | 'stale' | 'none';
/** Imports `entry`: its build when current, else its source through tsx. */
export function loadEntry(
  entry: string,
  options?: { root?: URL; onStale?: () => void },
): Promise<Record<string, unknown>>;
