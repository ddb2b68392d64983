/**
 * A compiled column-contract plan → SQL that counts, per rule × column, the failing rows and lists
 * the first failing row numbers, on any of the {@link SqlDialect}s. The SQL judges each cell as the
 * JS engine's plan does (runPlan.ts): cells are text, empty cells (NULL, '' or one of the plan's
 * `missingValues`) are absent,
 * numeric and boolean columns are read by the same coercion (JSON number text, `true`/`false`),
 * and a check of text (pattern, length, format) skips numbers and booleans, as ajv does.
 *
 * What the plan (or this compiler) cannot express is never skipped: {@link SqlCompileError} names
 * the keyword and the column, and the caller tells the user to use the default engine.
 */
import {
  CONTRACT_ROW_RULES,
  type ColumnPlan,
  type PlanCheck,
  ruleOf,
  type ValidationPlan,
} from '../contract/index.ts';
import { type DialectSql, dialectSql, type SqlDialect } from './dialect.ts';
import { sqlPattern } from './regex.ts';

/** The column every input relation carries: the record's 1-based data row (as the report's `row`). */
export const ROW_COLUMN = 'preflight_row';

/** The default engine's rule of a cell whose opening quote follows spaces (its quotes read as text). */
export const SPACE_BEFORE_QUOTE_RULE = 'csv.space-before-quote';

/**
 * PostgreSQL's test of a cell with spaces or tabs before an opening quote, as the default engine
 * tests a filled cell (validateCsv.ts); `empty`: the SQL of the cell being empty (a text meaning
 * "no value" included). Written with what postgres_fdw ships (`~`, NOT, AND).
 */
export function spaceBeforeQuoteSql(cell: string, empty: string): string {
  return `(NOT ${empty} AND ${cell} ~ '^[ \t]+"')`;
}

/** A keyword or check the SQL engines cannot run, named with its column. */
export class SqlCompileError extends Error {
  constructor(
    readonly keyword: string,
    readonly column: string | undefined,
  ) {
    super(
      column === undefined
        ? `${keyword} in the contract cannot run as SQL: use the default engine`
        : `${keyword} in column ${column} cannot run as SQL: use the default engine`,
    );
    this.name = 'SqlCompileError';
  }
}

/** One check the SQL counts: which rule, on which column. */
export interface SqlCheck {
  /** index in the query's `check_id` column */
  id: number;
  /** the report's rule id (`contract.<keyword>`) */
  rule: string;
  column: string;
}

interface CompilePlanSqlOptions {
  dialect: SqlDialect;
  /** the relation the rows come from: a table or view name (quoted here) */
  table: string;
  /**
   * the relation's columns besides {@link ROW_COLUMN}, in header order; default: the plan's
   * columns. Required columns missing from it fail on every row; filled columns a closed contract
   * does not name fail `additionalProperties`.
   */
  header?: readonly string[];
  /** failing row numbers listed per check (default 20) */
  examples?: number;
}

/** The SQL of one plan. */
export interface PlanSql {
  dialect: SqlDialect;
  checks: SqlCheck[];
  /** one row: `records`, `invalid` (records with at least one failing check) */
  summary: string;
  /**
   * rows `check_id`, `failing` (the check's count), `example_row`, `k` (1..examples), ordered by
   * check_id and k; a check with no failing row has no row
   */
  failures: string;
  /** rows `preflight_row` of every record with at least one failing check, in row order */
  failingRows: string;
}

/** A JSON number as text (JSON's grammar), in the POSIX/RE2/Java syntax all four engines read. */
const JSON_NUMBER = '^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$';
const ISO_DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
/**
 * ajv-formats' full `email` regex, its `i` flag spelled out as A-Z beside a-z (the engines' own
 * case folding also folds letters such as U+017F into ASCII, which JS's does not).
 */
const LOCAL = "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]";
const LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const EMAIL = `^${LOCAL}+(?:\\.${LOCAL}+)*@(?:${LABEL}\\.)+${LABEL}$`;

