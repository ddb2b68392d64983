/**
 * The parts of an SQL engine ({@link SqlTables}) that are the same SQL on every engine the run
 * executes on (PostgreSQL): the plan's checks (evaluated once per input, their failing records
 * staged in a temporary table that the file of failing records joins), duplicate keys,
 * conflicting demographics, orphan references, the record count and every column's cells in row
 * order for the default profiler. An engine supplies how to run a statement and
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
import { createColumnProfiler, type ProfileState } from './columnProfile.ts';
import type { SqlCheckResult, SqlDuplicate, SqlTables } from './sqlRun.ts';

/** Failing rows listed per check (the report's examples per issue). */
const EXAMPLE_ROWS = 20;

/** A row of a result, by column name. */
export type SqlRow = Record<string, unknown>;

/** How an engine runs SQL for {@link sharedSqlTables}. */
interface SqlExecutor {
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
function sqlText(value: string): string {
  return `'${value.split("'").join("''")}'`;
}

/** A count as the engine gives it (number, bigint or text). */
export function sqlCount(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** How a file of failing records is written: the CSV layout of its lines. */
interface FailingRecordsLayout {
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
  /**
   * the table of the input's failing records its check staged (`stagedFailing`): joined by row
   * number instead of evaluating the checks again
   */
  staged?: string,
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
  // a join, never a row-number subquery beside the OR: a hash join of the few staged rows stays
  // one pass over the records whatever memory the server gives it
  if (plan && staged !== undefined)
    return `SELECT ${select} FROM ${quoteName(all)} LEFT JOIN (SELECT ${row} FROM ${staged}) AS failing USING (${row}) WHERE failing.${row} IS NOT NULL OR (${blankTest}) ORDER BY ${row}`;
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
export function sharedSqlTables(sql: SqlExecutor): Shared & {
  /**
   * The table of an input's failing records its `checkPlan` staged (their row numbers in
   * `ROW_COLUMN`), when that was for the same plan and header; else undefined.
   */
  stagedFailing(name: string, plan: ValidationPlan, header: readonly string[]): string | undefined;
} {
  const { dialect, rows } = sql;
  const staged = new Map<string, { table: string; checks: string }>();
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
      const results: SqlCheckResult[] = compiled.checks.map((c) => ({
        ...c,
        failing: 0,
        rows: [],
        cells: new Map<number, string>(),
      }));
      const cellOf = new Map(compiled.failingCellColumns.map((column, k) => [column, `c${k}`]));
      let invalid = 0;
      // one scan with each check evaluated once, its failing records staged for the file of
      // failing records; read back in row order, so each check's first failing rows and their
      // cells are the first met
      const stage = quoteName(`${name}#failing`);
      await sql.run(`DROP TABLE IF EXISTS ${stage}`);
      await sql.run(`CREATE TEMP TABLE ${stage} AS ${compiled.failingRecords}`);
      staged.set(name, { table: stage, checks: compiled.failingRecords });
      await sql.each(`SELECT * FROM ${stage} ORDER BY ${quoteName(ROW_COLUMN)}`, (batch) => {
        for (const row of batch) {
          invalid++;
          const at = sqlCount(row[ROW_COLUMN]);
          for (const result of results) {
            const flag = row[`f${result.id}`];
            if (flag !== true && flag !== 't' && flag !== 1) continue;
            result.failing++;
            if (result.rows.length >= EXAMPLE_ROWS) continue;
            result.rows.push(at);
            const cell = cellOf.get(result.column);
            const value = cell === undefined ? undefined : row[cell];
            // an empty cell is no value (a table may hold '' or NULL)
            if (value !== null && value !== undefined && value !== '') result.cells?.set(at, String(value));
          }
        }
      });
      const [counted] = await rows(`SELECT COUNT(*) AS n FROM ${quoteName(name)}`);
      return { records: sqlCount(counted?.n), invalid, checks: results };
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
    stagedFailing(name, plan, header) {
      const known = staged.get(name);
      return known?.checks === compilePlanSql(plan, { dialect, table: name, header }).failingRecords
        ? known.table
        : undefined;
    },
  };
}

/**
 * Every column's profile by the default profiler, its cells fed in row order from one scan of the
 * input (blank records too), so the profile is the default engine's by construction. No counting
 * in SQL: the profiler needs every distinct value anyway (its distinct count and sketch hash
 * each one), and a count of every column's values in one statement (`GROUPING SETS`) sorts the
 * input once per column on disk when its hash tables do not fit the server's `work_mem`.
 */
async function profilesOf(
  sql: SqlExecutor,
  name: string,
  columns: readonly string[],
  missing: readonly string[],
): Promise<ProfileState[]> {
  if (columns.length === 0) return [];
  // a text meaning "no value" is an empty cell, as the default engine profiles it
  const none = new Set(missing.filter((m) => m !== ''));
  const profilers = columns.map((column) => createColumnProfiler(column));
  const cells = columns.map((column, i) => `${quoteName(column)} AS c${i}`).join(', ');
  await sql.each(
    `SELECT ${cells} FROM ${quoteName(`${name}#all`)} ORDER BY ${quoteName(ROW_COLUMN)}`,
    (batch) => {
      for (const row of batch)
        for (let i = 0; i < profilers.length; i++) {
          const cell = row[`c${i}`];
          const text = cell === null || cell === undefined ? '' : String(cell);
          (profilers[i] as ReturnType<typeof createColumnProfiler>).add(none.has(text) ? '' : text);
        }
    },
  );
  return profilers.map((p) => p.state);
}
