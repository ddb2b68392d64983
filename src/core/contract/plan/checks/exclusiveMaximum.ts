import type { PlanCheck } from '../types.ts';
import { finiteNumber, type PlanCheckRule } from './rule.ts';

type Check = Extract<PlanCheck, { kind: 'exclusiveMaximum' }>;

/** `exclusiveMaximum`: a numeric cell is less than the limit. */
export const exclusiveMaximumRule: PlanCheckRule<Check> = {
  id: 'contract.exclusiveMaximum',
  keyword: 'exclusiveMaximum',
  severity: 'error',
  code: 'value',
  describe: 'The number is outside the range the contract allows.',
  compile(value) {
    const limit = finiteNumber(value);
    return typeof limit === 'number' ? { kind: 'exclusiveMaximum', limit } : limit;
  },
  prepare(check) {
    const limit = check.limit;
    return (value) => typeof value !== 'number' || value < limit;
  },
  prepareText() {
    return true; // text is not a number: the limit does not apply
  },
  message(check) {
    return `must be less than ${check.limit}`;
  },
};
