import { describe, expect, it } from 'vitest';
import { compilePlan, describeContractRule } from '../../contract/index.ts';
import { flaggedReasons } from './flaggedReasons.ts';

/** A contract: id required, code two upper-case letters, sex M/F/U. */
const CONTRACT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['id', 'code'],
  properties: {
    id: { type: 'string' },
    code: { type: 'string', pattern: '^[A-Z]{2}$' },
    sex: { enum: ['M', 'F', 'U'] },
  },
};
const PLAN = compilePlan(CONTRACT);
const HEADER = ['id', 'code', 'sex'];

describe('flaggedReasons: the contract checks that fail on the row', () => {
  it.each([
    { description: 'a clean row: nothing', cells: ['1', 'AB', 'F'], reasons: [], cellCount: undefined },
    {
      description: 'a pattern error names the column',
      cells: ['1', 'ab', 'F'],
      reasons: [['contract.pattern', 'code']],
      cellCount: undefined,
    },
    {
      description: 'an empty required cell',
      cells: ['', 'AB', 'F'],
      reasons: [['contract.required', 'id']],
      cellCount: undefined,
    },
    {
      description: 'two errors in two columns, each once',
      cells: ['1', 'a', 'Male'],
      reasons: [
        ['contract.pattern', 'code'],
        ['contract.enum', 'sex'],
      ],
      cellCount: undefined,
    },
    {
      description: 'a short row: the cell count, and the required cell it lacks',
      cells: ['1'],
      reasons: [['contract.required', 'code']],
      cellCount: { header: 3, row: 1 },
    },
  ])('$description', ({ cells, reasons, cellCount }) => {
    const found = flaggedReasons(PLAN, HEADER, cells);
    expect(found.reasons.map((r) => [r.rule, r.column])).toEqual(reasons);
    expect(found.cellCount).toEqual(cellCount);
    expect(found.incomplete).toBe(false);
    // no cell value in what is returned
    for (const cell of cells.filter((c) => c.length > 1)) expect(JSON.stringify(found)).not.toContain(cell);
  });

  it('says when some of the contract checks only the full validation runs', () => {
    const plan = compilePlan({
      ...CONTRACT,
      properties: { ...CONTRACT.properties, id: { not: { const: 'x' } } },
    });
    expect(flaggedReasons(plan, HEADER, ['1', 'AB', 'F']).incomplete).toBe(true);
  });
});

describe('describeContractRule', () => {
  it.each([
    ['contract.required', 'A column the contract requires is empty.'],
    ['contract.pattern', 'The cell does not have the layout the contract agrees (its pattern).'],
    ['contract.enum', 'The cell is not one of the values the contract allows.'],
    ['contract.uniqueItems', 'The contract’s “uniqueItems” check fails.'],
  ])('%s', (rule, words) => {
    expect(describeContractRule(rule)).toBe(words);
  });
});
