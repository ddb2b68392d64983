/**
 * A validator worker's pass reads its file through one byte stream (streamedBlobSource.ts): the
 * same bytes as slices, each read in a buffer of its own, reads off the stream's position and
 * browsers without a BYOB reader answered by slices.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CsvSource } from '../src/core/validation/index.ts';
import { streamedBlobSource } from './streamedBlobSource.ts';
import { blobSource } from './validateApi.ts';

const bytesOf = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 131 + (i >> 9)) & 0xff);

/** `blobSource` of `blob`, counting the reads it answers. */
function countedSlices(blob: Blob) {
  const source = blobSource(blob, 'patients.csv');
  const counted = { reads: 0 };
  const sliced: CsvSource = {
    ...source,
    read: (offset, length) => {
      counted.reads++;
      return source.read(offset, length);
    },
  };
  return { sliced, counted };
}

describe('a file read through one byte stream', () => {
  it('gives each chunk of a front-to-back pass, read ahead too, without a slice (property; seed printed on failure)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 1_024, max: 9_000 }),
        fc.boolean(),
        async (size, chunk, readAhead) => {
          const bytes = bytesOf(size);
          const blob = new Blob([bytes]);
          const { sliced, counted } = countedSlices(blob);
          const { source, close } = streamedBlobSource(blob, sliced);
          const chunks: Uint8Array[] = [];
          let next = source.read(0, chunk);
          for (let at = 0; at < size; at += chunk) {
            // the pass asks for the next chunk before it handles this one
            const ahead = readAhead ? source.read(at + chunk, chunk) : undefined;
            chunks.push(await next);
            next = ahead ?? source.read(at + chunk, chunk);
          }
          await next;
          close();
          expect(counted.reads).toBe(0);
          expect(chunks.map((c) => c.byteLength)).toEqual(
            chunks.map((_, i) => Math.min(chunk, size - i * chunk)),
          );
          const joined = new Uint8Array(size);
          chunks.forEach((c, i) => {
            joined.set(c, i * chunk);
          });
          if (!Buffer.from(joined).equals(bytes)) expect(joined).toEqual(bytes);
          // each read's bytes in a buffer of their own, as a slice's arrayBuffer() gives
          expect(new Set(chunks.map((c) => c.buffer)).size).toBe(chunks.length);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reads anywhere else (a record read again) from slices, and the pass goes on from the stream', async () => {
    const bytes = bytesOf(50_000);
    const blob = new Blob([bytes]);
    const { sliced, counted } = countedSlices(blob);
    const { source, close } = streamedBlobSource(blob, sliced);
    expect(await source.read(0, 20_000)).toEqual(bytes.subarray(0, 20_000));
    expect(await source.read(1_000, 64)).toEqual(bytes.subarray(1_000, 1_064));
    expect(counted.reads).toBe(1);
    expect(await source.read(20_000, 40_000)).toEqual(bytes.subarray(20_000));
    expect(counted.reads).toBe(1);
    close();
    // once closed, slices only
    expect(await source.read(0, 10)).toEqual(bytes.subarray(0, 10));
    expect(counted.reads).toBe(2);
  });

  it('reads slices in a browser whose Blob streams have no BYOB reader', async () => {
    const bytes = bytesOf(30_000);
    const blob = new Blob([bytes]);
    // a stream of the default kind: asking it for a BYOB reader throws
    const withoutByob = {
      size: blob.size,
      stream: () => new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
    } as unknown as Blob;
    const { sliced, counted } = countedSlices(blob);
    const { source } = streamedBlobSource(withoutByob, sliced);
    expect(await source.read(0, 20_000)).toEqual(bytes.subarray(0, 20_000));
    expect(await source.read(20_000, 20_000)).toEqual(bytes.subarray(20_000));
    expect(counted.reads).toBe(2);
  });
});
