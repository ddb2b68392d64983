/**
 * Runs a {@link ValidationPlan} on rows of cells (the column contract,
 * docs/product.md#migration-validation: each row is the object of its header's names; cells are
 * strings; empty cells are absent; numbers and booleans by coercion). The hot loop of validation:
 * per row it touches each planned column once, with checks prepared once per run. Rows the plan
 * fails, and rows that need full validation, go to ajv (allErrors) for the complete messages; the
 * verdict of ajv and of the plan agree (property-tested).
 */
import { CONTRACT_ROW_RULES, ruleOf } from './checks/index.ts';
import type { PlanCheckRule, TextKind } from './checks/rule.ts';
import { isIsoDateLayout } from './checks/textShape.ts';
import type { CellValue, Coercion, ColumnPlan, PlanCheck, ValidationPlan } from './types.ts';

/** A JSON number as text (JSON's grammar: no leading zeros, no "+", no bare "."). */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A number's text written with `chars` ("1.234,5" with decimal "," and group ".") as a JSON
 * number's ("1234.5"): every group character removed, the decimal mark made a point. Undefined
 * when a point is neither: the text is not a number of the column.
 */
function plainNumberText(text: string, chars: NonNullable<ColumnPlan['numberChars']>): string | undefined {
  const ungrouped = chars.group === undefined ? text : text.replaceAll(chars.group, '');
  if (chars.decimal === '.') return ungrouped;
  // "1.5" in a column whose decimal mark is ",": not a number of the column
  if (ungrouped.includes('.')) return undefined;
  return ungrouped.replace(chars.decimal, '.');
}

/**
 * The value a cell's text becomes for a column with `coerce` (numeric and boolean schema types
 * are checked by coercion), read with the column's `numberChars` when it has them. Text that does
 * not coerce stays text, so the `type` check reports it.
 */
export function coerceCell(
  text: string,
  coerce: Coercion | undefined,
  numberChars?: ColumnPlan['numberChars'],
): CellValue {
  if (coerce === undefined) return text;
  if (coerce !== 'number' && (text === 'true' || text === 'false')) return text === 'true';
  const numeric = numberChars === undefined ? text : plainNumberText(text, numberChars);
  if (coerce !== 'boolean' && numeric !== undefined && JSON_NUMBER.test(numeric)) {
    const number = Number(numeric);
    if (Number.isFinite(number)) return number;
  }
  return text;
}

/** The verdict of the plan on one row. */
export const ROW_VALID = 0;
export const ROW_INVALID = 1;
/** the plan cannot decide (a column or the root needs full validation) */
export const ROW_NEEDS_FULL = 2;

/** A cell's verdict bit: one of its column's checks fails (or it is required and empty, or not allowed). */
export const CELL_FAILS = 1;
/** A cell's verdict bit: the row needs full validation (the plan cannot check this cell). */
export const CELL_NEEDS_FULL = 2;

/**
 * The plan's verdict on the cells of one header column, one cell at a time: 0, or
 * {@link CELL_FAILS} / {@link CELL_NEEDS_FULL} bits. A function of the cell's text alone, so a
 * caller may cache it per distinct value (the column profiles do: columnProfile.ts).
 */
export interface ColumnVerdicts {
  /** the verdict of an empty (or missing) cell */
  readonly empty: number;
  /** The verdict of a non-empty cell. */
  of(text: string): number;
  /**
   * The value kind (columnProfile.ts) of every non-empty cell whose verdict is 0, when one of the
   * column's checks implies it ({@link PlanCheckRule.textKind}); undefined otherwise.
   */
  readonly kind: TextKind | undefined;
}

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
  /**
   * The plan cell by cell, per header column: a row is valid exactly when `rowVerdict` and the
   * verdicts of all its cells are 0 (a row shorter than the header has empty cells at its end);
   * {@link PlanRunner.check} then lists what fails, in the plan's order. Property-tested to agree.
   */
  readonly columns: readonly ColumnVerdicts[];
  /** bits every row has, whatever its cells: a required column missing from the header, a root needing full validation */
  readonly rowVerdict: number;
}

interface PreparedColumn {
  plan: ColumnPlan;
  index: number;
  tests: ((value: CellValue) => boolean)[];
  ruleIds: string[];
}

/**
 * One header column's verdicts (a class: one `of` for every column keeps the caller's call site
 * monomorphic). Checks are prepared for text when the column is not coerced: constant answers are
 * folded, so a `type: "string"` column with no other check costs no call at all.
 */
class HeaderColumnVerdicts implements ColumnVerdicts {
  readonly empty: number;
  readonly kind: TextKind | undefined;
  /** bits of any non-empty cell (a column not allowed, one needing full validation) */
  private readonly filled: number;
  private readonly coerce: Coercion | undefined;
  private readonly numberChars: ColumnPlan['numberChars'];
  private readonly tests: ((value: never) => boolean)[];

