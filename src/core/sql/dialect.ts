/**
 * What differs between the SQL engines the plan compiles for: quoting, string literals, regular
 * expressions, numbers and string length. Everything else the compiler writes is SQL all five
 * accept (CTEs, CASE, window functions, UNION ALL).
 */

/** The SQL engines a plan compiles for. PostgreSQL runs in the CLI; the others are documented in docs/scale.md. */
export type SqlDialect = 'duckdb' | 'postgres' | 'snowflake' | 'spark' | 'trino';

export const SQL_DIALECTS: readonly SqlDialect[] = ['duckdb', 'postgres', 'snowflake', 'spark', 'trino'];

/** The largest finite double: text beyond it is not a number for the JS engine (Number gives Infinity). */
const MAX_DOUBLE = '1.7976931348623157e308';

export interface DialectSql {
  readonly name: SqlDialect;
  /** a column or table name */
  ident(name: string): string;
  /** a string literal */
  text(value: string): string;
  /** a number literal */
  number(value: number): string;
  /** true when `expr` contains a match of `pattern` (search, not whole match, as JS `test`) */
  matches(expr: string, pattern: string): string;
  /** `expr` (text already known to be a JSON number) as a double, NULL when not finite */
  toNumber(expr: string): string;
  /** `expr` (text already known to be digits) as an integer */
  integer(expr: string): string;
  /**
   * `expr` (any text) as an integer, NULL when it is not one: for a cast that sits beside the test
   * that guards it (`s IN (…) AND part(1) BETWEEN …`), since Snowflake and Spark in ANSI mode may
   * evaluate both sides of an AND, and a plain cast of `'a'` fails the whole statement.
   */
  tryInteger(expr: string): string;
  /** length in Unicode code points (as ajv counts) */
  length(expr: string): string;
  /** `expr` with every match of `pattern` (a class-only pattern: no engine differences) replaced */
  replaceAll(expr: string, pattern: string, replacement: string): string;
  /** the type {@link DialectSql.toNumber} gives */
  numberType: string;
}

function quoted(name: string, quote: string): string {
  return `${quote}${name.split(quote).join(quote + quote)}${quote}`;
}

function standardText(value: string): string {
  return `'${value.split("'").join("''")}'`;
}

/**
 * Spark's string literals read backslash escapes: backslashes are doubled and quotes escaped, so
 * no value (a replacement ending in a backslash included) can end the literal early.
 */
function sparkText(value: string): string {
  return `'${value.split('\\').join('\\\\').split("'").join("\\'")}'`;
}

/**
 * Snowflake's single-quoted literals read backslash escapes too (`'\\n'` is a line feed): backslashes
 * are doubled and quotes doubled, so a value, a pattern's escapes included, reaches the engine as written.
 */
function snowflakeText(value: string): string {
  return `'${value.split('\\').join('\\\\').split("'").join("''")}'`;
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError('a SQL number literal must be finite');
  return String(value);
}

/**
 * The least number a double rounds to Infinity (2^1024 − 2^970, half an ulp above the largest
 * finite double), exact in PostgreSQL's numeric: a text below it is the finite double JS reads.
 */
const DOUBLE_OVERFLOW =
  '179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792';

function finite(expr: string): string {
  return `CASE WHEN abs(${expr}) <= ${MAX_DOUBLE} THEN ${expr} END`;
}

/** PostgreSQL text (a JSON number) as `numeric`, through the type's input function. */
function pgNumeric(expr: string): string {
  return `numeric_in(textout(${expr}), 0, -1)`;
}

