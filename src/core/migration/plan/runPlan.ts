/**
 * Runs a {@link ValidationPlan} on rows of cells (DESIGN.md 3: each row is the object of its
 * header's names; cells are strings; empty cells are absent; numbers and booleans by coercion).
 * The hot loop of validation: per row it touches each planned column once, with checks prepared
 * once per run. Rows the plan fails, and rows that need full validation, go to ajv (allErrors) for
 * the complete messages; the verdict of ajv and of the plan agree (property-tested).
 */
import { CONTRACT_ROW_RULES, ruleOf } from './checks/index.ts';
import type { CellValue, Coercion, ColumnPlan, PlanCheck, ValidationPlan } from './types.ts';

/** A JSON number as text (JSON's grammar: no leading zeros, no "+", no bare "."). */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * The value a cell's text becomes for a column with `coerce` (DESIGN.md 3: "numeric and boolean
 * schema types are checked by coercion"). Text that does not coerce stays text, so the `type`
 * check reports it.
 */
export function coerceCell(text: string, coerce: Coercion | undefined): CellValue {
  if (coerce === undefined) return text;
  if (coerce !== 'number' && (text === 'true' || text === 'false')) return text === 'true';
  if (coerce !== 'boolean' && JSON_NUMBER.test(text)) {
    const number = Number(text);
    if (Number.isFinite(number)) return number;
  }
  return text;
}

/** The verdict of the plan on one row. */
export const ROW_VALID = 0;
export const ROW_INVALID = 1;
/** the plan cannot decide (a column or the root needs full validation) */
export const ROW_NEEDS_FULL = 2;

/** One failed check of a row. */
export interface PlanFailure {
  /** rule id (`contract.<keyword>`) */
  rule: string;
  /** the column (contract property or header name) */
  column: string;
  /** index of the cell in the row, or -1 when the column is not in the header */
  index: number;
}

/** A plan prepared for one header. */
export interface PlanRunner {
  /**
   * Checks a row. Returns {@link ROW_VALID}, {@link ROW_INVALID} (see `failures`) or
   * {@link ROW_NEEDS_FULL} (failures found so far are still listed).
   */
  check(fields: readonly string[]): number;
  /** the failures of the last {@link PlanRunner.check} (reused between calls: copy what you keep) */
  readonly failures: PlanFailure[];
  /** The row as the contract sees it (for ajv): header name → coerced value, empty cells absent. */
  rowObject(fields: readonly string[]): Record<string, CellValue>;
  /** the coercion of each header column (undefined: text) */
  readonly coercions: readonly (Coercion | undefined)[];
}

interface PreparedColumn {
  plan: ColumnPlan;
  index: number;
  tests: ((value: CellValue) => boolean)[];
  ruleIds: string[];
}

/** Prepares `plan` for rows read with `header`. */
export function createPlanRunner(plan: ValidationPlan, header: readonly string[]): PlanRunner {
  const firstIndex = new Map<string, number>();
  const repeated = new Set<string>();
  header.forEach((name, i) => {
    if (firstIndex.has(name)) repeated.add(name);
    else firstIndex.set(name, i);
  });
  const planned = new Map(plan.columns.map((c) => [c.column, c]));
  const prepared: PreparedColumn[] = [];
  const missingRequired: string[] = [];
  for (const column of plan.columns) {
    const index = firstIndex.get(column.column);
    if (index === undefined) {
      if (column.required) missingRequired.push(column.column);
      continue;
    }
    prepared.push({
      plan: column,
      index,
      tests: column.checks.map((check) => ruleOf(check.kind).prepare(check as never)),
      ruleIds: column.checks.map((check: PlanCheck) => ruleOf(check.kind).id),
    });
  }
  // header columns the contract does not name: errors when filled in a closed contract
  const extras: { index: number; column: string }[] = [];
  header.forEach((name, i) => {
    const column = planned.get(name);
    if ((!column && plan.closed) || column?.allowed === false) extras.push({ index: i, column: name });
  });
  // a name the contract describes, twice in the header: the row object keeps the last filled cell;
  // leave that to ajv. (A repeated name the contract does not describe is checked per cell above.)
  const repeatedIndexes = header.flatMap((name, i) => (repeated.has(name) && planned.has(name) ? [i] : []));
  const coercions = header.map((name) => planned.get(name)?.coerce);
  const rootFull = plan.full !== undefined;
  const failures: PlanFailure[] = [];

  return {
    failures,
    coercions,
    check(fields) {
      failures.length = 0;
      let full = rootFull;
      for (const name of missingRequired) {
        failures.push({ rule: CONTRACT_ROW_RULES.required.id, column: name, index: -1 });
      }
      for (const index of repeatedIndexes) {
        const cell = fields[index];
        if (cell !== undefined && cell !== '') full = true;
      }
      for (let c = 0; c < prepared.length; c++) {
        const column = prepared[c] as PreparedColumn;
        const text = fields[column.index];
        if (text === undefined || text === '') {
          if (column.plan.required) {
            failures.push({
              rule: CONTRACT_ROW_RULES.required.id,
              column: column.plan.column,
              index: column.index,
            });
          }
          continue;
        }
        if (column.plan.full) full = true;
        const value = column.plan.coerce === undefined ? text : coerceCell(text, column.plan.coerce);
        const tests = column.tests;
        for (let t = 0; t < tests.length; t++) {
          if (!(tests[t] as (value: CellValue) => boolean)(value)) {
            failures.push({
              rule: column.ruleIds[t] as string,
              column: column.plan.column,
              index: column.index,
            });
          }
        }
      }
      for (const extra of extras) {
        const text = fields[extra.index];
        if (text !== undefined && text !== '') {
          failures.push({
            rule: CONTRACT_ROW_RULES.additionalProperties.id,
            column: extra.column,
            index: extra.index,
          });
        }
      }
      if (full) return ROW_NEEDS_FULL;
      return failures.length > 0 ? ROW_INVALID : ROW_VALID;
    },
    rowObject(fields) {
      const row = Object.create(null) as Record<string, CellValue>;
      for (let i = 0; i < header.length; i++) {
        const text = fields[i];
        if (text === undefined || text === '') continue;
        row[header[i] as string] = coerceCell(text, coercions[i]);
      }
      return row;
    },
  };
}
