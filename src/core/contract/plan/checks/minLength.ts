import type { PlanCheck } from '../types.ts';
import { codePointLength, lengthLimit, type PlanCheckRule } from './rule.ts';

type Check = Extract<PlanCheck, { kind: 'minLength' }>;

/** `minLength`: a text cell has at least this many characters (Unicode code points, as ajv counts). */
export const minLengthRule: PlanCheckRule<Check> = {
  id: 'contract.minLength',
  keyword: 'minLength',
  severity: 'error',
  code: 'value',
  describe: 'The cell is shorter than the contract allows.',
  compile(value) {
    const limit = lengthLimit(value);
    return typeof limit === 'number' ? { kind: 'minLength', limit } : limit;
  },
  prepare(check) {
    const limit = check.limit;
    // a string has between ⌈units / 2⌉ and units code points: count only when that does not decide
    return (value) =>
      typeof value !== 'string' ||
      (value.length >= limit && ((value.length + 1) >> 1 >= limit || codePointLength(value) >= limit));
  },
  prepareText(check) {
    const limit = check.limit;
    return (text) =>
      text.length >= limit && ((text.length + 1) >> 1 >= limit || codePointLength(text) >= limit);
  },
  message(check) {
    return `must have at least ${check.limit} characters`;
  },
};
