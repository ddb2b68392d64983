/**
 * One table's checks as one aggregate query for a warehouse (Trino, Spark/Databricks SQL,
 * Snowflake): what aggregate.ts asks of PostgreSQL — the records, the blank ones, each check's
 * count of failing records and first k of them with the check's cell, the invalid records, and each
 * column's empty cells, distinct values, first {@link PROFILE_VALUES} values by first row and what
 * the default profiler learns from every value ({@link AggregateStats}) — in the SQL the three
 * share, so the client receives at most checks × k + k + 1 rows and, per column, at most
 * {@link PROFILE_VALUES} + {@link STATS_ROWS} rows, whatever the table's size. The checks are
 * {@link planFlags}'s, the expressions `contract sql` prints; a keyword, pattern or cast a dialect
 * cannot express is refused by name ({@link SqlCompileError}), never approximated.
 *
 * The query's rows have one shape, `kind`, `id`, `n`, `r`, `v`, `t` (no JSON: the engines write it
 * differently):
 * - kind 0, one row: `n` records, `r` blank records, `v` the invalid records (not blank, failing
 *   a check) then each check's failing records, as decimal numbers joined by commas;
 * - kind 1, per failing record among a check's first k: `id` the check, `r` its row, `v` its cell;
 * - kind 2, per blank record among the first k: `r` its row;
 * - kind 3, per column: `id` the column (header order), `n` its empty cells, `r` its distinct
 *   filled values;
 * - kind 4, per column's first {@link PROFILE_VALUES} distinct filled values by first row: `id` the
 *   column, `v` the value, `n` its cells, `r` its first row, `t` its cells before the overflow row
 *   (the first row of the {@link PROFILE_VALUES}th value; NULL when the column has fewer values);
 * - kind 5, per column and value kind present: `id` the column, `n` the kind (index into the
 *   profiler's `VALUE_KINDS`, or {@link NUMERIC_KIND} for the cells read as a finite number), `r`
 *   its cells;
 * - kind 6, per column's value that is one of its bounds: `id` the column, `n` which bounds it is
 *   (a sum of {@link BOUNDS}' bits), `r` its first row, `v` the value, `t` its date when it is a
 *   date bound. A number bound is sent as its text, read back as JavaScript reads it, so no engine
 *   writes a double as text.
 *
 * Each value's kind is told once per distinct value, as the default profiler tells a cell's
 * (columnProfile.ts `valueKind`, `dateValue`), with what the three share: `translate`, `replace`,
 * `substr`, `split_part`, `LIKE`, the dialect's search for a regular expression and its cast.
 *
 * Constraints:
 * - Standard SQL only: CTEs, CASE, COUNT/MIN/SUM, ROW_NUMBER() OVER with NULLS LAST, UNION ALL, CAST
 *   to the dialect's text type; no FILTER clause, no JSON, no MATERIALIZED hint (the engine plans
 *   the CTEs).
 * - Text bounds follow the engine's default order of text, by code point (Trino's varchar, Spark's
 *   and Databricks' UTF8_BINARY, Snowflake's without a collation), as PostgreSQL's `COLLATE "C"`;
 *   a column, schema or account given another collation orders otherwise, and the text bounds
 *   (the profile's min and max of a text column) follow it.
 * - Names reach SQL only quoted; values only as the dialect's literals.
 */

import type { ValidationPlan } from '../contract/index.ts';
import {
  type AggregateOptions,
  type AggregatePart,
  type AggregateRow,
  type AggregateSql,
  type AggregateStats,
  DEFAULT_EXAMPLES,
  PROFILE_VALUES,
  type Relation,
} from './aggregate.ts';
import { planFlags, ROW_COLUMN, SqlCompileError } from './compilePlanSql.ts';
import { type DialectSql, dialectSql, type SqlDialect } from './dialect.ts';
import { dateSql, JS_SPACE_CODES, VALUE_KIND_COUNT } from './valueKindSql.ts';

/** The warehouses the aggregate is written for. */
export type WarehouseDialect = Extract<SqlDialect, 'trino' | 'spark' | 'snowflake'>;

export const WAREHOUSE_DIALECTS: readonly WarehouseDialect[] = ['trino', 'spark', 'snowflake'];

/** Each warehouse's name for text of any length, and a 64-bit whole number. */
const TYPES: Record<WarehouseDialect, { text: string; bigint: string }> = {
  trino: { text: 'VARCHAR', bigint: 'BIGINT' },
  spark: { text: 'STRING', bigint: 'BIGINT' },
  snowflake: { text: 'VARCHAR', bigint: 'BIGINT' },
};

