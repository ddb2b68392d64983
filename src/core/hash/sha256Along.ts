/**
 * SHA-256 of an input computed from the reads another pass makes of it: the validator reads every
 * byte of a file once in order, so its fingerprint needs no second read of the file.
 *
 * Constraints:
 * - The digest is of the bytes in order, exactly as {@link sha256Chunks} reads them: a read that
 *   reaches past what is hashed adds its new bytes; a read before it (a record read again) or past
 *   a gap adds nothing. What the pass did not read (it stopped early) is read at `finish`.
 * - Bytes are hashed when their read settles, before the caller sees them, so a caller may reuse
 *   or transfer the buffer afterwards.
 */
import {
  createJsSha256,
  type IncrementalSha256,
  type ReadChunk,
  type Sha256Digest,
  sha256Chunks,
} from './sha256Stream.ts';

/** Options of {@link sha256AlongReads}. */
interface Sha256AlongOptions {
  /** the input's size: exactly this many bytes are hashed */
  totalBytes: number;
  /** a fresh hasher (default fast-sha256) */
  hasher?: IncrementalSha256;
  /** the input's name in error locations */
  source?: string;
  /** bytes per read of what is left at `finish` */
  chunkBytes?: number;
}

/** A reader that hashes what it reads, and the digest once everything is read. */
export interface Sha256AlongReads {
  /** `read`, hashing each read's bytes that extend what is hashed */
  read: ReadChunk;
  /** bytes hashed so far (from offset 0, without a gap) */
  hashed(): number;
  /** reads what was not read yet (cancelled by `signal`) and returns the whole input's digest */
  finish(signal?: AbortSignal): Promise<Sha256Digest>;
}

/** Wraps `read` so the bytes it returns are hashed on the way; see the file header. */
export function sha256AlongReads(read: ReadChunk, options: Sha256AlongOptions): Sha256AlongReads {
  const { totalBytes } = options;
  const hasher = options.hasher ?? createJsSha256();
  let hashed = 0;
  let finished = false;
  const hashing: ReadChunk = async (offset, length) => {
    const bytes = await read(offset, length);
    const end = offset + Math.min(length, bytes.byteLength);
    if (!finished && offset <= hashed && end > hashed) {
      hasher.update(bytes.subarray(hashed - offset, Math.min(end, totalBytes) - offset));
      hashed = Math.min(end, totalBytes);
    }
    return bytes;
  };
  return {
    read: hashing,
    hashed: () => hashed,
    async finish(signal) {
      finished = true;
      const from = hashed;
      const rest = await sha256Chunks((offset, length) => read(from + offset, length), {
        totalBytes: totalBytes - from,
        hasher,
        ...(signal ? { signal } : {}),
        ...(options.source ? { source: options.source } : {}),
        ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
      });
      return { sha256: rest.sha256, bytes: from + rest.bytes };
    },
  };
}
