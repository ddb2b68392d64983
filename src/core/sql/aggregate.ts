/**
 * One table's checks as ONE aggregate query run where the data lives: per check the count of
 * failing records and the first k of them in row order (with the check's cell), the records, the
 * blank ones and the invalid ones, and each column's profile counts. The client receives at most
 * checks × k rows plus one summary row, whatever the table's size.
 *
 * The query's rows have one shape, `kind`, `id`, `n`, `r`, `v`:
 * - kind 0, one row: `n` records, `r` blank records, `v` a JSON object: `invalid` (records that
 *   are not blank and fail a check), `failing` (each check's count, by id), `blank` (the first k
 *   blank rows), and per column in header order `empty` (its empty cells) and `values` (its first
 *   {@link PROFILE_VALUES} distinct filled values by first row, each `[value, count, first row]`);
 * - kind 1, per failing record among a check's first k: `id` the check, `r` its row, `v` its cell.
 *
 * Mergeable over parts of one table (the partitions of a sharded table, each run through this SQL
 * with its own relation name): {@link mergeAggregates} adds the counts, keeps the k least rows of
 * each check and of the blank records, and unites the profile values (counts add, first rows take
 * the least). A column with more than {@link PROFILE_VALUES} − 1 distinct values in any part has
 * overflowed the default profiler's tracked values; its profile then needs every distinct value
 * ({@link distinctValuesSql}, one row per value, not per record) because the default profiler's
 * distinct count and sketch hash each value.
 *
 * Constraints:
 * - The checks are {@link planFlags}'s, the same expressions `contract sql` prints; their
 *   semantics match the default engine's (regular expressions translated in regex.ts, numbers read
 *   as the double JS reads, lengths in code points).
 * - Only PostgreSQL writes the JSON of the summary row here; another dialect is refused by name.
 * - Names reach SQL only quoted; values only as the dialect's literals.
 */

import type { ValidationPlan } from '../contract/index.ts';
import { planFlags, ROW_COLUMN, type SqlCheck, SqlCompileError } from './compilePlanSql.ts';
import { type DialectSql, dialectSql, type SqlDialect } from './dialect.ts';

/**
 * Distinct values of a column returned per part: the default profiler's tracked values
 * (`MAX_TRACKED_VALUES`, 1000) and one more, whose presence says the column overflowed them.
 */
export const PROFILE_VALUES = 1001;

/** Failing records listed per check by default (the report's examples per issue). */
export const DEFAULT_EXAMPLES = 20;

/** What {@link aggregatePlanSql} is asked. */
export interface AggregateOptions {
  dialect: SqlDialect;
  /**
   * the relation read: a table, a view, or one partition of a table (quoted here); a qualified
   * name as its parts (`['shard_1', 'patients_p1']`)
   */
  relation: Relation;
  /** the relation's columns besides {@link ROW_COLUMN}, in header order: each one profiled */
  header: readonly string[];
  /** the plan checked on the records that are not blank; none: profiles and blank records only */
  plan?: ValidationPlan;
  /** texts meaning "no value" (a contract's missingValues): profiled as empty cells */
  missing?: readonly string[];
  /** failing records listed per check (default {@link DEFAULT_EXAMPLES}) */
  examples?: number;
}

/** One table's aggregate query, and what its rows mean. */
export interface AggregateSql {
  dialect: SqlDialect;
  relation: Relation;
  header: readonly string[];
  /**
   * the failing records (blank, or failing a check) in row order, `preflight_row` then each
   * column's cell: for a file of failing records, never the whole table
   */
  failingSql: string;
  /** the plan's checks, by the `id` of the query's rows */
  checks: SqlCheck[];
  examples: number;
  sql: string;
}

/** One check's result in a part: its failing records and the first of them, by row. */
export interface AggregateCheck {
  failing: number;
  /** the first failing rows, ascending (at most `examples`) */
  rows: number[];
  /** the check's cell at each of `rows` that holds one (text as stored) */
  cells: Map<number, string>;
}

