/**
 * `validate --engine trino`: the run's plan executed where the tables live, on a Trino server, by
 * one aggregate query per table (core `warehouseSqlTables` over ./trinoClient.ts), its report made
 * by the run's one report assembly as PostgreSQL's is, with `engine: "trino"`. The tables are
 * named as Trino names them (`--table patients`, or `catalog.schema.patients` whole); each needs
 * `preflight_row`, the record's 1-based data row (docs/scale.md).
 *
 * Constraints:
 * - Nothing is loaded: the data is in the warehouse. Failing records written out, duplicate keys and
 *   references are refused by the command before anything runs (the core refuses them too).
 * - What Trino says of a failure (its error's name and message) reaches the user with the values it
 *   quotes left out.
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
  warehouseSqlTables,
} from '../core/validation/index.ts';
import type { Waiver } from '../formats/waivers.ts';
import { Unusable } from './commands/validateOptions.ts';
import { finishCliSqlRun } from './failingRecordsFile.ts';
import type { SqlRunDone } from './sqlCommand.ts';
import { createTrinoClient, type TrinoClient, TrinoError, trinoConnection } from './trinoClient.ts';

/** What `validate --engine trino` runs. */
export interface TrinoRun {
  /** `http(s)://user@host:port/catalog/schema` */
  server: string;
  /** the tables, as Trino names them */
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
}

/** `catalog.schema.table` as its parts (a name without dots: one part, the connection's schema). */
function relationOf(table: string): Relation {
  return table.includes('.') ? table.split('.') : table;
}

/** A table's columns, from the columns of a query that reads no row. */
async function describe(client: TrinoClient, relation: Relation): Promise<string[]> {
  const parts = typeof relation === 'string' ? [relation] : relation;
  const name = parts.map((p) => `"${p.split('"').join('""')}"`).join('.');
  return client.query(`SELECT * FROM ${name} WHERE 1 = 0`, () => undefined);
}

/** Trino's error in words, a value it quotes left out. */
function trinoRefusal(error: unknown): string | undefined {
  if (!(error instanceof TrinoError)) return undefined;
  return `Trino refused the run (${error.errorName}): ${error.message.replace(/'[^']*'/g, '(a value)').replace(/\.+$/, '')}.`;
}

/** Runs the checks on Trino (see the file header). */
export async function runOnTrino(run: TrinoRun): Promise<SqlRunDone & { inputs: readonly string[] }> {
  let client: TrinoClient;
  try {
    client = createTrinoClient(trinoConnection(run.server), run.fetch);
  } catch (error) {
    throw new Unusable(`cannot use the Trino server: ${(error as Error).message}`);
  }
  const executor = {
    dialect: 'trino' as const,
    name: 'Trino',
    query: client.query,
    describe: (relation: Relation) => describe(client, relation),
  };
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
        name: 'Trino',
        instead: 'check the CSV file with the default engine (leave out --engine trino)',
      });
    const found = await runSqlChecks(warehouseSqlTables(executor, relationOf), {
      files: run.tables,
      plan,
      layouts: new Map(),
      redact: run.redact,
      continueOnHeaderMismatch: run.continueOnHeaderMismatch,
      wantsFailingRecords: () => false,
      failingTarget: () => Promise.reject(new SqlRunError('failing records are not written out on Trino')),
      ...(run.examples === undefined ? {} : { examples: run.examples }),
    });
    const watchesOf = (file: string) => rowSetWatches(run.waivers, file, localDay(run.started));
    const finished = await finishCliSqlRun(found, { ...run, failingRows: false }, plan, watchesOf, {
      sha256: {},
      engine: 'trino',
    });
    return { ...finished.done, close: finished.close, inputs: run.tables };
  } catch (error) {
    const refusal = trinoRefusal(error);
    throw refusal === undefined ? error : new SqlRunError(refusal);
  }
}
