/**
 * `validate --engine trino`, `snowflake` and `databricks` against a local HTTP server that speaks
 * Trino's client protocol, Snowflake's SQL API (a statement answered later: 202, its handle
 * asked about until it answers) and Databricks' Statement Execution API (PENDING, RUNNING, then
 * chunks), in pages of {@link PAGE_ROWS} rows (testing/warehouseServer.ts), and answers each
 * statement by running its text on PostgreSQL, after the rewrites PostgreSQL needs
 * (`TRY_CAST(x AS DOUBLE)`, `TRY_TO_DOUBLE(x)` and `TRY_CAST(x AS INTEGER)` as functions that give
 * NULL for text that is not a number, `DOUBLE` as `double precision`; Spark's backquoted names, `RLIKE` and `STRING`;
 * Snowflake's and Spark's literals, which read backslash escapes, in a session that reads them so
 * too). So the SQL each engine writes is executed, not mocked, and each report is compared with
 * the default engine's on the same records; each column's statistics are compared with the
 * default profiler's on values fast-check writes. `--wait` stops a statement that does not end in
 * time, and is refused where it means nothing. What this does not prove (the warehouses' own
 * functions and regular expressions, their planners) is said in docs/scale.md.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir, type TestPostgres, testPostgres } from '../../../tests/setup/postgres.ts';
import {
  type AggregateRow,
  DEFAULT_EXAMPLES,
  decodeWarehouseAggregate,
  PROFILE_VALUES,
  STATS_ROWS,
  WAREHOUSE_DIALECTS,
  type WarehouseDialect,
  warehouseAggregateSql,
} from '../../core/sql/index.ts';
import { aggregateProfiles, createColumnProfiler, summarizeProfile } from '../../core/validation/index.ts';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';
import { DATABRICKS_TOKEN_ENV } from '../databricksClient.ts';
import { SNOWFLAKE_TOKEN_ENV } from '../snowflakeClient.ts';
import { withReferenceEstimates } from '../testing/reportFindings.ts';
import {
  onPostgres,
  PAGE_ROWS,
  type SeenRequest,
  startWarehouseServer,
  type WarehouseServer,
} from './testing/warehouseServer.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DEMO = path.join(ROOT, 'samples/legacy/patients.csv');
const CONTRACT = path.join(ROOT, 'samples/contracts/patients.contract.json');

/** The demo's first records: more distinct ids than the profiler tracks (1,000), few enough to be cheap. */
const RECORDS = 1500;

const bin = postgresBinDir();
if (bin === undefined)
  console.warn(
    'PostgreSQL is not installed (Debian package postgresql): the warehouse engine tests are skipped',
  );

let dir: string;
let extract: string;
let db: TestPostgres;
let client: pg.Client;
/** a session that reads backslash escapes in string literals, as Snowflake and Spark do */
let snow: pg.Client;
let server: WarehouseServer;

/** `sql` in `dialect` run on PostgreSQL, in the session that reads its literals as it does. */
function runOn(dialect: WarehouseDialect, sql: string) {
  return (dialect === 'trino' ? client : snow).query({ text: onPostgres(sql), rowMode: 'array' });
}

beforeAll(async () => {
  if (bin === undefined) return;
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-trino-'));
  extract = path.join(dir, 'patients.csv');
  const lines = (await readFile(DEMO, 'utf8')).split(/\r?\n/);
  await writeFile(extract, `${lines.slice(0, RECORDS + 1).join('\n')}\n`);
  db = await testPostgres(bin);
  await db.loadCsv('patients', extract, (lines[0] ?? '').split(','), 'preflight_row');
  client = new pg.Client({ connectionString: db.url() });
  await client.connect();
  await client.query(
    `CREATE FUNCTION preflight_try_double(t text) RETURNS double precision LANGUAGE plpgsql IMMUTABLE AS
     $$ BEGIN RETURN CAST(t AS double precision); EXCEPTION WHEN others THEN RETURN NULL; END $$`,
  );
  await client.query(
    `CREATE FUNCTION preflight_try_integer(t text) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS
     $$ BEGIN RETURN CAST(t AS integer); EXCEPTION WHEN others THEN RETURN NULL; END $$`,
  );
  snow = new pg.Client({ connectionString: db.url() });
  await snow.connect();
  await snow.query('SET standard_conforming_strings = off');
  await snow.query('SET escape_string_warning = off');
  server = await startWarehouseServer({
    run: (engine, sql) => runOn(engine === 'databricks' ? 'spark' : engine, sql),
  });
}, 120_000);

