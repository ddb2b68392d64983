/**
 * `validate --engine trino`, `snowflake` and `databricks` against a local HTTP server that speaks
 * Trino's client protocol (POST /v1/statement, then each page at `nextUri`), Snowflake's SQL API
 * (POST /api/v2/statements, then each partition) and Databricks' Statement Execution API (POST
 * /api/2.0/sql/statements, a poll, then each chunk), in pages of {@link PAGE_ROWS} rows, and answers
 * each statement by running its text on PostgreSQL, after the rewrites PostgreSQL needs
 * (`TRY_CAST(x AS DOUBLE)` and `TRY_TO_DOUBLE(x)` as a function that gives NULL for text that is
 * not a number, `DOUBLE` as `double precision`; Spark's backquoted names, `RLIKE` and `STRING`;
 * Snowflake's and Spark's literals, which read backslash escapes, in a session that reads them so
 * too). So the SQL each engine writes is executed, not
 * mocked, and each report is compared with the default engine's on the same records. What this does
 * not prove (the warehouses' own functions and regular expressions, their planners) is said in
 * docs/scale.md.
 */
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir, type TestPostgres, testPostgres } from '../../../tests/setup/postgres.ts';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';
import { DATABRICKS_TOKEN_ENV } from '../databricksClient.ts';
import { SNOWFLAKE_TOKEN_ENV } from '../snowflakeClient.ts';
import { withReferenceEstimates } from '../testing/reportFindings.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DEMO = path.join(ROOT, 'samples/legacy/patients.csv');
const CONTRACT = path.join(ROOT, 'samples/contracts/patients.contract.json');

/** Rows per page the test server sends: small, so a result takes many pages. */
const PAGE_ROWS = 100;

/** The demo's first records: more distinct ids than the profiler tracks (1,000), few enough to be cheap. */
const RECORDS = 1500;

const bin = postgresBinDir();
if (bin === undefined)
  console.warn('PostgreSQL is not installed (Debian package postgresql): the Trino engine tests are skipped');

let dir: string;
let extract: string;
let db: TestPostgres;
let client: pg.Client;
/** a session that reads backslash escapes in string literals, as Snowflake does */
let snow: pg.Client;
let server: Server;
let base: string;
/** what the server saw: each request's method and address, and the rows of each page it sent */
const seen: { method: string; url: string; rows: number }[] = [];

/** Trino, Snowflake or Spark SQL as PostgreSQL reads it (see the file header). */
function onPostgres(sql: string): string {
  return sql
    .replaceAll('CAST(NULL AS DOUBLE)', 'CAST(NULL AS double precision)')
    .replaceAll('TRY_TO_DOUBLE(', 'preflight_try_double(')
    .replace(/(?:TRY_)?CAST\(([^()]*(?:\([^()]*\)[^()]*)*) AS DOUBLE\)/g, 'preflight_try_double($1)')
    .replaceAll('`', '"')
    .replaceAll(' RLIKE ', ' ~ ')
    .replaceAll(' AS STRING)', ' AS text)');
}

/** Databricks' Statement Execution API on PostgreSQL: pending first, then chunks of PAGE_ROWS rows. */
async function databricksAnswer(
  request: IncomingMessage,
  url: URL,
  send: (status: number, json: unknown) => void,
): Promise<void> {
  if (request.headers.authorization !== 'Bearer test-token')
    return send(401, { error_code: 'UNAUTHENTICATED', message: 'no token' });
  const chunk = (id: string, n: number) => {
    const rows = (results.get(id)?.rows ?? []).slice(n * PAGE_ROWS, (n + 1) * PAGE_ROWS);
    const more = (n + 1) * PAGE_ROWS < (results.get(id)?.rows.length ?? 0);
    return {
      chunk_index: n,
      data_array: rows,
      ...(more ? { next_chunk_internal_link: `/api/2.0/sql/statements/${id}/result/chunks/${n + 1}` } : {}),
    };
  };
  if (request.method === 'POST' && url.pathname === '/api/2.0/sql/statements') {
    const { statement } = JSON.parse(await body(request)) as { statement: string };
    const id = `d${results.size + 1}`;
    seen.push({ method: 'POST', url: url.pathname, rows: 0 });
    try {
      const ran = await snow.query({ text: onPostgres(statement), rowMode: 'array' });
      const rows = ran.rows.map((r: unknown[]) => r.map((v) => (v === null ? null : String(v))));
      results.set(id, { columns: ran.fields.map((f) => ({ name: f.name, type: 'STRING' })), rows });
    } catch (error) {
      return send(200, {
        statement_id: id,
        status: { state: 'FAILED', error: { error_code: 'BAD_REQUEST', message: (error as Error).message } },
      });
    }
    // still running when the wait ends: the client asks again at the statement's address
    return send(200, { statement_id: id, status: { state: 'PENDING' } });
  }
  const polled = /^\/api\/2\.0\/sql\/statements\/(d[0-9]+)$/.exec(url.pathname);
  const result = polled && results.get(polled[1] as string);
  if (request.method === 'GET' && polled && result) {
    const first = chunk(polled[1] as string, 0);
    seen.push({ method: 'GET', url: url.pathname, rows: first.data_array.length });
    return send(200, {
      statement_id: polled[1],
      status: { state: 'SUCCEEDED' },
      manifest: { format: 'JSON_ARRAY', schema: { columns: result.columns } },
      result: first,
    });
  }
  const chunked = /^\/api\/2\.0\/sql\/statements\/(d[0-9]+)\/result\/chunks\/([0-9]+)$/.exec(url.pathname);
  if (request.method === 'GET' && chunked && results.has(chunked[1] as string)) {
    const next = chunk(chunked[1] as string, Number(chunked[2]));
    seen.push({ method: 'GET', url: url.pathname, rows: next.data_array.length });
    return send(200, next);
  }
  send(404, { error_code: 'NOT_FOUND', message: 'not found' });
}

