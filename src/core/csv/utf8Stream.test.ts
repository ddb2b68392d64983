/**
 * `utf8ByteOfChar`: the byte offset of a character of decoded UTF-8 text, for any text (one- to
 * four-byte characters, with or without a byte-order mark), any chunk size and any character
 * boundary. fast-check prints the seed of a failure; pin it below as a case.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8ByteOfChar } from './utf8Stream.ts';

const BOM = '\uFEFF';

/** A file of `text`'s UTF-8 bytes, read in pieces of at most the length asked. */
function fileOf(text: string) {
  const bytes = new TextEncoder().encode(text);
  return {
    size: bytes.length,
    read: async (offset: number, length: number) => bytes.slice(offset, offset + length),
  };
}

/** Characters of every UTF-8 length: ASCII, é (2 bytes), € (3), 😀 (4, a surrogate pair). */
const charArb = fc.constantFrom('a', ',', '\n', 'é', '€', '😀');

describe('utf8ByteOfChar', () => {
  it.each([
    { text: 'id,name\n', at: 3, byte: 3 },
    { text: `${BOM}id,name\n`, at: 0, byte: 3 },
    { text: `${BOM}id,é\nx`, at: 5, byte: 9 },
    { text: 'a😀b', at: 3, byte: 5 },
    { text: 'a€', at: 2, byte: 4 },
  ])('$text at character $at is byte $byte', async ({ text, at, byte }) => {
    // `at` counts the decoded text, which holds no byte-order mark
    expect(await utf8ByteOfChar(fileOf(text), at, 2)).toBe(byte);
  });

  it('equals the byte length of the text before the character, for any text and chunking (seed printed on failure)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(charArb, { maxLength: 40 }),
        fc.integer({ min: 1, max: 9 }),
        fc.nat(),
        async (bom, chars, chunk, pick) => {
          const text = chars.join('');
          // a boundary between characters, counted in UTF-16 code units as the reader counts
          const before = chars.slice(0, pick % (chars.length + 1)).join('');
          const expected = new TextEncoder().encode(`${bom ? BOM : ''}${before}`).length;
          expect(await utf8ByteOfChar(fileOf(`${bom ? BOM : ''}${text}`), before.length, chunk)).toBe(
            expected,
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