afterAll(async () => {
  if (bin === undefined) return;
  await server.close();
  await client.end();
  await snow.end();
  await db.stop();
  await rm(dir, { recursive: true, force: true });
});

/**
 * Cells shaped as the default profiler tells kinds apart: whole and decimal numbers (signed, with
 * exponents, past a double's range), dates in each layout and near misses, date-times, booleans in
 * any case, e-mail addresses with and without white space, empty cells, and texts of the characters
 * those shapes are made of.
 */
const CELLS = fc.oneof(
  fc.constantFrom(
    ...['', 'true', 'FaLsE', 'truex', '1e400', '-1e400', '+7', '-', '+', '.5', '5.', '-.5e-3', '1.5\n'],
    ...['1999-12-31', '2020-02-30', '12/31/1999', '31/12/1999', '1/5/1990', '15/5/1990', '13/13/1990'],
    // slashes around letters: a date part an engine may cast before the shape test rules it out
    ...['a/b/cccc', '1/b/1999', 'a/5/1990', '99/99/abcd'],
    ...['01.02.2003', '19991231', '20201301', '2020-01-01T10:00', '2020-01-01 10:00:00', '0x10', ' 12'],
    ...['a@b.c', 'a b@c.d', 'a@b.c\u00a0', '@b.c', 'a@@b.c', 'a@b.', 'a@.bc', 'naïve', 'Z', '\u{1F600}'],
  ),
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.double({ noNaN: true }).map(String),
  fc.string({ unit: fc.constantFrom(...'0129/-.@e+ T:a'), maxLength: 12 }),
);

/** Filled values that take a column past the tracked ones (texts: the random cells hold the bounds). */
const FILLERS = Array.from({ length: PROFILE_VALUES - 1 }, (_, i) => `x${String(i).padStart(4, '0')}`);

/** The default engine's run of the extract, once for every engine compared with it. */
let defaultEngine: ReturnType<typeof runCli> | undefined;
const defaultRun = () => {
  defaultEngine ??= runCli(['validate', extract, '--schema', CONTRACT, '--json'], ROOT);
  return defaultEngine;
};

/** What a report found of its one input, its name and layout left out (a file's, a table's). */
function found(report: Report, reference?: Report) {
  const r = reference ? withReferenceEstimates(report, reference) : report;
  return {
    inputs: r.inputs.map(({ records, valid, invalid, schema, notRead }) => ({
      records,
      valid,
      invalid,
      schema,
      notRead,
    })),
    summary: r.summary,
    // by rule and place: the order of issues with equal counts is the order each engine met them
    issues: Object.fromEntries(r.issues.map((i) => [`${i.rule} ${i.location}`, i])),
    profiles: r.profiles.map((p) => ({ ...p, input: undefined })),
  };
}

/** One warehouse's case: its engine, its address on the test server, and what its protocol proves. */
interface EngineCase {
  engine: 'trino' | 'snowflake' | 'databricks';
  /** the `--database` address on the test server */
  server: () => string;
  options: {
    /** the environment variable that holds the token, if the warehouse takes one */
    tokenEnv?: string;
    /** the requests that brought rows: pages, partitions or chunks */
    pages: (request: SeenRequest) => boolean;
    /** each page's address ends so (the bounded size asked, the partition read alone) */
    pageAddress?: RegExp;
    /** the status the server gave while the statement ran, which the client waited through */
    ran?: string;
  };
}

