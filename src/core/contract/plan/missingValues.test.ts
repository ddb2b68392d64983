/**
 * A plan's `missingValues` (a Table Schema's "NA", "-"): recorded in the contract's `$comment`,
 * read back by the plan, and empty cells for every check — `check`, the per-cell verdicts the
 * profiles use, and the row object ajv sees — exactly as "" is. Without them, "NA" is a value.
 */
import { describe, expect, it } from 'vitest';
import { withNotChecked } from '../notChecked.ts';
import { compilePlan } from './compilePlan.ts';
import { CELL_FAILS, createPlanRunner, ROW_INVALID, ROW_VALID } from './runPlan.ts';

const CONTRACT = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
};
const withMissing = withNotChecked(CONTRACT, { notChecked: [], missingValues: ['', 'NA', '-'] });

describe('missing values in the plan', () => {
  it('are read back from the contract, without ""', () => {
    expect(compilePlan(withMissing).missingValues).toEqual(['NA', '-']);
    expect(compilePlan(CONTRACT).missingValues).toBeUndefined();
  });

  it.each([
    { row: ['P1', '34'], plain: ROW_VALID, missing: ROW_VALID },
    { row: ['P1', 'NA'], plain: ROW_INVALID, missing: ROW_VALID },
    { row: ['P1', '-'], plain: ROW_INVALID, missing: ROW_VALID },
    { row: ['P1', 'na'], plain: ROW_INVALID, missing: ROW_INVALID },
    { row: ['NA', '34'], plain: ROW_VALID, missing: ROW_INVALID },
    { row: ['P1', '-1'], plain: ROW_INVALID, missing: ROW_INVALID },
  ])('$row', ({ row, plain, missing }) => {
    const header = ['id', 'age'];
    const without = createPlanRunner(compilePlan(CONTRACT), header);
    const runner = createPlanRunner(compilePlan(withMissing), header);
    expect(without.check(row)).toBe(plain);
    expect(runner.check(row)).toBe(missing);
    // the cell verdicts agree with check: a row is valid exactly when every verdict is 0
    const verdicts = row.map((cell, i) => {
      const column = runner.columns[i];
      if (!column) return 0;
      return cell === '' ? column.empty : column.of(cell);
    });
    expect(verdicts.some((v) => (v & CELL_FAILS) !== 0)).toBe(missing === ROW_INVALID);
    // ajv sees a missing cell as absent
    const object = runner.rowObject(row);
    for (const [i, name] of header.entries())
      expect(name in object).toBe(!['', 'NA', '-'].includes(row[i] as string));
  });
});