const DIALECTS: Record<SqlDialect, DialectSql> = {
  duckdb: {
    name: 'duckdb',
    numberType: 'DOUBLE',
    ident: (name) => quoted(name, '"'),
    text: standardText,
    number: numberLiteral,
    matches: (expr, pattern) => `regexp_matches(${expr}, ${standardText(pattern)})`,
    toNumber: (expr) => finite(`TRY_CAST(${expr} AS DOUBLE)`),
    integer: (expr) => `CAST(${expr} AS INTEGER)`,
    tryInteger: (expr) => `TRY_CAST(${expr} AS INTEGER)`,
    length: (expr) => `length(${expr})`,
    replaceAll: (expr, pattern, by) =>
      `regexp_replace(${expr}, ${standardText(pattern)}, ${standardText(by)}, 'g')`,
  },
  postgres: {
    name: 'postgres',
    numberType: 'double precision',
    ident: (name) => quoted(name, '"'),
    text: standardText,
    number: numberLiteral,
    matches: (expr, pattern) => `(${expr} ~ ${standardText(pattern)})`,
    // numeric reads any JSON number exactly (a double cast fails on 1e400); below the overflow
    // it is made the double JS reads (both round the decimal to the nearest double). Text is
    // read by the types' input functions, not a cast: postgres_fdw sends a shard function calls
    // but not a cast from text, which would bring the shard's records to the coordinator
    toNumber: (expr) =>
      `CAST(CASE WHEN abs(${pgNumeric(expr)}) < ${DOUBLE_OVERFLOW} THEN ${pgNumeric(expr)} END AS double precision)`,
    integer: (expr) => `int4in(textout(${expr}))`,
    // PostgreSQL has no safe cast: the text is let through only when it is up to nine digits
    tryInteger: (expr) => `CASE WHEN ${expr} ~ '^[0-9]{1,9}$' THEN int4in(textout(${expr})) END`,
    length: (expr) => `char_length(${expr})`,
    replaceAll: (expr, pattern, by) =>
      `regexp_replace(${expr}, ${standardText(pattern)}, ${standardText(by)}, 'g')`,
  },
  snowflake: {
    name: 'snowflake',
    numberType: 'DOUBLE',
    ident: (name) => quoted(name, '"'),
    text: snowflakeText,
    number: numberLiteral,
    // REGEXP_LIKE matches the whole text on Snowflake; a search is a match anywhere
    matches: (expr, pattern) => `(REGEXP_INSTR(${expr}, ${snowflakeText(pattern)}) > 0)`,
    toNumber: (expr) => finite(`TRY_TO_DOUBLE(${expr})`),
    integer: (expr) => `CAST(${expr} AS INTEGER)`,
    tryInteger: (expr) => `TRY_CAST(${expr} AS INTEGER)`,
    length: (expr) => `LENGTH(${expr})`,
    // Snowflake replaces every match
    replaceAll: (expr, pattern, by) =>
      `REGEXP_REPLACE(${expr}, ${snowflakeText(pattern)}, ${snowflakeText(by)})`,
  },
  spark: {
    name: 'spark',
    numberType: 'DOUBLE',
    ident: (name) => quoted(name, '`'),
    text: sparkText,
    number: numberLiteral,
    matches: (expr, pattern) => `(${expr} RLIKE ${sparkText(pattern)})`,
    toNumber: (expr) => finite(`CAST(${expr} AS DOUBLE)`),
    integer: (expr) => `CAST(${expr} AS INT)`,
    tryInteger: (expr) => `TRY_CAST(${expr} AS INT)`,
    length: (expr) => `char_length(${expr})`,
    // Spark replaces every match
    replaceAll: (expr, pattern, by) => `regexp_replace(${expr}, ${sparkText(pattern)}, ${sparkText(by)})`,
  },
  trino: {
    name: 'trino',
    numberType: 'DOUBLE',
    ident: (name) => quoted(name, '"'),
    text: standardText,
    number: numberLiteral,
    matches: (expr, pattern) => `regexp_like(${expr}, ${standardText(pattern)})`,
    toNumber: (expr) => finite(`TRY_CAST(${expr} AS DOUBLE)`),
    integer: (expr) => `CAST(${expr} AS INTEGER)`,
    tryInteger: (expr) => `TRY_CAST(${expr} AS INTEGER)`,
    length: (expr) => `length(${expr})`,
    // Trino replaces every match
    replaceAll: (expr, pattern, by) =>
      `regexp_replace(${expr}, ${standardText(pattern)}, ${standardText(by)})`,
  },
};

export function dialectSql(name: SqlDialect): DialectSql {
  return DIALECTS[name];
}
