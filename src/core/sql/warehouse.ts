/**
 * One table's checks as one aggregate query for a warehouse (Trino, Spark/Databricks SQL,
 * Snowflake): what aggregate.ts asks of PostgreSQL — the records, the blank ones, each check's
 * count of failing records and first k of them with the check's cell, the invalid records, and each
 * column's empty cells, distinct values and first {@link PROFILE_VALUES} values by first row — in
 * the SQL the three share, so the client receives at most checks × k + columns × {@link
 * PROFILE_VALUES} rows and one summary row, whatever the table's size. The checks are
 * {@link planFlags}'s, the expressions `contract sql` prints; a keyword, pattern or cast a dialect
 * cannot express is refused by name ({@link SqlCompileError}), never approximated.
 *
 * The query's rows have one shape, `kind`, `id`, `n`, `r`, `v` (no JSON: the engines write it
 * differently):
 * - kind 0, one row: `n` records, `r` blank records, `v` the invalid records (not blank, failing
 *   a check) then each check's failing records, as decimal numbers joined by commas;
 * - kind 1, per failing record among a check's first k: `id` the check, `r` its row, `v` its cell;
 * - kind 2, per blank record among the first k: `r` its row;
 * - kind 3, per column: `id` the column (header order), `n` its empty cells, `r` its distinct
 *   filled values;
 * - kind 4, per column's first {@link PROFILE_VALUES} distinct filled values by first row: `id` the
 *   column, `v` the value, `n` its cells, `r` its first row.
 *
 * Unlike PostgreSQL's, the summary has no per-value classification (`stats`): a column past the
 * tracked values is profiled from all its distinct values, read in bounded pages
 * ({@link warehouseDistinctSql}), as the sharded coordinator reads one.
 *
 * Constraints:
 * - Standard SQL only: CTEs, CASE, COUNT/MIN, ROW_NUMBER() OVER, UNION ALL, CAST to the dialect's
 *   text type; no FILTER clause, no JSON, no MATERIALIZED hint (the engine plans the CTEs).
 * - Names reach SQL only quoted; values only as the dialect's literals.
 */

import type { ValidationPlan } from '../contract/index.ts';
import {
  type AggregateOptions,
  type AggregatePart,
  type AggregateRow,
  type AggregateSql,
  DEFAULT_EXAMPLES,
  PROFILE_VALUES,
  type Relation,
} from './aggregate.ts';
import { planFlags, ROW_COLUMN, SqlCompileError } from './compilePlanSql.ts';
import { type DialectSql, dialectSql, type SqlDialect } from './dialect.ts';

/** The warehouses the aggregate is written for. */
export type WarehouseDialect = Extract<SqlDialect, 'trino' | 'spark' | 'snowflake'>;

export const WAREHOUSE_DIALECTS: readonly WarehouseDialect[] = ['trino', 'spark', 'snowflake'];

/** Each warehouse's name for text of any length, and a 64-bit whole number. */
const TYPES: Record<WarehouseDialect, { text: string; bigint: string }> = {
  trino: { text: 'VARCHAR', bigint: 'BIGINT' },
  spark: { text: 'STRING', bigint: 'BIGINT' },
  snowflake: { text: 'VARCHAR', bigint: 'BIGINT' },
};

/** What {@link warehouseAggregateSql} is asked: the aggregate's options on a warehouse. */
export type WarehouseAggregateOptions = Omit<AggregateOptions, 'dialect'> & { dialect: WarehouseDialect };

function relationSql(d: DialectSql, relation: Relation): string {
  return typeof relation === 'string' ? d.ident(relation) : relation.map((part) => d.ident(part)).join('.');
}

/** The SQL text of an empty cell of `column` (NULL, '' or a text meaning "no value"). */
function emptyOf(d: DialectSql, column: string, missing: readonly string[]): string {
  const c = d.ident(column);
  const none = missing.filter((m) => m !== '');
  return `(${c} IS NULL OR ${c} = ''${none.length > 0 ? ` OR ${c} IN (${none.map(d.text).join(', ')})` : ''})`;
}

/** A row of the query's one shape, `NULL` where the kind has nothing. */
function shaped(d: DialectSql, kind: number, id: string, n: string, r: string, v: string): string {
  const types = TYPES[d.name as WarehouseDialect];
  const bigint = (x: string) => `CAST(${x} AS ${types.bigint})`;
  // quoted: Snowflake names an unquoted alias in capitals, and the rows are read by these names
  const as = (name: string) => `AS ${d.ident(name)}`;
  return `SELECT ${kind} ${as('kind')}, ${bigint(id)} ${as('id')}, ${bigint(n)} ${as('n')}, ${bigint(r)} ${as('r')}, CAST(${v} AS ${types.text}) ${as('v')}`;
}

