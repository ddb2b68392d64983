/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation and the SHA-256 over it.
 *
 * Constraint: the hash is over canonical JSON bytes: changing this breaks every signed/exported
 * file (project-file integrity, sample-plan hashes, review records, the audit chain). Do not
 * swap the canonicaliser, the encoding (UTF-8) or the hex form (lowercase) without a new format
 * version and a migration.
 *
 * Only plain JSON data is accepted ({@link nonJsonValue}): a hash must be over exactly what a
 * file holds, so a value `JSON.stringify` would drop or convert (a Map as `{}`, a Date as its
 * string, an `undefined` property left out) is refused rather than hashed as something else.
 */

import canonicalize from 'canonicalize';
import { nonJsonValue } from './jsonValue.ts';
import { sha256Hex } from './sha256.ts';

/**
 * The RFC 8785 canonical JSON text of `value`: object keys sorted by UTF-16 code units, no
 * white space, ECMAScript number formatting (-0 is written `0`).
 *
 * @throws TypeError when `value` is not plain JSON data: `undefined` (anywhere, property values
 * and list items included), a function, symbol or BigInt, NaN or ±Infinity, a string with a lone
 * surrogate, a Map, Set, Date or other non-plain object, a sparse list, or a cycle. The message
 * names the JSON Pointer and the kind, never the value.
 */
export function canonicalJson(value: unknown): string {
  const notJson = nonJsonValue(value);
  if (notJson) {
    throw new TypeError(
      `value has no canonical JSON form: at "${notJson.path}" it ${notJson.message} (${notJson.kind})`,
    );
  }
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    // not expected after the check above; the canonicaliser's messages name only the kind of problem
    throw new TypeError(`value has no canonical JSON form: ${(error as Error).message}`);
  }
  if (typeof text !== 'string') throw new TypeError('value has no canonical JSON form: not a JSON value');
  return text;
}

/** SHA-256, lowercase hex, of the UTF-8 bytes of {@link canonicalJson}(value). Throws as canonicalJson does. */
export function canonicalSha256Hex(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
