import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteSizeWords } from './index.ts';

const KB = 1024;
const MB = KB * KB;
const GB = MB * KB;

describe('byteSizeWords', () => {
  it.each([
    { description: 'no bytes', bytes: 0, expected: '0 bytes' },
    { description: 'one byte', bytes: 1, expected: '1 byte' },
    { description: 'under a kilobyte', bytes: 700, expected: '700 bytes' },
    { description: 'a kilobyte and a half', bytes: 1536, expected: '1.5 KB' },
    { description: 'a bound of 20 MiB', bytes: 20 * MB, expected: '20 MB' },
    { description: 'the OCEL SQLite bound', bytes: 512 * MB, expected: '512 MB' },
    { description: 'a byte over the OCEL SQLite bound', bytes: 512 * MB + 1, expected: '513 MB' },
    { description: 'the least a text may unpack to', bytes: GB, expected: '1 GB' },
    { description: 'a size just under a gigabyte', bytes: GB - 1, expected: '1 GB' },
    { description: 'a fraction rounded up', bytes: 4.41 * MB, expected: '4.5 MB' },
    { description: 'just under ten of a unit', bytes: 9.99 * MB, expected: '10 MB' },
    { description: 'a sixty-fourth of a terabyte and more', bytes: 2048 * GB, expected: '2 TB' },
  ])('$description: $expected', ({ bytes, expected }) => {
    expect(byteSizeWords(bytes)).toBe(expected);
  });

  it('never reads a size as less than it is, nor a unit larger than it needs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 50 }), (bytes) => {
        const words = byteSizeWords(bytes);
        const match = /^([\d,.]+) (bytes?|KB|MB|GB|TB)$/.exec(words);
        expect(match, words).not.toBeNull();
        const [, figure = '', unit = ''] = match ?? [];
        const scale = { byte: 1, bytes: 1, KB, MB, GB, TB: GB * KB }[unit] ?? Number.NaN;
        const shown = Number(figure.replaceAll(',', ''));
        expect(shown * scale).toBeGreaterThanOrEqual(bytes);
        if (unit !== 'TB') expect(shown).toBeLessThanOrEqual(1024);
      }),
    );
  });
});