/**
 * The aggregate query of one relation on a warehouse (see the file header). Throws
 * {@link SqlCompileError} for a plan keyword or pattern the dialect cannot express.
 */
export function warehouseAggregateSql(options: WarehouseAggregateOptions): AggregateSql {
  const { dialect, relation, header, plan } = options;
  if (!WAREHOUSE_DIALECTS.includes(dialect))
    throw new SqlCompileError(`the warehouse aggregate on ${dialect}`, undefined);
  const d = dialectSql(dialect);
  const types = TYPES[dialect];
  const examples = options.examples ?? DEFAULT_EXAMPLES;
  if (!Number.isInteger(examples) || examples < 0)
    throw new RangeError('examples must be a whole number ≥ 0');
  const missing = options.missing ?? [];
  const { checks, flags, typedColumns } = plan
    ? planFlags(plan as ValidationPlan, d, header)
    : { checks: [], flags: [], typedColumns: [] };
  const row = d.ident(ROW_COLUMN);
  const blankCol = d.ident('#blank');
  const from = relationSql(d, relation);
  const blank =
    header.length === 0 ? 'TRUE' : header.map((c) => `COALESCE(${d.ident(c)}, '') = ''`).join(' AND ');
  const flagCol = (i: number) => d.ident(`#f${i}`);
  const anyFlag = flags.length === 0 ? 'FALSE' : flags.map((_, i) => flagCol(i)).join(' OR ');
  const ctes = [
    `WITH typed AS (\n  SELECT *, ${blank} AS ${blankCol}${typedColumns.map((t) => `,\n    ${t}`).join('')}\n  FROM ${from}\n)`,
    `flags AS (\n  SELECT ${[row, blankCol, ...header.map((c) => d.ident(c))].join(', ')}${flags
      .map((f, i) => `,\n    (NOT ${blankCol} AND ${f}) AS ${flagCol(i)}`)
      .join('')}\n  FROM typed\n)`,
    `failing AS (\n  SELECT * FROM flags WHERE ${anyFlag}\n)`,
    // per column, its values grouped once (an empty cell grouped as NULL): every figure reads them
    ...header.map((c, k) => {
      const col = d.ident(c);
      return `g${k} AS (\n  SELECT CASE WHEN ${emptyOf(d, c, missing)} THEN NULL ELSE ${col} END AS v, COUNT(*) AS n, MIN(${row}) AS r\n  FROM ${from} GROUP BY CASE WHEN ${emptyOf(d, c, missing)} THEN NULL ELSE ${col} END\n)`;
    }),
  ];
  const counted = (condition: string) => `COUNT(CASE WHEN ${condition} THEN 1 END)`;
  const asText = (x: string) => `CAST(${x} AS ${types.text})`;
  const counts = [counted(anyFlag), ...flags.map((_, i) => counted(flagCol(i)))].map(asText);
  const summary = shaped(
    d,
    0,
    'NULL',
    'COUNT(*)',
    counted(blankCol),
    counts.length === 1 ? (counts[0] as string) : `concat_ws(',', ${counts.join(', ')})`,
  );
  const firsts = (source: string, where: string) =>
    `(SELECT ${row}, v, ROW_NUMBER() OVER (ORDER BY ${row}) AS p FROM ${source} WHERE ${where})`;
  const parts = [
    `${summary}\nFROM flags`,
    ...checks.map((check, i) => {
      const cell = header.includes(check.column) ? d.ident(check.column) : 'NULL';
      const source = `(SELECT ${row}, ${cell} AS v, ${flagCol(i)} FROM failing) AS c${i}`;
      return `${shaped(d, 1, String(i), 'NULL', row, 'v')}\nFROM ${firsts(source, flagCol(i))} AS x${i} WHERE p <= ${examples}`;
    }),
    `${shaped(d, 2, 'NULL', 'NULL', row, 'NULL')}\nFROM ${firsts(`(SELECT ${row}, NULL AS v, ${blankCol} FROM typed) AS b`, blankCol)} AS bx WHERE p <= ${examples}`,
    ...header.map(
      (_, k) =>
        `${shaped(d, 3, String(k), 'COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0)', 'COUNT(v)', 'NULL')}\nFROM g${k}`,
    ),
    ...header.map(
      (_, k) =>
        `${shaped(d, 4, String(k), 'n', 'r', 'v')}\nFROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g${k} WHERE v IS NOT NULL) AS q${k}\nWHERE p <= ${PROFILE_VALUES}`,
    ),
  ];
  const sql = `${ctes.join(',\n')}\n${parts.join('\nUNION ALL\n')}`;
  const failingSql = `${ctes.slice(0, 2).join(',\n')}\nSELECT ${[row, ...header.map((c) => d.ident(c))].join(', ')} FROM flags WHERE ${blankCol} OR ${anyFlag} ORDER BY ${row}`;
  return { dialect, relation, header, checks, examples, sql, failingSql };
}

