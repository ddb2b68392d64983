import type { PlanCheck } from '../types.ts';
import { codePointLength, lengthLimit, type PlanCheckRule } from './rule.ts';

type Check = Extract<PlanCheck, { kind: 'maxLength' }>;

/** `maxLength`: a text cell has at most this many characters (Unicode code points, as ajv counts). */
export const maxLengthRule: PlanCheckRule<Check> = {
  id: 'contract.maxLength',
  keyword: 'maxLength',
  severity: 'error',
  code: 'value',
  describe: 'The cell is longer than the contract allows.',
  compile(value) {
    const limit = lengthLimit(value);
    return typeof limit === 'number' ? { kind: 'maxLength', limit } : limit;
  },
  prepare(check) {
    const limit = check.limit;
    // a string has at most as many code points as UTF-16 units: count only when it could be over
    return (value) => typeof value !== 'string' || value.length <= limit || codePointLength(value) <= limit;
  },
  prepareText(check) {
    const limit = check.limit;
    return (text) => text.length <= limit || codePointLength(text) <= limit;
  },
  message(check) {
    return `must have at most ${check.limit} characters`;
  },
};
