import type { PlanCheck } from '../types.ts';
import { CANNOT_EXPRESS, isScalar, type PlanCheckRule } from './rule.ts';

type EnumCheck = Extract<PlanCheck, { kind: 'enum' }>;

/** `enum`: the cell is one of the listed values (objects and arrays in the list need full validation). */
export const enumRule: PlanCheckRule<EnumCheck> = {
  id: 'contract.enum',
  keyword: 'enum',
  severity: 'error',
  code: 'value',
  describe: 'The cell is not one of the values the contract allows.',
  compile(value) {
    if (!Array.isArray(value) || !value.every(isScalar)) return CANNOT_EXPRESS;
    return { kind: 'enum', values: value };
  },
  prepare(check) {
    const allowed = new Set<unknown>(check.values);
    return (value) => allowed.has(value);
  },
  message(check) {
    return `must be one of: ${check.values.map((v) => JSON.stringify(v)).join(', ')}`;
  },
};
