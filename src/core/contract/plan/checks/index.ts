/**
 * The plan check rules, one per file, in one table: the plan compiler, the report legend, the
 * docs and the tests iterate over it. Also the two row-level rules the plan runs
 * itself (`required`, and columns a closed contract does not allow).
 */
import type { PlanCheck } from '../types.ts';
import { constRule } from './const.ts';
import { enumRule } from './enum.ts';
import { exclusiveMaximumRule } from './exclusiveMaximum.ts';
import { exclusiveMinimumRule } from './exclusiveMinimum.ts';
import { formatRule } from './format.ts';
import { maximumRule } from './maximum.ts';
import { maxLengthRule } from './maxLength.ts';
import { minimumRule } from './minimum.ts';
import { minLengthRule } from './minLength.ts';
import { patternRule } from './pattern.ts';
import type { PlanCheckRule } from './rule.ts';
import { typeRule } from './type.ts';

/** Every keyword check, by keyword. `type` first: ajv reports it first too. */
export const PLAN_CHECK_RULES: readonly PlanCheckRule[] = [
  typeRule,
  constRule,
  enumRule,
  patternRule,
  formatRule,
  minLengthRule,
  maxLengthRule,
  minimumRule,
  maximumRule,
  exclusiveMinimumRule,
  exclusiveMaximumRule,
] as unknown as readonly PlanCheckRule[];

/** The rule of a check kind. */
export function ruleOf(kind: PlanCheck['kind']): PlanCheckRule {
  return PLAN_CHECK_RULES.find((r) => r.keyword === kind) as PlanCheckRule;
}

/** Row-level rules of a column contract (not keyword checks of one property). */
export const CONTRACT_ROW_RULES = {
  required: {
    id: 'contract.required',
    keyword: 'required',
    severity: 'error',
    code: 'required',
    describe: 'A column the contract requires is empty.',
    message: 'is required but empty',
  },
  additionalProperties: {
    id: 'contract.additionalProperties',
    keyword: 'additionalProperties',
    severity: 'error',
    code: 'structure',
    describe: 'A cell is filled in a column the contract does not have.',
    message: 'is not a column of the contract, but the cell is filled',
  },
} as const;

/** Rule id of any JSON Schema keyword ajv reports (keywords outside the plan keep the same scheme). */
export function contractRuleId(keyword: string): string {
  return `contract.${keyword}`;
}

const PREFIX = 'contract.';

/** A contract rule id in words (the rule's own description; the id itself for a rule the plan does not know). */
export function describeContractRule(rule: string): string {
  const keyword = rule.startsWith(PREFIX) ? rule.slice(PREFIX.length) : rule;
  const row = (CONTRACT_ROW_RULES as Record<string, { describe: string } | undefined>)[keyword];
  if (row) return row.describe;
  const check = ruleOf(keyword as Parameters<typeof ruleOf>[0]) as { describe?: string } | undefined;
  return check?.describe ?? `The contract’s “${keyword}” check fails.`;
}
