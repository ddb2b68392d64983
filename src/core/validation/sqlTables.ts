/**
 * The parts of an SQL engine ({@link SqlTables}) that are the same SQL on every engine the run
 * executes on (PostgreSQL): one read of each input in row order (its records, each checked by the
 * default engine's plan runner, the failing records written out, every column's cells for the
 * default profiler), one count of the keys for duplicate keys and conflicting demographics, and
 * orphan references. An engine supplies how to run a query and read its rows, and loads each input
 * as two views: `<name>#all` (every record, with its data row in `ROW_COLUMN`, cells as text) and
 * `<name>` (the same without blank records).
 *
 * Constraints:
 * - Names reach SQL only quoted ({@link quoteName}); values only as literals the dialect writes.
 * - Engines give numbers as numbers, bigints or text (PostgreSQL's `count(*)` is text through
 *   `pg`): every count is read through {@link sqlCount}.
 * - Memory does not grow with an input's records: its read streams through the engine in
 *   batches, each check keeps its first rows, each profile is the profiler's, and the failing
 *   records go to the engine's writer as they come.
 */

import { createPlanRunner, ROW_VALID } from '../contract/index.ts';
import {
  compilePlanSql,
  heldKeyRecordsSql,
  orphanReferencesSql,
  ROW_COLUMN,
  type SqlDialect,
} from '../sql/index.ts';
import { createColumnProfiler } from './columnProfile.ts';
import { MAX_ROWS_PER_DUPLICATE } from './keySet.ts';
import type { SqlCheckResult, SqlConflict, SqlScan, SqlScanAsk, SqlTables } from './sqlRun.ts';

/** Failing rows listed per check (the report's examples per issue). */
const EXAMPLE_ROWS = 20;

/** A row of a result, by column name. */
export type SqlRow = Record<string, unknown>;

/** A row of a result, its values in the order of the query's columns. */
export type SqlValues = readonly unknown[];

/** How an engine runs SQL for {@link sharedSqlTables}. */
interface SqlExecutor {
  dialect: Extract<SqlDialect, 'postgres'>;
  /** runs a query; its rows */
  rows(sql: string): Promise<SqlRow[]>;
  /**
   * Runs a query, giving `consume` its rows in batches, in order, each row its values in the
   * order of the query's columns (an engine that streams keeps memory flat); returns what
   * `consume` does.
   */
  stream<T>(sql: string, consume: (batches: AsyncIterable<SqlValues[]>) => Promise<T>): Promise<T>;
  /**
   * Writes a file of failing records at `target`: `header`, then each row's `line` and
   * `lineEnding`, batch by batch as `lines` gives them; returns each row's data row `r`, in order.
   */
  writeFailing(
    target: string,
    header: string,
    lineEnding: string,
    lines: AsyncIterable<readonly SqlRow[]>,
  ): Promise<Uint32Array>;
  /** the columns of a loaded input, without the row number */
  columns(name: string): Promise<string[]>;
}