/** One column's profile counts in a part. */
export interface AggregateProfile {
  /** empty cells (NULL, '' or a text meaning "no value") */
  empty: number;
  /** distinct filled values by first row: `[value, count, first row]` (at most {@link PROFILE_VALUES}) */
  values: [string, number, number][];
  /** more distinct values than the default profiler tracks: its profile needs {@link distinctValuesSql} */
  overflowed: boolean;
}

/** What one aggregate query (or several merged) found. */
export interface AggregatePart {
  records: number;
  /** records that are not blank and fail a check */
  invalid: number;
  blanks: number;
  /** the first blank rows, ascending (at most `examples`) */
  blankRows: number[];
  /** by check id */
  checks: AggregateCheck[];
  /** by column, in header order */
  profiles: AggregateProfile[];
}

/** A relation's name, or a qualified name's parts (schema, then name), each quoted apart. */
export type Relation = string | readonly string[];

function relationSql(d: DialectSql, relation: Relation): string {
  return typeof relation === 'string' ? d.ident(relation) : relation.map((part) => d.ident(part)).join('.');
}

/** The rows of an aggregate query as the engine's client gives them (by column name). */
export type AggregateRow = Readonly<Record<string, unknown>>;

function blankOf(d: DialectSql, header: readonly string[]): string {
  return header.length === 0 ? 'TRUE' : header.map((c) => `COALESCE(${d.ident(c)}, '') = ''`).join(' AND ');
}

/** The SQL text of an empty cell of `column` (NULL, '' or a text meaning "no value"). */
function emptyOf(d: DialectSql, column: string, missing: readonly string[]): string {
  const c = d.ident(column);
  const none = missing.filter((m) => m !== '');
  return `(${c} IS NULL OR ${c} = ''${none.length > 0 ? ` OR ${c} IN (${none.map(d.text).join(', ')})` : ''})`;
}

/**
 * The aggregate query of one relation (see the file header). Throws {@link SqlCompileError} for
 * a plan keyword SQL cannot express, or a dialect this query is not written for.
 */
