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
  groupedKeysSql,
  orphanReferencesSql,
  partsAggregateSql,
  partsProfileSql,
  type SqlDialect,
  withPartsProfile,
} from '../sql/index.ts';
import { aggregateProfiles, aggregateScan } from './aggregateScan.ts';
import type { SqlConflict, SqlDuplicate, SqlScan, SqlScanAsk, SqlTables } from './sqlRun.ts';

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

/** An array of row numbers as the engine gives it: an array, or its text (`{1,3,4}`). */
function sqlRowNumbers(value: unknown): number[] {
  const items = Array.isArray(value)
    ? value
    : String(value)
        .replace(/^\{|\}$/g, '')
        .split(',');
  return items.filter((item) => item !== '').map(sqlCount);
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
    // the records of each repeated key grouped and compared on the server: the client receives
    // the listed keys (at most LISTED_DUPLICATE_KEYS) with the totals, never a key's records
    keys: async (name, column, demographics, missing = []) =>
      groupedKeys(
        await rows(groupedKeysSql(dialect, name, column, demographics, missing)),
        demographics.length,
      ),
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
 * The rows of {@link groupedKeysSql} (or of `shardedDuplicateKeysSql`, `demographics` 0) as the
 * duplicate keys they list, those whose demographic cells differ, and the totals.
 */
export function groupedKeys(
  found: readonly SqlRow[],
  demographics = 0,
): Awaited<ReturnType<SqlTables['keys']>> {
  const duplicates = found.map((r) => ({
    key: String(r.key_value),
    count: sqlCount(r.count),
    rows: sqlRowNumbers(r.example_rows),
  }));
  const conflicts = found.flatMap((r, k): SqlConflict[] => {
    const differs = Array.from({ length: demographics }, (_, i) => {
      const at = r[`x_${i}`];
      return at === null || at === undefined || at === '' ? undefined : sqlCount(at);
    });
    const { key, rows } = duplicates[k] as SqlDuplicate;
    return differs.some((at) => at !== undefined) ? [{ key, firstRow: rows[0] as number, differs }] : [];
  });
  const head = found[0];
  return {
    duplicates,
    conflicts,
    totals: {
      keys: head ? sqlCount(head.keys) : 0,
      records: head ? sqlCount(head.records) : 0,
      ...(head?.conflicting_keys === undefined ? {} : { conflictingKeys: sqlCount(head.conflicting_keys) }),
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
  // past the tracked values on some shard has no exact distinct count or tracked counts from the
  // parts, so the coordinator adds its parts' grouped values by value and sends the first ones
  const merged = sharded
    ? decodePartsAggregate(sharded, await sql.rows(sharded.sql))
    : decodeAggregate(query, await sql.rows(query.sql));
  const part = { ...merged, profiles: [...merged.profiles] };
  if (sharded && parts)
    for (const [k, p] of merged.profiles.entries())
      if (p.overflowed)
        part.profiles[k] = withPartsProfile(
          p,
          await sql.rows(partsProfileSql(parts.map(quoteName), columns[k] as string, ask.missing)),
        );
  const profiles = aggregateProfiles(part, columns, check && createPlanRunner(check.plan, columns));
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
    // the cells with spaces before a quote are checked with or without a plan
    ...aggregateScan(part, query.checks, check !== undefined || query.checks.length > 0),
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