  constructor(column: ColumnPlan | undefined, filled: number, empty: number) {
    this.empty = column?.required ? empty | CELL_FAILS : empty;
    if (column?.full) filled |= CELL_NEEDS_FULL;
    this.coerce = column?.coerce;
    this.numberChars = column?.numberChars;
    const tests: ((value: never) => boolean)[] = [];
    let kind: TextKind | undefined;
    // a text column with the `date` format: a YYYY-MM-DD pattern beside it decides nothing more
    // (every date has the layout), and its pass over every cell is saved
    const dated =
      this.coerce === undefined &&
      (column?.checks ?? []).some((c) => c.kind === 'format' && c.format === 'date');
    for (const check of column?.checks ?? []) {
      const rule = ruleOf(check.kind) as PlanCheckRule;
      if (dated && check.kind === 'pattern' && isIsoDateLayout(check.pattern)) {
        kind ??= rule.textKind?.(check);
        continue;
      }
      const test =
        this.coerce === undefined && rule.prepareText ? rule.prepareText(check) : rule.prepare(check);
      if (test === false) filled |= CELL_FAILS;
      else if (test !== true) tests.push(test);
      // a cell of a coerced column may pass as a number: only text tests tell its kind
      if (this.coerce === undefined) kind ??= rule.textKind?.(check);
    }
    this.kind = kind;
    this.filled = filled;
    // a check that always fails decides alone
    this.tests = (filled & CELL_FAILS) !== 0 ? [] : tests;
  }

  of(text: string): number {
    // both verdicts worked out on every path: a property read or an `|` first reached in optimized
    // code (a column's first failing cell) has no type feedback, and deoptimized the profiler's
    // `add` this is inlined in, which was then compiled again
    const filled = this.filled;
    const failed = filled | CELL_FAILS;
    const tests = this.tests;
    if (tests.length === 0) return filled;
    const value = (
      this.coerce === undefined ? text : coerceCell(text, this.coerce, this.numberChars)
    ) as never;
    for (let t = 0; t < tests.length; t++) {
      if (!(tests[t] as (value: never) => boolean)(value)) return failed;
    }
    return filled;
  }
}

/** A column's verdicts where some texts mean "no value": such a cell has the empty cell's verdict. */
class MissingAwareVerdicts implements ColumnVerdicts {
  readonly empty: number;
  readonly kind: TextKind | undefined;
  constructor(
    private readonly inner: ColumnVerdicts,
    private readonly missing: ReadonlySet<string>,
  ) {
    this.empty = inner.empty;
    this.kind = inner.kind;
  }
  of(text: string): number {
    return this.missing.has(text) ? this.empty : this.inner.of(text);
  }
}

/**
 * A row with each cell that means "no value" as "" (the same array when none does): the plan's
 * `missingValues` are then empty cells for every check.
 */
export function blankMissing(fields: readonly string[], missing: ReadonlySet<string>): readonly string[] {
  let out: string[] | undefined;
  for (let i = 0; i < fields.length; i++) {
    if (missing.has(fields[i] as string)) {
      out ??= [...fields];
      out[i] = '';
    }
  }
  return out ?? fields;
}

/** Prepares `plan` for rows read with `header`. */
export function createPlanRunner(plan: ValidationPlan, header: readonly string[]): PlanRunner {
  const runner = createTextPlanRunner(plan, header);
  const missing = new Set(plan.missingValues ?? []);
  missing.delete('');
  if (missing.size === 0) return runner;
  return {
    failures: runner.failures,
    coercions: runner.coercions,
    rowVerdict: runner.rowVerdict,
    columns: runner.columns.map((c) => new MissingAwareVerdicts(c, missing)),
    check: (fields) => runner.check(blankMissing(fields, missing)),
    rowObject: (fields) => runner.rowObject(blankMissing(fields, missing)),
  };
}

/** {@link createPlanRunner} without missing values (only "" is empty). */
function createTextPlanRunner(plan: ValidationPlan, header: readonly string[]): PlanRunner {
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
  const numberCharsAt = header.map((name) => planned.get(name)?.numberChars);
  const rootFull = plan.full !== undefined;
  const failures: PlanFailure[] = [];
  const extraIndexes = new Set(extras.map((e) => e.index));
  const repeatedSet = new Set(repeatedIndexes);
  const plansOf = new Map<string, number>();
  for (const column of plan.columns) plansOf.set(column.column, (plansOf.get(column.column) ?? 0) + 1);
  const columns = header.map((name, i) => {
    const filled = (extraIndexes.has(i) ? CELL_FAILS : 0) | (repeatedSet.has(i) ? CELL_NEEDS_FULL : 0);
    // a plan naming a column twice (hand-made: compilePlan never does): let `check` decide every cell
    if ((plansOf.get(name) ?? 0) > 1) return new HeaderColumnVerdicts(undefined, CELL_FAILS, CELL_FAILS);
    // a repeated name's checks run on its first cell only (as `check` does)
    return new HeaderColumnVerdicts(firstIndex.get(name) === i ? planned.get(name) : undefined, filled, 0);
  });
  const rowVerdict = (missingRequired.length > 0 ? CELL_FAILS : 0) | (rootFull ? CELL_NEEDS_FULL : 0);

  return {
    failures,
    coercions,
    columns,
    rowVerdict,
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
        const value =
          column.plan.coerce === undefined
            ? text
            : coerceCell(text, column.plan.coerce, column.plan.numberChars);
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
        row[header[i] as string] = coerceCell(text, coercions[i], numberCharsAt[i]);
      }
      return row;
    },
  };
}
