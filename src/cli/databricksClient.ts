/**
 * A Databricks SQL client over Databricks' documented Statement Execution API (2.0): a statement
 * is POSTed to `/api/2.0/sql/statements` on a SQL warehouse, its answer carries the first chunk of
 * rows inline (`JSON_ARRAY`) and a link to the next; each chunk is fetched alone from
 * `next_chunk_internal_link` until there is none. Every chunk is handed to the caller as it comes
 * and then dropped, so no whole result is ever held here. A statement still running (PENDING,
 * RUNNING) is asked about again at its own address, with pauses that grow (./warehouseWait.ts),
 * until it ends or runs past the user's bound (`--wait`), when it is cancelled and the error
 * names its statement id.
 *
 * Why not `@databricks/sql`: it brings Thrift, Apache Arrow, an OpenID client and a proxy agent,
 * and fetches 100,000 rows at a time unless told; this API is a loop over `fetch` (docs/scale.md).
 *
 * Constraints:
 * - The workspace, catalog, schema and SQL warehouse come from the address
 *   (`https://<workspace>/<catalog>/<schema>?warehouse=<id>`); the token from the environment, never
 *   from the command line.
 * - Results are asked for inline only (`INLINE`), which Databricks limits to 25 MiB a statement:
 *   the aggregate is bounded far below it; a larger answer is Databricks' refusal, said in its
 *   words. So the results pass only between the workspace and this machine. An answer of
 *   `EXTERNAL_LINKS` (presigned addresses of result files in the cloud storage behind the
 *   workspace) is refused by name, its addresses never followed nor said: they carry a credential.
 */

import { type PollState, type StatementWait, statementWait, waitWhileRunning } from './warehouseWait.ts';

/** The environment variable holding the token (a personal access token or an OAuth token). */
export const DATABRICKS_TOKEN_ENV = 'PREFLIGHT_DATABRICKS_TOKEN';