/** Snowflake's SQL API on PostgreSQL: every value as text (`jsonv2`), partitions of PAGE_ROWS rows. */
async function snowflakeAnswer(
  request: IncomingMessage,
  url: URL,
  send: (status: number, json: unknown) => void,
): Promise<void> {
  if (request.headers.authorization !== 'Bearer test-token')
    return send(401, { code: '390303', message: 'no token' });
  if (request.method === 'POST' && url.pathname === '/api/v2/statements') {
    const { statement } = JSON.parse(await body(request)) as { statement: string };
    const handle = `s${results.size + 1}`;
    seen.push({ method: 'POST', url: url.pathname, rows: 0 });
    try {
      const ran = await snow.query({ text: onPostgres(statement), rowMode: 'array' });
      const rows = ran.rows.map((r: unknown[]) => r.map((v) => (v === null ? null : String(v))));
      results.set(handle, { columns: ran.fields.map((f) => ({ name: f.name, type: 'text' })), rows });
      const partitions = Math.max(1, Math.ceil(rows.length / PAGE_ROWS));
      return send(200, {
        statementHandle: handle,
        resultSetMetaData: {
          numRows: rows.length,
          format: 'jsonv2',
          rowType: ran.fields.map((f) => ({ name: f.name, type: 'text' })),
          partitionInfo: Array.from({ length: partitions }, () => ({ rowCount: PAGE_ROWS })),
        },
        data: rows.slice(0, PAGE_ROWS),
      });
    } catch (error) {
      return send(422, { code: '002003', message: (error as Error).message, statementHandle: handle });
    }
  }
  const page = /^\/api\/v2\/statements\/(s[0-9]+)$/.exec(url.pathname);
  const result = page && results.get(page[1] as string);
  if (request.method === 'GET' && result) {
    const n = Number(url.searchParams.get('partition'));
    const rows = result.rows.slice(n * PAGE_ROWS, (n + 1) * PAGE_ROWS);
    seen.push({ method: 'GET', url: url.pathname + url.search, rows: rows.length });
    return send(200, { data: rows });
  }
  send(404, { code: '000404', message: 'not found' });
}

async function body(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

/** The answers of statements the server ran, by id: their columns and rows, sent page by page. */
const results = new Map<string, { columns: { name: string; type: string }[]; rows: unknown[][] }>();

function warehouseServer(): Server {
  return createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', base);
    const send = (status: number, json: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(json));
    };
    if (url.pathname.startsWith('/api/v2/')) return snowflakeAnswer(request, url, send);
    if (url.pathname.startsWith('/api/2.0/')) return databricksAnswer(request, url, send);
    if (request.headers['x-trino-user'] !== 'analyst') return send(401, { message: 'no user' });
    if (request.method === 'POST' && url.pathname === '/v1/statement') {
      const id = `q${results.size + 1}`;
      seen.push({ method: 'POST', url: url.pathname, rows: 0 });
      try {
        const ran = await client.query({ text: onPostgres(await body(request)), rowMode: 'array' });
        results.set(id, {
          // bigint as a JSON number, as Trino sends it
          columns: ran.fields.map((f) => ({
            name: f.name,
            type: f.dataTypeID === 20 ? 'bigint' : 'varchar',
          })),
          rows: ran.rows.map((r: unknown[]) =>
            r.map((v, i) => (ran.fields[i]?.dataTypeID === 20 && v !== null ? Number(v) : v)),
          ),
        });
      } catch (error) {
        return send(200, {
          id,
          error: { message: (error as Error).message, errorName: 'SYNTAX_ERROR', errorType: 'USER_ERROR' },
          stats: { state: 'FAILED' },
        });
      }
      // queued: no columns and no rows yet, as a Trino coordinator answers first
      return send(200, { id, nextUri: `${base}/v1/statement/executing/${id}/0`, stats: { state: 'QUEUED' } });
    }
    const page = /^\/v1\/statement\/executing\/(q[0-9]+)\/([0-9]+)$/.exec(url.pathname);
    const result = page && results.get(page[1] as string);
    if (request.method === 'GET' && page && result) {
      const token = Number(page[2]);
      const rows = result.rows.slice(token * PAGE_ROWS, (token + 1) * PAGE_ROWS);
      seen.push({ method: 'GET', url: url.pathname + url.search, rows: rows.length });
      const more = (token + 1) * PAGE_ROWS < result.rows.length;
      return send(200, {
        id: page[1],
        columns: result.columns,
        ...(rows.length > 0 ? { data: rows } : {}),
        ...(more ? { nextUri: `${base}/v1/statement/executing/${page[1]}/${token + 1}` } : {}),
        stats: { state: more ? 'RUNNING' : 'FINISHED' },
      });
    }
    send(404, { message: 'not found' });
  });
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
  snow = new pg.Client({ connectionString: db.url() });
  await snow.connect();
  await snow.query('SET standard_conforming_strings = off');
  await snow.query('SET escape_string_warning = off');
  server = warehouseServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server has no port');
  base = `http://127.0.0.1:${address.port}`;
}, 120_000);