/** A count as an engine gives it (number, bigint or text). */
function count(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** The rows of one warehouse aggregate query (any order) as what they found (see the file header). */
export function decodeWarehouseAggregate(query: AggregateSql, rows: readonly AggregateRow[]): AggregatePart {
  const head = rows.find((r) => count(r.kind) === 0);
  if (!head) throw new Error('the aggregate query gave no summary row');
  const [invalid = 0, ...failing] = String(head.v).split(',').map(count);
  const part: AggregatePart = {
    records: count(head.n),
    invalid,
    blanks: count(head.r),
    blankRows: [],
    checks: query.checks.map((c) => ({ failing: failing[c.id] ?? 0, rows: [], cells: new Map() })),
    profiles: query.header.map(() => ({
      empty: 0,
      values: [],
      overflowed: false,
      distinct: 0,
      distinctExact: true,
    })),
  };
  const columnOf = (r: AggregateRow) => {
    const profile = part.profiles[count(r.id)];
    if (!profile)
      throw new Error(`the aggregate query gave a row of column ${count(r.id) + 1}, which it has not`);
    return profile;
  };
  for (const r of rows) {
    const kind = count(r.kind);
    if (kind === 1) {
      const check = part.checks[count(r.id)];
      if (!check) throw new Error(`the aggregate query gave a row of check ${count(r.id)}, which it has not`);
      check.rows.push(count(r.r));
      if (r.v !== null && r.v !== undefined && r.v !== '') check.cells.set(count(r.r), String(r.v));
    } else if (kind === 2) part.blankRows.push(count(r.r));
    else if (kind === 3) {
      const profile = columnOf(r);
      profile.empty = count(r.n);
      profile.distinct = count(r.r);
    } else if (kind === 4) columnOf(r).values.push([String(r.v), count(r.n), count(r.r)]);
  }
  const ascending = (a: number, b: number) => a - b;
  part.blankRows.sort(ascending);
  for (const check of part.checks) check.rows.sort(ascending);
  for (const profile of part.profiles) {
    profile.values.sort((a, b) => a[2] - b[2]);
    profile.overflowed = profile.values.length >= PROFILE_VALUES;
  }
  return part;
}

/**
 * Every distinct filled value of a column in first-row order, for the profile of a column past the
 * tracked values: `v`, `n` (its cells), `r` (its first row), `t` (its cells before the row where
 * the first value past the {@link PROFILE_VALUES} − 1 tracked ones first stands). One row per
 * value: the client reads it in bounded pages, never whole.
 */
export function warehouseDistinctSql(
  dialect: WarehouseDialect,
  relation: Relation,
  column: string,
  missing: readonly string[],
): string {
  const d = dialectSql(dialect);
  const row = d.ident(ROW_COLUMN);
  const c = d.ident(column);
  return [
    `WITH cells AS (SELECT ${c} AS v, ${row} AS r FROM ${relationSql(d, relation)} WHERE NOT ${emptyOf(d, column, missing)}),`,
    'g AS (SELECT v, COUNT(*) AS n, MIN(r) AS r FROM cells GROUP BY v),',
    `o AS (SELECT COALESCE(MIN(CASE WHEN p = ${PROFILE_VALUES} THEN r END), ${Number.MAX_SAFE_INTEGER}) AS at`,
    '  FROM (SELECT r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g) AS ranked),',
    't AS (SELECT v, COUNT(*) AS t FROM cells CROSS JOIN o WHERE cells.r < o.at GROUP BY v)',
    'SELECT g.v, g.n, g.r, COALESCE(t.t, 0) AS t FROM g LEFT JOIN t ON t.v = g.v ORDER BY g.r',
  ].join('\n');
}
