/**
 * The parts of an SQL engine ({@link SqlTables}) that are the same SQL on every engine the run
 * executes on (PostgreSQL): the plan's checks, the cells of failing rows,
 * duplicate keys, conflicting demographics, orphan references, the record count and every
 * column's value counts for the default profiler. An engine supplies how to run a statement and
 * read its rows, and loads each input as two views: `<name>#all` (every record, with its data row
 * in `ROW_COLUMN`, cells as text) and `<name>` (the same without blank records).
 *
 * Constraints:
 * - Names reach SQL only quoted ({@link quoteName}); values only as literals the dialect writes.
 * - Engines give numbers as numbers, bigints or text (PostgreSQL's `count(*)` is text through
 *   `pg`): every count is read through {@link sqlCount}.
 */

import type { ValidationPlan } from '../contract/index.ts';
import {
  compilePlanSql,
  conflictingDemographicsSql,
  duplicateKeysSql,
  orphanReferencesSql,
  ROW_COLUMN,
  type SqlDialect,
} from '../sql/index.ts';
import { createColumnProfiler, MAX_TRACKED_VALUES, type ProfileState } from './columnProfile.ts';
import type { SqlCheckResult, SqlDuplicate, SqlTables } from './sqlRun.ts';

/** A row of a result, by column name. */
export type SqlRow = Record<string, unknown>;

/** How an engine runs SQL for {@link sharedSqlTables}. */
export interface SqlExecutor {
  dialect: Extract<SqlDialect, 'postgres'>;
  /** runs a statement, no result */
  run(sql: string): Promise<void>;
  /** runs a query; its rows */
  rows(sql: string): Promise<SqlRow[]>;
  /** runs a query, giving its rows in batches (an engine that streams keeps memory flat) */
  each(sql: string, batch: (rows: SqlRow[]) => void): Promise<void>;
  /** the blank-record test of a loaded input (every cell empty), as its load wrote it */
  blankTest(name: string): string;
  /** the columns of a loaded input, without the row number */
  columns(name: string): Promise<string[]>;
}

/** A double-quoted SQL name (both dialects). */
export function quoteName(name: string): string {
  return `"${name.split('"').join('""')}"`;
}

/** A string literal (both dialects). */
export function sqlText(value: string): string {
  return `'${value.split("'").join("''")}'`;
}

