/**
 * One table's checks as ONE aggregate query run where the data lives: per check the count of
 * failing records and the first k of them in row order (with the check's cell), the records, the
 * blank ones and the invalid ones, and each column's profile counts. The client receives at most
 * checks × k rows plus one summary row, whatever the table's size.
 *
 * The relation is read by aggregates only: one for every count and first row (each check's first
 * rows an `array_agg` cut to k), and per column its values grouped. On a foreign table
 * (`foreign`: a shard's partition) every read is one postgres_fdw sends the shard whole, so a
 * shard sends counts, k rows per check and grouped values, never its records: the checks are
 * written with what postgres_fdw ships (comparisons, `~`, `IS NULL`, CASE, built-in immutable
 * functions; not COALESCE, IS TRUE or a cast from text).
 *
 * The query's rows have one shape, `kind`, `id`, `n`, `r`, `v`:
 * - kind 0, one row: `n` records, `r` blank records, `v` a JSON object: `invalid` (records that
 *   are not blank and fail a check), `failing` (each check's count, by id), `blank` (the first k
 *   blank rows), and per column in header order `empty` (its empty cells), `values` (its first
 *   {@link PROFILE_VALUES} distinct filled values by first row, each `[value, count, first row,
 *   cells before the overflow]`), `distinct` (its distinct filled values, counted exactly) and
 *   `stats` (what the default profiler learns from every value: {@link AggregateStats});
 * - kind 1, per failing record among a check's first k: `id` the check, `r` its row, `v` its cell.
 *
 * Each column is grouped by value ONCE (a hash aggregate: value → cells, first row), and all its
 * figures come from those groups: the exact distinct count, the first values by first row (a
 * top-N sort, never a sort of all values), the overflow row (the first row of the
 * {@link PROFILE_VALUES}th value) with the tracked values' cells before it, and each value's kind,
 * number and date classified once per value as the default profiler classifies a cell. No
 * column sends more than {@link PROFILE_VALUES} values, whatever its distinct values.
 *
 * Mergeable over parts of one table (the partitions of a sharded table, each run through this SQL
 * with its own relation name): {@link mergeAggregates} adds the counts, keeps the k least rows of
 * each check and of the blank records, unites the profile values (counts add, first rows take the
 * least) and merges the stats. Distinct counts across parts are exact while no part overflowed
 * (the united values are all the values); past that a value may be in several parts, so the sum
 * of the parts' counts is an upper bound, marked not exact (`distinctExact`).
 *
 * Constraints:
 * - The checks are {@link planFlags}'s, the same expressions `contract sql` prints; their
 *   semantics match the default engine's (regular expressions translated in regex.ts, numbers read
 *   as the double JS reads, lengths in code points).
 * - Only PostgreSQL writes the JSON of the summary row here; another dialect is refused by name.
 * - Names reach SQL only quoted; values only as the dialect's literals.
 */

import type { ValidationPlan } from '../contract/index.ts';
import {
  planFlags,
  ROW_COLUMN,
  SPACE_BEFORE_QUOTE_RULE,
  type SqlCheck,
  SqlCompileError,
  spaceBeforeQuoteSql,
} from './compilePlanSql.ts';
import { type DialectSql, dialectSql, type SqlDialect } from './dialect.ts';
import { dateSql, jsSpaceBracket, VALUE_KIND_COUNT } from './valueKindSql.ts';

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
  /** the plan checked on every record, blank ones too; none: profiles and blank records only */
  plan?: ValidationPlan;
  /** texts meaning "no value" (a contract's missingValues): profiled as empty cells */
  missing?: readonly string[];
  /** failing records listed per check (default {@link DEFAULT_EXAMPLES}) */
  examples?: number;
  /**
   * the relation is a foreign table (a shard's partition): every read of it is then written
   * as an aggregate postgres_fdw sends the shard whole, at the cost of evaluating a check's
   * expression at each of its references rather than once per record
   */
  foreign?: boolean;
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
  /** the plan's checks, then each column's cells with spaces before a quote, by the `id` of the query's rows */
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
  /** more distinct values than the default profiler tracks (values past them are not sent) */
  overflowed: boolean;
  /**
   * per value of `values` (same order): its cells before the overflow row (the first row of the
   * {@link PROFILE_VALUES}th value), what the default profiler keeps for a tracked value; absent
   * when the column did not overflow (every count is then whole)
   */
  tracked?: number[];
  /** distinct filled values (exact in one part; see {@link distinctExact}) */
  distinct?: number;
  /** false: `distinct` is the sum of parts' counts that overlap, an upper bound */
  distinctExact?: boolean;
  /** what the default profiler learns from every filled cell, kept whatever the distinct values */
  stats?: AggregateStats;
}

