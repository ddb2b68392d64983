/**
 * Runs the SQL of src/core/sql on a PostgreSQL server (`pg`), where a clinic's staging data already
 * lives: each table named by `--table` seen through two temporary views (its cells as text, its
 * records numbered by the table's `preflight_row` column), then the core's SQL run. And the loader:
 * a CSV file copied into a new table whose `preflight_row` is each record's data row in the file.
 *
 * Constraints:
 * - A table's record numbers are its `preflight_row` column: PostgreSQL keeps no file order (a
 *   table's physical order, `ctid`, is not the order COPY read the file in). A table without the
 *   column is refused by name.
 * - The loader loads only a file whose every record has its header's cells and no quote problem:
 *   a table has no place for a cell too many, so such a file is refused with its row, and the
 *   default engine is the one that lists every structure problem.
 * - Only temporary views are created on the server when checking; nothing in the table changes.
 * - A table partitioned into foreign tables (sharded through `postgres_fdw`) gets the same views
 *   per partition, and its checks, keys and references are counted per partition and merged
 *   (src/core/sql/shards.ts): the coordinator sends a shard an aggregate only whole, per foreign
 *   table. The loader fills such a table only when it is empty and has the file's columns.
 *
 * {@link runOnPostgres} is a whole run of `validate --engine postgres`: the files to load opened
 * and their layouts detected, the plan made, the files loaded, the checks run and the report built
 * by the core (`runSqlChecks`, `finishSqlRun`); its command parses the options and ../sqlCommand.ts prints.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { compilePlan, missingValuesOf } from '../core/contract/index.ts';
import { type CsvLayout, createCsvRecordReader, createTextStreamDecoder } from '../core/csv/index.ts';
import {
  aggregatePlanSql,
  partitionsSql,
  ROW_COLUMN,
  readPartitions,
  shardedDuplicateKeysSql,
  shardedOrphansSql,
  type TableShards,
} from '../core/sql/index.ts';
import {
  type CsvSource,
  detectLayout,
  groupedKeys,
  headerSource,
  localDay,
  type PlanProject,
  quoteName,
  type RunPlan,
  readRecordAt,
  refuseUnrunnableOnSql,
  rowSetWatches,
  runSqlChecks,
  type SqlBlankLines,
  type SqlExportInput,
  type SqlInputLayout,
  type SqlRow,
  SqlRunError,
  type SqlTables,
  type SqlValues,
  sharedSqlTables,
  sqlCount,
  writeSqlFailingRows,
} from '../core/validation/index.ts';
import type { Waiver } from '../formats/waivers.ts';
import { Unusable } from './commands/validateOptions.ts';
import { finishCliSqlRun, writeFailingRecordsFile } from './failingRecordsFile.ts';
import { digestFiles } from './fileDigests.ts';
import { openFilesForReading } from './openFiles.ts';
import { makeStoppableRunFolder } from './runFolders.ts';
import type { SqlRunDone } from './sqlCommand.ts';

/** Blank lines whose rows the loader keeps: more than a report lists as one issue's examples. */
const BLANK_LINE_ROWS = 1000;

/** Records sent in one INSERT by the loader. */
const LOAD_BATCH_RECORDS = 10_000;

/** Records read back in one FETCH. */
const FETCH_ROWS = 10_000;

/** A PostgreSQL connection the core's SQL run uses (`runSqlChecks`), and its loader. */
interface PostgresSession extends SqlTables {
  /** the columns of `table` besides `preflight_row` (refused by name without it) */
  describe(table: string): Promise<string[]>;
  /** runs a query; its rows (for a few rows: an estimate, the aggregate's) */
  rows(sql: string): Promise<SqlRow[]>;
  /** runs a query through a cursor, giving `consume` its rows a FETCH at a time */
  stream<T>(sql: string, consume: (batches: AsyncIterable<SqlValues[]>) => Promise<T>): Promise<T>;
  /** loads the table `table` (`name` or `schema.name`) as input `name`; returns its columns */
  load(name: string, table: string): Promise<string[]>;
  /**
   * copies a CSV file into a new table with its data rows in `preflight_row`, or into an empty
   * partitioned table made for it beforehand (a sharded one: the server routes each record to its
   * shard); returns the records
   */
  loadCsv(table: string, file: string, layout: CsvLayout): Promise<number>;
  /** the blank lines the loader skipped in the file it copied into `table` (none: no file loaded) */
  loadedBlankLines(table: string): SqlBlankLines | undefined;
  /** the loaded inputs whose table is sharded: each with its table and its shards */
  sharded(): ReadonlyMap<string, { table: string; shards: TableShards }>;
  close(): Promise<void>;
}