/** Kind 5's `n` for a column's cells of an integer or decimal kind whose number is finite. */
export const NUMERIC_KIND = VALUE_KIND_COUNT;

/** Kind 6's bits in `n`: which of its column's bounds a value is. */
export const BOUNDS = {
  numericMin: 1,
  numericMax: 2,
  textMin: 4,
  textMax: 8,
  dateMin: 16,
  dateMax: 32,
} as const;

/** Rows of a column's statistics at most: one per kind and the finite numbers, one per bound. */
export const STATS_ROWS = VALUE_KIND_COUNT + 1 + Object.keys(BOUNDS).length;

/**
 * A string literal of the code points `codes`, written with escapes so no control character or
 * line separator stands in the SQL text: Trino's Unicode literal (`U&'\0009'`), or the
 * `\u0009` escapes Spark's and Snowflake's literals read.
 */
function escapedText(dialect: WarehouseDialect, codes: readonly number[]): string {
  const hex = (c: number) => c.toString(16).toUpperCase().padStart(4, '0');
  return dialect === 'trino'
    ? `U&'${codes.map((c) => `\\${hex(c)}`).join('')}'`
    : `'${codes.map((c) => `\\u${hex(c)}`).join('')}'`;
}

/**
 * The index into the default profiler's `VALUE_KINDS` of a filled value `v` whose digits are
 * written 9 in `s` (its shape), tested in the order columnProfile.ts `valueKind` tests a cell:
 * integer 0, decimal 1, boolean 2, the date layouts 3–9, ISO date-time 10, e-mail 11, text 12.
 * A regular expression is anchored at both ends and the text also held to its characters: Java's
 * `$` (Spark) matches before a final line end too.
 */
function kindSql(d: DialectSql, v: string, s: string): string {
  // safe casts: the shape test beside them in an AND does not guard them on every engine
  const part = (k: number) => d.tryInteger(`split_part(${v}, '/', ${k})`);
  const two = (from: number) => `substr(${v}, ${from}, 2)`;
  const digitsOnly = (x: string) => `replace(${x}, '9', '') = ''`;
  const first = (x: string) => `substr(${x}, 1, 1)`;
  const noSpace = `translate(${v}, ${escapedText(d.name as WarehouseDialect, JS_SPACE_CODES)}, '') = ${v}`;
  return [
    'CASE',
    `  WHEN ${s} = '9999-99-99' THEN 3`,
    `  WHEN ${s} = '99/99/9999' THEN CASE WHEN ${part(1)} > 12 THEN 5 ELSE 4 END`,
    `  WHEN ${s} = '99.99.9999' THEN 6`,
    `  WHEN ${s} IN ('9/9/9999', '99/9/9999', '9/99/9999') AND ${part(1)} BETWEEN 1 AND 31`,
    `    AND ${part(2)} BETWEEN 1 AND 31 AND (${part(1)} <= 12 OR ${part(2)} <= 12)`,
    `    THEN CASE WHEN ${part(1)} <= 12 THEN 8 ELSE 9 END`,
    `  WHEN ${s} = '99999999' AND ${two(1)} IN ('19', '20') AND ${two(5)} BETWEEN '01' AND '12'`,
    `    AND ${two(7)} BETWEEN '01' AND '31' THEN 7`,
    `  WHEN ${digitsOnly(s)} THEN 0`,
    `  WHEN ${first(v)} IN ('+', '-') AND ${d.length(v)} > 1 AND ${digitsOnly(`substr(${s}, 2)`)} THEN 0`,
    `  WHEN ${v} LIKE '%.%' AND ${first(s)} IN ('9', '+', '-', '.')`,
    `    AND ${d.matches(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$')}`,
    `    AND NOT ${d.matches(v, '[^0-9eE.+-]')} THEN 1`,
    `  WHEN ${s} LIKE '9999-99-99T99:99%' OR ${s} LIKE '9999-99-99 99:99%' THEN 10`,
    `  WHEN ${d.length(v)} IN (4, 5) AND translate(${v}, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2`,
    `  WHEN ${v} LIKE '%@%' AND ${first(v)} <> '@' AND ${noSpace}`,
    `    AND ${d.matches(v, '^[^@]+@[^@]+[.][^@]+$')} THEN 11`,
    '  ELSE 12 END',
  ].join('\n');
}

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
function shaped(
  d: DialectSql,
  kind: number,
  id: string,
  n: string,
  r: string,
  v: string,
  t = 'NULL',
): string {
  const types = TYPES[d.name as WarehouseDialect];
  const bigint = (x: string) => `CAST(${x} AS ${types.bigint})`;
  // quoted: Snowflake names an unquoted alias in capitals, and the rows are read by these names
  const as = (name: string) => `AS ${d.ident(name)}`;
  return `SELECT ${kind} ${as('kind')}, ${bigint(id)} ${as('id')}, ${bigint(n)} ${as('n')}, ${bigint(r)} ${as('r')}, CAST(${v} AS ${types.text}) ${as('v')}, ${bigint(t)} ${as('t')}`;
}