export function aggregatePlanSql(options: AggregateOptions): AggregateSql {
  const { dialect, relation, header, plan } = options;
  if (dialect !== 'postgres')
    throw new SqlCompileError(`the one-query aggregate on ${dialect} (only PostgreSQL runs it)`, undefined);
  const d = dialectSql(dialect);
  const examples = options.examples ?? DEFAULT_EXAMPLES;
  if (!Number.isInteger(examples) || examples < 0)
    throw new RangeError('examples must be a whole number ≥ 0');
  const missing = options.missing ?? [];
  const { checks, flags, typedColumns } = plan
    ? planFlags(plan, d, header)
    : { checks: [], flags: [], typedColumns: [] };
  const row = d.ident(ROW_COLUMN);
  const from = relationSql(d, relation);
  const blank = blankOf(d, header);
  // the typed cells and each check's flag, read in place by every branch (not materialized)
  const typed = [
    'WITH typed AS NOT MATERIALIZED (',
    `  SELECT *, ${blank} AS "#blank"${typedColumns.map((t) => `,\n    ${t}`).join('')}`,
    `  FROM ${from}`,
    '), flags AS NOT MATERIALIZED (',
    `  SELECT ${[row, '"#blank"', ...header.map((c) => d.ident(c))].join(', ')}${flags
      .map((f, i) => `,\n    (NOT "#blank" AND ${f}) AS f${i}`)
      .join('')}`,
    '  FROM typed',
    ')',
  ].join('\n');
  const anyFlag = flags.length === 0 ? 'FALSE' : flags.map((_, i) => `f${i}`).join(' OR ');
  // the records failing a check, kept (MATERIALIZED) so each check's expressions are evaluated
  // once per record, and each check's count and first rows read only the failing records
  const failing = `, failing AS MATERIALIZED (\n  SELECT * FROM flags WHERE ${anyFlag}\n)`;
  const failingCounts = flags.map((_, i) => `COUNT(*) FILTER (WHERE f${i})`).join(', ');
  const empties = header.map((c) => `COUNT(*) FILTER (WHERE ${emptyOf(d, c, missing)})`);
  const values = header.map((c) => {
    const empty = emptyOf(d, c, missing);
    return [
      `(SELECT COALESCE(json_agg(json_build_array(v, n, r) ORDER BY r), '[]') FROM (`,
      `      SELECT ${d.ident(c)} AS v, COUNT(*) AS n, MIN(${row}) AS r FROM ${from}`,
      `      WHERE NOT ${empty} GROUP BY ${d.ident(c)} ORDER BY r LIMIT ${PROFILE_VALUES}) AS p)`,
    ].join('\n');
  });
  // one read of the table for the counts that need no check (records, blank, empty cells)
  const summary = [
    'SELECT 0 AS kind, CAST(NULL AS integer) AS id, COUNT(*) AS n,',
    '  COUNT(*) FILTER (WHERE "#blank") AS r,',
    `  CAST(json_build_object('invalid', (SELECT COUNT(*) FROM failing),`,
    `    'failing', (SELECT json_build_array(${failingCounts}) FROM failing),`,
    `    'blank', (SELECT COALESCE(json_agg(b.${row} ORDER BY b.${row}), '[]') FROM (`,
    `      SELECT ${row} FROM typed WHERE "#blank" ORDER BY ${row} LIMIT ${examples}) AS b),`,
    `    'empty', json_build_array(${empties.join(', ')}),`,
    `    'values', json_build_array(${values.join(',\n    ')})) AS text) AS v`,
    'FROM typed',
  ].join('\n');
  // each check's first failing records in row order, among the failing records only
  const firsts = checks.map((check, i) => {
    const cell = header.includes(check.column) ? d.ident(check.column) : 'CAST(NULL AS text)';
    return `(SELECT 1 AS kind, ${i} AS id, CAST(NULL AS bigint) AS n, ${row} AS r, ${cell} AS v FROM failing WHERE f${i} ORDER BY ${row} LIMIT ${examples})`;
  });
  const sql = [`${typed}${failing}`, summary, ...firsts.map((f) => `UNION ALL\n${f}`)].join('\n');
  const failingSql = `${typed}\nSELECT ${[row, ...header.map((c) => d.ident(c))].join(', ')} FROM flags WHERE "#blank" OR ${anyFlag} ORDER BY ${row}`;
  return { dialect, relation, header, checks, examples, sql, failingSql };
}

/**
 * Every distinct filled value of a column of `relation` in first-row order, for the profile of a
 * column that overflowed the tracked values: `v`, `n` (its cells), `r` (its first row) and `t`
 * (its cells before the row where the first value past the {@link PROFILE_VALUES} − 1 tracked ones
 * first stands: the counts the default profiler keeps for a tracked value). One row per value,
 * read through a cursor.
 */
export function distinctValuesSql(
  dialect: SqlDialect,
  relation: Relation,
  column: string,
  missing: readonly string[],
): string {
  const d = dialectSql(dialect);
  const row = d.ident(ROW_COLUMN);
  const c = d.ident(column);
  return [
    'WITH cells AS NOT MATERIALIZED (',
    `  SELECT ${c} AS v, ${row} AS r FROM ${relationSql(d, relation)} WHERE NOT ${emptyOf(d, column, missing)}`,
    '), g AS (SELECT v, COUNT(*) AS n, MIN(r) AS r FROM cells GROUP BY v',
    `), o AS (SELECT COALESCE((SELECT r FROM g ORDER BY r OFFSET ${PROFILE_VALUES - 1} LIMIT 1), ${Number.MAX_SAFE_INTEGER}) AS at`,
    '), t AS (SELECT v, COUNT(*) AS t FROM cells, o WHERE cells.r < o.at GROUP BY v)',
    'SELECT g.v, g.n, g.r, COALESCE(t.t, 0) AS t FROM g LEFT JOIN t ON t.v = g.v ORDER BY g.r',
  ].join('\n');
}