/** Databricks refused or failed a statement: its error code and message. */
export class DatabricksError extends Error {
  override name = 'DatabricksError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where and as whom statements run. */
export interface DatabricksConnection {
  server: URL;
  token: string;
  warehouse: string;
  catalog?: string;
  schema?: string;
}

/** The address and the environment as a connection; throws a TypeError when they are not one. */
export function databricksConnection(
  address: string,
  env: Readonly<Record<string, string | undefined>>,
): DatabricksConnection {
  const url = new URL(address);
  // plain http only to this machine (a local proxy that holds the TLS connection, or a test)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && url.hostname === '127.0.0.1'))
    throw new TypeError('a Databricks workspace is an https:// address');
  if (url.username !== '' || url.password !== '')
    throw new TypeError(
      `a Databricks address carries no user or password: put the token in ${DATABRICKS_TOKEN_ENV}`,
    );
  const token = env[DATABRICKS_TOKEN_ENV];
  if (token === undefined || token === '') throw new TypeError(`${DATABRICKS_TOKEN_ENV} holds no token`);
  const warehouse = url.searchParams.get('warehouse');
  if (warehouse === null || warehouse === '')
    throw new TypeError('a Databricks address names its SQL warehouse: ?warehouse=<id>');
  const [catalog, schema] = url.pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  return {
    server: new URL(`${url.protocol}//${url.host}`),
    token,
    warehouse,
    ...(catalog === undefined ? {} : { catalog }),
    ...(schema === undefined ? {} : { schema }),
  };
}

/** One answer of the API, as far as this client reads it. */
interface DatabricksAnswer {
  statement_id?: string;
  status?: { state?: string; error?: { error_code?: string; message?: string } };
  manifest?: { schema?: { columns?: { name: string }[] } };
  result?: { data_array?: unknown[][]; next_chunk_internal_link?: string; external_links?: unknown[] };
  /** a chunk fetched alone */
  data_array?: unknown[][];
  next_chunk_internal_link?: string;
  external_links?: unknown[];
  error_code?: string;
  message?: string;
}

/** One chunk of rows: the statement's columns and some of its rows, in order. */
export interface DatabricksPage {
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
}

/** A client of one Databricks connection. */
export interface DatabricksClient {
  /** runs `sql`, handing each chunk of rows to `take` as it comes; returns the statement's columns */
  query(sql: string, take: (page: DatabricksPage) => void | Promise<void>): Promise<string[]>;
}

/** Databricks' name in sentences. */
const DATABRICKS = 'Databricks';

/** Refuses an answer that gives its rows as links to files in cloud storage (see the file header). */
function refuseLinks(links: unknown[] | undefined): void {
  if (links !== undefined && links.length > 0)
    throw new DatabricksError(
      'EXTERNAL_LINKS',
      'the workspace answered with links to result files in its cloud storage, which Preflight does not read: it asks for results inline only, so they pass only between the workspace and this machine',
    );
}

/**
 * A client of `connection`; `fetchImpl` for a test's own (default: the global fetch); `wait` how
 * long a statement may run and how to pause between questions about it (default: an hour).
 */
export function createDatabricksClient(
  connection: DatabricksConnection,
  fetchImpl: typeof fetch = fetch,
  wait: StatementWait = statementWait(),
): DatabricksClient {
  const headers = {
    Authorization: `Bearer ${connection.token}`,
    'Content-Type': 'application/json',
    'User-Agent': 'preflight',
  };
  const at = (path: string) => new URL(path, connection.server);
  const answer = async (response: Response): Promise<DatabricksAnswer> => {
    const body = (await response.json().catch(() => ({}))) as DatabricksAnswer;
    if (!response.ok)
      throw new DatabricksError(
        body.error_code ?? `HTTP_${response.status}`,
        body.message ?? `the Databricks workspace answered ${response.status}`,
      );
    const failed = body.status?.error;
    if (body.status?.state === 'FAILED' || body.status?.state === 'CANCELED' || failed)
      throw new DatabricksError(
        failed?.error_code ?? body.status?.state ?? 'FAILED',
        failed?.message ?? 'the statement failed',
      );
    return body;
  };
  const pollState = (a: DatabricksAnswer): PollState<DatabricksAnswer> => ({
    answer: a,
    running: a.status?.state === 'PENDING' || a.status?.state === 'RUNNING',
    status: a.status?.state ?? 'no state',
    handle: a.statement_id,
  });
  const statementAt = (id: string) => `/api/2.0/sql/statements/${encodeURIComponent(id)}`;
  return {
    async query(sql, take) {
      const started = wait.now();
      const sent = await answer(
        await fetchImpl(at('/api/2.0/sql/statements'), {
          method: 'POST',
          headers,
          body: JSON.stringify({
            statement: sql,
            warehouse_id: connection.warehouse,
            ...(connection.catalog === undefined ? {} : { catalog: connection.catalog }),
            ...(connection.schema === undefined ? {} : { schema: connection.schema }),
            disposition: 'INLINE',
            format: 'JSON_ARRAY',
            wait_timeout: '30s',
            on_wait_timeout: 'CONTINUE',
          }),
        }),
      );
      const first = await waitWhileRunning(
        DATABRICKS,
        pollState(sent),
        async (id) => pollState(await answer(await fetchImpl(at(statementAt(id)), { headers }))),
        (id) => fetchImpl(at(`${statementAt(id)}/cancel`), { method: 'POST', headers }),
        wait,
        started,
      );
      refuseLinks(first.result?.external_links);
      const columns = (first.manifest?.schema?.columns ?? []).map((c) => c.name);
      let rows = first.result?.data_array;
      let next = first.result?.next_chunk_internal_link;
      for (;;) {
        if (rows && rows.length > 0) await take({ columns, rows });
        if (next === undefined) return columns;
        const chunk = await answer(await fetchImpl(at(next), { headers }));
        refuseLinks(chunk.external_links);
        rows = chunk.data_array;
        next = chunk.next_chunk_internal_link;
      }
    },
  };
}
