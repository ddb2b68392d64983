import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CsvSource } from './csvSource.ts';
import { planWindows, WINDOW_GAP_BYTES, WINDOW_MAX_BYTES, windowedRecordReads } from './recordWindows.ts';

/** A source over `bytes` counting its reads (each answered with bytes of its own). */
function countingSource(bytes: Uint8Array) {
  const counted = { reads: 0 };
  const source: CsvSource = {
    name: 'x.csv',
    size: bytes.length,
    read: async (offset, length) => {
      counted.reads++;
      return bytes.slice(offset, offset + length);
    },
    concurrentReads: true,
  };
  return { source, counted };
}

describe('record reads grouped in windows', () => {
  it('answer every read with the bytes the source has there (property)', async () => {
    const size = 2 * WINDOW_MAX_BYTES;
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
    const { source } = countingSource(bytes);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(size - 1), { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(size - 1), fc.integer({ min: 1, max: 70_000 })), { maxLength: 40 }),
        async (offsets, reads) => {
          const windowed = windowedRecordReads(source, offsets);
          for (const [offset, length] of [...offsets.map((o) => [o, 1024] as const), ...reads]) {
            const got = await windowed.read(offset, length);
            expect(Buffer.from(got).equals(Buffer.from(bytes.subarray(offset, offset + length)))).toBe(true);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('read 1,000 nearby records in few reads, and records far apart one read each', async () => {
    const bytes = new Uint8Array(21 * 1024 * 1024);
    const dense = Array.from({ length: 1000 }, (_, i) => i * 20_000 + (i % 7) * 300);
    const near = countingSource(bytes);
    const windowed = windowedRecordReads(near.source, dense);
    await Promise.all(dense.map((o) => windowed.read(o, 1024)));
    // 20 MB of offsets in windows of at most 512 KiB
    expect(near.counted.reads).toBeLessThanOrEqual(Math.ceil((1000 * 20_000) / (WINDOW_MAX_BYTES - 25_000)));
    const sparse = Array.from({ length: 50 }, (_, i) => i * (WINDOW_GAP_BYTES + 1));
    expect(planWindows(sparse, bytes.length)).toHaveLength(50);
  });

  it('give each window bytes of its own from a source that reuses one buffer for large reads', async () => {
    const size = 4 * WINDOW_MAX_BYTES;
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 131 + 3) & 0xff;
    // as the CLI's reader: a large read fills one shared buffer (in a thread of its own: the bytes
    // land before the read's answer is taken)
    let shared = new Uint8Array(0);
    const source: CsvSource = {
      name: 'x.csv',
      size,
      read: async (offset, length) => {
        if (length <= 64 * 1024) return bytes.slice(offset, offset + length);
        if (shared.length < length) shared = new Uint8Array(length);
        shared.set(bytes.subarray(offset, offset + length));
        await new Promise((resolve) => setTimeout(resolve, 0));
        return shared.subarray(0, Math.min(length, size - offset));
      },
      concurrentReads: true,
    };
    const offsets = Array.from({ length: 120 }, (_, i) => i * 16_000);
    const windowed = windowedRecordReads(source, offsets);
    const got = await Promise.all(offsets.map((o) => windowed.read(o, 1024)));
    got.forEach((b, i) => {
      const o = offsets[i] as number;
      expect(Buffer.from(b).equals(Buffer.from(bytes.subarray(o, o + 1024)))).toBe(true);
    });
  });

  it('a failed window read fails the records in it, and is tried again after', async () => {
    const bytes = new Uint8Array(100_000);
    let fail = true;
    const source: CsvSource = {
      name: 'x.csv',
      size: bytes.length,
      read: async (offset, length) => {
        if (fail) throw new Error('the file was moved');
        return bytes.slice(offset, offset + length);
      },
    };
    const windowed = windowedRecordReads(source, [10, 2000]);
    await expect(windowed.read(10, 100)).rejects.toThrow('the file was moved');
    fail = false;
    await expect(windowed.read(2000, 100)).resolves.toHaveLength(100);
  });
});