interface ColumnExprs {
  /** the cell is not empty */
  filled: string;
  /** the coerced number, NULL when the cell is not one */
  num: string;
  /** the coerced boolean, NULL when the cell is not one */
  bool: string;
  /** the cell stays text after coercion */
  isText: string;
  text: string;
}

function columnExprs(
  d: DialectSql,
  plan: ColumnPlan | undefined,
  name: string,
  missing: readonly string[] = [],
): ColumnExprs {
  const text = d.ident(name);
  // a text that means "no value" (the plan's missingValues) is an empty cell
  const filled = `(${text} IS NOT NULL AND ${text} <> ''${missing.length > 0 ? ` AND ${text} NOT IN (${inList(missing.map(d.text))})` : ''})`;
  const coerce = plan?.coerce;
  const bool =
    coerce === 'boolean' || coerce === 'number-or-boolean'
      ? `CASE WHEN ${text} = 'true' THEN TRUE WHEN ${text} = 'false' THEN FALSE END`
      : 'CAST(NULL AS BOOLEAN)';
  // numbers written with another decimal mark or a thousands separator ("1.234,5"), read as the
  // default engine reads them (runPlan.ts): group characters removed, the decimal mark made a
  // point, and a point that is neither leaves the cell not a number
  const chars = plan?.numberChars;
  let numeric = text;
  let guard = '';
  if (chars) {
    if (chars.group !== undefined) numeric = `REPLACE(${numeric}, ${d.text(chars.group)}, '')`;
    if (chars.decimal !== '.') {
      guard = `${numeric} NOT LIKE '%.%' AND `;
      numeric = `REPLACE(${numeric}, ${d.text(chars.decimal)}, '.')`;
    }
  }
  const num =
    coerce === 'number' || coerce === 'number-or-boolean'
      ? `CASE WHEN ${guard}${d.matches(numeric, JSON_NUMBER)} THEN ${d.toNumber(numeric)} END`
      : `CAST(NULL AS ${d.numberType})`;
  return { filled, num, bool, text, isText: '' };
}

/**
 * `condition` true, else false (never NULL). Written as CASE, which postgres_fdw sends a shard,
 * rather than COALESCE or IS TRUE, which it does not: a check it cannot send makes the shard
 * send its records instead of its counts.
 */
function isTrue(condition: string): string {
  return `CASE WHEN ${condition} THEN TRUE ELSE FALSE END`;
}

function inList(values: readonly string[]): string {
  return values.join(', ');
}

