/**
 * The declarative validation plan (docs/decisions/0005-plan-first-ajv-on-failing-rows.md): what a
 * column contract asks of each column, as plain data. It is run on every row without generating
 * code (so it runs under the page's CSP), and it is what an SQL backend (PostgreSQL, Spark) will
 * translate. Serialisable: JSON.stringify / structuredClone give it back unchanged.
 */

/** A JSON value a cell can become after coercion (cells are strings; numbers and booleans by coercion). */
export type CellValue = string | number | boolean;

/** JSON Schema primitive type names a plan can check. */
export type JsonTypeName = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';

/** One check of one column; `kind` is the JSON Schema keyword it comes from. */
export type PlanCheck =
  | { kind: 'type'; types: JsonTypeName[] }
  | {
      kind: 'pattern';
      pattern: string;
      /** how messages name what the pattern asks ("%m/%d/%Y, e.g. 01/31/2024"), from {@link LAYOUT_COMMENT} */
      layout?: string;
    }
  | { kind: 'enum'; values: (string | number | boolean | null)[] }
  | { kind: 'const'; value: string | number | boolean | null }
  | { kind: 'format'; format: string }
  | { kind: 'minLength'; limit: number }
  | { kind: 'maxLength'; limit: number }
  | { kind: 'minimum'; limit: number }
  | { kind: 'maximum'; limit: number }
  | { kind: 'exclusiveMinimum'; limit: number }
  | { kind: 'exclusiveMaximum'; limit: number };

/** How a cell's text becomes a value before checks (and before full validation). */
export type Coercion = 'number' | 'boolean' | 'number-or-boolean';

/** What the plan asks of one column. */
export interface ColumnPlan {
  /** the column (property) name */
  column: string;
  /** the cell must not be empty (the root schema's `required`) */
  required: boolean;
  /** cells are coerced before the checks: the property's `type` asks for numbers or booleans only */
  coerce?: Coercion;
  /**
   * how the column's numbers are written when not as JSON numbers ("1.234,5": decimal ",",
   * group "."): a cell is read with them before it is coerced (a Table Schema's `decimalChar` /
   * `groupChar`, notChecked.ts)
   */
  numberChars?: { decimal: string; group?: string };
  /** checks run on non-empty cells, in order; every one runs (all errors, as ajv's allErrors) */
  checks: PlanCheck[];
  /**
   * The property's schema uses something the plan cannot express (`$ref`, `anyOf`, `multipleOf`,
   * an unknown format…): a row where this column is not empty needs full validation.
   * `reasons` names the keywords.
   */
  full?: { reasons: string[] };
  /** false: the column is not in the contract and the contract forbids other columns */
  allowed?: false;
}

/** Format tag of a serialised plan. */
export const VALIDATION_PLAN_FORMAT = 'preflight.validation-plan/1';

/** The whole plan of a column contract. */
export interface ValidationPlan {
  format: typeof VALIDATION_PLAN_FORMAT;
  /** the contract's `$id` or title, for messages */
  contract?: string;
  /** columns the contract names (properties) and required columns it does not describe */
  columns: ColumnPlan[];
  /** `additionalProperties: false`: a non-empty cell in a column not in `columns` is an error */
  closed: boolean;
  /**
   * cell texts that mean "no value" besides the empty cell (a Table Schema's `missingValues`,
   * notChecked.ts): such a cell is empty for every check, as "" is; absent when none
   */
  missingValues?: string[];
  /**
   * The contract's root uses something the plan cannot express (e.g. `allOf`, `if`,
   * `patternProperties`): every row needs full validation. `reasons` names the keywords.
   */
  full?: { reasons: string[] };
}

/**
 * Start of a property's `$comment` that names in words the layout its `pattern` checks (a Table
 * Schema date `format` becomes a long regular expression): messages then say "must be written as
 * %m/%d/%Y, e.g. 01/31/2024" rather than quote the expression. Only messages read it.
 */
export const LAYOUT_COMMENT = 'layout: ';
