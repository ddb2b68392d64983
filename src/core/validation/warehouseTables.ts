/**
 * An SQL engine ({@link SqlTables}) over tables that already live in a warehouse (Trino; the same
 * SQL is printed for Spark and Snowflake): each table read by one aggregate query
 * (../sql/warehouse.ts), its counts, first failing rows and profiles made into the scan the run's
 * one report assembly takes, as PostgreSQL's are. A warehouse supplies how to run a query and hand
 * over its rows page by page ({@link WarehouseExecutor}).
 *
 * Constraints:
 * - Memory: the aggregate answers at most checks × k + k + 1 rows and, per column, PROFILE_VALUES
 *   values and its statistics (STATS_ROWS rows), whatever the table: a column past the tracked
 *   values is profiled from them, as on PostgreSQL, and no query reads a column's values whole.
 * - What this engine does not do is refused by name, never skipped: files to load (the data lives
 *   in the warehouse), rejected lines (none: a table has no CSV lines), failing records written out
 *   (`--failing-rows`), duplicate keys and references across tables.
 * - Each table must carry `ROW_COLUMN`, the record's 1-based data row, as PostgreSQL's tables do.
 */
import { createPlanRunner } from '../contract/index.ts';
import {
  type AggregateRow,
  DEFAULT_EXAMPLES,
  decodeWarehouseAggregate,
  type Relation,
  ROW_COLUMN,
  type WarehouseDialect,
  warehouseAggregateSql,
} from '../sql/index.ts';
import { aggregateProfiles, aggregateScan } from './aggregateScan.ts';
import { SqlRunError, type SqlScan, type SqlScanAsk, type SqlTables } from './sqlRun.ts';

/** How a warehouse runs SQL for {@link warehouseSqlTables}. */
export interface WarehouseExecutor {
  dialect: WarehouseDialect;
  /** the warehouse's name in sentences (Trino) */
  name: string;
  /** runs `sql`, handing each page of rows (values in the order of `columns`) to `take` as it comes */
  query(
    sql: string,
    take: (page: {
      columns: readonly string[];
      rows: readonly (readonly unknown[])[];
    }) => void | Promise<void>,
  ): Promise<string[]>;
  /** a table's columns, in order, `ROW_COLUMN` among them */
  describe(relation: Relation): Promise<string[]>;
}

/** Rows of a page by column name. */
function byName(columns: readonly string[], rows: readonly (readonly unknown[])[]): AggregateRow[] {
  return rows.map((values) => Object.fromEntries(columns.map((c, i) => [c, values[i]])));
}

/**
 * The run's engine over the warehouse's tables: an input's name is its table (`relationOf` gives
 * its qualified name). See the file header for what it refuses.
 */
export function warehouseSqlTables(
  executor: WarehouseExecutor,
  relationOf: (table: string) => Relation = (table) => table,
): SqlTables {
  const headers = new Map<string, { relation: Relation; columns: string[] }>();
  const refuse = (what: string): never => {
    throw new SqlRunError(
      `${what} are not counted on ${executor.name} yet: check the CSV files with the default engine`,
    );
  };
  const held = (name: string) => {
    const header = headers.get(name);
    if (!header) throw new Error(`no table was read as ${name}`);
    return header;
  };
  return {
    async load(name, file) {
      const relation = relationOf(file);
      const columns = await executor.describe(relation);
      if (!columns.includes(ROW_COLUMN))
        throw new SqlRunError(
          `the table "${file}" has no column ${ROW_COLUMN} (each record's 1-based data row): add it as docs/scale.md shows`,
        );
      const header = columns.filter((c) => c !== ROW_COLUMN);
      headers.set(name, { relation, columns: header });
      return header;
    },
    loadEmpty: () => refuse('empty files'),
    rejects: async () => [],
    columns: async (name) => held(name).columns,
    keys: () => refuse('duplicate keys'),
    orphans: () => refuse('references between tables'),
    async scan(name, ask: SqlScanAsk): Promise<SqlScan> {
      if (ask.failing) refuse('failing records written out');
      const { relation } = held(name);
      const { columns, check } = ask;
      const query = warehouseAggregateSql({
        dialect: executor.dialect,
        relation,
        header: columns,
        ...(check ? { plan: check.plan } : {}),
        missing: ask.missing,
        examples: ask.examples ?? DEFAULT_EXAMPLES,
      });
      // bounded by the query: checks × k + k + 1 rows, and PROFILE_VALUES + STATS_ROWS per column
      const rows: AggregateRow[] = [];
      await executor.query(query.sql, (page) => {
        rows.push(...byName(page.columns, page.rows));
      });
      const part = decodeWarehouseAggregate(query, rows);
      const profiles = aggregateProfiles(part, columns, check && createPlanRunner(check.plan, columns));
      return { ...aggregateScan(part, query.checks, check !== undefined), profiles };
    },
  };
}
