import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyHashes, UnknownColumnError } from '../../validation/index.ts';
import { isRepeatedKey, KeyHashCounter, repeatedKeys } from './keyRepeats.ts';

const LAYOUT = { encoding: 'utf-8', delimiter: ',', quote: '"', lineEnding: '\n', header: true } as const;

function source(text: string) {
  const bytes = new TextEncoder().encode(text);
  return {
    name: 'f.csv',
    size: bytes.length,
    read: async (o: number, l: number) => bytes.subarray(o, o + l),
  };
}

describe('repeatedKeys', () => {
  const cases: { description: string; input: string; repeated: string[]; not: string[] }[] = [
    { description: 'no repeats', input: 'id,x\na,1\nb,2\n', repeated: [], not: ['a', 'b'] },
    { description: 'a key twice, another once', input: 'id,x\na,1\nb,2\na,3\n', repeated: ['a'], not: ['b'] },
    { description: 'empty keys are not keys', input: 'id,x\n,1\n,2\nc,3\n', repeated: [], not: ['', 'c'] },
    {
      description: 'keys are exact text (no trimming)',
      input: 'id,x\na,1\n"a ",2\n',
      repeated: [],
      not: ['a', 'a '],
    },
    {
      description: 'a quoted line break does not split a record',
      input: 'id,x\na,"1\n2"\na,3\n',
      repeated: ['a'],
      not: ['2"'],
    },
  ];
  it.each(cases)('$description', async ({ input, repeated, not }) => {
    const found = await repeatedKeys(source(input), LAYOUT, 'id', { chunkBytes: 3 });
    for (const key of repeated) expect(isRepeatedKey(found, key)).toBe(true);
    for (const key of not) expect(isRepeatedKey(found, key)).toBe(false);
  });

  it('says which column is missing', async () => {
    await expect(repeatedKeys(source('mrn,x\na,1\n'), LAYOUT, 'id')).rejects.toBeInstanceOf(
      UnknownColumnError,
    );
  });

  it('the counter agrees with a Map for any keys (through growth)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 3000 }), (keys) => {
        const counter = new KeyHashCounter();
        const reference = new Map<string, number>();
        for (const k of keys) {
          const [a, b] = keyHashes(k);
          counter.add(a, b);
          reference.set(k, (reference.get(k) ?? 0) + 1);
        }
        expect(counter.size).toBe(reference.size);
        const repeated = counter.repeatedOnly();
        for (const [k, n] of reference) expect(isRepeatedKey(repeated, k)).toBe(n > 1);
      }),
      { numRuns: 30 },
    );
  });
});
