/**
 * A gzipped log is read as a stream: the reader is handed what it asks for, a chunk at a time,
 * never one buffer of the whole text; it reads the same as its plain copy; and it is bounded as
 * any compressed text: past its bound, refused with the file, the limit and what to do.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../../tests/fixtures/external.ts';
import { decompressedLimit } from '../../compressed/index.ts';
import type { LogInput } from './csvLog.ts';
import { GzipLogError, gunzipLog, inMemoryLog } from './gzipLog.ts';
import { readXesLog } from './xesLog.ts';

const XES_MAPPING = { case: 'concept:name', activity: 'concept:name', timestamp: 'time:timestamp' };

/** Every byte of `log`, read front to back `length` bytes at a time, and the largest buffer seen. */
async function readAll(log: LogInput, length: number): Promise<{ bytes: Buffer; largestBuffer: number }> {
  const parts: Uint8Array[] = [];
  let largestBuffer = 0;
  for (let offset = 0; offset < log.size; ) {
    const part = await log.read(offset, length);
    if (part.byteLength === 0) break;
    largestBuffer = Math.max(largestBuffer, part.buffer.byteLength);
    parts.push(part.slice());
    offset += part.byteLength;
  }
  return { bytes: Buffer.concat(parts), largestBuffer };
}

describe('gunzipLog', () => {
  it('gives the log, a preview its first bytes, and refuses a log past its bound', async () => {
    const text = 'case,activity,time\n'.repeat(1000);
    const gz = inMemoryLog('log.csv.gz', new Uint8Array(gzipSync(text)));
    const whole = await gunzipLog(gz);
    expect(whole.name).toBe('log.csv');
    expect(whole.size).toBe(text.length);
    expect((await gunzipLog(gz, 100)).size).toBe(100);
    const bomb = inMemoryLog('bomb.xes.gz', new Uint8Array(gzipSync(new Uint8Array(3_000_000))));
    const refused = gunzipLog(bomb, Number.POSITIVE_INFINITY, { limit: 1024 * 1024 });
    await expect(refused).rejects.toBeInstanceOf(GzipLogError);
    await expect(gunzipLog(bomb, Number.POSITIVE_INFINITY, { limit: 1024 * 1024 })).rejects.toThrow(
      '"bomb.xes.gz" unpacks to more than 1 MB of text',
    );
  });

  it('hands the reader the text a chunk at a time, never one buffer of the whole log', async () => {
    // 24 MB of XES events from 100 kB: held whole, each read would be a view on a 24 MB buffer
    const event =
      '<event><string key="concept:name" value="Register"/><date key="time:timestamp" value="2024-01-01T08:00:00.000+00:00"/></event>\n';
    const plain = Buffer.from(
      `<log><trace><string key="concept:name" value="c1"/>\n${event.repeat(200_000)}</trace></log>\n`,
    );
    const log = await gunzipLog(inMemoryLog('big.xes.gz', gzipSync(plain)));
    expect(log.size).toBe(plain.byteLength);
    const { bytes, largestBuffer } = await readAll(log, 1024 * 1024);
    expect(bytes.equals(plain)).toBe(true);
    expect(largestBuffer).toBeLessThanOrEqual(1024 * 1024);
  });

  it('refuses a bomb at the bound, before a reader is given any of it, naming the file and what to do', async () => {
    // 40 MB of one repeated event in about 80 kB: over a 16 MB bound
    const event = '<event><string key="concept:name" value="A"/></event>';
    const gz = gzipSync(`<log><trace>${event.repeat(800_000)}</trace></log>`);
    const error = await gunzipLog(inMemoryLog('bomb.xes.gz', gz), Number.POSITIVE_INFINITY, {
      limit: 16_000_000,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(GzipLogError);
    expect(String(error.message)).toMatch(
      /^"bomb\.xes\.gz" unpacks to more than 16 MB of text .*Decompress it and check the file, or split it into smaller files\.$/,
    );
    // the log's bound is the one on compressed extracts: 64 times the compressed size, at least 1 GiB
    expect(decompressedLimit(gz.byteLength)).toBe(1024 * 1024 * 1024);
    expect(decompressedLimit(100_000_000)).toBe(6_400_000_000);
  });

  it('reads a public gzipped CSV log byte for byte as its plain text, however it is read', async () => {
    const gz = readFileSync(
      path.resolve(import.meta.dirname, '../../../../tests/fixtures/logs/simod/LoanApp_simplified.csv.gz'),
    );
    const plain = gunzipSync(gz);
    const log = await gunzipLog(inMemoryLog('LoanApp_simplified.csv.gz', gz));
    expect([log.name, log.size]).toEqual(['LoanApp_simplified.csv', plain.byteLength]);
    // reads of any length, in any order: going back starts the decompression again
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(plain.byteLength + 10), fc.integer({ min: 1, max: 70_000 })), {
          minLength: 1,
          maxLength: 12,
        }),
        async (reads) => {
          for (const [offset, length] of reads) {
            const got = Buffer.from(await log.read(offset, length));
            expect(got.equals(plain.subarray(offset, offset + length))).toBe(true);
          }
        },
      ),
      { numRuns: 25 },
    );
    expect((await readAll(log, 4096)).bytes.equals(plain)).toBe(true);
  });

  it('reads a public XES log gzipped as it reads the plain file', async () => {
    const plain = readFileSync(externalFixture('pm4py-input-data', 'roadtraffic50traces.xes'));
    const fromPlain = await readXesLog(inMemoryLog('roadtraffic50traces.xes', plain), {
      mapping: XES_MAPPING,
    });
    const log = await gunzipLog(inMemoryLog('roadtraffic50traces.xes.gz', gzipSync(plain)));
    const fromGz = await readXesLog(log, { mapping: XES_MAPPING }, { chunkBytes: 4096 });
    expect(fromGz.rows).toBe(fromPlain.rows);
    expect(fromGz.log).toEqual(fromPlain.log);
    expect(fromGz.account).toEqual(fromPlain.account);
    expect(fromGz.problems).toEqual(fromPlain.problems);
  });
});
