/**
 * SQL for the cross-file checks: duplicate keys in one input, and references from one input's
 * column to another's key column that find no record (orphans). Keys compare as exact text, and
 * empty cells (NULL or '') are neither keys nor references, as in the JS engine (keySet.ts).
 */
import { ROW_COLUMN } from './compilePlanSql.ts';
import { dialectSql, type SqlDialect } from './dialect.ts';
import { JS_SPACE } from './regex.ts';
import { LISTED_DUPLICATE_KEYS, ROWS_PER_DUPLICATE } from './shards.ts';

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
 * The keys of `column` in `table` held by more than one record, grouped on the server: rows
 * `key_value`, `count`, `example_rows` (its first {@link ROWS_PER_DUPLICATE} rows) and per
 * demographic column i `x_<i>`, the first row whose cell (as the JS engine compares it) differs
 * from the key's first record's (NULL: none differs), for the {@link LISTED_DUPLICATE_KEYS} keys
 * whose first repeat comes first, in the order of their first rows; on every row the totals
 * `keys`, `records` (beyond each key's first) and `conflicting_keys`. The records of repeated keys
 * are compared where they are; the client receives at most the listed keys.
 */
export function groupedKeysSql(
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
  const differs = demographics.map((_, i) => `,\n    MIN(h.r) FILTER (WHERE h.d_${i} <> f.d_${i}) AS x_${i}`);
  const xs = demographics.map((_, i) => `x_${i}`);
  const anyDiffers = xs.length === 0 ? 'FALSE' : xs.map((x) => `${x} IS NOT NULL`).join(' OR ');
  return [
    'WITH held AS (',
    `  SELECT ${key} AS key_value, ${row} AS r${cells.join('')}`,
    `  FROM ${d.ident(table)} WHERE ${heldTwice(d, table, key, missing)}`,
    '), firsts AS (',
    '  SELECT DISTINCT ON (key_value) * FROM held ORDER BY key_value, r',
    '), grouped AS (',
    `  SELECT h.key_value, COUNT(*) AS n, (array_agg(h.r ORDER BY h.r))[1:${ROWS_PER_DUPLICATE}] AS example_rows${differs.join('')}`,
    '  FROM held h JOIN firsts f ON f.key_value = h.key_value GROUP BY h.key_value',
    '), listed AS (',
    '  SELECT *, COUNT(*) OVER () AS keys, SUM(n - 1) OVER () AS records,',
    `    COUNT(*) FILTER (WHERE ${anyDiffers}) OVER () AS conflicting_keys`,
    `  FROM grouped ORDER BY example_rows[2] LIMIT ${LISTED_DUPLICATE_KEYS}`,
    ')',
    `SELECT key_value, n AS ${d.ident('count')}, example_rows${xs.map((x) => `, ${x}`).join('')}, keys, records, conflicting_keys`,
    'FROM listed ORDER BY example_rows[1]',
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
