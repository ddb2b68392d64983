/**
 * `validate --engine trino|snowflake|databricks`: the run's plan executed where the tables live, on
 * a Trino server, a Snowflake account or a Databricks SQL warehouse, by one aggregate query per table
 * (core `warehouseSqlTables` over ./trinoClient.ts, ./snowflakeClient.ts or ./databricksClient.ts), its report made by the run's one report assembly as
 * PostgreSQL's is, with `engine` naming the warehouse. The tables are named as the warehouse names
 * them (`--table patients`, or `catalog.schema.patients` whole); each needs `preflight_row`, the
 * record's 1-based data row (docs/scale.md).
 *
 * Constraints:
 * - Nothing is loaded: the data is in the warehouse. Failing records written out, duplicate keys and
 *   references are refused by the command before anything runs (the core refuses them too).
 * - What the warehouse says of a failure (its error's name and message) reaches the user with the
 *   values it quotes left out.
 */
import type { CsvLayout } from '../core/csv/index.ts';
import { type Relation, ROW_COLUMN } from '../core/sql/index.ts';
import {
  type CsvSource,
  headerSource,
  localDay,
  type PlanProject,
  type RunPlan,
  refuseUnrunnableOnSql,
  rowSetWatches,
  runSqlChecks,
  SqlRunError,
  type WarehouseExecutor,
  warehouseSqlTables,
} from '../core/validation/index.ts';
import type { Waiver } from '../formats/waivers.ts';
import { Unusable } from './commands/validateOptions.ts';
import { createDatabricksClient, DatabricksError, databricksConnection } from './databricksClient.ts';
import { finishCliSqlRun } from './failingRecordsFile.ts';
import { createSnowflakeClient, SnowflakeError, snowflakeConnection } from './snowflakeClient.ts';
import type { SqlRunDone } from './sqlCommand.ts';
import { createTrinoClient, TrinoError, trinoConnection } from './trinoClient.ts';
import { StatementTimeout, type StatementWait } from './warehouseWait.ts';

/** The warehouses `validate --engine` runs on. */
export type WarehouseEngine = 'trino' | 'snowflake' | 'databricks';

/** What `validate --engine trino|snowflake|databricks` runs. */
export interface WarehouseRun {
  engine: WarehouseEngine;
  /** the warehouse's address (see each client) */
  server: string;
  /** the process's environment: a Snowflake or Databricks token is read from it */
  env: Readonly<Record<string, string | undefined>>;
  /** the tables, as the warehouse names them */
  tables: readonly string[];
  cwd: string;
  /** the run's plan of its tables (each table's columns its header) */
  planOf: (
    inputs: readonly string[],
    sources: readonly CsvSource[],
  ) => Promise<{ plan: RunPlan; given: Partial<CsvLayout> }>;
  project?: PlanProject;
  redact: boolean;
  continueOnHeaderMismatch: boolean;
  /** the run's waivers: those limited to rows are said not counted (no failing records are read back) */
  waivers: readonly Waiver[];
  examples?: number;
  toolVersion: string;
  started: Date;
  t0: number;
  /** a test's own fetch (default: the global one) */
  fetch?: typeof fetch;
  /** how long each statement may run, and how to pause while it does (default: an hour) */
  wait?: StatementWait;
}

/** The warehouses' names in sentences. */
export const WAREHOUSE_NAMES: Record<WarehouseEngine, string> = {
  trino: 'Trino',
  snowflake: 'Snowflake',
  databricks: 'Databricks',
};

/** `catalog.schema.table` as its parts (a name without dots: one part, the connection's schema). */
function relationOf(table: string): Relation {
  return table.includes('.') ? table.split('.') : table;
}

/** The executor of the run's warehouse: its client, and a table's columns from a query that reads no row. */
function executorOf(run: WarehouseRun): WarehouseExecutor {
  let client: { query: WarehouseExecutor['query'] };
  try {
    client =
      run.engine === 'trino'
        ? createTrinoClient(trinoConnection(run.server), run.fetch, run.wait)
        : run.engine === 'snowflake'
          ? createSnowflakeClient(snowflakeConnection(run.server, run.env), run.fetch, run.wait)
          : createDatabricksClient(databricksConnection(run.server, run.env), run.fetch, run.wait);
  } catch (error) {
    throw new Unusable(`cannot use the ${WAREHOUSE_NAMES[run.engine]} address: ${(error as Error).message}`);
  }
  return {
    // Databricks SQL is Spark SQL
    dialect: run.engine === 'databricks' ? 'spark' : run.engine,
    name: WAREHOUSE_NAMES[run.engine],
    query: client.query,
    describe: (relation) => {
      const parts = typeof relation === 'string' ? [relation] : relation;
      const quote = run.engine === 'databricks' ? '`' : '"';
      const name = parts.map((p) => `${quote}${p.split(quote).join(quote + quote)}${quote}`).join('.');
      return client.query(`SELECT * FROM ${name} WHERE 1 = 0`, () => undefined);
    },
  };
}

/** The warehouse's error in words, a value it quotes left out. */
function warehouseRefusal(error: unknown, engine: WarehouseEngine): string | undefined {
  if (error instanceof StatementTimeout) return `${error.message}.`;
  const code =
    error instanceof TrinoError
      ? error.errorName
      : error instanceof SnowflakeError || error instanceof DatabricksError
        ? error.code
        : undefined;
  if (code === undefined) return undefined;
  const said = (error as Error).message.replace(/'[^']*'/g, '(a value)').replace(/\.+$/, '');
  return `${WAREHOUSE_NAMES[engine]} refused the run (${code}): ${said}.`;
}

/** Runs the checks on the warehouse (see the file header). */
export async function runOnWarehouse(run: WarehouseRun): Promise<SqlRunDone & { inputs: readonly string[] }> {
  const executor = executorOf(run);
  try {
    const sources = await Promise.all(
      run.tables.map(async (t) =>
        headerSource(
          t,
          (await executor.describe(relationOf(t))).filter((c) => c !== ROW_COLUMN),
        ),
      ),
    );
    const { plan } = await run.planOf(run.tables, sources);
    if (run.project)
      refuseUnrunnableOnSql(run.project.project, plan, {
        name: executor.name,
        instead: `check the CSV file with the default engine (leave out --engine ${run.engine})`,
      });
    const found = await runSqlChecks(warehouseSqlTables(executor, relationOf), {
      files: run.tables,
      plan,
      layouts: new Map(),
      redact: run.redact,
      continueOnHeaderMismatch: run.continueOnHeaderMismatch,
      wantsFailingRecords: () => false,
      failingTarget: () =>
        Promise.reject(new SqlRunError(`failing records are not written out on ${executor.name}`)),
      ...(run.examples === undefined ? {} : { examples: run.examples }),
    });
    const watchesOf = (file: string) => rowSetWatches(run.waivers, file, localDay(run.started));
    const finished = await finishCliSqlRun(found, { ...run, failingRows: false }, plan, watchesOf, {
      sha256: {},
      engine: run.engine,
    });
    return { ...finished.done, close: finished.close, inputs: run.tables };
  } catch (error) {
    const refusal = warehouseRefusal(error, run.engine);
    throw refusal === undefined ? error : new SqlRunError(refusal);
  }
}
