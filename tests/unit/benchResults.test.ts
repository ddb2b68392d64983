/**
 * tests/bench/RESULTS.md holds the current figures behind choices in the code, not their history
 * (which git keeps): a new measurement replaces the section it updates, and the whole file stays
 * under {@link MAX_BYTES}, short enough to be read.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const MAX_BYTES = 40 * 1024;
const text = readFileSync(new URL('../bench/RESULTS.md', import.meta.url), 'utf8');

describe('tests/bench/RESULTS.md', () => {
  it(`stays under ${MAX_BYTES / 1024} KB`, () => {
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(MAX_BYTES);
  });

  it('dates every section of figures', () => {
    const undated = [...text.matchAll(/^## (.*)$/gm)]
      .map((m) => m[1] as string)
      .filter((title) => title !== 'How to run and read' && !/\(.*\d{4}-\d{2}-\d{2}.*\)/.test(title));
    expect(undated).toEqual([]);
  });
});
