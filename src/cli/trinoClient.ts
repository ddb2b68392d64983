/**
 * A Trino client over Trino's documented client REST protocol: a statement is POSTed to
 * `/v1/statement`, and its answer is followed page by page through each answer's `nextUri` until
 * there is none; rows arrive as `data` (arrays, in the order of `columns`). Every page is handed to
 * the caller as it comes and then dropped, so no whole result is ever held here; each request asks
 * the server for pages of at most {@link TARGET_RESULT_SIZE}.
 *
 * Why not the `trino-client` package: it is a 0.x release that brings axios for what is a loop over
 * `fetch`, and its iterator gives no hold on the page size; this protocol is what every Trino driver
 * speaks, stable across releases (docs/scale.md).
 *
 * Constraints:
 * - A connection is `http(s)://user[:password]@host:port/catalog/schema`: the user is sent as
 *   `X-Trino-User`, a password only over https (basic authentication), the catalog and schema as
 *   `X-Trino-Catalog` and `X-Trino-Schema`.
 * - A query abandoned (an error while its pages are read) is cancelled with a DELETE of its
 *   `nextUri`, so the server stops working for nobody.
 * - A statement that has sent no rows after the user's bound (`--wait`) is cancelled, and the
 *   error names its query id. The bound is on rows, not columns: Trino sends the columns once
 *   planning is done, and an aggregate may then run for hours before its one row.
 * - Trino's error is said with its name and message; a value it quotes is left to the caller's words.
 */

import { StatementTimeout, type StatementWait, statementWait } from './warehouseWait.ts';

/** The most bytes of rows the client asks the server to send in one page (Trino's `targetResultSize`). */
export const TARGET_RESULT_SIZE = '1MB';

/** One page of a statement's answer, as the protocol sends it. */
interface TrinoAnswer {
  id?: string;
  nextUri?: string;
  columns?: { name: string; type: string }[];
  data?: unknown[][];
  error?: { message?: string; errorName?: string; errorType?: string };
  stats?: { state?: string };
}

/** Trino refused or failed a statement: its error's name (`TABLE_NOT_FOUND`) and message. */
export class TrinoError extends Error {
  override name = 'TrinoError';
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where and as whom statements run. */
export interface TrinoConnection {
  server: URL;
  user: string;
  password?: string;
  catalog?: string;
  schema?: string;
}

/** `http(s)://user[:password]@host:port[/catalog[/schema]]` as a connection; throws a TypeError when it is not one. */
export function trinoConnection(address: string): TrinoConnection {
  const url = new URL(address);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError('a Trino server is an http:// or https:// address');
  const user = decodeURIComponent(url.username);
  if (user === '')
    throw new TypeError('a Trino address names its user: http://user@host:8080/catalog/schema');
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  if (password !== undefined && url.protocol !== 'https:')
    throw new TypeError('a password is sent to Trino only over https://');
  const [catalog, schema] = url.pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  return {
    server: new URL(`${url.protocol}//${url.host}`),
    user,
    ...(password === undefined ? {} : { password }),
    ...(catalog === undefined ? {} : { catalog }),
    ...(schema === undefined ? {} : { schema }),
  };
}

/** One page of rows: the statement's columns and some of its rows, in order. */
export interface TrinoPage {
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
}

/** A client of one Trino connection. */
export interface TrinoClient {
  /** runs `sql`, handing each page of rows to `take` as it comes; returns the statement's columns */
  query(sql: string, take: (page: TrinoPage) => void | Promise<void>): Promise<string[]>;
}

/** With the page size asked on a `nextUri` the server gave. */
function sized(uri: string): string {
  const url = new URL(uri);
  url.searchParams.set('targetResultSize', TARGET_RESULT_SIZE);
  return url.toString();
}

/**
 * A client of `connection`; `fetchImpl` for a test's own (default: the global fetch); `wait` how
 * long a statement may go on before its first rows (default: an hour). Trino holds each question
 * until it has news, so the client asks again without pausing.
 */
export function createTrinoClient(
  connection: TrinoConnection,
  fetchImpl: typeof fetch = fetch,
  wait: Pick<StatementWait, 'limitMs' | 'now'> = statementWait(),
): TrinoClient {
  const headers: Record<string, string> = {
    'X-Trino-User': connection.user,
    'X-Trino-Source': 'preflight',
    ...(connection.catalog === undefined ? {} : { 'X-Trino-Catalog': connection.catalog }),
    ...(connection.schema === undefined ? {} : { 'X-Trino-Schema': connection.schema }),
    ...(connection.password === undefined
      ? {}
      : {
          Authorization: `Basic ${Buffer.from(`${connection.user}:${connection.password}`).toString('base64')}`,
        }),
  };
  const answer = async (response: Response): Promise<TrinoAnswer> => {
    if (!response.ok) {
      const text = (await response.text()).slice(0, 200);
      throw new TrinoError(
        `HTTP_${response.status}`,
        `the Trino server answered ${response.status}: ${text}`,
      );
    }
    return (await response.json()) as TrinoAnswer;
  };
  return {
    async query(sql, take) {
      const started = wait.now();
      let page = await answer(
        await fetchImpl(new URL('/v1/statement', connection.server), { method: 'POST', headers, body: sql }),
      );
      let columns: string[] = [];
      let rowsTaken = false;
      try {
        for (;;) {
          if (page.error)
            throw new TrinoError(page.error.errorName ?? 'ERROR', page.error.message ?? 'the query failed');
          if (page.columns) columns = page.columns.map((c) => c.name);
          if (page.data && page.data.length > 0) {
            rowsTaken = true;
            await take({ columns, rows: page.data });
          }
          if (page.nextUri === undefined) return columns;
          // no rows yet past the user's bound: the statement is cancelled (below)
          if (!rowsTaken && wait.now() - started > wait.limitMs)
            throw new StatementTimeout(
              'Trino',
              page.stats?.state ?? 'no state',
              page.id ?? 'without an id',
              wait.limitMs / 1000,
            );
          page = await answer(await fetchImpl(sized(page.nextUri), { headers }));
        }
      } catch (error) {
        // cancel what the server would go on computing for nobody; its answer does not matter
        if (page.nextUri !== undefined)
          await fetchImpl(page.nextUri, { method: 'DELETE', headers }).catch(() => undefined);
        throw error;
      }
    },
  };
}