/** A count as an engine gives it (number, bigint or text). */
function count(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** The rows of one aggregate query (any order) as what they found. */
export function decodeAggregate(query: AggregateSql, rows: readonly AggregateRow[]): AggregatePart {
  const head = rows.find((r) => count(r.kind) === 0);
  if (!head) throw new Error('the aggregate query gave no summary row');
  const summary = JSON.parse(String(head.v)) as {
    invalid: number;
    failing: number[];
    blank: number[];
    empty: number[];
    values: [string, number, number][][];
  };
  const checks: AggregateCheck[] = query.checks.map((c) => ({
    failing: summary.failing[c.id] ?? 0,
    rows: [],
    cells: new Map(),
  }));
  const listed = rows
    .filter((r) => count(r.kind) === 1)
    .map((r) => ({ id: count(r.id), row: count(r.r), value: r.v }))
    .sort((a, b) => a.id - b.id || a.row - b.row);
  for (const { id, row, value } of listed) {
    const check = checks[id];
    if (!check) throw new Error(`the aggregate query gave a row of check ${id}, which it has not`);
    check.rows.push(row);
    if (value !== null && value !== undefined && value !== '') check.cells.set(row, String(value));
  }
  return {
    records: count(head.n),
    invalid: summary.invalid,
    blanks: count(head.r),
    blankRows: summary.blank.map(count),
    checks,
    profiles: summary.values.map((values, k) => ({
      empty: summary.empty[k] ?? 0,
      values: values.map(([v, n, r]) => [String(v), count(n), count(r)]),
      overflowed: values.length >= PROFILE_VALUES,
    })),
  };
}

/** The `k` least of two ascending lists. */
function leastOf(a: readonly number[], b: readonly number[], k: number): number[] {
  return [...a, ...b].sort((x, y) => x - y).slice(0, k);
}

/**
 * Several parts of one table (its partitions, each a disjoint set of records) as one: counts
 * add, each check's and the blank records' first `examples` rows are the least of all parts', and
 * profile values unite (counts add, the first row is the least). A column overflowed in any part,
 * or whose united values exceed the tracked ones, has overflowed.
 */
export function mergeAggregates(parts: readonly AggregatePart[], examples = DEFAULT_EXAMPLES): AggregatePart {
  const [first, ...rest] = parts;
  if (!first) throw new Error('nothing to merge');
  let merged: AggregatePart = first;
  for (const part of rest) {
    if (part.checks.length !== merged.checks.length || part.profiles.length !== merged.profiles.length)
      throw new Error('the parts were not compiled from the same plan and header');
    merged = {
      records: merged.records + part.records,
      invalid: merged.invalid + part.invalid,
      blanks: merged.blanks + part.blanks,
      blankRows: leastOf(merged.blankRows, part.blankRows, examples),
      checks: merged.checks.map((c, i) => {
        const other = part.checks[i] as AggregateCheck;
        const rows = leastOf(c.rows, other.rows, examples);
        const cells = new Map<number, string>();
        for (const r of rows) {
          const cell = c.cells.get(r) ?? other.cells.get(r);
          if (cell !== undefined) cells.set(r, cell);
        }
        return { failing: c.failing + other.failing, rows, cells };
      }),
      profiles: merged.profiles.map((p, i) => {
        const other = part.profiles[i] as AggregateProfile;
        const byValue = new Map<string, [string, number, number]>(p.values.map((v) => [v[0], [...v]]));
        for (const [value, n, r] of other.values) {
          const held = byValue.get(value);
          if (held) {
            held[1] += n;
            held[2] = Math.min(held[2], r);
          } else byValue.set(value, [value, n, r]);
        }
        const values = [...byValue.values()].sort((a, b) => a[2] - b[2]);
        return {
          empty: p.empty + other.empty,
          values: values.slice(0, PROFILE_VALUES),
          overflowed: p.overflowed || other.overflowed || values.length >= PROFILE_VALUES,
        };
      }),
    };
  }
  return merged;
}
