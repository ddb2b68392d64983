/** Encodings named to people: each choice on the card is told apart, a BOM said where it is. */
import { describe, expect, it } from 'vitest';
import { ENCODING_TITLES, textDecodeWords } from './textWords.ts';

describe('encoding words', () => {
  it('names each encoding apart, UTF-8 with its byte-order mark as such', () => {
    expect(ENCODING_TITLES['utf-8-bom']).toBe('UTF-8 with BOM');
    expect(new Set(Object.values(ENCODING_TITLES)).size).toBe(Object.keys(ENCODING_TITLES).length);
  });

  it('says a byte is not valid UTF-8 text whether or not the file has a mark', () => {
    const words = textDecodeWords({ byteOffset: 10, encoding: 'utf-8-bom', source: 'p.csv', line: 2 });
    expect(words.message).toMatch(/^p\.csv is not valid UTF-8 text: /);
  });
});
