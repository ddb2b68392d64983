import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256AlongReads } from './sha256Along.ts';
import { type ReadChunk, sha256Chunks } from './sha256Stream.ts';

/** A deterministic input of `size` bytes, and a reader of it that counts the bytes it serves. */
function input(size: number) {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 131 + (i >> 7)) & 0xff;
  const served = { bytes: 0 };
  const read: ReadChunk = async (offset, length) => {
    const out = bytes.slice(offset, Math.min(size, offset + length));
    served.bytes += out.byteLength;
    return out;
  };
  return { bytes, read, served, sha256: createHash('sha256').update(bytes).digest('hex') };
}

describe('sha256AlongReads', () => {
  it('gives the chunked hash of a multi-chunk input from the reads of one pass', async () => {
    const file = input(1_000_003);
    const along = sha256AlongReads(file.read, { totalBytes: 1_000_003 });
    // a pass as the validator makes it: a prefix first, then 64 KiB chunks, with records read again
    await along.read(0, 100);
    for (let at = 0; at < 1_000_003; at += 65_536) {
      await along.read(at, 65_536);
      if (at > 0) await along.read(at - 1_000, 500);
    }
    const served = file.served.bytes;
    const digest = await along.finish();
    // nothing read again for the hash
    expect(file.served.bytes).toBe(served);
    expect(digest).toEqual(await sha256Chunks(file.read, { totalBytes: 1_000_003, chunkBytes: 4096 }));
    expect(digest.sha256).toBe(file.sha256);
  });

  it('reads at finish what the pass left, and nothing past a gap counts', async () => {
    const file = input(300_000);
    const along = sha256AlongReads(file.read, { totalBytes: 300_000, chunkBytes: 50_000 });
    await along.read(0, 100_000);
    await along.read(200_000, 100_000);
    expect(along.hashed()).toBe(100_000);
    expect(await along.finish()).toEqual({ sha256: file.sha256, bytes: 300_000 });
  });

  it('hashes reads settling out of order only once they are contiguous, or at finish', async () => {
    const file = input(200_000);
    const along = sha256AlongReads(file.read, { totalBytes: 200_000 });
    const second = along.read(100_000, 100_000);
    await second;
    await along.read(0, 100_000);
    expect(await along.finish()).toEqual({ sha256: file.sha256, bytes: 200_000 });
  });

  it('hashes an empty input', async () => {
    const file = input(0);
    expect((await sha256AlongReads(file.read, { totalBytes: 0 }).finish()).sha256).toBe(file.sha256);
  });
});
