/**
 * The FHIR validation digest in the CLI build (buildCli.mjs): the generated module
 * (src/core/fhir/generated/digest.js, 1.2 MB: `export default JSON.parse("…")`) becomes a read of
 * the same JSON, written beside the build's chunks. As a module, every start decodes it, scans its
 * string literal and then parses it; read as a one-byte file (non-ASCII characters escaped), only
 * the parse is left (tests/bench/RESULTS.md). Plain JavaScript: the build script imports it.
 */

/** The digest's file in the build folder. */
export const DIGEST_JSON = 'fhir-digest.json';

/**
 * The digest as JSON text of ASCII characters only (each other character escaped as `\uXXXX`,
 * which JSON.parse reads back as the same string), so it can be read as a one-byte string.
 *
 * @param {unknown} digest
 * @returns {string}
 */
export function digestJsonText(digest) {
  return JSON.stringify(digest).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The module the build puts in the digest module's place: it reads {@link DIGEST_JSON} beside
 * its own chunk.
 *
 * @returns {string}
 */
export function digestModuleSource() {
  return [
    "import { readFileSync } from 'node:fs';",
    `export default JSON.parse(readFileSync(new URL(${JSON.stringify(`./${DIGEST_JSON}`)}, import.meta.url), 'latin1'));`,
    '',
  ].join('\n');
}
