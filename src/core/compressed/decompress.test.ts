/**
 * Compressed text read as a stream: gzip and Zstandard give back the text, data that is not of
 * its compression is refused by name, and a file that unpacks past its bound is refused with the
 * limit in the words, before the rest is decoded.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { JobCancelledError } from '../jobs/errors.ts';
import {
  type CompressedSource,
  compressionOf,
  DecompressError,
  decompressedChunks,
  decompressedLimit,
  withoutCompression,
} from './index.ts';

function source(bytes: Uint8Array, name: string): CompressedSource {
  return { name, size: bytes.length, read: async (o, l) => bytes.slice(o, o + l) };
}

async function text(src: CompressedSource, maxBytes?: number): Promise<string> {
  const parts: Uint8Array[] = [];
  const compression = compressionOf(src.name);
  if (compression === undefined) throw new Error('not compressed');
  for await (const part of decompressedChunks(src, compression, maxBytes === undefined ? {} : { maxBytes }))
    parts.push(part);
  return Buffer.concat(parts).toString('utf8');
}

/** A Zstandard frame of raw blocks (no entropy coding): what `zstd --no-compress` would write. */
function zstdRaw(bytes: Uint8Array): Uint8Array {
  // magic, frame header: single segment, 4-byte content size
  const header = [0x28, 0xb5, 0x2f, 0xfd, 0xa0, ...new Uint8Array(new Uint32Array([bytes.length]).buffer)];
  const blocks: number[] = [];
  const BLOCK = 128 * 1024;
  for (let at = 0; at < bytes.length || at === 0; at += BLOCK) {
    const part = bytes.subarray(at, Math.min(at + BLOCK, bytes.length));
    const last = at + BLOCK >= bytes.length ? 1 : 0;
    const h = (part.length << 3) | last; // raw block type 0
    blocks.push(h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, ...part);
    if (last) break;
  }
  return Uint8Array.from([...header, ...blocks]);
}

/** A Zstandard frame of RLE blocks: `blocks` × 128 KiB of one byte from 4 bytes each (a bomb). */
function zstdRle(blocks: number): Uint8Array {
  // no content size (too large for its field): a window descriptor of 128 KiB instead
  const header = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38];
  const out: number[] = [...header];
  for (let k = 0; k < blocks; k++) {
    const h = ((128 * 1024) << 3) | (1 << 1) | (k === blocks - 1 ? 1 : 0);
    out.push(h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, 0x41);
  }
  return Uint8Array.from(out);
}

const CSV = 'mrn,name\r\nP1,Ann\r\nP2,Ben\r\n'.repeat(2000);

describe('compressed text', () => {
  it('names compressions by suffix and the text without it', () => {
    expect(compressionOf('patients.csv.gz')).toBe('gzip');
    expect(compressionOf('Patient.ndjson.GZ')).toBe('gzip');
    expect(compressionOf('visits.csv.zst')).toBe('zstd');
    expect(compressionOf('visits.csv')).toBeUndefined();
    expect(withoutCompression('Patient.ndjson.gz')).toBe('Patient.ndjson');
    expect(decompressedLimit(10)).toBe(1024 * 1024 * 1024);
    expect(decompressedLimit(100_000_000)).toBe(6_400_000_000);
  });

  it('gives back the text of gzip and Zstandard data, across chunks', async () => {
    expect(await text(source(new Uint8Array(gzipSync(CSV)), 'p.csv.gz'))).toBe(CSV);
    expect(await text(source(zstdRaw(new TextEncoder().encode(CSV)), 'p.csv.zst'))).toBe(CSV);
  });

  it('refuses data that is not of its compression, or cut short, naming the file', async () => {
    const gz = new Uint8Array(gzipSync(CSV));
    await expect(text(source(new TextEncoder().encode(CSV), 'p.csv.gz'))).rejects.toThrow(
      '"p.csv.gz" could not be decompressed: it is not gzip data, or the file is cut short. Compress it again, or choose the file uncompressed.',
    );
    await expect(text(source(gz.subarray(0, gz.length - 30), 'p.csv.gz'))).rejects.toBeInstanceOf(
      DecompressError,
    );
    await expect(text(source(new TextEncoder().encode(CSV), 'p.csv.zst'))).rejects.toThrow(
      'it is not Zstandard data',
    );
  });

  it('refuses a file that unpacks past its bound, saying the limit, before decoding the rest', async () => {
    const bomb = new Uint8Array(gzipSync(new Uint8Array(4 * 1024 * 1024)));
    await expect(text(source(bomb, 'p.csv.gz'), 1024 * 1024)).rejects.toThrow(
      '"p.csv.gz" unpacks to more than 1 MB of text (the limit: 64 times its 4.1 KB compressed, at least 1 GB), so it was not read',
    );
    // 40 GiB of Zstandard RLE blocks in 1.3 MB: refused once the bound is passed, not after
    const zbomb = zstdRle(320_000);
    await expect(text(source(zbomb, 'p.csv.zst'), 2_000_000)).rejects.toThrow('unpacks to more than 2 MB');
  });

  it('passes a failed or stopped read of the file on as it is, not as damaged data', async () => {
    for (const [bytes, name] of [
      [new Uint8Array(gzipSync(CSV)), 'p.csv.gz'],
      [zstdRaw(new TextEncoder().encode(CSV)), 'p.csv.zst'],
    ] as const) {
      const stopped: CompressedSource = {
        name,
        size: bytes.length,
        read: async () => {
          throw new JobCancelledError();
        },
      };
      await expect(text(stopped)).rejects.toBeInstanceOf(JobCancelledError);
    }
  });
});
