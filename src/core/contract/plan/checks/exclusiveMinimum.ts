import type { PlanCheck } from '../types.ts';
import { finiteNumber, type PlanCheckRule } from './rule.ts';

type Check = Extract<PlanCheck, { kind: 'exclusiveMinimum' }>;

/** `exclusiveMinimum`: a numeric cell is more than the limit. */
export const exclusiveMinimumRule: PlanCheckRule<Check> = {
  id: 'contract.exclusiveMinimum',
  keyword: 'exclusiveMinimum',
  severity: 'error',
  code: 'value',
  describe: 'The number is outside the range the contract allows.',
  compile(value) {
    const limit = finiteNumber(value);
    return typeof limit === 'number' ? { kind: 'exclusiveMinimum', limit } : limit;
  },
  prepare(check) {
    const limit = check.limit;
    return (value) => typeof value !== 'number' || value > limit;
  },
  prepareText() {
    return true; // text is not a number: the limit does not apply
  },
  message(check) {
    return `must be more than ${check.limit}`;
  },
};
