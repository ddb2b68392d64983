/**
 * A local HTTP server that answers as the three warehouses' APIs do, for tests: Trino's client
 * protocol (POST /v1/statement queued, then each page at `nextUri`, each question held until the
 * statement has ended), Snowflake's SQL API (POST /api/v2/statements answered 202 with a statement
 * handle, its status address answering 202 while it runs and then 200 with the first partition,
 * each other partition alone) and Databricks' Statement Execution API (POST
 * /api/2.0/sql/statements answered PENDING, its address RUNNING while it runs and then SUCCEEDED
 * with the first chunk, each other chunk alone; or, when asked, chunks as links to files in
 * cloud storage). Pages, partitions and chunks hold {@link PAGE_ROWS} rows. Cancels are recorded.
 *
 * The server runs nothing itself: each statement's text goes to the test's `run` (PostgreSQL,
 * through {@link onPostgres}), and a statement runs until that promise settles, so a test holds a
 * statement running as long as it likes with a promise it settles itself: no clock is involved.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';

/** Rows per page, partition or chunk: small, so a result takes many. */
export const PAGE_ROWS = 100;

/** The warehouses the server speaks for. */
export type WarehouseProtocol = 'trino' | 'snowflake' | 'databricks';

/** A statement's answer as `pg` gives one (`rowMode: 'array'`); dataTypeID 20 is a bigint. */
export interface RanStatement {
  fields: readonly { name: string; dataTypeID: number }[];
  rows: readonly (readonly unknown[])[];
}

/** What the server is asked to do. */
export interface WarehouseServerOptions {
  /** runs a statement's text for `engine`; a rejection is the warehouse's error, its message said */
  run(engine: WarehouseProtocol, sql: string): Promise<RanStatement>;
  /** Databricks answers with links to result files in cloud storage instead of rows */
  externalLinks?: boolean;
  /** called on each question about a statement still running, with its handle */
  onPoll?(handle: string): void;
}

/** A request the server answered, and the rows of the page it sent. */
export interface SeenRequest {
  method: string;
  url: string;
  rows: number;
  /** the HTTP status, or the statement's state, the answer gave */
  status: string;
}

/** A statement the server ran: its engine, text and whole answer (a row, its values by column name). */
export interface SeenStatement {
  engine: WarehouseProtocol;
  handle: string;
  sql: string;
  rows: Record<string, unknown>[];
}

/** A running server. */
export interface WarehouseServer {
  base: string;
  seen: SeenRequest[];
  statements: SeenStatement[];
  /** the handles of statements a client cancelled */
  cancelled: string[];
  close(): Promise<void>;
}

/**
 * Trino, Snowflake or Spark SQL as PostgreSQL reads it (a session reading backslash escapes for the
 * latter two); `TRY_CAST` to a number becomes `preflight_try_double` or `preflight_try_integer`,
 * functions the caller creates that give NULL for text that is not one.
 */
export function onPostgres(sql: string): string {
  return sql
    .replaceAll('CAST(NULL AS DOUBLE)', 'CAST(NULL AS double precision)')
    .replaceAll('TRY_TO_DOUBLE(', 'preflight_try_double(')
    .replace(/(?:TRY_)?CAST\(([^()]*(?:\([^()]*\)[^()]*)*) AS DOUBLE\)/g, 'preflight_try_double($1)')
    .replace(/TRY_CAST\(([^()]*(?:\([^()]*\)[^()]*)*) AS INT(?:EGER)?\)/g, 'preflight_try_integer($1)')
    .replaceAll('`', '"')
    .replaceAll(' RLIKE ', ' ~ ')
    .replaceAll(' AS STRING)', ' AS text)');
}

/** A statement as the server holds it: its answer once `run` settled. */
interface Held {
  engine: WarehouseProtocol;
  done: boolean;
  columns: { name: string; bigint: boolean }[];
  rows: unknown[][];
  error?: string;
}

