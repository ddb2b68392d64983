/**
 * SHA-256 of a small in-memory input, as lowercase hex. The hash under canonical JSON
 * (project-file integrity, later sign-off), so it sits where `src/formats` may use it.
 *
 * Constraint: imports nothing of Preflight's (npm packages only): `src/formats` is the bottom
 * layer and reaches this file through the module's `index.ts`. The chunked, cancellable hash of large
 * inputs (`sha256Stream.ts`) is built on the same `toHex`.
 */
import { hash as sha256OneShot } from 'fast-sha256';

const HEX_DIGITS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Lowercase hex of a digest, as `sha256sum` prints it. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX_DIGITS[byte];
  return out;
}

/** SHA-256 of a small in-memory input, as its 32 bytes. */
export function sha256Bytes(data: Uint8Array): Uint8Array {
  return sha256OneShot(data);
}

/** SHA-256 (lowercase hex) of a small in-memory input; strings are hashed as their UTF-8 bytes. */
export function sha256Hex(data: Uint8Array | string): string {
  return toHex(sha256OneShot(typeof data === 'string' ? new TextEncoder().encode(data) : data));
}

/**
 * SHA-256 (lowercase hex) of an in-memory input through WebCrypto where it is there (Node, and
 * browsers in a secure context: native code, many times faster than fast-sha256 on megabytes),
 * else {@link sha256Hex}; the same digest either way.
 */
export async function sha256HexAsync(data: Uint8Array): Promise<string> {
  const subtle = typeof crypto === 'undefined' ? undefined : crypto.subtle;
  if (!subtle) return sha256Hex(data);
  // a view is hashed over its own bytes only
  return toHex(new Uint8Array(await subtle.digest('SHA-256', data as BufferSource)));
}