/** A double-quoted SQL name (both dialects). */
export function quoteName(name: string): string {
  return `"${name.split('"').join('""')}"`;
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

/** `cells` as one line of `layout`, each quoted (a quote inside doubled), without the line ending. */
function quotedLine(cells: readonly string[], layout: FailingRecordsLayout): string {
  const { quote } = layout;
  const twice = quote + quote;
  return cells.map((c) => `${quote}${c.split(quote).join(twice)}${quote}`).join(layout.delimiter);
}

/** The header line of a file of failing records: `columns`, each quoted, in `layout`. */
export function failingRecordsHeader(columns: readonly string[], layout: FailingRecordsLayout): string {
  return `${quotedLine(columns, layout)}${layout.lineEnding}`;
}

type Shared = Pick<SqlTables, 'columns' | 'scan' | 'keys' | 'orphans'>;

/** The engine-independent half of an {@link SqlTables} (see the file header). */
export function sharedSqlTables(sql: SqlExecutor): Shared {
  const { dialect, rows } = sql;
  return {
    columns: (name) => sql.columns(name),
    scan: (name, ask) => scanInput(sql, name, ask),
    async keys(name, column, demographics, missing = []) {
      // every record whose key another record holds, in row order: a key's groups are met in the
      // order of their first rows, and each later record is compared with its key's first
      const groups = new Map<
        string,
        { key: string; count: number; rows: number[]; first: string[]; differs: (number | undefined)[] }
      >();
      await sql.stream(heldKeyRecordsSql(dialect, name, column, demographics, missing), async (batches) => {
        for await (const batch of batches)
          for (const row of batch) {
            // key_value, r, then each demographic cell
            const key = String(row[0]);
            const at = sqlCount(row[1]);
            const cells = demographics.map((_, i) => String(row[i + 2] ?? ''));
            const group = groups.get(key);
            if (!group) {
              groups.set(key, {
                key,
                count: 1,
                rows: [at],
                first: cells,
                differs: demographics.map(() => undefined),
              });
              continue;
            }
            group.count++;
            if (group.rows.length < MAX_ROWS_PER_DUPLICATE) group.rows.push(at);
            cells.forEach((cell, i) => {
              if (group.differs[i] === undefined && cell !== group.first[i]) group.differs[i] = at;
            });
          }
      });
      const held = [...groups.values()];
      return {
        duplicates: held.map(({ key, count, rows }) => ({ key, count, rows })),
        conflicts: held.flatMap(({ key, rows, differs }): SqlConflict[] =>
          differs.some((at) => at !== undefined) ? [{ key, firstRow: rows[0] as number, differs }] : [],
        ),
      };
    },
    async orphans(child, parent, missing = []) {
      const found = await rows(orphanReferencesSql(dialect, child, parent, missing));
      return {
        count: found.length > 0 ? sqlCount(found[0]?.orphans) : 0,
        examples: found.map((r) => ({ row: sqlCount(r.example_row), value: String(r.value) })),
      };
    },
  };
}

/**
 * One read of an input (blank records too) in row order (the server only sorts and sends): the
 * records, the blank ones, each check's count, first rows and their cells, the failing records
 * (blank, or failing a check) written out as CSV lines, and every column's profile. Each record
 * that is not blank is checked by the default engine's own plan runner (`createPlanRunner`) as the
 * default engine checks a row: the profilers judge each cell with the plan's cell verdicts
 * (learnt once per distinct value), and only a record they flag is run through the plan, whose
 * failures are counted under the plan's SQL checks (`compilePlanSql`: their ids, rules and columns,
 * and what the engine can run). The checks and the profiles are therefore the default engine's by
 * construction; each cell is fed as the default engine feeds it (NULL and the texts meaning "no
 * value" as empty). A blank record is not checked, as the view `<name>` leaves it out. No table is
 * staged and no second pass reads the input: the server sorts and sends the next batch while the
 * client takes the last.
 */
async function scanInput(sql: SqlExecutor, name: string, ask: SqlScanAsk): Promise<SqlScan> {
  const { columns, check, failing } = ask;
  const all = `${name}#all`;
  const row = quoteName(ROW_COLUMN);
  // the row, then each cell: values 0, then 1…n
  const select = [row, ...columns.map((c, k) => `${quoteName(c)} AS c${k}`)].join(', ');
  // compiled for the checks' ids and to refuse what the engine does not run; the SQL itself is
  // the `contract sql` script's, not this read's
  const compiled =
    check && compilePlanSql(check.plan, { dialect: sql.dialect, table: all, header: check.header });
  const query = `SELECT ${select} FROM ${quoteName(all)} ORDER BY ${row}`;
  const n = columns.length;
  const checks: SqlCheckResult[] = (compiled?.checks ?? []).map((c) => ({
    ...c,
    failing: 0,
    rows: [],
    cells: new Map(),
  }));
  // the plan as the default engine runs it, on the cells in header order
  const runner = check && createPlanRunner(check.plan, columns);
  // a failure of the runner (its rule and column) as the ids of the SQL checks it is: a column's
  // rule checked twice fails under each id in turn
  const idsOf = new Map<string, number[]>();
  for (const c of checks) {
    const key = `${c.column}\u0000${c.rule}`;
    const ids = idsOf.get(key);
    if (ids) ids.push(c.id);
    else idsOf.set(key, [c.id]);
  }
  // each check's column as a value of the row (none when the input lacks the column)
  const cellOf = checks.map((c) => (columns.includes(c.column) ? columns.indexOf(c.column) + 1 : -1));
  // a text meaning "no value" is an empty cell, as the default engine profiles and checks it
  const none = new Set(ask.missing.filter((m) => m !== ''));
  const profilers = columns.map((column, k) => createColumnProfiler(column, runner?.columns[k]));
  const rowVerdict = runner?.rowVerdict ?? 0;
  // one record's cells as text (reused: the runner keeps none of it)
  const texts: string[] = new Array(n).fill('');
  const blankRows: number[] = [];
  let records = 0;
  let invalid = 0;
  // a failing record as one CSV line, every cell quoted (an empty cell and a NULL alike empty)
  const lineOf = (record: SqlValues, layout: FailingRecordsLayout) => {
    const cells: string[] = [];
    for (let k = 1; k <= n; k++) {
      const cell = record[k];
      cells.push(cell === null || cell === undefined ? '' : String(cell));
    }
    return quotedLine(cells, layout);
  };
  /** the ids of the checks a record fails (none when the cells' verdicts clear it) */
  const failedIds = (verdict: number): number[] => {
    if (!runner || verdict === 0 || runner.check(texts) === ROW_VALID) return [];
    const met = new Map<string, number>();
    const ids: number[] = [];
    for (const f of runner.failures) {
      const key = `${f.column}\u0000${f.rule}`;
      const k = met.get(key) ?? 0;
      met.set(key, k + 1);
      const id = idsOf.get(key)?.[k];
      // every failure of a plan the SQL compiles is one of its checks
      if (id === undefined) throw new Error(`the plan failed a check the SQL does not have (${f.rule})`);
      ids.push(id);
    }
    return ids;
  };
  /** takes a batch of records; returns those that fail, as `r` and `line` */
  const take = (batch: readonly SqlValues[]): SqlRow[] => {
    const failed: SqlRow[] = [];
    for (const record of batch) {
      records++;
      let blank = true;
      let verdict = rowVerdict;
      for (let k = 0; k < n; k++) {
        const cell = record[k + 1];
        let text = cell === null || cell === undefined ? '' : String(cell);
        if (text !== '') {
          blank = false;
          if (none.size > 0 && none.has(text)) text = '';
        }
        texts[k] = text;
        verdict |= (profilers[k] as ReturnType<typeof createColumnProfiler>).add(text);
      }
      const ids = blank ? [] : failedIds(verdict);
      if (!blank && ids.length === 0) continue;
      const at = sqlCount(record[0]);
      if (blank) blankRows.push(at);
      else {
        invalid++;
        for (const i of ids) {
          const result = checks[i] as SqlCheckResult;
          result.failing++;
          if (result.rows.length >= EXAMPLE_ROWS) continue;
          result.rows.push(at);
          const value = cellOf[i] === -1 ? undefined : record[cellOf[i] as number];
          // an empty cell is no value (a table may hold '' or NULL)
          if (value !== null && value !== undefined && value !== '') result.cells.set(at, String(value));
        }
      }
      if (failing) failed.push({ r: at, line: lineOf(record, failing.layout) });
    }
    return failed;
  };
  const failingRows = await sql.stream(query, async (batches) => {
    if (!failing) {
      for await (const batch of batches) take(batch);
      return undefined;
    }
    async function* lines() {
      for await (const batch of batches) yield take(batch);
    }
    const { layout } = failing;
    return sql.writeFailing(
      failing.target,
      failingRecordsHeader(columns, layout),
      layout.lineEnding,
      lines(),
    );
  });
  return {
    records,
    blankRows,
    ...(compiled ? { checked: { invalid, checks } } : {}),
    ...(failingRows ? { failingRows } : {}),
    profiles: profilers.map((p) => p.state),
  };
}
