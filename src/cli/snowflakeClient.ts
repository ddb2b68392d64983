/**
 * A Snowflake client over Snowflake's documented SQL API (v2): a statement is POSTed to
 * `/api/v2/statements`; its answer carries the first partition of rows and the sizes of the others,
 * each fetched alone (`GET /api/v2/statements/<handle>?partition=<n>`). Every partition is handed
 * to the caller as it comes and then dropped, so no whole result is ever held here (Snowflake
 * cuts partitions at about 10 MB of rows, whatever the result's size). A statement Snowflake
 * answers later (202, with a statement handle: it ran past the 45 seconds the API waits, or was
 * queued) is asked about again at its status address, with pauses that grow
 * (./warehouseWait.ts), until it answers 200 with its first partition or runs past the user's
 * bound (`--wait`), when it is cancelled and the error names the statement's handle.
 *
 * Why not `snowflake-sdk`: it brings the AWS, Azure and Google SDKs and an OCSP stack for what this
 * API gives over `fetch` (docs/scale.md).
 *
 * Constraints:
 * - The account, database, schema and warehouse come from the address
 *   (`https://<account>.snowflakecomputing.com/<database>/<schema>?warehouse=<name>`); the token
 *   (OAuth, or a key-pair JWT) from the environment, never from the command line, where other
 *   users and shell histories could read it.
 * - Rows come as text (`jsonv2`): counts are read with the caller's count reader.
 */

import { type PollState, type StatementWait, statementWait, waitWhileRunning } from './warehouseWait.ts';

/** The environment variable holding the token (OAuth, or a key-pair JWT with its type). */
export const SNOWFLAKE_TOKEN_ENV = 'PREFLIGHT_SNOWFLAKE_TOKEN';
/** The environment variable naming the token's type (default OAUTH; KEYPAIR_JWT for a key pair). */
export const SNOWFLAKE_TOKEN_TYPE_ENV = 'PREFLIGHT_SNOWFLAKE_TOKEN_TYPE';

/** Snowflake refused or failed a statement: its code and message. */
export class SnowflakeError extends Error {
  override name = 'SnowflakeError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where and as whom statements run. */
export interface SnowflakeConnection {
  server: URL;
  token: string;
  tokenType: string;
  database?: string;
  schema?: string;
  warehouse?: string;
}

/** Snowflake's name in sentences. */
const SNOWFLAKE = 'Snowflake';

/** The address and the environment as a connection; throws a TypeError when they are not one. */
export function snowflakeConnection(
  address: string,
  env: Readonly<Record<string, string | undefined>>,
): SnowflakeConnection {
  const url = new URL(address);
  // plain http only to this machine (a local proxy that holds the TLS connection, or a test)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && url.hostname === '127.0.0.1'))
    throw new TypeError('a Snowflake account is an https:// address');
  if (url.username !== '' || url.password !== '')
    throw new TypeError(
      `a Snowflake address carries no user or password: put the token in ${SNOWFLAKE_TOKEN_ENV}`,
    );
  const token = env[SNOWFLAKE_TOKEN_ENV];
  if (token === undefined || token === '') throw new TypeError(`${SNOWFLAKE_TOKEN_ENV} holds no token`);
  const [database, schema] = url.pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  const warehouse = url.searchParams.get('warehouse') ?? undefined;
  return {
    server: new URL(`${url.protocol}//${url.host}`),
    token,
    tokenType: env[SNOWFLAKE_TOKEN_TYPE_ENV] ?? 'OAUTH',
    ...(database === undefined ? {} : { database }),
    ...(schema === undefined ? {} : { schema }),
    ...(warehouse === undefined ? {} : { warehouse }),
  };
}

/** One answer of the SQL API, as far as this client reads it. */
interface SnowflakeAnswer {
  code?: string;
  message?: string;
  statementHandle?: string;
  statementStatusUrl?: string;
  resultSetMetaData?: { rowType?: { name: string }[]; partitionInfo?: unknown[] };
  data?: unknown[][];
}

/** One partition of rows: the statement's columns and some of its rows, in order. */
export interface SnowflakePage {
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
}

/** A client of one Snowflake connection. */
export interface SnowflakeClient {
  /** runs `sql`, handing each partition of rows to `take` as it comes; returns the statement's columns */
  query(sql: string, take: (page: SnowflakePage) => void | Promise<void>): Promise<string[]>;
}

/**
 * A client of `connection`; `fetchImpl` for a test's own (default: the global fetch); `wait` how
 * long a statement may run and how to pause between questions about it (default: an hour).
 */
export function createSnowflakeClient(
  connection: SnowflakeConnection,
  fetchImpl: typeof fetch = fetch,
  wait: StatementWait = statementWait(),
): SnowflakeClient {
  const headers = {
    Authorization: `Bearer ${connection.token}`,
    'X-Snowflake-Authorization-Token-Type': connection.tokenType,
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'User-Agent': 'preflight',
  };
  const answer = async (response: Response): Promise<SnowflakeAnswer & { status: number }> => {
    const body = (await response.json().catch(() => ({}))) as SnowflakeAnswer;
    if (response.status !== 200 && response.status !== 202)
      throw new SnowflakeError(
        body.code ?? `HTTP_${response.status}`,
        body.message ?? `the Snowflake account answered ${response.status}`,
      );
    return { ...body, status: response.status };
  };
  const at = (path: string) => new URL(path, connection.server);
  // a 202 says the statement runs on: its handle is asked about again until it answers 200
  const pollState = (a: SnowflakeAnswer & { status: number }): PollState<SnowflakeAnswer> => ({
    answer: a,
    running: a.status === 202,
    status: `HTTP ${a.status}${a.code === undefined ? '' : ` (${a.code})`}`,
    handle: a.statementHandle,
  });
  const statusAt = (handle: string) => `/api/v2/statements/${encodeURIComponent(handle)}`;
  return {
    async query(sql, take) {
      const started = wait.now();
      const sent = await answer(
        await fetchImpl(at('/api/v2/statements'), {
          method: 'POST',
          headers,
          body: JSON.stringify({
            statement: sql,
            // Snowflake cancels the statement itself at the same bound
            timeout: Math.ceil(wait.limitMs / 1000),
            ...(connection.database === undefined ? {} : { database: connection.database }),
            ...(connection.schema === undefined ? {} : { schema: connection.schema }),
            ...(connection.warehouse === undefined ? {} : { warehouse: connection.warehouse }),
          }),
        }),
      );
      const statusUrl = sent.statementStatusUrl;
      const first = await waitWhileRunning(
        SNOWFLAKE,
        pollState(sent),
        async (handle) =>
          pollState(await answer(await fetchImpl(at(statusUrl ?? statusAt(handle)), { headers }))),
        (handle) => fetchImpl(at(`${statusAt(handle)}/cancel`), { method: 'POST', headers }),
        wait,
        started,
      );
      const columns = (first.resultSetMetaData?.rowType ?? []).map((c) => c.name);
      if (first.data && first.data.length > 0) await take({ columns, rows: first.data });
      const partitions = first.resultSetMetaData?.partitionInfo?.length ?? 1;
      const handle = first.statementHandle;
      for (let n = 1; n < partitions; n++) {
        if (handle === undefined)
          throw new SnowflakeError('NO_HANDLE', 'the answer named no statement to read on');
        const page = await answer(
          await fetchImpl(at(`/api/v2/statements/${encodeURIComponent(handle)}?partition=${n}`), { headers }),
        );
        if (page.data && page.data.length > 0) await take({ columns, rows: page.data });
      }
      return columns;
    },
  };
}
