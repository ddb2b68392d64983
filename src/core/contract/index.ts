/**
 * The column contract's surface (`src/core/contract/`): compiling a contract (JSON Schema per
 * column) with its dialect and the backtracking check of its patterns, and the declarative plan the
 * contract compiles to, with the checks that run it. The CSV engine, the mapping editor and the
 * CLI import it through this file only; the files behind it are internal (lint refuses a deep
 * import, see docs/conventions.md#module-surfaces).
 */
export type { ContractDialect } from './columnContract.ts';
export {
  compileColumnContract,
  contractDialect,
  contractPatternPlaces,
  isColumnContract,
  regexCheckerFor,
} from './columnContract.ts';
export type { ExpectedHeader, HeaderComparison, HeaderProblem } from './headerMatch.ts';
export {
  closestHeader,
  compareHeader,
  describeHeaderProblem,
  expectedHeaderOf,
  headerMessage,
  looksRenamed,
  withHeaderIssues,
} from './headerMatch.ts';
export {
  missingValuesOf,
  NUMBER_LINE,
  type NumberChars,
  notCheckedOf,
  numberCharsOf,
  withNotChecked,
} from './notChecked.ts';
export { CONTRACT_ROW_RULES, contractRuleId, describeContractRule, ruleOf } from './plan/checks/index.ts';
export { compilePlan } from './plan/compilePlan.ts';
export { blankMissing, createPlanRunner, ROW_INVALID, ROW_NEEDS_FULL, ROW_VALID } from './plan/runPlan.ts';
export type { ColumnPlan, PlanCheck, ValidationPlan } from './plan/types.ts';
export { LAYOUT_COMMENT } from './plan/types.ts';
export type { RegexChecker } from './regexSafety.ts';