const ENGINES: EngineCase[] = [
  {
    engine: 'trino',
    server: () => `${server.base.replace('//', '//analyst@')}/memory/default`,
    options: { pages: (s) => s.method === 'GET', pageAddress: /targetResultSize=1MB$/ },
  },
  {
    engine: 'snowflake',
    server: () => `${server.base}/clinic/raw?warehouse=checks`,
    options: {
      tokenEnv: SNOWFLAKE_TOKEN_ENV,
      pages: (s) => s.method === 'GET' && s.url.includes('?partition='),
      pageAddress: /\?partition=[1-9][0-9]*$/,
      ran: '202',
    },
  },
  {
    engine: 'databricks',
    server: () => `${server.base}/clinic/raw?warehouse=abc123`,
    options: {
      tokenEnv: DATABRICKS_TOKEN_ENV,
      pages: (s) => s.method === 'GET' && s.url.includes('/result/chunks/'),
      ran: 'PENDING',
    },
  },
];

/** A row's number (a warehouse sends bigint as a number or as text). */
const num = (value: unknown) => Number(value);

describe.skipIf(bin === undefined)('the warehouse engines against the default engine', () => {
  it.each(ENGINES)(
    "gives on $engine the default engine's report from one aggregate query, every page read apart at a bounded size",
    async ({ engine, server: address, options }) => {
      const js = await defaultRun();
      server.seen.length = 0;
      server.statements.length = 0;
      if (options.tokenEnv) process.env[options.tokenEnv] = 'test-token';
      try {
        const run = await runCli(
          ['validate', '--engine', engine, '--database', address(), '--table', 'patients'].concat([
            '--schema',
            CONTRACT,
            '--json',
          ]),
          ROOT,
        );
        expect(run.err).toBe(js.err);
        expect(run.code).toBe(js.code);
        const onWarehouse = JSON.parse(run.out) as Report;
        const reference = JSON.parse(js.out) as Report;
        expect(onWarehouse.engine).toBe(engine);
        expect(onWarehouse.inputs[0]?.name).toBe('patients');
        expect(found(onWarehouse, reference)).toEqual(found(reference));
        // the 1,500 distinct patient ids: a column past the tracked values, profiled from the
        // aggregate's statistics
        expect(onWarehouse.profiles.find((p) => p.column === 'patient_id')?.distinct).toBe(RECORDS);
        // every page asked at the bounded size and read alone, more than one of them
        const pages = server.seen.filter(options.pages);
        expect(pages.length).toBeGreaterThan(RECORDS / PAGE_ROWS);
        expect(Math.max(...pages.map((g) => g.rows))).toBe(PAGE_ROWS);
        if (options.pageAddress) for (const g of pages) expect(g.url).toMatch(options.pageAddress);
        if (options.ran) expect(server.seen.map((g) => g.status)).toContain(options.ran);
        // one query reads the table (the other asks for its columns, reading no row), and what it
        // sends is bounded by the checks and the columns, not by the distinct values
        const [aggregate, ...others] = server.statements.filter((q) => !q.sql.endsWith('WHERE 1 = 0'));
        expect(others).toEqual([]);
        const rows = aggregate?.rows ?? [];
        const ofKind = (kind: number) => rows.filter((r) => num(r.kind) === kind);
        const byId = (of: readonly Record<string, unknown>[]) => {
          const groups = new Map<number, number>();
          for (const r of of) groups.set(num(r.id), (groups.get(num(r.id)) ?? 0) + 1);
          return [...groups.values()];
        };
        const most = (kind: number) => Math.max(0, ...byId(ofKind(kind)));
        expect(ofKind(0)).toHaveLength(1);
        expect(most(1)).toBeLessThanOrEqual(DEFAULT_EXAMPLES);
        expect(ofKind(2).length).toBeLessThanOrEqual(DEFAULT_EXAMPLES);
        expect(most(3)).toBe(1);
        expect(most(4)).toBe(PROFILE_VALUES);
        expect(Math.max(...byId([...ofKind(5), ...ofKind(6)]))).toBeLessThanOrEqual(STATS_ROWS);
      } finally {
        if (options.tokenEnv) delete process.env[options.tokenEnv];
      }
    },
  );

  it("says Trino's refusal in words, and refuses what the warehouse engine does not run, by name", async () => {
    const address = `${server.base.replace('//', '//analyst@')}/memory/default`;
    const missing = await runCli(
      ['validate', '--engine', 'trino', '--database', address, '--table', 'nowhere', '--schema', CONTRACT],
      ROOT,
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('Trino refused the run (SYNTAX_ERROR)');
    const keyed = await runCli(
      ['validate', '--engine', 'trino', '--database', address, '--table', 'patients', '--key', 'mrn'],
      ROOT,
    );
    expect(keyed.code).toBe(2);
    expect(keyed.err).toContain('--key does not run on --engine trino');
    const password = await runCli(
      [
        'validate',
        '--engine',
        'trino',
        '--database',
        server.base.replace('//', '//analyst:secret@'),
        '--table',
        'patients',
      ],
      ROOT,
    );
    expect(password.code).toBe(2);
    expect(password.err).toContain('a password is sent to Trino only over https://');
    expect(password.err).not.toContain('secret');
  });
});

describe.skipIf(bin === undefined)("the warehouses' statistics of a column past the tracked values", () => {
  let tables = 0;
  it("equal the default profiler's, in each dialect, on cells fast-check writes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(CELLS, { minLength: 1, maxLength: 120 }), fc.nat(), async (drawn, at) => {
        // the drawn cells around the fillers, so some come before the overflow and some after
        const cut = at % (drawn.length + 1);
        const cells = [...drawn.slice(0, cut), ...FILLERS, ...drawn.slice(cut), ...drawn];
        const profiler = createColumnProfiler('c');
        for (const cell of cells) profiler.add(cell);
        const expected = summarizeProfile(profiler.state);
        const table = `stats_${++tables}`;
        await client.query(`CREATE TABLE ${table} (preflight_row bigint, c text)`);
        await client.query(
          `INSERT INTO ${table} SELECT n, v FROM unnest($1::text[]) WITH ORDINALITY AS u(v, n)`,
          [cells],
        );
        for (const dialect of WAREHOUSE_DIALECTS) {
          const query = warehouseAggregateSql({ dialect, relation: table, header: ['c'] });
          const ran = await runOn(dialect, query.sql);
          const rows = ran.rows.map(
            (r: unknown[]): AggregateRow => Object.fromEntries(ran.fields.map((f, i) => [f.name, r[i]])),
          );
          const [state] = aggregateProfiles(decodeWarehouseAggregate(query, rows), ['c'], undefined);
          expect({ dialect, profile: state && summarizeProfile(state) }).toEqual({
            dialect,
            profile: expected,
          });
        }
      }),
      { numRuns: 4 },
    );
  });
});