async function body(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

/** Starts a server on a free port of 127.0.0.1 (see the file header). */
export async function startWarehouseServer(options: WarehouseServerOptions): Promise<WarehouseServer> {
  const seen: SeenRequest[] = [];
  const statements: SeenStatement[] = [];
  const cancelled: string[] = [];
  const held = new Map<string, Held & { settled: Promise<void> }>();
  let base = '';

  const start = (engine: WarehouseProtocol, handle: string, sql: string) => {
    const statement: Held = { engine, done: false, columns: [], rows: [] };
    const settled = options.run(engine, sql).then(
      (ran) => {
        statement.columns = ran.fields.map((f) => ({ name: f.name, bigint: f.dataTypeID === 20 }));
        statement.rows = ran.rows.map((r) => [...r]);
        statement.done = true;
        statements.push({
          engine,
          handle,
          sql,
          rows: statement.rows.map((r) =>
            Object.fromEntries(statement.columns.map((c, i) => [c.name, r[i]])),
          ),
        });
      },
      (error: unknown) => {
        statement.error = (error as Error).message;
        statement.done = true;
      },
    );
    held.set(handle, Object.assign(statement, { settled }));
  };
  const page = (h: Held, n: number) => h.rows.slice(n * PAGE_ROWS, (n + 1) * PAGE_ROWS);
  const more = (h: Held, n: number) => (n + 1) * PAGE_ROWS < h.rows.length;
  const text = (rows: unknown[][]) => rows.map((r) => r.map((v) => (v === null ? null : String(v))));

  type Send = (status: number, json: unknown, state?: string) => void;

  async function trino(request: IncomingMessage, url: URL, send: Send, record: Recorder): Promise<void> {
    if (request.headers['x-trino-user'] !== 'analyst') return send(401, { message: 'no user' });
    if (request.method === 'POST' && url.pathname === '/v1/statement') {
      const id = `q${held.size + 1}`;
      start('trino', id, await body(request));
      record(0);
      // queued: no columns and no rows yet, as a Trino coordinator answers first
      return send(200, { id, nextUri: `${base}/v1/statement/executing/${id}/0`, stats: { state: 'QUEUED' } });
    }
    const at = /^\/v1\/statement\/executing\/(q[0-9]+)\/([0-9]+)$/.exec(url.pathname);
    const h = at && held.get(at[1] as string);
    if (at && h && request.method === 'DELETE') {
      cancelled.push(at[1] as string);
      return send(204, {});
    }
    if (request.method === 'GET' && at && h) {
      // a Trino coordinator holds the question until it has news
      await h.settled;
      if (h.error !== undefined)
        return send(200, {
          id: at[1],
          error: { message: h.error, errorName: 'SYNTAX_ERROR', errorType: 'USER_ERROR' },
          stats: { state: 'FAILED' },
        });
      const n = Number(at[2]);
      // bigint as a JSON number, as Trino sends it
      const rows = page(h, n).map((r) =>
        r.map((v, i) => (h.columns[i]?.bigint && v !== null ? Number(v) : v)),
      );
      record(rows.length);
      return send(200, {
        id: at[1],
        columns: h.columns.map((c) => ({ name: c.name, type: c.bigint ? 'bigint' : 'varchar' })),
        ...(rows.length > 0 ? { data: rows } : {}),
        ...(more(h, n) ? { nextUri: `${base}/v1/statement/executing/${at[1]}/${n + 1}` } : {}),
        stats: { state: more(h, n) ? 'RUNNING' : 'FINISHED' },
      });
    }
    send(404, { message: 'not found' });
  }

  async function snowflake(request: IncomingMessage, url: URL, send: Send, record: Recorder): Promise<void> {
    if (request.headers.authorization !== 'Bearer test-token')
      return send(401, { code: '390303', message: 'no token' });
    const running = (handle: string) =>
      send(202, {
        code: '333334',
        message: 'Asynchronous execution in progress.',
        statementHandle: handle,
        statementStatusUrl: `/api/v2/statements/${handle}`,
      });
    if (request.method === 'POST' && url.pathname === '/api/v2/statements') {
      const { statement } = JSON.parse(await body(request)) as { statement: string };
      const handle = `s${held.size + 1}`;
      start('snowflake', handle, statement);
      record(0);
      return running(handle);
    }
    const cancel = /^\/api\/v2\/statements\/(s[0-9]+)\/cancel$/.exec(url.pathname);
    if (request.method === 'POST' && cancel && held.has(cancel[1] as string)) {
      cancelled.push(cancel[1] as string);
      return send(200, { code: '000604', message: 'Statement canceled.' });
    }
    const at = /^\/api\/v2\/statements\/(s[0-9]+)$/.exec(url.pathname);
    const h = at && held.get(at[1] as string);
    if (request.method !== 'GET' || !at || !h) return send(404, { code: '000404', message: 'not found' });
    const handle = at[1] as string;
    const partition = url.searchParams.get('partition');
    if (partition === null && !h.done) {
      options.onPoll?.(handle);
      record(0);
      return running(handle);
    }
    if (h.error !== undefined)
      return send(422, { code: '002003', message: h.error, statementHandle: handle });
    const n = Number(partition ?? 0);
    const rows = text(page(h, n));
    record(rows.length);
    if (partition !== null) return send(200, { data: rows });
    const rowType = h.columns.map((c) => ({ name: c.name, type: 'text' }));
    const partitions = Math.max(1, Math.ceil(h.rows.length / PAGE_ROWS));
    return send(200, {
      statementHandle: handle,
      resultSetMetaData: {
        numRows: h.rows.length,
        format: 'jsonv2',
        rowType,
        partitionInfo: Array.from({ length: partitions }, () => ({ rowCount: PAGE_ROWS })),
      },
      data: rows,
    });
  }

  async function databricks(request: IncomingMessage, url: URL, send: Send, record: Recorder): Promise<void> {
    if (request.headers.authorization !== 'Bearer test-token')
      return send(401, { error_code: 'UNAUTHENTICATED', message: 'no token' });
    const chunk = (id: string, h: Held, n: number) =>
      options.externalLinks
        ? {
            chunk_index: n,
            external_links: [
              {
                chunk_index: n,
                row_count: page(h, n).length,
                external_link: `https://storage.example/results/${id}/${n}?X-Amz-Signature=test-secret`,
                expiration: '2026-01-01T00:15:00Z',
              },
            ],
          }
        : {
            chunk_index: n,
            data_array: text(page(h, n)),
            ...(more(h, n)
              ? { next_chunk_internal_link: `/api/2.0/sql/statements/${id}/result/chunks/${n + 1}` }
              : {}),
          };
    if (request.method === 'POST' && url.pathname === '/api/2.0/sql/statements') {
      const { statement } = JSON.parse(await body(request)) as { statement: string };
      const id = `d${held.size + 1}`;
      start('databricks', id, statement);
      record(0, 'PENDING');
      // still running when the wait ends: the client asks again at the statement's address
      return send(200, { statement_id: id, status: { state: 'PENDING' } });
    }
    const cancel = /^\/api\/2\.0\/sql\/statements\/(d[0-9]+)\/cancel$/.exec(url.pathname);
    if (request.method === 'POST' && cancel && held.has(cancel[1] as string)) {
      cancelled.push(cancel[1] as string);
      return send(200, {});
    }
    const at = /^\/api\/2\.0\/sql\/statements\/(d[0-9]+)$/.exec(url.pathname);
    const h = at && held.get(at[1] as string);
    if (request.method === 'GET' && at && h) {
      const id = at[1] as string;
      if (!h.done) {
        options.onPoll?.(id);
        record(0, 'RUNNING');
        return send(200, { statement_id: id, status: { state: 'RUNNING' } });
      }
      if (h.error !== undefined)
        return send(200, {
          statement_id: id,
          status: { state: 'FAILED', error: { error_code: 'BAD_REQUEST', message: h.error } },
        });
      const first = chunk(id, h, 0);
      record('data_array' in first ? first.data_array.length : 0, 'SUCCEEDED');
      return send(200, {
        statement_id: id,
        status: { state: 'SUCCEEDED' },
        manifest: {
          format: 'JSON_ARRAY',
          schema: { columns: h.columns.map((c) => ({ name: c.name, type: 'STRING' })) },
        },
        result: first,
      });
    }
    const chunked = /^\/api\/2\.0\/sql\/statements\/(d[0-9]+)\/result\/chunks\/([0-9]+)$/.exec(url.pathname);
    const c = chunked && held.get(chunked[1] as string);
    if (request.method === 'GET' && chunked && c?.done) {
      const next = chunk(chunked[1] as string, c, Number(chunked[2]));
      record('data_array' in next ? next.data_array.length : 0);
      return send(200, next);
    }
    send(404, { error_code: 'NOT_FOUND', message: 'not found' });
  }

  type Recorder = (rows: number, state?: string) => void;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', base);
    let rows = 0;
    let state: string | undefined;
    const record: Recorder = (n, s) => {
      rows = n;
      state = s;
    };
    const send: Send = (status, json) => {
      seen.push({
        method: request.method ?? '',
        url: url.pathname + url.search,
        rows,
        status: state ?? String(status),
      });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(json));
    };
    if (url.pathname.startsWith('/api/v2/')) return snowflake(request, url, send, record);
    if (url.pathname.startsWith('/api/2.0/')) return databricks(request, url, send, record);
    return trino(request, url, send, record);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server has no port');
  base = `http://127.0.0.1:${address.port}`;
  return {
    base,
    seen,
    statements,
    cancelled,
    close: async () => {
      server.close();
      await once(server, 'close');
    },
  };
}