/**
 * The CTEs of column `k` (`column`, empty when `empty` holds) past its groups `g<k>`: `q<k>` its
 * filled values numbered by first row, `o<k>` the overflow row (none while the column has fewer
 * than {@link PROFILE_VALUES} values), `t<k>` each value's cells before it, and `s<k>` each value
 * classified once: its kind `k`, its number `x` (finite, of an integer or decimal kind), its date
 * `dt`, and its rank among the column's values by each bound.
 */
function columnCtes(d: DialectSql, k: number, column: string, from: string, empty: string): string {
  const row = d.ident(ROW_COLUMN);
  const col = d.ident(column);
  const rank = (order: string) => `ROW_NUMBER() OVER (ORDER BY ${order})`;
  return [
    `q${k} AS (\n  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g${k} WHERE v IS NOT NULL\n)`,
    `o${k} AS (\n  SELECT MIN(CASE WHEN p = ${PROFILE_VALUES} THEN r END) AS at FROM q${k}\n)`,
    // the cells before the overflow row hold only tracked values (their first rows come first)
    `t${k} AS (\n  SELECT ${col} AS v, COUNT(*) AS t FROM ${from} CROSS JOIN o${k}\n  WHERE ${row} < o${k}.at AND NOT ${empty} GROUP BY ${col}\n)`,
    [
      `s${k} AS (`,
      `  SELECT v, n, r, k, x, dt, ${rank('x NULLS LAST, r')} AS x0, ${rank('x DESC NULLS LAST, r')} AS x1,`,
      `    ${rank('v')} AS v0, ${rank('v DESC')} AS v1, ${rank('dt NULLS LAST, r')} AS d0, ${rank('dt DESC NULLS LAST, r')} AS d1`,
      `  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN ${d.toNumber('v')} END AS x, ${dateSql(d.tryInteger, 'v', 'k')} AS dt`,
      `    FROM (SELECT v, n, r, ${kindSql(d, 'v', 's')} AS k`,
      `      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q${k}) AS h${k}) AS c${k}) AS w${k}`,
      ')',
    ].join('\n'),
  ].join(',\n');
}

/** Column `k`'s kind 5 and kind 6 rows (see the file header) from its `s<k>`. */
function statsRowsSql(d: DialectSql, k: number): string {
  const bit = (condition: string, value: number) => `CASE WHEN ${condition} THEN ${value} ELSE 0 END`;
  const bounds = [
    bit('x0 = 1 AND x IS NOT NULL', BOUNDS.numericMin),
    bit('x1 = 1 AND x IS NOT NULL', BOUNDS.numericMax),
    bit('v0 = 1', BOUNDS.textMin),
    bit('v1 = 1', BOUNDS.textMax),
    bit('d0 = 1 AND dt IS NOT NULL', BOUNDS.dateMin),
    bit('d1 = 1 AND dt IS NOT NULL', BOUNDS.dateMax),
  ].join(' + ');
  return [
    `${shaped(d, 5, String(k), 'k', 'SUM(n)', 'NULL')}\nFROM s${k} GROUP BY k`,
    `UNION ALL\n${shaped(d, 5, String(k), String(NUMERIC_KIND), 'SUM(n)', 'NULL')}\nFROM s${k} WHERE x IS NOT NULL`,
    `UNION ALL\n${shaped(d, 6, String(k), 'b', 'r', 'v', 'dt')}\nFROM (SELECT v, r, dt, ${bounds} AS b FROM s${k}) AS b${k} WHERE b > 0`,
  ].join('\n');
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
  // a blank record: every cell empty, a text meaning "no value" included (the default engine's)
  const blank = header.length === 0 ? 'TRUE' : header.map((c) => emptyOf(d, c, missing)).join(' AND ');
  const flagCol = (i: number) => d.ident(`#f${i}`);
  const anyFlag = flags.length === 0 ? 'FALSE' : flags.map((_, i) => flagCol(i)).join(' OR ');
  const ctes = [
    `WITH typed AS (\n  SELECT *, ${blank} AS ${blankCol}${typedColumns.map((t) => `,\n    ${t}`).join('')}\n  FROM ${from}\n)`,
    `flags AS (\n  SELECT ${[row, blankCol, ...header.map((c) => d.ident(c))].join(', ')}${flags
      .map((f, i) => `,\n    ${f} AS ${flagCol(i)}`)
      .join('')}\n  FROM typed\n)`,
    `failing AS (\n  SELECT * FROM flags WHERE ${anyFlag}\n)`,
    // per column, its values grouped once (an empty cell grouped as NULL): every figure reads them
    ...header.map((c, k) => {
      const col = d.ident(c);
      return `g${k} AS (\n  SELECT CASE WHEN ${emptyOf(d, c, missing)} THEN NULL ELSE ${col} END AS v, COUNT(*) AS n, MIN(${row}) AS r\n  FROM ${from} GROUP BY CASE WHEN ${emptyOf(d, c, missing)} THEN NULL ELSE ${col} END\n)`;
    }),
    ...header.map((c, k) => columnCtes(d, k, c, from, emptyOf(d, c, missing))),
  ];
  const counted = (condition: string) => `COUNT(CASE WHEN ${condition} THEN 1 END)`;
  const asText = (x: string) => `CAST(${x} AS ${types.text})`;
  // a blank record is checked as any other, and counted invalid once (as blank)
  const counts = [
    counted(`NOT ${blankCol} AND (${anyFlag})`),
    ...flags.map((_, i) => counted(flagCol(i))),
  ].map(asText);
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
        `${shaped(d, 4, String(k), 'q.n', 'q.r', 'q.v', 't.t')}\nFROM q${k} AS q LEFT JOIN t${k} AS t ON t.v = q.v\nWHERE q.p <= ${PROFILE_VALUES}`,
    ),
    ...header.map((_, k) => statsRowsSql(d, k)),
  ];
  const sql = `${ctes.join(',\n')}\n${parts.join('\nUNION ALL\n')}`;
  const failingSql = `${ctes.slice(0, 2).join(',\n')}\nSELECT ${[row, ...header.map((c) => d.ident(c))].join(', ')} FROM flags WHERE ${blankCol} OR ${anyFlag} ORDER BY ${row}`;
  return { dialect, relation, header, checks, examples, sql, failingSql };
}

