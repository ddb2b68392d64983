/**
 * How the validation pass reads its input (validateCsv.ts): the next chunk is read while the
 * current one is checked, through a reader that reuses its buffer, and a failed read is reported
 * at its own offset — also when it was a read ahead.
 */
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../tests/migration/sources.ts';
import { sniffCsvLayout, TextDecodeError } from '../csv/index.ts';
import { InputReadError, UNEXPECTED_END } from '../jobs/errors.ts';
import { type CsvSource, readRecordAt, validateCsv } from './validateCsv.ts';

const encode = (text: string) => new TextEncoder().encode(text);

/** 246 bytes: a header and 40 rows of 6 bytes ("12,ab\n"). */
const TEXT = `id,nm\n${Array.from({ length: 40 }, (_, i) => `${String(i).padStart(2, '0')},ab\n`).join('')}`;
const layout = sniffCsvLayout(encode(TEXT));

/**
 * The input read through one buffer, as the CLI's reader does, that is overwritten with 0xff
 * before each read fills it: a pass that decodes a chunk after asking for the next reads garbage.
 */
function scribblingSource(bytes: Uint8Array, log: string[]): CsvSource {
  let buffer = new Uint8Array(0);
  return {
    name: 't.csv',
    size: bytes.length,
    read: async (offset, length) => {
      log.push(`read ${offset}`);
      if (buffer.length < length) buffer = new Uint8Array(length);
      buffer.fill(0xff);
      const part = bytes.subarray(offset, offset + length);
      buffer.set(part);
      return buffer.subarray(0, part.length);
    },
  };
}

describe('the validation pass reads', () => {
  it('the next chunk while it checks the current one, through a reused buffer, with the same result', async () => {
    const log: string[] = [];
    const bytes = encode(TEXT);
    const result = await validateCsv(scribblingSource(bytes, log), {
      layout,
      chunkBytes: 100,
      onProgress: (p) => log.push(`checked ${p.bytes}`),
    });
    // each read after the first is asked for before the chunk before it is checked
    expect(log).toEqual(['read 0', 'read 100', 'checked 100', 'read 200', 'checked 200', 'checked 246']);
    const whole = await validateCsv(memorySource('t.csv', bytes), { layout });
    expect(result.records).toBe(40);
    expect(result.profiles).toEqual(whole.profiles);
    expect(result.issues).toEqual(whole.issues);
  });

  // a failure of the second read (bytes 100–199), which is a read ahead of the first chunk's check
  const failures: {
    name: string;
    read: () => Promise<Uint8Array>;
    causeName: string;
  }[] = [
    {
      name: 'rejects',
      read: () => Promise.reject(Object.assign(new Error('x'), { code: 'EIO' })),
      causeName: 'EIO',
    },
    {
      name: 'throws before it returns a promise',
      read: () => {
        throw Object.assign(new Error('x'), { code: 'EBADF' });
      },
      causeName: 'EBADF',
    },
    {
      name: 'finds the input shorter than its size',
      read: async () => new Uint8Array(0),
      causeName: UNEXPECTED_END,
    },
  ];
  it.each(failures)(
    'a read that $name: an InputReadError at that read’s offset',
    async ({ read, causeName }) => {
      const inner = memorySource('t.csv', encode(TEXT));
      const source: CsvSource = {
        ...inner,
        read: (offset, length) => (offset === 100 ? read() : inner.read(offset, length)),
      };
      const error = await validateCsv(source, { layout, chunkBytes: 100 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputReadError);
      expect((error as InputReadError).location.byteOffset).toBe(100);
      expect((error as InputReadError).causeName).toBe(causeName);
    },
  );

  it('no further when a chunk has bad text: its error, and the failed read ahead left unreported', async () => {
    // invalid UTF-8 in the first chunk; the read after it fails (vitest fails the run on an
    // unhandled rejection, so a read ahead nobody awaits must not leave one)
    const bytes = encode(TEXT);
    bytes[20] = 0xff;
    const inner = memorySource('t.csv', bytes);
    const source: CsvSource = {
      ...inner,
      read: (offset, length) =>
        offset === 100 ? Promise.reject(new Error('x')) : inner.read(offset, length),
    };
    const error = await validateCsv(source, {
      layout: { ...layout, encoding: 'utf-8' },
      chunkBytes: 100,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TextDecodeError);
    expect((error as TextDecodeError).byteOffset).toBe(20);
  });
  it('no further when a chunk has bad text, and it ends only once the read ahead has ended', async () => {
    // the CLI's reader fills one buffer per file: a read still running after the pass failed
    // could write into the bytes of the next read of the same file (a re-run, a row read again)
    const bytes = encode(TEXT);
    bytes[20] = 0xff;
    const inner = memorySource('t.csv', bytes);
    let finishRead: () => void = () => undefined;
    let readEnded = false;
    const source: CsvSource = {
      ...inner,
      read: (offset, length) =>
        offset === 100
          ? new Promise<Uint8Array>((resolve) => {
              finishRead = () => {
                readEnded = true;
                resolve(bytes.subarray(100, 200));
              };
            })
          : inner.read(offset, length),
    };
    let settled = false;
    const pass = validateCsv(source, { layout: { ...layout, encoding: 'utf-8' }, chunkBytes: 100 }).catch(
      (e: unknown) => {
        settled = true;
        return e;
      },
    );
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(false);
    finishRead();
    const error = await pass;
    expect(readEnded).toBe(true);
    expect(error).toBeInstanceOf(TextDecodeError);
  });
  // a record read again on its own (a failing row, a listed key's text): the first read is 1 KiB,
  // then reads grow ×4 while the record is unfinished — records around and across those sizes
  it.each([100, 1021, 1022, 1023, 1024, 1025, 5000, 70_000, 300_000])(
    'one record of about %i bytes, with a quoted line break and wide characters, read back whole',
    async (size) => {
      const long = 'é'.repeat(Math.floor(size / 2));
      const fields = ['A17', `"x\r\n${long}"`, 'Zoë'];
      const before = 'id,text,name\nA16,short,Ann\n';
      const text = `${before}${fields.join(',')}\nA18,after,Bo\n`;
      const bytes = encode(text);
      const layoutHere = sniffCsvLayout(bytes);
      const record = await readRecordAt(memorySource('t.csv', bytes), layoutHere, encode(before).length);
      expect(record).toEqual(['A17', `x\r\n${long}`, 'Zoë']);
    },
  );
});
