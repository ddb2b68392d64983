import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputReadError, JobCancelledError } from '../jobs/errors.ts';
import type { Progress } from '../jobs/progress.ts';
import { type ReadChunk, sha256Chunks, sha256Hex } from './sha256Stream.ts';

/** A reader over an in-memory buffer, as a Blob or a file handle would be. */
function memoryReader(data: Uint8Array): ReadChunk {
  return async (offset, length) => data.subarray(offset, offset + length);
}

function nodeSha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

const encoder = new TextEncoder();
const MILLION_A = 'a'.repeat(1_000_000);

// FIPS 180-2 / NIST CAVS vectors.
const vectors = [
  {
    description: 'empty input',
    input: '',
    expected: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  },
  {
    description: '"abc"',
    input: 'abc',
    expected: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  },
  {
    description: '1,000,000 × "a"',
    input: MILLION_A,
    expected: 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
  },
];

describe('sha256Hex', () => {
  it.each(vectors)('hashes $description', ({ input, expected }) => {
    expect(sha256Hex(input)).toBe(expected);
    expect(sha256Hex(encoder.encode(input))).toBe(expected);
  });
});

describe('sha256Chunks', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(vectors)('hashes $description in chunks', async ({ input, expected }) => {
    const data = encoder.encode(input);
    const result = await sha256Chunks(memoryReader(data), { totalBytes: data.byteLength, chunkBytes: 4096 });
    expect(result).toEqual({ sha256: expected, bytes: data.byteLength });
  });

  it('gives the same digest as node:crypto for any bytes and any chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 5000 }),
        fc.integer({ min: 1, max: 6000 }),
        async (data, chunkBytes) => {
          const result = await sha256Chunks(memoryReader(data), { totalBytes: data.byteLength, chunkBytes });
          expect(result.sha256).toBe(nodeSha256(data));
          expect(result.bytes).toBe(data.byteLength);
        },
      ),
      // fast-check prints the seed and path of a failure; pin it here as a regression case.
      { numRuns: 200 },
    );
  });

  it('copes with short reads and readers that reuse one buffer', async () => {
    const data = encoder.encode(MILLION_A.slice(0, 10_000));
    const shared = new Uint8Array(1000);
    const SHORT_READ = 777;
    const read: ReadChunk = async (offset, length) => {
      const n = Math.min(length, SHORT_READ, data.byteLength - offset);
      shared.set(data.subarray(offset, offset + n));
      return shared.subarray(0, n);
    };
    const result = await sha256Chunks(read, { totalBytes: data.byteLength, chunkBytes: 1000 });
    expect(result.sha256).toBe(nodeSha256(data));
  });

  it('stops between chunks with JobCancelledError when the signal aborts', async () => {
    const data = new Uint8Array(100_000);
    const controller = new AbortController();
    let reads = 0;
    const read: ReadChunk = async (offset, length) => {
      reads += 1;
      if (reads === 3) controller.abort();
      return data.subarray(offset, offset + length);
    };
    await expect(
      sha256Chunks(read, { totalBytes: data.byteLength, chunkBytes: 1000, signal: controller.signal }),
    ).rejects.toBeInstanceOf(JobCancelledError);
    expect(reads).toBe(3);
  });

  it('a read that comes back empty after the signal aborted is a cancel, not an early end', async () => {
    const controller = new AbortController();
    const read: ReadChunk = async (offset) => {
      if (offset > 0) {
        controller.abort();
        return new Uint8Array(0);
      }
      return new Uint8Array(1000);
    };
    await expect(
      sha256Chunks(read, { totalBytes: 5000, chunkBytes: 1000, signal: controller.signal }),
    ).rejects.toBeInstanceOf(JobCancelledError);
  });

  it('does not read at all when the signal is already aborted', async () => {
    let reads = 0;
    const read: ReadChunk = async () => {
      reads += 1;
      return new Uint8Array(1);
    };
    await expect(sha256Chunks(read, { totalBytes: 10, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      JobCancelledError,
    );
    expect(reads).toBe(0);
  });

  it('reports progress that only grows and ends with done === total', async () => {
    // reads take 15 ms of vitest's fake clock, which the progress throttle reads too: 12 reads span
    // 180 ms, past the 100 ms throttle, however fast or loaded the machine
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const data = new Uint8Array(3 * 1024 * 1024);
    const seen: Progress[] = [];
    const slowRead: ReadChunk = async (offset, length) => {
      await new Promise((resolve) => setTimeout(resolve, 15));
      return data.subarray(offset, offset + length);
    };
    const hashing = sha256Chunks(slowRead, {
      totalBytes: data.byteLength,
      chunkBytes: 256 * 1024,
      onProgress: (p) => seen.push(p),
    });
    await vi.runAllTimersAsync();
    await hashing;
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]?.done).toBeGreaterThanOrEqual(seen[i - 1]?.done ?? 0);
    }
    const last = seen.at(-1);
    expect(last).toMatchObject({
      done: data.byteLength,
      total: data.byteLength,
      unit: 'bytes',
      etaSeconds: 0,
    });
    expect(last?.ratePerSecond).toBeGreaterThan(0);
  });

  it('turns a failed read into InputReadError with the file and byte offset, not the message', async () => {
    const read: ReadChunk = async (offset) => {
      if (offset >= 2000) throw Object.assign(new Error('secret patient text'), { code: 'EIO' });
      return new Uint8Array(1000);
    };
    const error = await sha256Chunks(read, {
      totalBytes: 5000,
      chunkBytes: 1000,
      source: 'patients.csv',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputReadError);
    expect(error).toMatchObject({ location: { source: 'patients.csv', byteOffset: 2000 }, causeName: 'EIO' });
    expect((error as Error).message).not.toContain('secret');
  });

  it('reports an input that ends early as InputReadError', async () => {
    const data = new Uint8Array(1500);
    await expect(
      sha256Chunks(memoryReader(data), { totalBytes: 4000, chunkBytes: 1000, source: 'visits.csv' }),
    ).rejects.toMatchObject({
      name: 'InputReadError',
      location: { source: 'visits.csv', byteOffset: 1500 },
      causeName: 'UnexpectedEnd',
    });
  });

  it('rejects nonsensical sizes', async () => {
    const read = memoryReader(new Uint8Array(0));
    await expect(sha256Chunks(read, { totalBytes: -1 })).rejects.toBeInstanceOf(RangeError);
    await expect(sha256Chunks(read, { totalBytes: 1, chunkBytes: 0 })).rejects.toBeInstanceOf(RangeError);
  });
});