/**
 * A column's classification over all its filled cells, each distinct value classified once as
 * the default profiler classifies a cell (columnProfile.ts `valueKind`, `dateValue`).
 */
export interface AggregateStats {
  /** cells per value kind, by index into the profiler's `VALUE_KINDS` */
  kinds: number[];
  /** cells of an integer or decimal kind whose number is finite */
  numericCount: number;
  numericMin: number | null;
  numericMax: number | null;
  /** least and greatest filled value in code-point order */
  textMin: string | null;
  textMax: string | null;
  /** the value with the least / greatest date, the first by row among equal dates: [value, date, first row] */
  dateMin: [string, number, number] | null;
  dateMax: [string, number, number] | null;
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

/**
 * The SQL text of a blank record: every cell empty, a text meaning "no value" included, as the
 * default engine reads a record after its missing values are made empty cells.
 */
function blankOf(d: DialectSql, header: readonly string[], missing: readonly string[]): string {
  return header.length === 0 ? 'TRUE' : header.map((c) => emptyOf(d, c, missing)).join(' AND ');
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
  const planned = plan ? planFlags(plan, d, header) : { checks: [], flags: [], typedColumns: [] };
  const { typedColumns } = planned;
  // after the plan's checks, each column's cells with spaces before a quote: a problem of the
  // record the default engine reports with or without a contract
  const checks = [
    ...planned.checks,
    ...header.map((column, k) => ({ id: planned.checks.length + k, rule: SPACE_BEFORE_QUOTE_RULE, column })),
  ];
  const flags = [
    ...planned.flags,
    ...header.map((c) => spaceBeforeQuoteSql(d.ident(c), emptyOf(d, c, missing))),
  ];
  const row = d.ident(ROW_COLUMN);
  const from = relationSql(d, relation);
  const blank = blankOf(d, header, missing);
  // the typed cells and each check's flag, read in place (not materialized); a blank record is
  // checked as any other (the default engine reports its contract failures beside the blank row)
  const typed = [
    'WITH typed AS NOT MATERIALIZED (',
    `  SELECT *, ${blank} AS "#blank"${typedColumns.map((t) => `,\n    ${t}`).join('')}`,
    `  FROM ${from}`,
    '), flags AS NOT MATERIALIZED (',
    `  SELECT ${[row, '"#blank"', ...header.map((c) => d.ident(c))].join(', ')}${flags
      .map((f, i) => `,\n    ${f} AS f${i}`)
      .join('')}`,
    '  FROM typed',
    ')',
  ].join('\n');
  const anyFlag = flags.length === 0 ? 'FALSE' : flags.map((_, i) => `f${i}`).join(' OR ');
  const firstOf = (value: string, where: string) =>
    `(array_agg(${value} ORDER BY ${row}) FILTER (WHERE ${where}))[1:${examples}]`;
  const cellOf = (check: SqlCheck) => (header.includes(check.column) ? d.ident(check.column) : undefined);
  // counts of every record (parallel on one server: plain counts) ...
  const tableCounts = [
    'COUNT(*) AS n',
    'COUNT(*) FILTER (WHERE "#blank") AS r',
    ...header.map((c, k) => `COUNT(*) FILTER (WHERE ${emptyOf(d, c, missing)}) AS e${k}`),
  ];
  // ... and of the failing ones, with each check's first rows: arrays cut to `examples` rows
  // where the rows are (on a shard: before they leave it)
  const checkCounts = [
    `COUNT(*) FILTER (WHERE NOT "#blank" AND (${anyFlag})) AS invalid`,
    `${firstOf(row, '"#blank"')} AS blank_rows`,
    ...checks.flatMap((check, i) => {
      const cell = cellOf(check);
      return [
        `COUNT(*) FILTER (WHERE f${i}) AS c${i}`,
        `${firstOf(row, `f${i}`)} AS r${i}`,
        ...(cell === undefined ? [] : [`${firstOf(cell, `f${i}`)} AS v${i}`]),
      ];
    }),
  ];
  // on a foreign table, ONE aggregate of the relation that postgres_fdw sends the shard whole
  // (each check's expression evaluated at each of its references); on one server, the blank and
  // failing records kept apart (MATERIALIZED: each check evaluated once per record, by parallel
  // workers) and aggregated, beside the plain counts of every record
  const counted = options.foreign
    ? [
        ', counted AS MATERIALIZED (',
        `  SELECT ${[...tableCounts, ...checkCounts].join(',\n    ')}`,
        '  FROM flags',
        ')',
      ]
    : [
        ', failing AS MATERIALIZED (',
        `  SELECT * FROM flags WHERE "#blank" OR ${anyFlag}`,
        '), counted AS MATERIALIZED (',
        `  SELECT * FROM (SELECT ${tableCounts.join(',\n    ')} FROM typed) AS t,`,
        `    (SELECT ${checkCounts.join(',\n    ')} FROM failing) AS f`,
        ')',
      ];
  const summed = counted.join('\n');
  // per column, its values grouped once (value → cells, first row); every figure below reads them
  const grouped = header.map((c, k) => {
    const col = d.ident(c);
    return [
      `, g${k} AS MATERIALIZED (`,
      `  SELECT ${col} AS v, COUNT(*) AS n, MIN(${row}) AS r FROM ${from}`,
      `  WHERE NOT ${emptyOf(d, c, missing)} GROUP BY ${col}`,
      `), p${k} AS MATERIALIZED (SELECT v, n, r FROM g${k} ORDER BY r LIMIT ${PROFILE_VALUES}`,
      `), o${k} AS (SELECT MAX(r) AS at FROM p${k} HAVING COUNT(*) = ${PROFILE_VALUES}`,
      // the cells before the overflow row hold only tracked values (their first rows come first)
      `), t${k} AS (`,
      `  SELECT ${col} AS v, COUNT(*) AS t FROM ${from}`,
      `  WHERE (SELECT at FROM o${k}) IS NOT NULL AND ${row} < (SELECT at FROM o${k})`,
      `    AND NOT ${emptyOf(d, c, missing)} GROUP BY ${col}`,
      ')',
    ].join('\n');
  });
  const profileOf = header.map((_, k) =>
    [
      `json_build_object('distinct', (SELECT COUNT(*) FROM g${k}),`,
      `      'values', (SELECT COALESCE(json_agg(json_build_array(p.v, p.n, p.r, t.t) ORDER BY p.r), '[]')`,
      `        FROM p${k} AS p LEFT JOIN t${k} AS t ON t.v = p.v),`,
      `      'stats', (${statsSql(d, `g${k}`)}))`,
    ].join('\n'),
  );
  const summary = [
    'SELECT 0 AS kind, CAST(NULL AS integer) AS id, n, r,',
    `  CAST(json_build_object('invalid', invalid,`,
    // an array, not json_build_array: a function takes at most 100 arguments, and the checks may be more
    `    'failing', ${checks.length === 0 ? 'json_build_array()' : `to_json(ARRAY[${checks.map((_, i) => `c${i}`).join(', ')}])`},`,
    `    'blank', COALESCE(to_json(blank_rows), '[]'),`,
    `    'empty', json_build_array(${header.map((_, k) => `e${k}`).join(', ')}),`,
    `    'profiles', json_build_array(${profileOf.join(',\n    ')})) AS text) AS v`,
    'FROM counted',
  ].join('\n');
  // each check's first failing records in row order, from the aggregate's arrays
  const firsts = checks.map((check, i) =>
    cellOf(check) === undefined
      ? `SELECT 1, ${i}, CAST(NULL AS bigint), u.r, CAST(NULL AS text) FROM counted, unnest(r${i}) AS u(r)`
      : `SELECT 1, ${i}, CAST(NULL AS bigint), u.r, u.v FROM counted, unnest(r${i}, v${i}) AS u(r, v)`,
  );
  const sql = [`${typed}${summed}${grouped.join('')}`, summary, ...firsts.map((f) => `UNION ALL\n${f}`)].join(
    '\n',
  );
  const failingSql = `${typed}\nSELECT ${[row, ...header.map((c) => d.ident(c))].join(', ')} FROM flags WHERE "#blank" OR ${anyFlag} ORDER BY ${row}`;
  return { dialect, relation, header, checks, examples, sql, failingSql };
}

/** ECMAScript's white space and line terminators as PostgreSQL regular-expression escapes inside brackets. */
const JS_SPACE = jsSpaceBracket();

/**
 * The index into the default profiler's `VALUE_KINDS` of a filled value `v` whose digits are
 * written 9 in `s` (its shape), tested in the order columnProfile.ts `valueKind` tests a cell:
 * integer 0, decimal 1, boolean 2, the date layouts 3–9, ISO date-time 10, e-mail 11, text 12.
 * Shapes are compared as texts; only a decimal or an e-mail candidate meets a regular expression
 * (PostgreSQL caches 32 compiled ones per session, and the checks hold more).
 */
function kindSql(d: DialectSql, v: string, s: string): string {
  const part = (k: number) => `CAST(split_part(${v}, '/', ${k}) AS integer)`;
  const two = (from: number) => `substr(${v}, ${from}, 2) COLLATE "C"`;
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
    `  WHEN ltrim(${s}, '9') = '' THEN 0`,
    `  WHEN left(${v}, 1) IN ('+', '-') AND char_length(${v}) > 1 AND ltrim(substr(${s}, 2), '9') = '' THEN 0`,
    `  WHEN position('.' in ${v}) > 0 AND left(${s}, 1) IN ('9', '+', '-', '.')`,
    `    AND ${d.matches(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$')} THEN 1`,
    `  WHEN ${s} LIKE '9999-99-99T99:99%' OR ${s} LIKE '9999-99-99 99:99%' THEN 10`,
    `  WHEN char_length(${v}) IN (4, 5) AND translate(${v}, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2`,
    `  WHEN position('@' in ${v}) > 1`,
    `    AND ${d.matches(v, `^[^@${JS_SPACE}]+@[^@${JS_SPACE}]+[.][^@${JS_SPACE}]+$`)} THEN 11`,
    '  ELSE 12 END',
  ].join('\n');
}

