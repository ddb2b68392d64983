/** Types of cliBundle.mjs (plain JavaScript: it runs before any TypeScript loader). */

/** Where the CLI's sources are and where its builds are kept (defaults: this package, node_modules/.cache/preflight/cli). */
export interface BundleLocation {
  root?: string;
  cacheDir?: string;
}

/** The package folder (the one holding package.json). */
export const PACKAGE_ROOT: string;

/** The file URL of the kept bundle's main module while every input is unchanged, else undefined. */
export function keptCliBundle(where?: BundleLocation): string | undefined;

/** Builds and keeps the bundle; its main module's file URL, or undefined when esbuild fails. */
export function buildCliBundle(where?: BundleLocation): Promise<string | undefined>;

/** Removes the build folders of `cacheDir` beyond the `keep` newest that are older than `olderThanMs` (best effort). */
export function pruneBuilds(cacheDir: string, keep?: number, olderThanMs?: number): void;

/** The CLI's `main` (src/cli/main.ts): from the kept bundle, a new one, or through tsx. */
export function loadCliMain(
  where?: BundleLocation,
): Promise<(argv: string[], io?: import('./command.ts').CliIo) => Promise<number>>;
