/**
 * Record keys in results files (review packets, docs/product.md#sign-off): a packet may carry a
 * secret of its own (`resultKeys`), and then the clinician's results identify each record by the
 * HMAC-SHA-256 of its key under that secret instead of by the key itself (often an MRN). The secret
 * travels only inside the packet and stays in the data lead's review; a results file never holds
 * it, so the file alone reveals no key, and the lead's merge maps each hash back through the
 * sample the packet was made from.
 *
 * Constraint: the hash is the lowercase hex HMAC-SHA-256 (RFC 2104) keyed by the secret's 32 bytes
 * (64 hex digits) over the key's UTF-8 bytes. Changing it breaks every results file in transit.
 */
import { hmac } from 'fast-sha256';
import type { DrawnSample } from '../../../formats/review.ts';
import { toHex } from '../../hash/index.ts';

/** How results identify records when the packet carries a secret (the packet's `resultKeys.hash`). */
export const RESULT_KEY_HASH = 'HMAC-SHA-256';

/** Bytes of a packet's result-key secret. */
export const RESULT_KEY_SECRET_BYTES = 32;

function secretBytes(secret: string): Uint8Array {
  const bytes = new Uint8Array(secret.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(secret.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** A new secret (64 lowercase hex digits) from `random` (32 bytes from a cryptographic source). */
export function resultKeySecret(random: Uint8Array): string {
  if (random.length !== RESULT_KEY_SECRET_BYTES)
    throw new RangeError(`A result-key secret takes ${RESULT_KEY_SECRET_BYTES} random bytes.`);
  return toHex(random);
}

/** The identifier of `key` in results made under `secret`: HMAC-SHA-256, lowercase hex. */
export function recordKeyHash(secret: string, key: string): string {
  return toHex(hmac(secretBytes(secret), new TextEncoder().encode(key)));
}

/** `sample` with every drawn key replaced by `rename(key)`. */
export function renameSampleKeys(sample: DrawnSample, rename: (key: string) => string): DrawnSample {
  return {
    ...sample,
    strata: sample.strata.map((stratum) => ({
      ...stratum,
      records: stratum.records.map((record) => ({ ...record, key: rename(record.key) })),
    })),
  };
}

/** Each drawn key of `sample` by its identifier under `secret`. */
export function keysByHash(secret: string, sample: DrawnSample): Map<string, string> {
  return new Map(
    sample.strata.flatMap((s) => s.records.map((r) => [recordKeyHash(secret, r.key), r.key] as const)),
  );
}