/** A count as the engine gives it (number, bigint or text). */
export function sqlCount(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** How a file of failing records is written: the CSV layout of its lines. */
export interface FailingRecordsLayout {
  delimiter: string;
  quote: string;
  lineEnding: string;
}

/**
 * The records of a loaded input that fail (a blank record, a check of `plan`), in row order: `r`,
 * the data row, and `line`, the record as one CSV line of `layout`, every cell quoted (an empty
 * cell and a NULL alike empty). One scan of every record with the checks inline
 * (`PlanSql.failingSelect`): the checks judge a record by its own cells alone, so they fail a
 * non-blank record of `<name>#all` exactly as they fail it in `<name>`, and a blank one is
 * listed anyway.
 */
export function failingRecordsSql(
  dialect: SqlExecutor['dialect'],
  name: string,
  columns: readonly string[],
  blankTest: string,
  plan: { plan: ValidationPlan; header: readonly string[] } | undefined,
  layout: FailingRecordsLayout,
): string {
  const q = sqlText(layout.quote);
  const line =
    columns.length === 0
      ? "''"
      : `concat_ws(${sqlText(layout.delimiter)}, ${columns
          .map(
            (c) =>
              `${q} || replace(COALESCE(CAST(${quoteName(c)} AS VARCHAR), ''), ${q}, ${q} || ${q}) || ${q}`,
          )
          .join(', ')})`;
  const row = quoteName(ROW_COLUMN);
  const all = `${name}#all`;
  const select = `${row} AS r, ${line} AS line`;
  return plan
    ? compilePlanSql(plan.plan, { dialect, table: all, header: plan.header }).failingSelect(select, blankTest)
    : `SELECT ${select} FROM ${quoteName(all)} WHERE ${blankTest} ORDER BY ${row}`;
}

/** The header line of a file of failing records: `columns`, each quoted, in `layout`. */
export function failingRecordsHeader(columns: readonly string[], layout: FailingRecordsLayout): string {
  const { quote } = layout;
  return `${columns.map((c) => `${quote}${c.split(quote).join(quote + quote)}${quote}`).join(layout.delimiter)}${layout.lineEnding}`;
}

type Shared = Pick<
  SqlTables,
  | 'records'
  | 'blankRows'
  | 'columns'
  | 'checkPlan'
  | 'cells'
  | 'duplicates'
  | 'conflicts'
  | 'orphans'
  | 'profiles'
>;

/** The engine-independent half of an {@link SqlTables} (see the file header). */
export function sharedSqlTables(sql: SqlExecutor): Shared {
  const { dialect, rows } = sql;
  const all = (name: string) => quoteName(`${name}#all`);
  const columnsOf = (name: string) => sql.columns(name);
  return {
    async records(name) {
      const [row] = await rows(`SELECT COUNT(*) AS n FROM ${all(name)}`);
      return sqlCount(row?.n);
    },
    async blankRows(name) {
      const found = await rows(
        `SELECT ${quoteName(ROW_COLUMN)} AS r FROM ${all(name)} WHERE ${sql.blankTest(name)} ORDER BY 1`,
      );
      return found.map((r) => sqlCount(r.r));
    },
    columns: columnsOf,
    async checkPlan(name, plan, header) {
      const compiled = compilePlanSql(plan, { dialect, table: name, header });
      const [summary] = await rows(compiled.summary);
      const results: SqlCheckResult[] = compiled.checks.map((c) => ({ ...c, failing: 0, rows: [] }));
      for (const row of await rows(compiled.failures)) {
        const result = results[sqlCount(row.check_id)] as SqlCheckResult;
        result.failing = sqlCount(row.failing);
        result.rows.push(sqlCount(row.example_row));
      }
      return { records: sqlCount(summary?.records), invalid: sqlCount(summary?.invalid), checks: results };
    },
    async cells(name, column, wanted) {
      const found = new Map<number, string>();
      // a contract column the input lacks (its header did not fit) has no cells to show
      if (wanted.length === 0 || !(await columnsOf(name)).includes(column)) return found;
      const list = wanted.map((r) => String(Math.trunc(r))).join(', ');
      // an empty cell is no value (a table may hold '' or NULL)
      for (const row of await rows(
        `SELECT ${quoteName(ROW_COLUMN)} AS r, ${quoteName(column)} AS v FROM ${quoteName(name)} WHERE ${quoteName(ROW_COLUMN)} IN (${list})`,
      ))
        if (row.v !== null && row.v !== undefined && row.v !== '') found.set(sqlCount(row.r), String(row.v));
      return found;
    },
    async duplicates(name, column, missing = []) {
      const groups = new Map<string, SqlDuplicate>();
      for (const row of await rows(duplicateKeysSql(dialect, name, column, missing))) {
        const key = String(row.key_value);
        let group = groups.get(key);
        if (!group) {
          group = { key, count: sqlCount(row.count), rows: [] };
          groups.set(key, group);
        }
        group.rows.push(sqlCount(row.example_row));
      }
      return [...groups.values()];
    },
    async conflicts(name, column, demographics, missing = []) {
      const found = await rows(conflictingDemographicsSql(dialect, name, column, demographics, missing));
      return found.map((r) => ({
        key: String(r.key_value),
        firstRow: sqlCount(r.first_row),
        differs: demographics.map((_, i) => {
          const at = r[`differs_${i}`];
          return at === null || at === undefined || at === '' ? undefined : sqlCount(at);
        }),
      }));
    },
    async orphans(child, parent, missing = []) {
      const found = await rows(orphanReferencesSql(dialect, child, parent, missing));
      return {
        count: found.length > 0 ? sqlCount(found[0]?.orphans) : 0,
        examples: found.map((r) => ({ row: sqlCount(r.example_row), value: String(r.value) })),
      };
    },
    profiles: (name, columns, missing = []) => profilesOf(sql, name, columns, missing),
  };
}

/**
 * Every column's values counted in SQL (one grouping set per column, one scan of the input), then
 * fed to the default profiler in first-seen order, so the profile is the default engine's.
 */
async function profilesOf(
  sql: SqlExecutor,
  name: string,
  columns: readonly string[],
  missing: readonly string[],
): Promise<ProfileState[]> {
  if (columns.length === 0) return [];
  const { rows } = sql;
  const none = missing.filter((m) => m !== '');
  const alias = (i: number) => quoteName(`preflight#${i}`);
  const r = quoteName('preflight#r');
  const cellOf = (column: string) => {
    const cell = quoteName(column);
    const empty = `${cell} IS NULL${none.length > 0 ? ` OR ${cell} IN (${none.map(sqlText).join(', ')})` : ''}`;
    return `CASE WHEN ${empty} THEN '' ELSE ${cell} END`;
  };
  // in a set's rows the other columns are NULL, so the set's value is the one that is not
  const grouped = (indexes: readonly number[], where = '') => {
    const which = `CASE ${indexes.map((i, k) => `WHEN GROUPING(${alias(k)}) = 0 THEN ${i}`).join(' ')} END`;
    return {
      keys: `${which} AS c, COALESCE(${indexes.map((_, k) => alias(k)).join(', ')}) AS v`,
      sets: `GROUPING SETS (${indexes.map((_, k) => `(${alias(k)})`).join(', ')})`,
      from: (cells: (i: number) => string) =>
        `(SELECT ${quoteName(ROW_COLUMN)} AS ${r}, ${indexes.map((i, k) => `${cells(i)} AS ${alias(k)}`).join(', ')} FROM ${quoteName(`${name}#all`)}${where}) AS cells`,
    };
  };
  const every = columns.map((_, i) => i);
  const counts = quoteName(`${name}#profiles`);
  await sql.run(`CREATE TEMP TABLE ${counts} (c INTEGER, v VARCHAR, n BIGINT, f BIGINT)`);
  try {
    const each = grouped(every);
    await sql.run(
      `INSERT INTO ${counts} SELECT ${each.keys}, COUNT(*) AS n, MIN(${r}) AS f FROM ${each.from((i) => cellOf(columns[i] as string))} GROUP BY ${each.sets}`,
    );
    // per column, the row where it overflows (the first of the value after the tracked ones):
    // only the cells before it count in a tracked value's count, as in the default profiler
    const overflows = new Map<number, number>();
    for (const row of await rows(
      `SELECT c, f FROM (SELECT c, f, ROW_NUMBER() OVER (PARTITION BY c ORDER BY f) AS k FROM ${counts} WHERE v <> '') AS ranked WHERE k = ${MAX_TRACKED_VALUES + 1}`,
    ))
      overflows.set(sqlCount(row.c), sqlCount(row.f));
    const tracked = new Map<string, number>();
    if (overflows.size > 0) {
      const over = [...overflows.keys()].sort((a, b) => a - b);
      const last = Math.max(...over.map((i) => overflows.get(i) as number));
      const before = grouped(over, ` WHERE ${quoteName(ROW_COLUMN)} < ${last}`);
      for (const row of await rows(
        `SELECT c, v, t FROM (SELECT ${before.keys}, COUNT(*) AS t FROM ${before.from(
          (i) =>
            `CASE WHEN ${quoteName(ROW_COLUMN)} < ${overflows.get(i)} THEN ${cellOf(columns[i] as string)} END`,
        )} GROUP BY ${before.sets}) AS counted WHERE v IS NOT NULL`,
      ))
        tracked.set(`${sqlCount(row.c)}\u0000${String(row.v)}`, sqlCount(row.t));
    }
    const profilers = columns.map((column) => createColumnProfiler(column));
    await sql.each(`SELECT c, v, n FROM ${counts} ORDER BY c, f`, (batch) => {
      for (const row of batch) {
        const column = sqlCount(row.c);
        const value = String(row.v);
        const n = sqlCount(row.n);
        const before = overflows.has(column) ? (tracked.get(`${column}\u0000${value}`) ?? 0) : n;
        profilers[column]?.addCounted(value, n, before);
      }
    });
    return profilers.map((p) => p.state);
  } finally {
    await sql.run(`DROP TABLE ${counts}`);
  }
}
