import type { PlanCheck } from '../types.ts';
import { CANNOT_EXPRESS, isScalar, type PlanCheckRule } from './rule.ts';

type ConstCheck = Extract<PlanCheck, { kind: 'const' }>;

/** `const`: the cell is exactly the given value. */
export const constRule: PlanCheckRule<ConstCheck> = {
  id: 'contract.const',
  keyword: 'const',
  severity: 'error',
  code: 'value',
  describe: 'The cell is not the one value the contract allows.',
  compile(value) {
    return isScalar(value) ? { kind: 'const', value } : CANNOT_EXPRESS;
  },
  prepare(check) {
    const expected = check.value;
    return (value) => value === expected;
  },
  message(check) {
    return `must be ${JSON.stringify(check.value)}`;
  },
};
