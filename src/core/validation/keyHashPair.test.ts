import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyHashA, keyHashB, keyHashes, keyHashPair, keyHashPairB } from './keySet.ts';

describe('key hashes in one pass', () => {
  it('give keyHashA and keyHashB of the same text, for any text', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: fc.constantFrom('0', '9', 'é', '\u0000', '\uffff', '\ud83d', '😀'), maxLength: 20 }),
      fc.integer({ min: 0, max: 99_999_999 }).map(String),
    );
    fc.assert(
      fc.property(text, (key) => {
        const a = keyHashPair(key);
        expect([a, keyHashPairB()]).toEqual([keyHashA(key), keyHashB(key)]);
        expect(keyHashes(key)).toEqual([keyHashA(key), keyHashB(key)]);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    { description: 'the empty text', key: '' },
    { description: 'an MRN', key: '10000001' },
    { description: 'a name with an accent', key: 'José' },
  ])('give the same pair as the two functions for $description', ({ key }) => {
    expect(keyHashPair(key)).toBe(keyHashA(key));
    expect(keyHashPairB()).toBe(keyHashB(key));
  });
});