/**
 * A column's {@link AggregateStats} as a JSON array from its groups `g` (`v`, `n`, `r`): each
 * distinct value classified once and weighted by its cells.
 */
function statsSql(d: DialectSql, g: string): string {
  const kinds = Array.from(
    { length: VALUE_KIND_COUNT },
    (_, k) => `COALESCE(SUM(n) FILTER (WHERE k = ${k}), 0)`,
  );
  return [
    `SELECT json_build_array(json_build_array(${kinds.join(', ')}),`,
    '    COALESCE(SUM(n) FILTER (WHERE x IS NOT NULL), 0), MIN(x), MAX(x),',
    '    MIN(v COLLATE "C"), MAX(v COLLATE "C"),',
    '    (array_agg(json_build_array(v, dt, r) ORDER BY dt, r) FILTER (WHERE dt IS NOT NULL))[1],',
    '    (array_agg(json_build_array(v, dt, r) ORDER BY dt DESC, r) FILTER (WHERE dt IS NOT NULL))[1])',
    `  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN ${d.toNumber('v')} END AS x, ${dateSql((x) => `CAST(${x} AS integer)`, 'v', 'k')} AS dt`,
    // OFFSET 0 keeps each subquery apart: pulled up, its expression would be evaluated at
    // every reference of its name (the kind ~25 times a value, the shape ~15 times a kind)
    `    FROM (SELECT v, n, r, ${kindSql(d, 'v', 's')} AS k`,
    `      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM ${g} OFFSET 0) AS h`,
    '      OFFSET 0) AS c OFFSET 0) AS s',
  ].join('\n');
}

