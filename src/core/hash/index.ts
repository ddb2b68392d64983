/**
 * The hashing module's public surface (docs/conventions.md#module-surfaces): canonical JSON and
 * the SHA-256 over it, the in-memory and the chunked hash. Outside `src/core/hash`, import only
 * this file; `src/formats` may import it too (it lies under the formats, with `src/core/jobs`).
 */
export { canonicalJson, canonicalSha256Hex } from './canonicalJson.ts';
export { nonJsonValue } from './jsonValue.ts';
export { sha256Bytes, sha256Hex, sha256HexAsync, toHex } from './sha256.ts';
export { type Sha256AlongReads, sha256AlongReads } from './sha256Along.ts';
export {
  createJsSha256,
  DEFAULT_HASH_CHUNK_BYTES,
  type IncrementalSha256,
  type ReadChunk,
  type Sha256Digest,
  sha256Chunks,
} from './sha256Stream.ts';
