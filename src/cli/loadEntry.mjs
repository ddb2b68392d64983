/**
 * How the CLI loads its TypeScript: the build of `npm run build:cli` (dist-cli/<entry>.mjs) when
 * there is one, else src/cli/<entry>.ts through tsx. Plain JavaScript: it runs before any
 * TypeScript loader. After changing the sources, build again (or remove dist-cli/ to run them
 * through tsx).
 */
import { existsSync } from 'node:fs';

/** The build folder (buildCli.mjs writes it). */
export const BUILD_DIR = new URL('../../dist-cli/', import.meta.url);

/**
 * Imports `entry` ('main' or 'validateWorkerMain'): its build, else its source through tsx.
 *
 * @param {string} entry
 * @returns {Promise<Record<string, unknown>>}
 */
export async function loadEntry(entry) {
  const built = new URL(`${entry}.mjs`, BUILD_DIR);
  if (existsSync(built)) return import(built.href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL(`./${entry}.ts`, import.meta.url).href);
}
