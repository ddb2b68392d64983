/**
 * SHA-256 of an input of any size, read in chunks, with progress and cancellation.
 *
 * The hash engine is injected (`hasher`): this file stays pure and runs unchanged in the browser,
 * in workers and in Node. The default is fast-sha256 (pure JS): WebCrypto's `crypto.subtle.digest`
 * is one-shot — hashing a 10 GB extract would need the whole file in memory — and fast-sha256
 * hashes incrementally in constant memory with no WebAssembly; of the pure-JS SHA-256 libraries it
 * was the fastest in Chromium's dedicated worker (tests/bench/RESULTS.md). The browser's hash
 * worker injects the faster hash-wasm instead, which needs `'wasm-unsafe-eval'` in that worker's
 * own CSP only (workers/sha256Hasher.ts).
 *
 * Constraints:
 * - Memory is one chunk (`chunkBytes`), never the file: memory grows with chunk size, not file size.
 * - The reader's bytes are consumed (hashed) before the next `read` call, so a reader may reuse one
 *   buffer for every chunk (the CLI does).
 * - Cancellation is checked between chunks: latency is one chunk's read + hash time.
 * - Output is lowercase hex, the same as `sha256sum` and `node:crypto`'s `digest('hex')`.
 */
import { Hash } from 'fast-sha256';
import { JobCancelledError, readInputChunk } from '../jobs/errors.ts';
import { createProgressThrottle, type Progress } from '../jobs/progress.ts';
import { toHex } from './sha256.ts';

/** The one-shot hash lives in sha256.ts (no imports of ours: src/formats uses it); kept here for callers. */
export { sha256Hex } from './sha256.ts';

const MIB = 1024 * 1024;

/**
 * Default chunk size. 8 MiB amortises the per-read cost (a `Blob.slice().arrayBuffer()` round trip in
 * the browser, a syscall in Node) while keeping memory small and cancel latency to tens of
 * milliseconds; `tests/bench/run.ts` measures it against smaller and larger chunks.
 */
export const DEFAULT_HASH_CHUNK_BYTES = 8 * MIB;

/**
 * An incremental SHA-256 for one input: `update` any number of times, then `digest` once. Both
 * fast-sha256's `Hash` and an adapted hash-wasm hasher fit; a hasher is never reused after `digest`.
 */
export interface IncrementalSha256 {
  /** Adds `bytes` (consumed before the call returns: the caller may reuse the buffer). */
  update(bytes: Uint8Array): void;
  /** The 32-byte digest of everything added. */
  digest(): Uint8Array;
}

/** A fresh fast-sha256 (pure JS) hasher: the default engine, and the fallback without WebAssembly. */
export function createJsSha256(): IncrementalSha256 {
  const hash = new Hash();
  return {
    update: (bytes) => {
      hash.update(bytes);
    },
    digest: () => hash.digest(),
  };
}

/** Reads `length` bytes at `offset`. May return fewer bytes (a short read); returning none means EOF. */
export type ReadChunk = (offset: number, length: number) => Promise<Uint8Array>;

/** Options of {@link sha256Chunks}. */
interface Sha256ChunksOptions {
  /** Size of the input in bytes; exactly this many bytes are hashed. */
  totalBytes: number;
  /** Bytes per read; defaults to {@link DEFAULT_HASH_CHUNK_BYTES}. */
  chunkBytes?: number;
  /** Aborting it stops the job between chunks with a {@link JobCancelledError}. */
  signal?: AbortSignal;
  /** Throttled progress (~10/s) in bytes, plus a final report with `done === totalBytes`. */
  onProgress?: (progress: Progress) => void;
  /** The input's name in error locations (e.g. the file name); defaults to "the input". */
  source?: string;
  /**
   * A fresh hasher for this input (used once); defaults to fast-sha256 ({@link createJsSha256}).
   * Every engine gives the same digest: the choice is speed only.
   */
  hasher?: IncrementalSha256;
}

/** The digest of a whole input. */
export interface Sha256Digest {
  /** Lowercase hex SHA-256. */
  sha256: string;
  /** Number of bytes hashed. */
  bytes: number;
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new JobCancelledError();
}

/**
 * Hashes `totalBytes` bytes obtained through `read`, one chunk at a time.
 *
 * @throws {JobCancelledError} when `signal` is aborted (checked before and after every read).
 * @throws {InputReadError} when a read fails or the input ends before `totalBytes`, with the byte offset.
 */
export async function sha256Chunks(read: ReadChunk, options: Sha256ChunksOptions): Promise<Sha256Digest> {
  const { totalBytes, signal, onProgress } = options;
  const chunkBytes = options.chunkBytes ?? DEFAULT_HASH_CHUNK_BYTES;
  const source = options.source ?? 'the input';
  if (!Number.isSafeInteger(totalBytes) || totalBytes < 0) {
    throw new RangeError('totalBytes must be a non-negative integer.');
  }
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0) {
    throw new RangeError('chunkBytes must be a positive integer.');
  }

  const hash = options.hasher ?? createJsSha256();
  const progress =
    onProgress && createProgressThrottle({ total: totalBytes, unit: 'bytes', emit: onProgress });
  let offset = 0;
  throwIfCancelled(signal);
  while (offset < totalBytes) {
    const length = Math.min(chunkBytes, totalBytes - offset);
    const chunk = await readInputChunk({ name: source, read }, offset, length, signal);
    throwIfCancelled(signal);
    hash.update(chunk);
    offset += chunk.byteLength;
    progress?.advance(chunk.byteLength);
  }
  progress?.finish();
  return { sha256: toHex(hash.digest()), bytes: offset };
}
