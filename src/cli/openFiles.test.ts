/**
 * The CLI's file readers (openFiles.ts): a record's small reads may overlap (the merge reads the
 * listed duplicate keys' texts 16 at a time), each answering with the bytes it asked for, while a
 * pass's chunk reads share one buffer; a file that cannot be read is named, never its content.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_MAX_READ_BYTES } from '../core/validation/index.ts';
import { openFilesForReading, SLOW_SYNC_READ_MS } from './openFiles.ts';

let dir: string;
/** 300 KB whose every byte says where it is (offset mod 251). */
const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => i % 251);

/**
 * Where `answer` first differs from `expected` (the shorter one's length when one ends early), or
 * -1 when both are the same bytes. One loop: vitest's deep equality walks a typed array through its
 * generic matcher byte by byte, which made this file's 2 MB of comparisons take over ten seconds.
 */
function firstDifference(answer: Uint8Array, expected: Uint8Array): number {
  const shorter = Math.min(answer.length, expected.length);
  let at = 0;
  while (at < shorter && answer[at] === expected[at]) at++;
  return at === shorter && answer.length === expected.length ? -1 : at;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-open-files-'));
  await writeFile(path.join(dir, 'data.csv'), bytes);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const unusable = (message: string) => new Error(message);

describe('the CLI’s file readers', () => {
  it('answer overlapping record-sized reads each with its own bytes', async () => {
    const { files, close } = await openFilesForReading(['data.csv'], dir, unusable);
    const file = files[0];
    if (!file) throw new Error('expected the file');
    expect(file.concurrentReads).toBe(true);
    const asked = Array.from({ length: 64 }, (_, i) => ({
      offset: (i * 4099) % 250_000,
      length: i % 2 === 0 ? 4096 : RECORD_MAX_READ_BYTES,
    }));
    const answers = await Promise.all(asked.map(({ offset, length }) => file.read(offset, length)));
    answers.forEach((answer, i) => {
      const { offset, length } = asked[i] as { offset: number; length: number };
      expect(firstDifference(answer, bytes.subarray(offset, offset + length))).toBe(-1);
    });
    await close();
  });

  it('answer a chunk read beyond the record size, and a read at the end with what is left', async () => {
    const { files, close } = await openFilesForReading(['data.csv'], dir, unusable);
    const file = files[0];
    if (!file) throw new Error('expected the file');
    const chunk = await file.read(1000, 200_000);
    expect(firstDifference(chunk, bytes.subarray(1000, 201_000))).toBe(-1);
    expect(await file.read(299_990, 4096)).toEqual(bytes.subarray(299_990));
    await close();
  });

  it('read records synchronously while that is fast, and asynchronously after a slow one (a network share)', async () => {
    const reads = [0, 5000, 90_000, 200_000].map((offset) => ({ offset, length: 4096 }));
    for (const slow of [false, true]) {
      // a clock that moves only while a read is timed: each sync read "takes" its step
      let time = 0;
      let timed = 0;
      const now = () => {
        timed++;
        time += slow ? SLOW_SYNC_READ_MS + 1 : 0.01;
        return time;
      };
      const { files, close } = await openFilesForReading(['data.csv'], dir, unusable, { now });
      const file = files[0];
      if (!file) throw new Error('expected the file');
      for (const { offset, length } of reads)
        expect(await file.read(offset, length)).toEqual(bytes.subarray(offset, offset + length));
      // fast: every read timed (all sync); slow: only the first (then async, untimed)
      expect(timed).toBe(slow ? 2 : 2 * reads.length);
      await close();
    }
  });

  it('refuse a file that is missing, naming it as typed', async () => {
    await expect(openFilesForReading(['nope.csv'], dir, unusable)).rejects.toThrow(
      'cannot read "nope.csv": no such file.',
    );
  });
});
