import type { PlanCheck } from '../types.ts';
import { finiteNumber, type PlanCheckRule } from './rule.ts';

type Check = Extract<PlanCheck, { kind: 'maximum' }>;

/** `maximum`: a numeric cell is at most the limit. */
export const maximumRule: PlanCheckRule<Check> = {
  id: 'contract.maximum',
  keyword: 'maximum',
  severity: 'error',
  code: 'value',
  describe: 'The number is outside the range the contract allows.',
  compile(value) {
    const limit = finiteNumber(value);
    return typeof limit === 'number' ? { kind: 'maximum', limit } : limit;
  },
  prepare(check) {
    const limit = check.limit;
    return (value) => typeof value !== 'number' || value <= limit;
  },
  prepareText() {
    return true; // text is not a number: the limit does not apply
  },
  message(check) {
    return `must be at most ${check.limit}`;
  },
};
