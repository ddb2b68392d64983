import type { PlanCheck } from '../types.ts';
import { CANNOT_EXPRESS, type PlanCheckRule } from './rule.ts';
import { shapeKind, shapeTest } from './textShape.ts';

type PatternCheck = Extract<PlanCheck, { kind: 'pattern' }>;

/** `pattern`: a text cell matches the regular expression (ECMAScript, "u" flag, as ajv). */
export const patternRule: PlanCheckRule<PatternCheck> = {
  id: 'contract.pattern',
  keyword: 'pattern',
  severity: 'error',
  code: 'value',
  describe: 'The cell does not have the layout the contract agrees (its pattern).',
  compile(value) {
    if (typeof value !== 'string') return CANNOT_EXPRESS;
    try {
      new RegExp(value, 'u');
    } catch {
      return CANNOT_EXPRESS;
    }
    return { kind: 'pattern', pattern: value };
  },
  prepare(check) {
    const regex = new RegExp(check.pattern, 'u');
    return (value) => typeof value !== 'string' || regex.test(value);
  },
  prepareText(check) {
    // a fixed layout (ids, codes, phone numbers) is compared character by character
    const shape = shapeTest(check.pattern);
    if (shape) return shape;
    const regex = new RegExp(check.pattern, 'u');
    return (text) => regex.test(text);
  },
  textKind(check) {
    return shapeKind(check.pattern);
  },
  message(check) {
    return check.layout ? `must be written as ${check.layout}` : `must match the pattern ${check.pattern}`;
  },
};
