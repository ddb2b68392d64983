import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FailingRowIndex } from '../../../workers/validateApi.ts';
import { createIssueRows } from '../../core/validation/index.ts';
import { failingPosition, filterPositions } from './FailingRowsList.tsx';

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

describe('filterPositions (an issue → its rows in the drill-down)', () => {
  const rows = createIssueRows();
  rows.add('contract.format', 'birth_date', 0);
  rows.add('contract.format', 'birth_date', 3);
  rows.add('contract.required', 'mrn', 1);
  const index = {
    input: 'patients.csv',
    count: 4,
    rows: Uint32Array.from([2, 5, 9, 11]),
    issues: rows.state().groups,
  } as unknown as FailingRowIndex;
  it.each([
    {
      description: 'an issue of the file',
      rule: 'contract.format',
      location: 'birth_date',
      expected: [0, 3],
    },
    { description: 'another column', rule: 'contract.format', location: 'mrn', expected: undefined },
    { description: 'another rule', rule: 'contract.required', location: 'mrn', expected: [1] },
  ])('$description', ({ rule, location, expected }) => {
    const positions = filterPositions([index], { input: 'patients.csv', rule, location });
    expect(positions === undefined ? undefined : [...positions]).toEqual(expected);
    expect(filterPositions([index], { input: 'other.csv', rule, location })).toBeUndefined();
  });
});