/** A string literal. */
const literal = (text: string) => `'${text.split("'").join("''")}'`;

/** A table named on the command line: `name`, or `schema.name` (each part quoted). */
function tableName(table: string): string {
  const dot = table.indexOf('.');
  return dot < 0 ? quoteName(table) : `${quoteName(table.slice(0, dot))}.${quoteName(table.slice(dot + 1))}`;
}

/** Connects to `url` (a `postgres://` address). */
async function openPostgres(url: string): Promise<PostgresSession> {
  const client = new pg.Client({ connectionString: url });
  // a connection lost mid-run fails the query in progress; without a listener it would also
  // stop the process with an unhandled 'error' event
  client.on('error', () => undefined);
  await client.connect();
  // no JIT for this session: the aggregate query is one plan of thousands of expressions, and
  // past PostgreSQL's cost thresholds (which grow with the rows) compiling and optimizing them
  // took 154 of its CPU-s at 200,000 rows; it runs in 8.4 s without. `jit` is a user setting.
  await client.query('SET jit = off');
  const rows = async (sql: string): Promise<SqlRow[]> => (await client.query(sql)).rows as SqlRow[];
  const run = async (sql: string) => {
    await client.query(sql);
  };
  const headers = new Map<string, string[]>();
  /** the blank lines of each file loaded, by its table */
  const blankLinesOf = new Map<string, { count: number; rows: number[] }>();
  /** the loaded inputs whose table is sharded, and the views of its parts */
  const shardsOf = new Map<string, { table: string; shards: TableShards; views: string[] }>();
  const blankOf = (columns: readonly string[]) =>
    columns.length === 0 ? 'TRUE' : columns.map((c) => `COALESCE(${quoteName(c)}, '') = ''`).join(' AND ');
  const columnsOf = async (name: string) => headers.get(name) ?? [];
  const views = async (name: string, select: string, columns: string[]) => {
    headers.set(name, columns);
    const blank = blankOf(columns);
    await run(`CREATE TEMP VIEW ${quoteName(`${name}#all`)} AS ${select}`);
    await run(
      `CREATE TEMP VIEW ${quoteName(name)} AS SELECT * FROM ${quoteName(`${name}#all`)} WHERE NOT (${blank})`,
    );
  };
  /**
   * Runs `query` through a cursor of its own transaction, giving `consume` its rows a FETCH at a
   * time; the transaction ends when `consume` does (rolled back if it throws). The next FETCH is
   * asked for before a batch is handed on, so the server reads and judges the next rows while
   * the client takes these: two batches at most are in the client at once.
   */
  const throughCursor = async <T>(
    query: string,
    consume: (batches: AsyncIterable<SqlValues[]>) => Promise<T>,
  ): Promise<T> => {
    const cursor = quoteName('preflight#cursor');
    const fetch = () => {
      // each row as an array of its values: no object made per record
      const next = client
        .query({ text: `FETCH ${FETCH_ROWS} FROM ${cursor}`, rowMode: 'array' })
        .then((result) => result.rows as SqlValues[]);
      // a FETCH left waiting when `consume` stops early fails with the transaction, unheard
      next.catch(() => undefined);
      return next;
    };
    await run('BEGIN');
    try {
      await run(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${query}`);
      async function* batches() {
        let next = fetch();
        for (;;) {
          const batch = await next;
          if (batch.length === 0) return;
          next = fetch();
          yield batch;
        }
      }
      const done = await consume(batches());
      await run('COMMIT');
      return done;
    } catch (error) {
      await run('ROLLBACK');
      throw error;
    }
  };
  const describeTable = async (table: string) => {
    const described = await client.query(`SELECT * FROM ${tableName(table)} WHERE FALSE`);
    const names = described.fields.map((f) => f.name);
    if (!names.includes(ROW_COLUMN))
      throw new SqlRunError(
        `the table "${table}" has no ${ROW_COLUMN} column numbering its records in file order: load the file with --load, or as docs/scale.md says`,
      );
    return names.filter((n) => n !== ROW_COLUMN);
  };
  /** whether `table` is a partitioned table already there (made for the loader, sharded or not) */
  const partitionedTable = async (table: string) => {
    const found = await rows(
      `SELECT 1 AS partitioned FROM pg_partitioned_table WHERE partrelid = to_regclass(${literal(tableName(table))})`,
    );
    return found.length > 0;
  };
  /**
   * A partitioned table takes a file only empty and with the file's columns: rows already there
   * would share record numbers with the file's, and a column the file lacks would be empty.
   */
  const refuseUnfitPartitioned = async (table: string, file: string, header: readonly string[]) => {
    const columns = await describeTable(table);
    const missing = header.filter((h) => !columns.includes(h));
    const extra = columns.filter((c) => !header.includes(c));
    if (missing.length > 0 || extra.length > 0)
      throw new SqlRunError(
        `the partitioned table "${table}" does not have the columns of "${file}" (${[...missing.map((c) => `"${c}" only in the file`), ...extra.map((c) => `"${c}" only in the table`)].join(', ')}): make its columns ${ROW_COLUMN} and the file's header`,
      );
    if ((await rows(`SELECT 1 AS held FROM ${tableName(table)} LIMIT 1`)).length > 0)
      throw new SqlRunError(
        `the partitioned table "${table}" already holds records: the loader fills only an empty one, as its records are numbered by the file's rows`,
      );
  };
  const shared = sharedSqlTables({
    partsOf: (name) => shardsOf.get(name)?.views.map((_, i) => `${name}#part${i}#all`),
    dialect: 'postgres',
    rows,
    // through a cursor: an input's records are never all in the client at once
    stream: throughCursor,
    writeFailing: writeFailingRecordsFile,
    columns: columnsOf,
  });
  return {
    ...shared,
    rows,
    stream: throughCursor,
    describe: describeTable,
    async load(name, table) {
      const header = await describeTable(table);
      const cells = header.map((h) => `, CAST(${quoteName(h)} AS text) AS ${quoteName(h)}`).join('');
      const select = (relation: string) =>
        `SELECT CAST(${quoteName(ROW_COLUMN)} AS bigint) AS ${quoteName(ROW_COLUMN)}${cells} FROM ${relation}`;
      await views(name, select(tableName(table)), header);
      // a table partitioned over other servers: each part seen as the whole table is, for the
      // queries that count on each shard
      const shards = readPartitions(await rows(partitionsSql(tableName(table))));
      if (shards) {
        const partViews = shards.parts.map((_, i) => `${name}#part${i}`);
        for (const [i, part] of shards.parts.entries())
          await views(partViews[i] as string, select(part), header);
        shardsOf.set(name, { table, shards, views: partViews.map(quoteName) });
      }
      return header;
    },
    sharded: () => shardsOf,
    async keys(name, column, demographics, missing = []) {
      const sharded = shardsOf.get(name);
      // conflicting demographics compare every record of a key with its first: the coordinator
      // groups those records over the whole table, as one server does
      if (!sharded || demographics.length > 0) return shared.keys(name, column, demographics, missing);
      const colocated = sharded.shards.partitionKey.length === 1 && sharded.shards.partitionKey[0] === column;
      return groupedKeys(await rows(shardedDuplicateKeysSql(sharded.views, column, missing, colocated)));
    },
    async orphans(child, parent, missing = []) {
      const childShards = shardsOf.get(child.table);
      const parentShards = shardsOf.get(parent.table);
      if (!childShards && !parentShards) return shared.orphans(child, parent, missing);
      const partsOf = (table: string) => shardsOf.get(table)?.views ?? [quoteName(table)];
      const found = await rows(
        shardedOrphansSql(
          { parts: partsOf(child.table), column: child.column },
          { parts: partsOf(parent.table), column: parent.column },
          missing,
        ),
      );
      return {
        count: found.length > 0 ? sqlCount(found[0]?.orphans) : 0,
        examples: found.map((r) => ({ row: sqlCount(r.example_row), value: String(r.value) })),
      };
    },
    async loadEmpty(name, columns) {
      const unique = [...new Set(columns)];
      const cells = unique.map((c) => `, CAST(NULL AS text) AS ${quoteName(c)}`).join('');
      await views(
        name,
        `SELECT CAST(NULL AS bigint) AS ${quoteName(ROW_COLUMN)}${cells} WHERE FALSE`,
        unique,
      );
      return [];
    },
    rejects: async () => [],
    loadedBlankLines: (table) => blankLinesOf.get(table),
    async loadCsv(table, file, layout) {
      // a blank line holds no record: not loaded, but said as the default engine's reader says
      // it (a warning before its next row), its first rows kept as a report's examples are
      const blankLines = { count: 0, rows: [] as number[] };
      blankLinesOf.set(table, blankLines);
      const reader = createCsvRecordReader({
        delimiter: layout.delimiter,
        quoteChar: layout.quote,
        newline: layout.lineEnding,
        onBlankLine: (nextRow) => {
          blankLines.count++;
          if (blankLines.rows.length < BLANK_LINE_ROWS) blankLines.rows.push(nextRow);
        },
      });
      const decoder = createTextStreamDecoder(layout.encoding, file);
      let header: readonly string[] | undefined;
      let pending: (string | null)[][] = [];
      let loaded = 0;
      // one parameter per column (an array of the batch's cells): the statement stays small
      // however many records a batch holds
      const flush = async () => {
        if (pending.length === 0 || !header) return;
        const columns = [ROW_COLUMN, ...header];
        const arrays = columns.map((_, k) => pending.map((record) => record[k] ?? null));
        const unnest = columns.map((_, k) => `$${k + 1}::${k === 0 ? 'bigint' : 'text'}[]`).join(', ');
        await client.query(
          `INSERT INTO ${tableName(table)} (${columns.map(quoteName).join(', ')}) SELECT * FROM unnest(${unnest})`,
          arrays,
        );
        loaded += pending.length;
        pending = [];
      };
      const take = async (records: { row: number; fields: string[] }[]) => {
        if (!header && reader.header) {
          header = reader.header;
          if (await partitionedTable(table)) await refuseUnfitPartitioned(table, file, header);
          else {
            const columns = header.map((h) => `${quoteName(h)} text`).join(', ');
            await run(
              `CREATE TABLE ${tableName(table)} (${quoteName(ROW_COLUMN)} bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY${columns === '' ? '' : `, ${columns}`})`,
            );
          }
        }
        const problem = reader.takeProblems()[0];
        if (problem)
          throw new SqlRunError(
            `row ${problem.row} of "${file}" has a quote problem: the loader loads only well-formed files; check it with the default engine, which lists every structure problem`,
          );
        for (const record of records) {
          if (record.fields.length !== header?.length)
            throw new SqlRunError(
              `row ${record.row} of "${file}" has ${record.fields.length} cells where its header has ${header?.length ?? 0}: the loader loads only well-formed files; check it with the default engine, which lists every structure problem`,
            );
          // an empty cell is NULL, as COPY … (FORMAT csv) stores an unquoted empty cell
          pending.push([String(record.row), ...record.fields.map((f) => (f === '' ? null : f))]);
          if (pending.length >= LOAD_BATCH_RECORDS) await flush();
        }
      };
      await run('BEGIN');
      try {
        for await (const chunk of createReadStream(file)) {
          await take(reader.push(decoder.decode(chunk as Uint8Array).text));
        }
        await take(reader.push(decoder.end().text));
        await take(reader.finish());
        if (!header) throw new SqlRunError(`"${file}" is empty: there is no header to make a table of`);
        await flush();
        await run('COMMIT');
      } catch (error) {
        await run('ROLLBACK');
        throw error;
      }
      return loaded;
    },
    async close() {
      await client.end();
    },
  };
}

/** A run of `validate --engine postgres`, as its command reads it from the options. */
interface PostgresRun {
  database: string;
  /** the tables checked, in order */
  tables: readonly string[];
  /** the CSV files loaded first, one into each table in order (none: the tables are checked as they are) */
  loads: readonly string[];
  cwd: string;
  /**
   * the run's plan of its inputs, once the files to load are opened (their layouts read with the
   * layout given); without files, each table's columns are its header (with a project, bound to
   * check sets by them)
   */
  planOf: (
    inputs: readonly string[],
    sources: readonly CsvSource[],
  ) => Promise<{ plan: RunPlan; given: Partial<CsvLayout> }>;
  project?: PlanProject;
  redact: boolean;
  continueOnHeaderMismatch: boolean;
  demographics?: string;
  /** the run's waivers: those limited to rows are counted over the failing records */
  waivers: readonly Waiver[];
  /** whether `--failing-rows` asks for every problem of the failing rows */
  failingRows: boolean;
  /** failing records listed per check (`--examples`; default 20) */
  examples?: number;
  toolVersion: string;
  started: Date;
  /** `performance.now()` when the run started */
  t0: number;
}

/**
 * Runs the checks on PostgreSQL (see the file header): the report names the files loaded, or else
 * the tables (`inputs`), with the header differences found before any row. The failing records
 * (for `--failing-rows` and waivers limited to rows) are read back into a run folder of their own,
 * removed by `close`, for the default engine's pass over them.
 */
export async function runOnPostgres(run: PostgresRun): Promise<SqlRunDone & { inputs: readonly string[] }> {
  const { tables, loads, project } = run;
  const inputs = loads.length > 0 ? loads : tables;
  const tableOfInput = new Map(inputs.map((input, i) => [input, tables[i] as string]));
  let session: PostgresSession | undefined;
  let removeTemp: (() => void) | undefined;
  let closePasses: (() => Promise<void>) | undefined;
  /** the session stays open for the export of the failing rows, written after the report */
  let kept: PostgresSession | undefined;
  const close = async () => {
    await closePasses?.();
    removeTemp?.();
    await kept?.close();
    kept = undefined;
  };
  // what the run was doing, for a failure that says nothing of where it happened
  let stage = 'connecting to the database';
  const connect = async () => {
    try {
      stage = 'connecting to the database';
      return await openPostgres(run.database);
    } catch (error) {
      throw new Unusable(`cannot connect to the database: ${(error as Error).message}`);
    }
  };
  try {
    const layouts = new Map<string, SqlInputLayout & { layout: CsvLayout }>();
    const opened = await openFilesForReading(loads, run.cwd, (m) => new Unusable(m));
    let plan: RunPlan;
    try {
      // tables already on the server: their columns are their header, bound as a file's
      if (loads.length === 0) session = await connect();
      stage = 'reading the columns of the files or tables';
      const open = session;
      const sources = open
        ? await Promise.all(tables.map(async (t) => headerSource(t, await open.describe(t))))
        : opened.files;
      const made = await run.planOf(inputs, sources);
      plan = made.plan;
      if (project)
        refuseUnrunnableOnSql(project.project, plan, {
          name: 'PostgreSQL',
          instead: 'check the CSV file with the default engine (leave out --engine postgres)',
        });
      for (const source of opened.files) {
        const planned = plan.files.find((f) => f.file === source.name);
        const layout = planned?.bound?.layout ?? (await detectLayout(source, made.given));
        const header = (await readRecordAt(source, layout, 0)) ?? [];
        layouts.set(source.name, { layout, header, bytes: source.size });
      }
    } finally {
      await opened.close();
    }
    session ??= await connect();
    for (const [i, file] of loads.entries()) {
      const sniffed = layouts.get(file);
      stage = `loading "${file}" into the table "${tables[i]}"`;
      if (sniffed) await session.loadCsv(tables[i] as string, path.resolve(run.cwd, file), sniffed.layout);
    }
    const open = session;
    /** each input's views and checks, for the export of its failing rows */
    const exported = new Map<string, SqlExportInput>();
    const engine: SqlTables = {
      ...open,
      load: async (name, input) => {
        const header = await open.load(name, tableOfInput.get(input) ?? input);
        const parts = open.sharded().get(name)?.shards.parts.length ?? 0;
        const schema = plan.files.find((f) => f.file === input)?.contract?.read.contract;
        exported.set(name, {
          file: input,
          relation: quoteName(`${name}#all`),
          ...(parts > 0
            ? { parts: Array.from({ length: parts }, (_, i) => quoteName(`${name}#part${i}#all`)) }
            : {}),
          header,
          ...(schema === undefined ? {} : { schema }),
        });
        return header;
      },
      blankLines: async (name) => {
        const input = exported.get(name)?.file;
        const table = input === undefined ? undefined : tableOfInput.get(input);
        return table === undefined ? undefined : open.loadedBlankLines(table);
      },
      scan: (name, ask) => {
        const input = exported.get(name);
        if (input && ask.check) input.plan = ask.check.plan;
        return open.scan(name, ask);
      },
    };
    let temp: string | undefined;
    // the waivers limited to rows in force for an input, on the day the run started
    const watchesOf = (file: string) => rowSetWatches(run.waivers, file, localDay(run.started));
    stage = 'running the checks';
    const found = await runSqlChecks(engine, {
      files: inputs,
      plan,
      layouts,
      redact: run.redact,
      continueOnHeaderMismatch: run.continueOnHeaderMismatch,
      ...(run.demographics === undefined ? {} : { demographics: run.demographics }),
      // the export is written by the server (writeSqlFailingRows): read back only to count waivers
      wantsFailingRecords: (file) => watchesOf(file).length > 0,
      ...(run.examples === undefined ? {} : { examples: run.examples }),
      failingTarget: async (index) => {
        if (temp === undefined) {
          const folder = makeStoppableRunFolder('postgres');
          removeTemp = folder.remove;
          temp = folder.folder;
        }
        return path.join(temp, `failing-${index}.csv`);
      },
    });
    stage = 'reading the failing records back';
    const finished = await finishCliSqlRun(found, { ...run, failingRows: false }, plan, watchesOf, {
      sha256: loads.length > 0 ? await digestFiles(loads, run.cwd) : {},
      engine: 'postgres',
    });
    closePasses = finished.close;
    const writeFailingRows: SqlRunDone['writeFailingRows'] = async (options, write) => {
      try {
        return await writeSqlFailingRows([...exported.values()], open, options, write);
      } catch (error) {
        // the server's words, a value it quotes left out; the file's own failures (a system call's) pass as they are
        if ((error as NodeJS.ErrnoException).syscall !== undefined) throw error;
        const refusal = postgresRefusal(error) ?? interruptedRun(error, 'writing the failing rows');
        throw refusal === undefined ? error : new SqlRunError(refusal);
      }
    };
    if (run.failingRows) kept = open;
    return {
      ...finished.done,
      close,
      inputs,
      engineLines: shardLines(open.sharded()),
      ...(run.failingRows ? { writeFailingRows } : {}),
    };
  } catch (error) {
    await close();
    const refusal = postgresRefusal(error) ?? interruptedRun(error, stage);
    throw refusal === undefined ? error : new SqlRunError(refusal);
  } finally {
    if (kept !== session) await session?.close();
  }
}

/** Each sharded table in words: over which servers it was counted, and what came to this process. */
function shardLines(sharded: ReturnType<PostgresSession['sharded']>): string[] {
  return [...sharded.values()].map(
    ({ table, shards }) =>
      `The table "${table}" is split over ${shards.servers.length} servers (${shards.servers.join(', ')}): its checks, profiles, duplicate keys and references were counted on each server, per shard, and only the counts and first rows came here.`,
  );
}

/** Each table's plan estimate, as `--explain` prints it. */
export interface TableEstimate {
  table: string;
  /** PostgreSQL's estimate of the table's records (EXPLAIN of a read of it all) */
  records: number;
  /** how many times the aggregate query's plan reads the table */
  reads: number;
  /** the planner's total cost of the aggregate query (its own unit) */
  cost: number;
  /**
   * a sharded table's parts: each one's estimate of its records (from the shard itself when its
   * server has `use_remote_estimate`, else the coordinator's own statistics of it)
   */
  shards?: { part: string; server: string | undefined; records: number }[];
}

/** Every node of an `EXPLAIN (FORMAT JSON)` plan, depth first. */
function planNodes(plan: Record<string, unknown>): Record<string, unknown>[] {
  const children = (plan.Plans ?? []) as Record<string, unknown>[];
  return [plan, ...children.flatMap(planNodes)];
}

/**
 * `--explain`: each table's aggregate query planned, never run (`EXPLAIN (FORMAT JSON)`, which
 * executes nothing): the records PostgreSQL expects to read, how often the plan reads the table,
 * and its cost. Only temporary views are made; nothing is loaded or checked.
 */
export async function explainOnPostgres(
  run: Pick<PostgresRun, 'database' | 'tables' | 'planOf' | 'examples'>,
): Promise<TableEstimate[]> {
  let session: PostgresSession;
  try {
    session = await openPostgres(run.database);
  } catch (error) {
    throw new Unusable(`cannot connect to the database: ${(error as Error).message}`);
  }
  const client = session;
  try {
    const headers = await Promise.all(run.tables.map((t) => client.describe(t)));
    const { plan } = await run.planOf(
      run.tables,
      run.tables.map((t, i) => headerSource(t, headers[i] as string[])),
    );
    const estimates: TableEstimate[] = [];
    for (const [i, table] of run.tables.entries()) {
      const name = `explain_${i}`;
      const header = await client.load(name, table);
      const read = plan.files.find((f) => f.file === table)?.contract?.read;
      const query = aggregatePlanSql({
        dialect: 'postgres',
        relation: `${name}#all`,
        header,
        ...(read ? { plan: compilePlan(read.contract), missing: missingValuesOf(read.contract) } : {}),
        ...(run.examples === undefined ? {} : { examples: run.examples }),
      });
      const explained = async (sql: string) => {
        const [row] = await client.rows(`EXPLAIN (FORMAT JSON) ${sql}`);
        // a json column: parsed by the client, or text from another one
        const value = row?.['QUERY PLAN'];
        const [top] = (typeof value === 'string' ? JSON.parse(value) : value) as {
          Plan: Record<string, unknown>;
        }[];
        return top?.Plan ?? {};
      };
      const whole = await explained(`SELECT * FROM ${tableName(table)}`);
      const planned = await explained(query.sql);
      const base = table.includes('.') ? table.slice(table.indexOf('.') + 1) : table;
      const sharded = client.sharded().get(name)?.shards;
      const shards = sharded
        ? await Promise.all(
            sharded.parts.map(async (part, k) => ({
              part,
              server: sharded.partServers[k],
              records: Number((await explained(`SELECT * FROM ${part}`))['Plan Rows'] ?? 0),
            })),
          )
        : undefined;
      estimates.push({
        table,
        records: Number(whole['Plan Rows'] ?? 0),
        reads: planNodes(planned).filter((n) => n['Relation Name'] === base).length,
        cost: Number(planned['Total Cost'] ?? 0),
        ...(shards ? { shards } : {}),
      });
    }
    return estimates;
  } catch (error) {
    const refusal = postgresRefusal(error) ?? interruptedRun(error, 'planning the checks');
    throw refusal === undefined ? error : new SqlRunError(refusal);
  } finally {
    await client.close();
  }
}

/**
 * A failure with no code and no class of its own (the PostgreSQL client's plain `Error`: a
 * connection ended mid-query, a read that timed out) in words that say what the run was doing,
 * a value it quotes left out; undefined for any other error (a typed one has its own words, and a
 * TypeError is a bug, reported as one).
 */
export function interruptedRun(error: unknown, stage: string): string | undefined {
  if (!(error instanceof Error) || error.constructor !== Error) return undefined;
  const said = error.message
    .replace(/'[^']*'|"[^"]*"/g, '(a value)')
    .replace(/\.+$/, '')
    .slice(0, 200);
  return `the run on PostgreSQL stopped while ${stage}: ${said || 'the client gave no reason'}. No report was written; run it again, and if it stops again, check the server's log for that time and the connection to it.`;
}

/**
 * PostgreSQL's own error (a missing table, a refused login: a five-character SQLSTATE code) in
 * words, a value it quotes left out; undefined for any other error.
 */
function postgresRefusal(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  return `PostgreSQL refused the run: ${(error as Error).message.replace(/'[^']*'/g, '(a value)').replace(/\.+$/, '')}.`;
}
