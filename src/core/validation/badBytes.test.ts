/**
 * Bytes a text file cannot hold, through the core's pass: a byte not valid in the encoding is
 * placed by byte offset AND line; a zero byte in UTF-8 or Windows-1252 is "not a text file" (a
 * spreadsheet or PDF read as text), not an encoding problem. Then {@link lineOfByte} alone, on
 * every line ending and on UTF-16.
 */
import { describe, expect, it } from 'vitest';
import { lineOfByte, TextDecodeError } from '../csv/index.ts';
import { bytesSource } from './testing/mappedRuns.ts';
import { validateCsv } from './validateCsv.ts';
import { detectLayout, validateInputs } from './validateInputs.ts';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

describe('bad bytes in a CSV file', () => {
  it.each([
    {
      name: 'a Latin-1 byte read as UTF-8, line 3',
      file: bytes('a,b\n1,2\n3,caf', [0xe9], '\n'),
      encoding: 'utf-8' as const,
      offset: 13,
      line: 3,
      binary: false,
      message: /is not valid UTF-8 text: the byte at line 3, byte 13 cannot be read in that encoding; /,
    },
    {
      name: 'a zero byte in UTF-8 (CRLF lines)',
      file: bytes('a,b\r\n1,2\r\n', [0x00, 0x01, 0xff], 'PDF'),
      encoding: 'utf-8' as const,
      offset: 10,
      line: 3,
      binary: true,
      message: /is not a text file \(a zero byte at byte 10, line 3\): check that it is the right file/,
    },
    {
      name: 'a zero byte in Windows-1252',
      file: bytes('a,b\n1,', [0x96, 0x00], '\n'),
      encoding: 'windows-1252' as const,
      offset: 7,
      line: 2,
      binary: true,
      message: /is not a text file/,
    },
  ])('$name', async ({ file, encoding, offset, line, binary, message }) => {
    const source = bytesSource('extract.csv', file);
    const layout = { ...(await detectLayout(source)), encoding };
    const error = await validateCsv(source, { layout }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TextDecodeError);
    expect(error).toMatchObject({ byteOffset: offset, line, binary });
    expect((error as Error).message).toMatch(message);
  });
});

describe('the line of a byte', () => {
  const text = (t: string) => bytesSource('t.csv', new TextEncoder().encode(t));
  const utf16 = (t: string, le: boolean) => {
    const out = new Uint8Array(t.length * 2);
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      out[2 * i + (le ? 0 : 1)] = c & 0xff;
      out[2 * i + (le ? 1 : 0)] = c >> 8;
    }
    return bytesSource('t.csv', out);
  };
  it.each([
    { name: 'first byte', source: text('abc'), encoding: 'utf-8' as const, offset: 0, line: 1 },
    { name: 'LF', source: text('a\nb\nc'), encoding: 'utf-8' as const, offset: 4, line: 3 },
    { name: 'CRLF counts once', source: text('a\r\nb\r\nc'), encoding: 'utf-8' as const, offset: 6, line: 3 },
    { name: 'lone CR', source: text('a\rb\rc'), encoding: 'utf-8' as const, offset: 4, line: 3 },
    { name: 'the break byte itself', source: text('a\nb'), encoding: 'utf-8' as const, offset: 1, line: 1 },
    {
      name: 'UTF-16 LE',
      source: utf16('a\nb\r\nc', true),
      encoding: 'utf-16le' as const,
      offset: 10,
      line: 3,
    },
    { name: 'UTF-16 BE', source: utf16('a\nb\nc', false), encoding: 'utf-16be' as const, offset: 8, line: 3 },
    // U+0A0D is one character, not a line break
    {
      name: 'UTF-16 unit holding 0x0A',
      source: utf16('\u0a0d\u0a0db', true),
      encoding: 'utf-16le' as const,
      offset: 4,
      line: 1,
    },
  ])('$name', async ({ source, encoding, offset, line }) => {
    expect(await lineOfByte(source, encoding, offset)).toBe(line);
  });
});

describe('a file that is not text in a run of several', () => {
  const encode = (t: string) => new TextEncoder().encode(t);
  it.each([
    {
      name: 'a PDF among extracts',
      bad: bytes('patient_id\n%PDF', [0xe2, 0x00], '\n'),
      rule: 'csv.not-text',
      message:
        /^scan\.csv is not a text file \(a zero byte at byte 16, line 2\): check that it is the right file/,
    },
    {
      name: 'a Latin-1 byte',
      bad: bytes('patient_id\nMontr', [0xe9], 'al\n'),
      rule: 'csv.not-in-encoding',
      message:
        /^scan\.csv is not valid UTF-8 text: the byte at line 2, byte 16 cannot be read in that encoding/,
    },
  ])(
    '$name: one fatal problem on it, the others checked, references into it not checked',
    async ({ bad, rule, message }) => {
      const patients = bytesSource('scan.csv', bad);
      const visits = bytesSource('visits.csv', encode('visit_id,patient_id\nV1,P1\nV2,P2\n'));
      const jobs = await Promise.all(
        [patients, visits].map(async (source) => ({
          source,
          layout: { ...(await detectLayout(source)), encoding: 'utf-8' as const },
        })),
      );
      const links = [
        { input: 'visits.csv', column: 'patient_id', target: 'scan.csv', targetColumn: 'patient_id' },
      ];
      const [refused, other] = await validateInputs(jobs, links);
      expect(refused?.refused).toBeDefined();
      expect(refused?.issues).toEqual([
        expect.objectContaining({
          rule,
          severity: 'fatal',
          count: 1,
          message: expect.stringMatching(message),
        }),
      ]);
      expect(refused).toMatchObject({ records: 0, errors: 1 });
      // the other file is read whole; its references into the refused file are not orphans
      expect(other).toMatchObject({ records: 2, errors: 0, orphans: [] });
    },
  );
});
