import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWindows1252 } from '../../../samples/tools/generateLegacy.ts';
import { firstInvalidUtf8Offset } from '../../formats/jsonText.ts';
import { sniffCsvLayout } from './csvLayout.ts';
import {
  createTextPositions,
  createTextStreamDecoder,
  detectEncoding,
  parseEncodingName,
  TextDecodeError,
  type TextEncodingName,
} from './textDecoding.ts';

function utf16(text: string, littleEndian: boolean, bom = true): Uint8Array {
  const bytes: number[] = bom ? (littleEndian ? [0xff, 0xfe] : [0xfe, 0xff]) : [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (littleEndian) bytes.push(unit & 0xff, unit >> 8);
    else bytes.push(unit >> 8, unit & 0xff);
  }
  return new Uint8Array(bytes);
}

const encode = (text: string) => new TextEncoder().encode(text);

/**
 * How many bytes a streaming UTF-8 decoder reads before it fails on `bytes` (the byte that shows
 * the text is not UTF-8), or undefined when it fails only at the end (a character cut) or never.
 */
function failsAfter(bytes: Uint8Array): number | undefined {
  for (let end = 1; end <= bytes.length; end++)
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
    } catch {
      return end;
    }
  return undefined;
}

/** Decodes `bytes` fed in pieces cut at `cuts`. */
function decodeIn(encoding: TextEncodingName, bytes: Uint8Array, cuts: number[]): string {
  const decoder = createTextStreamDecoder(encoding, 't.csv');
  let text = '';
  let start = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length]) {
    text += decoder.decode(bytes.subarray(start, cut)).text;
    start = cut;
  }
  return text + decoder.end().text;
}

const SAMPLE = 'id;name\r\nE1;Zoë – Café 😀\r\n';