/** A count as an engine gives it (number, bigint or text). */
function count(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** {@link AggregateStats} as the summary row's JSON array gives them. */
type StatsRow = [
  number[],
  number,
  number | null,
  number | null,
  string | null,
  string | null,
  [string, number, number] | null,
  [string, number, number] | null,
];

function decodeStats([
  kinds,
  numericCount,
  numericMin,
  numericMax,
  textMin,
  textMax,
  dateMin,
  dateMax,
]: StatsRow): AggregateStats {
  const dated = (d: [string, number, number] | null): [string, number, number] | null =>
    d === null ? null : [String(d[0]), count(d[1]), count(d[2])];
  return {
    kinds: kinds.map(count),
    numericCount: count(numericCount),
    numericMin,
    numericMax,
    textMin,
    textMax,
    dateMin: dated(dateMin),
    dateMax: dated(dateMax),
  };
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
    profiles: { distinct: number; values: [string, number, number, number | null][]; stats: StatsRow }[];
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
    profiles: summary.profiles.map(({ distinct, values, stats }, k) => {
      const overflowed = values.length >= PROFILE_VALUES;
      return {
        empty: summary.empty[k] ?? 0,
        values: values.map(([v, n, r]) => [String(v), count(n), count(r)]),
        overflowed,
        ...(overflowed ? { tracked: values.map(([, , , t]) => (t === null ? 0 : count(t))) } : {}),
        distinct: count(distinct),
        distinctExact: true,
        stats: decodeStats(stats),
      };
    }),
  };
}

