/**
 * The parts of an SQL engine ({@link SqlTables}) that are the same SQL on every engine the run
 * executes on (PostgreSQL): one aggregate query of each input (its records, each check's count and
 * first failing rows, each column's profile counts for the default profiler; the failing records
 * read alone when asked), one count of the keys for duplicate keys and conflicting demographics, and
 * orphan references. An engine supplies how to run a query and read its rows, and loads each input
 * as two views: `<name>#all` (every record, with its data row in `ROW_COLUMN`, cells as text) and
 * `<name>` (the same without blank records).
 *
 * Constraints:
 * - Names reach SQL only quoted ({@link quoteName}); values only as literals the dialect writes.
 * - Engines give numbers as numbers, bigints or text (PostgreSQL's `count(*)` is text through
 *   `pg`): every count is read through {@link sqlCount}.
 * - Memory does not grow with an input's records: the aggregate sends at most checks × k rows and
 *   a summary row, a column's distinct values and the failing records stream through the engine
 *   in batches (to the profiler, to the engine's writer) as they come.
 */

import { createPlanRunner } from '../contract/index.ts';
import {
  aggregatePlanSql,
  DEFAULT_EXAMPLES,
  decodeAggregate,
  decodePartsAggregate,
  distinctValuesSql,
  heldKeyRecordsSql,
  orphanReferencesSql,
  partsAggregateSql,
  type SqlDialect,
} from '../sql/index.ts';
import { aggregateProfiles, aggregateScan, type DistinctValue } from './aggregateScan.ts';
import { MAX_ROWS_PER_DUPLICATE } from './keySet.ts';
import type { SqlConflict, SqlScan, SqlScanAsk, SqlTables } from './sqlRun.ts';

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
  /**
   * the relations of an input's parts when it is sharded (each with every record of its part,
   * as `<name>#all` has the whole input's), each aggregated where it lives and the results
   * merged; undefined: the input is one relation
   */
  partsOf?(name: string): readonly string[] | undefined;
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
 * One input checked where it lives: ONE aggregate query ({@link aggregatePlanSql}) gives the
 * records, the blank ones, each check's count with its first failing records and their cells,
 * and each column's profile counts; the client receives at most checks × k rows and a summary
 * row. Each column's profile is the default profiler's ({@link aggregateProfiles}): made from at
 * most {@link PROFILE_VALUES} values and the column's stats, whatever its distinct values. With a
 * file of failing records asked for, a second query reads only those records (blank, or failing a
 * check), in row order.
 */
async function scanInput(sql: SqlExecutor, name: string, ask: SqlScanAsk): Promise<SqlScan> {
  const { columns, check, failing } = ask;
  const relation = `${name}#all`;
  const query = aggregatePlanSql({
    dialect: sql.dialect,
    relation,
    header: columns,
    ...(check ? { plan: check.plan } : {}),
    missing: ask.missing,
    examples: ask.examples ?? DEFAULT_EXAMPLES,
  });
  const parts = sql.partsOf?.(name);
  const sharded =
    parts &&
    partsAggregateSql(parts, {
      dialect: sql.dialect,
      header: columns,
      ...(check ? { plan: check.plan } : {}),
      missing: ask.missing,
      examples: ask.examples ?? DEFAULT_EXAMPLES,
    });
  // a sharded input: every part's aggregate in one query, merged here as one relation's; a column
  // past the tracked values on some shard has no exact distinct count from the parts, so the
  // coordinator reads its distinct values (one row per value, never one per record)
  const part = sharded
    ? decodePartsAggregate(sharded, await sql.rows(sharded.sql))
    : decodeAggregate(query, await sql.rows(query.sql));
  const profiles = await aggregateProfiles(
    part,
    columns,
    check && createPlanRunner(check.plan, columns),
    sharded
      ? (column, take) =>
          distinctValues(sql, distinctValuesSql(sql.dialect, relation, column, ask.missing), take)
      : undefined,
  );
  let failingRows: Uint32Array | undefined;
  if (failing) {
    const { layout } = failing;
    failingRows = await sql.stream(query.failingSql, async (batches) => {
      async function* lines() {
        for await (const batch of batches)
          yield batch.map((record) => ({
            r: sqlCount(record[0]),
            line: lineOf(record, columns.length, layout),
          }));
      }
      return sql.writeFailing(
        failing.target,
        failingRecordsHeader(columns, layout),
        layout.lineEnding,
        lines(),
      );
    });
  }
  return {
    ...aggregateScan(part, query.checks, check !== undefined),
    profiles,
    ...(failingRows ? { failingRows } : {}),
  };
}

/** A failing record (the row, then its cells) as one CSV line, every cell quoted (NULL empty). */
function lineOf(record: SqlValues, n: number, layout: FailingRecordsLayout): string {
  const cells: string[] = [];
  for (let k = 1; k <= n; k++) {
    const cell = record[k];
    cells.push(cell === null || cell === undefined ? '' : String(cell));
  }
  return quotedLine(cells, layout);
}

/** Feeds `take` each distinct value of a column as {@link distinctValuesSql} gives them, as they stream. */
function distinctValues(
  sql: SqlExecutor,
  query: string,
  take: (value: DistinctValue) => void,
): Promise<void> {
  return sql.stream(query, async (batches) => {
    for await (const batch of batches)
      for (const r of batch) take({ value: String(r[0]), count: sqlCount(r[1]), tracked: sqlCount(r[3]) });
  });
}