describe('detectEncoding and decoding', () => {
  const cases: { description: string; bytes: Uint8Array; encoding: TextEncodingName }[] = [
    { description: 'UTF-8 without BOM', bytes: encode(SAMPLE), encoding: 'utf-8' },
    {
      description: 'UTF-8 with BOM',
      bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...encode(SAMPLE)]),
      encoding: 'utf-8-bom',
    },
    { description: 'UTF-16 LE with BOM', bytes: utf16(SAMPLE, true), encoding: 'utf-16le' },
    { description: 'UTF-16 BE with BOM', bytes: utf16(SAMPLE, false), encoding: 'utf-16be' },
  ];
  for (const c of cases) {
    it(`${c.description}: detected, and decoded the same whatever the cuts`, () => {
      expect(detectEncoding(c.bytes).encoding).toBe(c.encoding);
      expect(sniffCsvLayout(c.bytes)).toMatchObject({
        encoding: c.encoding,
        delimiter: ';',
        lineEnding: '\r\n',
      });
      for (let cut = 0; cut <= c.bytes.length; cut++)
        expect(decodeIn(c.encoding, c.bytes, [cut])).toBe(SAMPLE);
    });
  }

  it('Windows-1252 by the WHATWG table (0x96 is an en dash, not U+0096), as the samples generator', () => {
    const bytes = new Uint8Array([0x5a, 0x6f, 0xeb, 0x20, 0x96, 0x20, 0x80, 0x9f, 0xba]);
    expect(detectEncoding(bytes).encoding).toBe('windows-1252');
    expect(decodeIn('windows-1252', bytes, [3])).toBe('Zoë – €Ÿº');
    expect(decodeIn('windows-1252', bytes, [])).toBe(decodeWindows1252(bytes));
  });

  const invalid: { description: string; encoding: TextEncodingName; bytes: Uint8Array; offset: number }[] = [
    {
      description: 'a lone UTF-8 continuation byte',
      encoding: 'utf-8',
      bytes: new Uint8Array([0x61, 0x62, 0x80, 0x63]),
      offset: 2,
    },
    {
      description: 'a Windows-1252 byte in UTF-8',
      encoding: 'utf-8',
      bytes: new Uint8Array([0x5a, 0x6f, 0xeb, 0x0a]),
      offset: 2,
    },
    {
      description: 'a UTF-8 character cut at the end',
      encoding: 'utf-8',
      bytes: new Uint8Array([0x61, 0xe2, 0x82]),
      offset: 1,
    },
    {
      description: 'an undefined Windows-1252 byte',
      encoding: 'windows-1252',
      bytes: new Uint8Array([0x61, 0x62, 0x63, 0x81]),
      offset: 3,
    },
    {
      description: 'a lone UTF-16 surrogate',
      encoding: 'utf-16le',
      bytes: new Uint8Array([0xff, 0xfe, 0x61, 0, 0x00, 0xdc, 0x62, 0]),
      offset: 4,
    },
  ];
  for (const c of invalid) {
    it(`says where bytes are invalid: ${c.description}, for any cut`, () => {
      for (let cut = 0; cut <= c.bytes.length; cut++) {
        let error: unknown;
        try {
          decodeIn(c.encoding, c.bytes, [cut]);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(TextDecodeError);
        expect((error as TextDecodeError).byteOffset).toBe(c.offset);
      }
    });
  }

  it('UTF-8 in any pieces: the text of one whole decode, or an error from the piece with the bad byte', () => {
    // valid characters of every length, bytes that are not UTF-8 and cut or wrong sequences
    const piece = fc.oneof(
      fc.constantFrom('a', '\n', 'é', '–', '😀', '\ufeff').map((t) => [...encode(t)]),
      fc.constantFrom(
        [0x80],
        [0xc0, 0x80],
        [0xed, 0xa0, 0x80],
        [0xe0, 0x80],
        [0xf4, 0x90],
        [0xf8],
        [0xe2, 0x82],
      ),
    );
    const whole = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(piece, { maxLength: 12 }),
        fc.array(fc.nat(40), { maxLength: 4 }),
        (bom, pieces, cuts) => {
          const bytes = new Uint8Array([...(bom ? [0xef, 0xbb, 0xbf] : []), ...pieces.flat()]);
          const bad = firstInvalidUtf8Offset(bytes);
          const detected = failsAfter(bytes);
          const decoder = createTextStreamDecoder(bom ? 'utf-8-bom' : 'utf-8', 't.json');
          const ends = [...new Set([...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length])];
          ends.sort((x, y) => x - y);
          let text = '';
          let start = 0;
          let next = bom ? 3 : 0;
          try {
            for (const end of ends) {
              const decoded = decoder.decode(bytes.subarray(start, end));
              // each piece says the byte offset its text starts at
              if (decoded.text) expect(decoded.byteStart).toBe(next);
              if (decoded.text) next = decoded.byteStart + encode(decoded.text).length;
              text += decoded.text;
              expect(detected === undefined || detected > end).toBe(true);
              start = end;
            }
            text += decoder.end().text;
          } catch (error) {
            if (!(error instanceof TextDecodeError)) throw error;
            expect(error.byteOffset).toBe(bad);
            // not held over to a later piece: thrown by the piece the streaming decoder fails in,
            // or by end() for a character cut at the end
            if (detected === undefined) expect(start).toBe(bytes.length);
            else expect(detected > start && detected <= (ends.find((e) => e > start) ?? 0)).toBe(true);
            return;
          }
          expect(bad).toBe(-1);
          expect(text).toBe(whole.decode(bytes.subarray(bom ? 3 : 0)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads encoding names people type', () => {
    expect(parseEncodingName('UTF8')).toBe('utf-8');
    expect(parseEncodingName('cp1252')).toBe('windows-1252');
    expect(parseEncodingName('latin1')).toBe('windows-1252');
    expect(parseEncodingName('ebcdic')).toBeUndefined();
  });
});

describe('text positions → byte offsets', () => {
  // mostly ASCII with some 2-, 3- and 4-byte characters, as extracts are (the index skips ASCII by words)
  const textArb = fc
    .array(
      fc.oneof(fc.string({ unit: 'grapheme', maxLength: 3 }), fc.constantFrom('abcdefgh', 'é', '€', '𝄞')),
      {
        maxLength: 60,
      },
    )
    .map((parts) => parts.join(''));
  it.each([
    { description: 'counting the text', charWidths: false, bom: false },
    { description: "with the decoder's index of wide characters", charWidths: true, bom: false },
    { description: 'with the index, after a byte-order mark', charWidths: true, bom: true },
  ])(
    'map every character back to its byte offset, for any UTF-8 text and cuts ($description)',
    ({ charWidths, bom }) => {
      fc.assert(
        fc.property(textArb, fc.array(fc.nat(300), { maxLength: 4 }), (text, cuts) => {
          const prefix = bom ? 3 : 0;
          const bytes = bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...encode(text)]) : encode(text);
          const decoder = createTextStreamDecoder(bom ? 'utf-8-bom' : 'utf-8', 't', 0, { charWidths });
          const positions = createTextPositions('utf-8');
          let start = 0;
          // (a first piece shorter than the byte-order mark is not one the engine reads)
          const sorted = [...cuts.filter((c) => c < bytes.length && c >= prefix).sort((a, b) => a - b)];
          for (const cut of [...sorted, bytes.length]) {
            const piece = decoder.decode(bytes.subarray(start, cut));
            if (charWidths && piece.text !== '') expect(piece.wide).toBeDefined();
            positions.add(piece);
            start = Math.max(start, cut);
          }
          positions.add(decoder.end());
          for (let i = 0; i <= text.length; i++) {
            if (i < text.length && text.charCodeAt(i) >= 0xdc00 && text.charCodeAt(i) <= 0xdfff) continue;
            expect(positions.byteOf(i)).toBe(prefix + encode(text.slice(0, i)).length);
          }
        }),
      );
    },
  );
});