/** The date check of ajv-formats' `date`: the layout, and a day that exists (leap years too). */
function dateValid(d: DialectSql, text: string): string {
  const part = (from: number, length: number) => d.integer(`substr(${text}, ${from}, ${length})`);
  const y = part(1, 4);
  const m = part(6, 2);
  const day = part(9, 2);
  const leap = `(${y} % 4 = 0 AND (${y} % 100 <> 0 OR ${y} % 400 = 0))`;
  const last = `CASE WHEN ${m} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN ${m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
  // CASE, not AND: SQL does not promise to test the layout before casting the parts
  return `CASE WHEN ${d.matches(text, ISO_DATE)} THEN ${m} BETWEEN 1 AND 12 AND ${day} BETWEEN 1 AND (${last}) ELSE FALSE END`;
}

/** The SQL that is true when a (filled) cell fails `check`. Columns are read from the `typed` CTE. */
function failsSql(d: DialectSql, check: PlanCheck, c: ColumnExprs, column: string): string {
  const isNum = `${c.num} IS NOT NULL`;
  const isBool = `${c.bool} IS NOT NULL`;
  switch (check.kind) {
    case 'type': {
      const passes = check.types.map((type) => {
        switch (type) {
          case 'string':
            return c.isText;
          case 'number':
            return isNum;
          case 'integer':
            return `(${isNum} AND ${c.num} = floor(${c.num}))`;
          case 'boolean':
            return isBool;
          default:
            return 'FALSE'; // a cell is never null, an object or an array
        }
      });
      return `NOT (${passes.join(' OR ')})`;
    }
    case 'enum':
    case 'const': {
      const values = check.kind === 'enum' ? check.values : [check.value];
      const texts = values.filter((v): v is string => typeof v === 'string').map(d.text);
      const numbers = values.filter((v): v is number => typeof v === 'number').map(d.number);
      const booleans = values.filter((v): v is boolean => typeof v === 'boolean');
      const passes = [
        texts.length > 0 ? `(${c.isText} AND ${c.text} IN (${inList(texts)}))` : '',
        numbers.length > 0 ? `${c.num} IN (${inList(numbers)})` : '',
        booleans.length > 0 ? `${c.bool} IN (${inList(booleans.map((b) => (b ? 'TRUE' : 'FALSE')))})` : '',
      ].filter((p) => p !== '');
      return passes.length === 0 ? 'TRUE' : `NOT ${isTrue(passes.join(' OR '))}`;
    }
    case 'pattern': {
      const translated = sqlPattern(check.pattern, d.name);
      if ('problem' in translated) throw new SqlCompileError(`pattern (${translated.problem})`, column);
      const excluded = translated.notAtStart ? ` OR ${d.matches(c.text, translated.notAtStart)}` : '';
      return `(${c.isText} AND (NOT ${d.matches(c.text, translated.matches)}${excluded}))`;
    }
    case 'format':
      if (check.format === 'date') return `(${c.isText} AND NOT ${dateValid(d, c.text)})`;
      if (check.format === 'email') return `(${c.isText} AND NOT ${d.matches(c.text, EMAIL)})`;
      throw new SqlCompileError(`format "${check.format}"`, column);
    case 'minLength':
      return `(${c.isText} AND ${d.length(c.text)} < ${check.limit})`;
    case 'maxLength':
      return `(${c.isText} AND ${d.length(c.text)} > ${check.limit})`;
    case 'minimum':
      return `(${isNum} AND ${c.num} < ${d.number(check.limit)})`;
    case 'maximum':
      return `(${isNum} AND ${c.num} > ${d.number(check.limit)})`;
    case 'exclusiveMinimum':
      return `(${isNum} AND ${c.num} <= ${d.number(check.limit)})`;
    case 'exclusiveMaximum':
      return `(${isNum} AND ${c.num} >= ${d.number(check.limit)})`;
    default: {
      const unknown: { kind: string } = check;
      throw new SqlCompileError(unknown.kind, column);
    }
  }
}

/**
 * Compiles `plan` to SQL for `options.dialect`. Throws {@link SqlCompileError} for the first
 * keyword it cannot express (the root's first, then the columns' in order).
 */
/** A plan's checks as SQL: each check's failing expression, and the typed columns they read. */
export interface PlanFlags {
  checks: SqlCheck[];
  /** per check (by id): true when a record fails it, read from the `typed` relation */
  flags: string[];
  /** the typed columns the flags read (`<column>#n`, `<column>#b`), as SELECT items */
  typedColumns: string[];
}

/**
 * The checks of `plan` on a relation with `header`, as SQL expressions (see {@link PlanFlags}).
 * Throws {@link SqlCompileError} for the first keyword it cannot express (the root's first, then
 * the columns' in order).
 */