/** `a` before `b` in code-point order (PostgreSQL's `COLLATE "C"` on UTF-8), not UTF-16's. */
function codePointsBefore(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const c = (x[i] as string).codePointAt(0) as number;
    const d = (y[i] as string).codePointAt(0) as number;
    if (c !== d) return c < d;
  }
  return x.length < y.length;
}

function mergeStats(a: AggregateStats, b: AggregateStats): AggregateStats {
  const least = (x: number | null, y: number | null) => (x === null ? y : y === null ? x : Math.min(x, y));
  const most = (x: number | null, y: number | null) => (x === null ? y : y === null ? x : Math.max(x, y));
  const text = (x: string | null, y: string | null, first: boolean) =>
    x === null ? y : y === null ? x : codePointsBefore(x, y) === first ? x : y;
  type Dated = [string, number, number] | null;
  // the least (greatest) date, and among equal dates the value met first
  const date = (x: Dated, y: Dated, sign: number): Dated =>
    x === null ? y : y === null ? x : sign * (x[1] - y[1]) < 0 || (x[1] === y[1] && x[2] < y[2]) ? x : y;
  return {
    kinds: a.kinds.map((n, k) => n + (b.kinds[k] ?? 0)),
    numericCount: a.numericCount + b.numericCount,
    numericMin: least(a.numericMin, b.numericMin),
    numericMax: most(a.numericMax, b.numericMax),
    textMin: text(a.textMin, b.textMin, true),
    textMax: text(a.textMax, b.textMax, false),
    dateMin: date(a.dateMin, b.dateMin, 1),
    dateMax: date(a.dateMax, b.dateMax, -1),
  };
}

/**
 * One column's profile counts of two disjoint parts. The values unite by first row; a part's
 * first {@link PROFILE_VALUES} values hold the whole's (a value past them in its part has as many
 * values before it there). While neither part overflowed the united values are all the values,
 * so the distinct count is exact; after, the parts' counts add (a value in both counts twice: an
 * upper bound, marked not exact), and a tracked value's count is the sum of what each part
 * counted before its own overflow (the listed counts are then not the default profiler's, which
 * says `topExact: false` of such a column in any case).
 */
function mergeProfiles(p: AggregateProfile, other: AggregateProfile): AggregateProfile {
  const trackedOf = (q: AggregateProfile, k: number) =>
    q.tracked?.[k] ?? (q.values[k] as [string, number, number])[1];
  const byValue = new Map<string, [string, number, number, number]>(
    p.values.map((v, k) => [v[0], [v[0], v[1], v[2], trackedOf(p, k)]]),
  );
  for (const [k, [value, n, r]] of other.values.entries()) {
    const held = byValue.get(value);
    if (held) {
      held[1] += n;
      held[2] = Math.min(held[2], r);
      held[3] += trackedOf(other, k);
    } else byValue.set(value, [value, n, r, trackedOf(other, k)]);
  }
  const united = [...byValue.values()].sort((a, b) => a[2] - b[2]).slice(0, PROFILE_VALUES);
  const exact = !p.overflowed && !other.overflowed;
  const overflowed = !exact || byValue.size >= PROFILE_VALUES;
  const stats = p.stats && other.stats ? mergeStats(p.stats, other.stats) : undefined;
  return {
    empty: p.empty + other.empty,
    values: united.map(([value, n, r]) => [value, n, r]),
    overflowed,
    ...(overflowed ? { tracked: united.map((v) => v[3]) } : {}),
    distinct: exact ? byValue.size : (p.distinct ?? 0) + (other.distinct ?? 0),
    distinctExact: exact && p.distinctExact !== false && other.distinctExact !== false,
    ...(stats ? { stats } : {}),
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
      profiles: merged.profiles.map((p, i) => mergeProfiles(p, part.profiles[i] as AggregateProfile)),
    };
  }
  return merged;
}