describe('validate --wait', () => {
  it('stops a statement Snowflake does not finish in time, in words naming it', async () => {
    const header = ['preflight_row', 'patient_id', 'mrn'];
    const s = await startWarehouseServer({
      // the columns at once; the aggregate never ends
      run: (_, sql) =>
        sql.endsWith('WHERE 1 = 0')
          ? Promise.resolve({ fields: header.map((name) => ({ name, dataTypeID: 25 })), rows: [] })
          : new Promise<never>(() => {}),
    });
    process.env[SNOWFLAKE_TOKEN_ENV] = 'test-token';
    try {
      const run = await runCli(
        [
          ...['validate', '--engine', 'snowflake', '--database', `${s.base}/clinic/raw?warehouse=checks`],
          ...['--table', 'patients', '--wait', '1'],
        ],
        ROOT,
      );
      expect(run.code).toBe(2);
      // the statements before it asked for the table's columns
      const named =
        /Snowflake had not finished the statement (s[0-9]+) after 1 second \(its last status: HTTP 202/.exec(
          run.err,
        );
      expect(named).not.toBeNull();
      expect(s.cancelled).toEqual([named?.[1]]);
    } finally {
      delete process.env[SNOWFLAKE_TOKEN_ENV];
      await s.close();
    }
  });

  it.each([
    { engine: 'snowflake', wait: '0', says: '--wait takes a whole number of seconds from 1 to 604,800' },
    { engine: 'trino', wait: '1.5', says: '--wait takes a whole number of seconds' },
    { engine: 'postgres', wait: '60', says: '--wait does not run on --engine postgres' },
  ])('refuses --wait $wait on $engine', async ({ engine, wait, says }) => {
    const run = await runCli(
      [
        'validate',
        '--engine',
        engine,
        '--database',
        'https://example.invalid/a/b',
        '--table',
        't',
        '--wait',
        wait,
      ],
      ROOT,
    );
    expect(run.code).toBe(2);
    expect(run.err).toContain(says);
  });
});