export function planFlags(plan: ValidationPlan, d: DialectSql, header: readonly string[]): PlanFlags {
  if (plan.full) throw new SqlCompileError(plan.full.reasons.join(', '), undefined);
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new SqlCompileError('a column named twice in the header', name);
    seen.add(name);
  }
  const planned = new Map(plan.columns.map((c) => [c.column, c]));
  const missing = (plan.missingValues ?? []).filter((m) => m !== '');
  const checks: SqlCheck[] = [];
  const flags: string[] = [];
  const add = (rule: string, column: string, fails: string) => {
    checks.push({ id: checks.length, rule, column });
    flags.push(isTrue(fails));
  };
  for (const column of plan.columns) {
    if (column.full) throw new SqlCompileError(column.full.reasons.join(', '), column.column);
    if (!seen.has(column.column)) {
      if (column.required) add(CONTRACT_ROW_RULES.required.id, column.column, 'TRUE');
      continue;
    }
    const exprs = columnExprs(d, column, column.column, missing);
    const typed: ColumnExprs = {
      ...exprs,
      num: d.ident(`${column.column}#n`),
      bool: d.ident(`${column.column}#b`),
    };
    typed.isText = `(${typed.num} IS NULL AND ${typed.bool} IS NULL)`;
    if (column.required) add(CONTRACT_ROW_RULES.required.id, column.column, `NOT ${exprs.filled}`);
    for (const check of column.checks) {
      add(
        ruleOf(check.kind).id,
        column.column,
        `(${exprs.filled} AND ${failsSql(d, check, typed, column.column)})`,
      );
    }
  }
  for (const name of header) {
    const column = planned.get(name);
    if ((column === undefined && plan.closed) || column?.allowed === false) {
      const { filled } = columnExprs(d, undefined, name, missing);
      add(CONTRACT_ROW_RULES.additionalProperties.id, name, filled);
    }
  }
  const typedColumns = plan.columns
    .filter((c) => seen.has(c.column))
    .flatMap((c) => {
      const e = columnExprs(d, c, c.column);
      return [`${e.num} AS ${d.ident(`${c.column}#n`)}`, `${e.bool} AS ${d.ident(`${c.column}#b`)}`];
    });
  return { checks, flags, typedColumns };
}

/**
 * Compiles `plan` to SQL for `options.dialect`. Throws {@link SqlCompileError} for the first
 * keyword it cannot express (the root's first, then the columns' in order).
 */
export function compilePlanSql(plan: ValidationPlan, options: CompilePlanSqlOptions): PlanSql {
  const d = dialectSql(options.dialect);
  const examples = options.examples ?? 20;
  if (!Number.isInteger(examples) || examples < 0)
    throw new RangeError('examples must be a whole number ≥ 0');
  const header = options.header ?? plan.columns.map((c) => c.column);
  const { checks, flags, typedColumns } = planFlags(plan, d, header);
  const row = d.ident(ROW_COLUMN);
  const typedOver = (from: string) =>
    [
      'WITH typed AS (',
      `  SELECT *${typedColumns.map((t) => `,\n    ${t}`).join('')}`,
      `  FROM ${from}`,
      ')',
    ].join('\n');
  const typed = typedOver(d.ident(options.table));
  const source = [
    `${typed},`,
    'flags AS (',
    `  SELECT ${row}${flags.map((f, i) => `,\n    ${f} AS f${i}`).join('')}`,
    '  FROM typed',
    ')',
  ].join('\n');
  const any = flags.length === 0 ? 'FALSE' : flags.map((_, i) => `f${i}`).join(' OR ');
  const summary = `${source}\nSELECT COUNT(*) AS records, COALESCE(SUM(CASE WHEN ${any} THEN 1 ELSE 0 END), 0) AS invalid\nFROM flags`;
  const failing =
    flags.length === 0
      ? `  SELECT CAST(NULL AS INTEGER) AS check_id, ${row} FROM flags WHERE FALSE`
      : flags
          .map((_, i) => `  SELECT ${i} AS check_id, ${row} FROM flags WHERE f${i}`)
          .join('\n  UNION ALL\n');
  const failures = [
    `${source},`,
    'failing AS (',
    failing,
    '),',
    'ranked AS (',
    `  SELECT check_id, ${row} AS example_row,`,
    `    ROW_NUMBER() OVER (PARTITION BY check_id ORDER BY ${row}) AS k,`,
    '    COUNT(*) OVER (PARTITION BY check_id) AS failing',
    '  FROM failing',
    ')',
    'SELECT check_id, failing, example_row, k',
    'FROM ranked',
    // a check with no example asked for still gives its count (k = 1)
    `WHERE k <= ${Math.max(examples, 1)}`,
    'ORDER BY check_id, k',
  ].join('\n');
  const failingRows = `${source}\nSELECT ${row} FROM flags WHERE ${any}\nORDER BY ${row}`;
  return {
    dialect: options.dialect,
    checks,
    summary,
    failures,
    failingRows,
  };
}
