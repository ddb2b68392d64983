/**
 * SQL for the cross-file checks: duplicate keys in one input, and references from one input's
 * column to another's key column that find no record (orphans). Keys compare as exact text, and
 * empty cells (NULL or '') are neither keys nor references, as in the JS engine (keySet.ts).
 */
import { ROW_COLUMN } from './compilePlanSql.ts';
import { dialectSql, type SqlDialect } from './dialect.ts';
import { JS_SPACE } from './regex.ts';

/** Rows listed per duplicated key (as the JS engine's key sets keep). */
const SQL_ROWS_PER_DUPLICATE = 10;
/** Orphan examples listed per reference (as the JS engine keeps). */
const SQL_ORPHAN_EXAMPLES = 20;

/**
 * Rows `key_value`, `count` (records holding the key), `first_row`, `example_row`, `k`
 * (1..{@link SQL_ROWS_PER_DUPLICATE}) for every key held by more than one record, ordered by the
 * key's first row, then k.
 */
export function duplicateKeysSql(
  dialect: SqlDialect,
  table: string,
  column: string,
  /** texts that mean "no value" besides "" (a contract's missingValues): not keys */
  missing: readonly string[] = [],
): string {
  const d = dialectSql(dialect);
  const key = d.ident(column);
  const row = d.ident(ROW_COLUMN);
  return [
    'WITH keyed AS (',
    `  SELECT ${key} AS key_value, ${row} AS example_row,`,
    `    ROW_NUMBER() OVER (PARTITION BY ${key} ORDER BY ${row}) AS k,`,
    `    COUNT(*) OVER (PARTITION BY ${key}) AS "count",`,
    `    MIN(${row}) OVER (PARTITION BY ${key}) AS first_row`,
    `  FROM ${d.ident(table)}`,
    `  WHERE ${heldTwice(d, table, key, missing)}`,
    ')',
    'SELECT key_value, "count", first_row, example_row, k',
    'FROM keyed',
    `WHERE "count" > 1 AND k <= ${SQL_ROWS_PER_DUPLICATE}`,
    'ORDER BY first_row, k',
  ]
    .join('\n')
    .replaceAll('"count"', d.ident('count'));
}

/**
 * Rows `orphans` (references that find no record), `example_row`, `value`, `k`
 * (1..{@link SQL_ORPHAN_EXAMPLES}), in row order; no row when every reference finds its record.
 */
export function orphanReferencesSql(
  dialect: SqlDialect,
  child: { table: string; column: string },
  parent: { table: string; column: string },
  /** texts of the child's column that mean "no value" besides "": not references */
  missing: readonly string[] = [],
): string {
  const d = dialectSql(dialect);
  const ref = `c.${d.ident(child.column)}`;
  const row = d.ident(ROW_COLUMN);
  return [
    'WITH orphan AS (',
    `  SELECT c.${row} AS example_row, ${ref} AS value`,
    `  FROM ${d.ident(child.table)} c`,
    `  WHERE ${ref} IS NOT NULL AND ${ref} <> ''${notMissing(d, ref, missing)}`,
    `    AND NOT EXISTS (SELECT 1 FROM ${d.ident(parent.table)} p WHERE p.${d.ident(parent.column)} = ${ref})`,
    '),',
    'ranked AS (',
    '  SELECT example_row, value,',
    '    ROW_NUMBER() OVER (ORDER BY example_row) AS k,',
    '    COUNT(*) OVER () AS orphans',
    '  FROM orphan',
    ')',
    'SELECT orphans, example_row, value, k',
    'FROM ranked',
    `WHERE k <= ${SQL_ORPHAN_EXAMPLES}`,
    'ORDER BY k',
  ].join('\n');
}

/**
 * A demographic cell as the JS engine compares it (keySet.ts): white space (JS's `\s`) trimmed and
 * runs of it folded to one space, letters lower-cased; an empty cell, or a text meaning "no
 * value", is ''.
 */
function normalizedDemographic(
  d: ReturnType<typeof dialectSql>,
  expr: string,
  missing: readonly string[],
): string {
  const texts = missing.filter((m) => m !== '');
  const trimmed = d.replaceAll(expr, `^[${JS_SPACE}]+|[${JS_SPACE}]+$`, '');
  const folded = d.replaceAll(trimmed, `[${JS_SPACE}]+`, ' ');
  const none = texts.length > 0 ? ` OR ${expr} IN (${texts.map(d.text).join(', ')})` : '';
  return `CASE WHEN ${expr} IS NULL${none} THEN '' ELSE lower(${folded}) END`;
}

/**
 * Every record whose key more than one record holds, in row order, for duplicate keys and
 * conflicting demographics at once (the keys are counted once): rows `key_value`, `r` (the data
 * row) and per demographic column i (0-based, in the order given) `d_<i>`, its cell as the JS
 * engine compares it (white space trimmed and folded, lower case; empty, or a text meaning "no
 * value", as ''). `missing`: texts meaning "no value" (a contract's missingValues): not keys,
 * and empty as demographic cells. The caller groups the records by key.
 */
export function heldKeyRecordsSql(
  dialect: SqlDialect,
  table: string,
  column: string,
  demographics: readonly string[],
  missing: readonly string[] = [],
): string {
  const d = dialectSql(dialect);
  const key = d.ident(column);
  const row = d.ident(ROW_COLUMN);
  const cells = demographics.map((c, i) => `, ${normalizedDemographic(d, d.ident(c), missing)} AS d_${i}`);
  return [
    `SELECT ${key} AS key_value, ${row} AS r${cells.join('')}`,
    `FROM ${d.ident(table)}`,
    `WHERE ${heldTwice(d, table, key, missing)}`,
    `ORDER BY ${row}`,
  ].join('\n');
}

/**
 * The records whose key (not empty, not a text meaning "no value") more than one record holds.
 * The keys are counted first (one hash aggregate), so only those few records are ranked, sorted
 * or have their demographic cells normalised, not every record of the input.
 */
function heldTwice(
  d: ReturnType<typeof dialectSql>,
  table: string,
  key: string,
  missing: readonly string[],
): string {
  const filled = `${key} IS NOT NULL AND ${key} <> ''${notMissing(d, key, missing)}`;
  return `${filled} AND ${key} IN (SELECT ${key} FROM ${d.ident(table)} WHERE ${filled} GROUP BY ${key} HAVING COUNT(*) > 1)`;
}

/** ` AND <expr> NOT IN (…)` for texts that mean "no value", or nothing. */
function notMissing(d: ReturnType<typeof dialectSql>, expr: string, missing: readonly string[]): string {
  const texts = missing.filter((m) => m !== '');
  return texts.length > 0 ? ` AND ${expr} NOT IN (${texts.map(d.text).join(', ')})` : '';
}