/** A count as an engine gives it (number, bigint or text). */
function count(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/**
 * A kind 6 row's value into `stats`, as each bound its bits `bits` name: a number bound is read
 * as JavaScript reads the text (the default profiler's `Number`), so it is the same double.
 */
function boundOf(stats: AggregateStats, bits: number, value: string, row: number, date: unknown): void {
  const dated: [string, number, number] = [value, count(date), row];
  if (bits & BOUNDS.numericMin) stats.numericMin = Number(value);
  if (bits & BOUNDS.numericMax) stats.numericMax = Number(value);
  if (bits & BOUNDS.textMin) stats.textMin = value;
  if (bits & BOUNDS.textMax) stats.textMax = value;
  if (bits & BOUNDS.dateMin) stats.dateMin = dated;
  if (bits & BOUNDS.dateMax) stats.dateMax = dated;
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
  const tracked = new Map<string, number>();
  const stats = query.header.map(
    (): AggregateStats => ({
      kinds: Array.from({ length: VALUE_KIND_COUNT }, () => 0),
      numericCount: 0,
      numericMin: null,
      numericMax: null,
      textMin: null,
      textMax: null,
      dateMin: null,
      dateMax: null,
    }),
  );
  const statsOf = (k: number) => {
    const held = stats[k];
    if (!held) throw new Error(`the aggregate query gave statistics of column ${k + 1}, which it has not`);
    return held;
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
    } else if (kind === 4) {
      columnOf(r).values.push([String(r.v), count(r.n), count(r.r)]);
      tracked.set(`${count(r.id)}\u0000${String(r.v)}`, r.t === null || r.t === undefined ? 0 : count(r.t));
    } else if (kind === 5) {
      const stats = statsOf(count(r.id));
      const kindIndex = count(r.n);
      const cells = r.r === null || r.r === undefined ? 0 : count(r.r);
      if (kindIndex === NUMERIC_KIND) stats.numericCount = cells;
      else stats.kinds[kindIndex] = cells;
    } else if (kind === 6) boundOf(statsOf(count(r.id)), count(r.n), String(r.v), count(r.r), r.t);
  }
  const ascending = (a: number, b: number) => a - b;
  part.blankRows.sort(ascending);
  for (const check of part.checks) check.rows.sort(ascending);
  for (const [k, profile] of part.profiles.entries()) {
    profile.values.sort((a, b) => a[2] - b[2]);
    profile.overflowed = profile.values.length >= PROFILE_VALUES;
    if (profile.overflowed) profile.tracked = profile.values.map(([v]) => tracked.get(`${k}\u0000${v}`) ?? 0);
    profile.stats = statsOf(k);
  }
  return part;
}
