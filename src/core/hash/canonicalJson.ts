/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation and the SHA-256 over it.
 *
 * Constraint: the hash is over canonical JSON bytes: changing this breaks every signed/exported
 * file (project-file integrity, sample-plan hashes, review records, the audit chain). Do not
 * swap the canonicaliser, the encoding (UTF-8) or the hex form (lowercase) without a new format
 * version and a migration.
 */

import canonicalize from 'canonicalize';
import { sha256Hex } from './sha256Stream.ts';

/**
 * The RFC 8785 canonical JSON text of `value`: object keys sorted by UTF-16 code units, no
 * white space, ECMAScript number formatting. Properties whose value is `undefined` are left out
 * (as JSON.stringify does).
 *
 * @throws TypeError when `value` has no JSON form: `undefined`, a function, NaN or ±Infinity,
 * a string with a lone surrogate, or a circular structure.
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    // the canonicaliser's messages name only the kind of problem (NaN, lone surrogate, cycle)
    throw new TypeError(`value has no canonical JSON form: ${(error as Error).message}`);
  }
  if (typeof text !== 'string') throw new TypeError('value has no canonical JSON form: not a JSON value');
  return text;
}

/** SHA-256, lowercase hex, of the UTF-8 bytes of {@link canonicalJson}(value). Throws as canonicalJson does. */
export function canonicalSha256Hex(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
