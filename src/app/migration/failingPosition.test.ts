import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failingPosition } from './FailingRowsList.tsx';

describe('failingPosition (an example row → its place in the drill-down)', () => {
  it.each([
    [[], 1, -1],
    [[3], 3, 0],
    [[3], 4, -1],
    [[1, 5, 9, 12], 9, 2],
    [[1, 5, 9, 12], 1, 0],
    [[1, 5, 9, 12], 12, 3],
    [[1, 5, 9, 12], 6, -1],
  ])('%j, row %i → %i', (rows, row, at) => {
    expect(failingPosition(Uint32Array.from(rows), row)).toBe(at);
  });

  it('agrees with indexOf on any ascending rows', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 10_000 })),
        fc.integer({ min: 0, max: 10_001 }),
        (values, row) => {
          const rows = Uint32Array.from(values.sort((a, b) => a - b));
          expect(failingPosition(rows, row)).toBe(rows.indexOf(row));
        },
      ),
    );
  });
});