afterAll(async () => {
  if (bin === undefined) return;
  server.close();
  await client.end();
  await snow.end();
  await db.stop();
  await rm(dir, { recursive: true, force: true });
});

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

describe.skipIf(bin === undefined)('the warehouse engines against the default engine', () => {
  it("gives the default engine's report on the same records, every page followed at a bounded size", async () => {
    const js = await defaultRun();
    seen.length = 0;
    const trino = await runCli(
      [
        'validate',
        '--engine',
        'trino',
        '--database',
        `${base.replace('//', '//analyst@')}/memory/default`,
        '--table',
        'patients',
        '--schema',
        CONTRACT,
        '--json',
      ],
      ROOT,
    );
    expect(trino.err).toBe(js.err);
    expect(trino.code).toBe(js.code);
    const onTrino = JSON.parse(trino.out) as Report;
    const reference = JSON.parse(js.out) as Report;
    expect(onTrino.engine).toBe('trino');
    expect(onTrino.inputs[0]?.name).toBe('patients');
    expect(found(onTrino, reference)).toEqual(found(reference));
    // every page asked at the bounded size, and more than one page: the 1,500 distinct patient ids
    // of the column past the tracked values came page by page
    const gets = seen.filter((s) => s.method === 'GET');
    expect(gets.length).toBeGreaterThan(RECORDS / PAGE_ROWS);
    expect(onTrino.profiles.find((p) => p.column === 'patient_id')?.distinct).toBe(RECORDS);
    expect(gets.every((g) => g.url.endsWith('targetResultSize=1MB'))).toBe(true);
    expect(Math.max(...gets.map((g) => g.rows))).toBe(PAGE_ROWS);
  });

  it("gives on Snowflake the default engine's report, every partition read apart", async () => {
    const js = await defaultRun();
    seen.length = 0;
    process.env[SNOWFLAKE_TOKEN_ENV] = 'test-token';
    try {
      const snowflake = await runCli(
        ['validate', '--engine', 'snowflake', '--database', `${base}/clinic/raw?warehouse=checks`].concat([
          '--table',
          'patients',
          '--schema',
          CONTRACT,
          '--json',
        ]),
        ROOT,
      );
      expect(snowflake.err).toBe(js.err);
      expect(snowflake.code).toBe(js.code);
      const onSnowflake = JSON.parse(snowflake.out) as Report;
      const reference = JSON.parse(js.out) as Report;
      expect(onSnowflake.engine).toBe('snowflake');
      expect(found(onSnowflake, reference)).toEqual(found(reference));
      const gets = seen.filter((s) => s.method === 'GET');
      expect(gets.length).toBeGreaterThan(RECORDS / PAGE_ROWS);
      expect(gets.every((g) => /\?partition=[1-9][0-9]*$/.test(g.url))).toBe(true);
    } finally {
      delete process.env[SNOWFLAKE_TOKEN_ENV];
    }
  });

  it("gives on Databricks the default engine's report, waiting for the statement, every chunk read apart", async () => {
    const js = await defaultRun();
    seen.length = 0;
    process.env[DATABRICKS_TOKEN_ENV] = 'test-token';
    try {
      const databricks = await runCli(
        ['validate', '--engine', 'databricks', '--database', `${base}/clinic/raw?warehouse=abc123`].concat([
          '--table',
          'patients',
          '--schema',
          CONTRACT,
          '--json',
        ]),
        ROOT,
      );
      expect(databricks.err).toBe(js.err);
      expect(databricks.code).toBe(js.code);
      const onDatabricks = JSON.parse(databricks.out) as Report;
      const reference = JSON.parse(js.out) as Report;
      expect(onDatabricks.engine).toBe('databricks');
      expect(found(onDatabricks, reference)).toEqual(found(reference));
      const chunks = seen.filter((s) => s.method === 'GET' && s.url.includes('/result/chunks/'));
      expect(chunks.length).toBeGreaterThan(RECORDS / PAGE_ROWS);
      expect(Math.max(...seen.map((s) => s.rows))).toBe(PAGE_ROWS);
    } finally {
      delete process.env[DATABRICKS_TOKEN_ENV];
    }
  });

  it("says Trino's refusal in words, and refuses what the warehouse engine does not run, by name", async () => {
    const address = `${base.replace('//', '//analyst@')}/memory/default`;
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
        base.replace('//', '//analyst:secret@'),
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
