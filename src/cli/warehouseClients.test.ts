/**
 * The warehouse clients on the answers a warehouse gives a statement that takes its time, against
 * the local protocol server (commands/testing/warehouseServer.ts): Snowflake's 202 with a
 * statement handle and Databricks' PENDING and RUNNING, asked about again until the statement
 * ends, or until the user's bound, when the statement is cancelled and the error names the
 * warehouse, its last status and the statement, never a value; and Databricks' results as links
 * to files in cloud storage, refused by name. The statement runs until the test settles it, on
 * the event of the client's questions; the clients' clock is the test's own, moved by their
 * pauses, so an hour's bound takes no time and nothing sleeps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type RanStatement,
  startWarehouseServer,
  type WarehouseServer,
  type WarehouseServerOptions,
} from './commands/testing/warehouseServer.ts';
import { createDatabricksClient, DATABRICKS_TOKEN_ENV, databricksConnection } from './databricksClient.ts';
import { createSnowflakeClient, SNOWFLAKE_TOKEN_ENV, snowflakeConnection } from './snowflakeClient.ts';
import { createTrinoClient, trinoConnection } from './trinoClient.ts';
import { StatementTimeout, type StatementWait } from './warehouseWait.ts';

/** A statement's answer: two rows of one column. */
const ANSWER: RanStatement = { fields: [{ name: 'n', dataTypeID: 25 }], rows: [['1'], ['2']] };

/** A wait of `seconds` on a clock that only the clients' pauses move. */
function virtualWait(seconds: number): StatementWait & { paused: number[] } {
  let now = 0;
  const paused: number[] = [];
  return {
    limitMs: seconds * 1000,
    now: () => now,
    pause: (ms) => {
      paused.push(ms);
      now += ms;
      return Promise.resolve();
    },
    paused,
  };
}

/** A statement that runs until its `settle` is called. */
function held(): { promise: Promise<RanStatement>; settle: () => void } {
  let settle = () => {};
  const promise = new Promise<RanStatement>((resolve) => {
    settle = () => resolve(ANSWER);
  });
  return { promise, settle };
}

let server: WarehouseServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(options: WarehouseServerOptions): Promise<WarehouseServer> {
  server = await startWarehouseServer(options);
  return server;
}

const ENV = { [SNOWFLAKE_TOKEN_ENV]: 'test-token', [DATABRICKS_TOKEN_ENV]: 'test-token' };

/** Each warehouse whose statements are answered later, its client on the server, and its words. */
const LATER = [
  {
    vendor: 'Snowflake',
    client: (s: WarehouseServer, wait: StatementWait) =>
      createSnowflakeClient(snowflakeConnection(`${s.base}/clinic/raw?warehouse=checks`, ENV), fetch, wait),
    running: 'HTTP 202 (333334)',
    handle: 's1',
  },
  {
    vendor: 'Databricks',
    client: (s: WarehouseServer, wait: StatementWait) =>
      createDatabricksClient(databricksConnection(`${s.base}/clinic/raw?warehouse=abc123`, ENV), fetch, wait),
    running: 'RUNNING',
    handle: 'd1',
  },
];

describe('a statement the warehouse answers later', () => {
  it.each(LATER)('$vendor: asked about again until it has ended, then read', async ({ client, handle }) => {
    const statement = held();
    let polls = 0;
    const s = await serve({
      run: () => statement.promise,
      // the statement ends on the client's second question about it
      onPoll: () => {
        if (++polls === 2) statement.settle();
      },
    });
    const wait = virtualWait(3600);
    const pages: unknown[][] = [];
    const columns = await client(s, wait).query('SELECT n', (page) => {
      pages.push(...page.rows.map((r) => [...r]));
    });
    expect(columns).toEqual(['n']);
    expect(pages).toEqual([['1'], ['2']]);
    expect(polls).toBe(2);
    // a pause before each question, growing
    expect(wait.paused.length).toBeGreaterThanOrEqual(2);
    expect(wait.paused[1]).toBeGreaterThan(wait.paused[0] as number);
    expect(s.cancelled).toEqual([]);
    expect(s.seen.filter((r) => r.url.endsWith(`/${handle}`)).length).toBeGreaterThanOrEqual(3);
  });

  it.each(LATER)(
    '$vendor: past the bound, cancelled, the error naming it, its status and the statement',
    async ({ vendor, client, running, handle }) => {
      const s = await serve({ run: () => held().promise });
      const wait = virtualWait(60);
      const failed = await client(s, wait)
        .query('SELECT n', () => undefined)
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(failed).toBeInstanceOf(StatementTimeout);
      const timeout = failed as StatementTimeout;
      expect({ vendor: timeout.vendor, status: timeout.status, handle: timeout.handle }).toEqual({
        vendor,
        status: running,
        handle,
      });
      expect(timeout.message).toContain(
        `${vendor} had not finished the statement ${handle} after 60 seconds`,
      );
      expect(timeout.message).toContain('--wait');
      expect(s.cancelled).toEqual([handle]);
      // the pauses grow to a bound: a minute is a few questions, not thousands
      expect(wait.paused.reduce((a, b) => a + b, 0)).toBe(60_000);
      expect(wait.paused.length).toBeLessThan(20);
    },
  );

  it('Trino: a query with no columns past the bound is cancelled, its id named', async () => {
    const deleted: string[] = [];
    // a coordinator that keeps the query queued: each question answered at once
    const queued: typeof fetch = async (input, init) => {
      if (init?.method === 'DELETE') deleted.push(String(input));
      return Response.json({
        id: 'q7',
        nextUri: 'http://127.0.0.1:1/v1/statement/queued/q7/1',
        stats: { state: 'QUEUED' },
      });
    };
    let now = 0;
    // each look at the clock a second later
    const wait = { limitMs: 5000, now: () => (now += 1000) };
    const failed = await createTrinoClient(
      trinoConnection('http://analyst@127.0.0.1:1/memory/default'),
      queued,
      wait,
    )
      .query('SELECT 1', () => undefined)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failed).toBeInstanceOf(StatementTimeout);
    expect((failed as StatementTimeout).message).toContain('Trino had not finished the statement q7');
    expect((failed as StatementTimeout).status).toBe('QUEUED');
    expect(deleted).toEqual(['http://127.0.0.1:1/v1/statement/queued/q7/1']);
  });
});

describe('Trino: a query that has planned but sent no rows', () => {
  it('RUNNING with its columns and no data past the bound is cancelled, its id named', async () => {
    const deleted: string[] = [];
    // Trino sends the columns once planning is done, long before an aggregate's rows
    const running: typeof fetch = async (input, init) => {
      if (init?.method === 'DELETE') deleted.push(String(input));
      return Response.json({
        id: 'q8',
        nextUri: 'http://127.0.0.1:1/v1/statement/executing/q8/2',
        columns: [{ name: 'n', type: 'bigint' }],
        stats: { state: 'RUNNING' },
      });
    };
    let now = 0;
    let questions = 0;
    const wait = { limitMs: 5000, now: () => (now += 1000) };
    const failed = await createTrinoClient(
      trinoConnection('http://analyst@127.0.0.1:1/memory/default'),
      (input, init) => {
        // a client that never gives up would ask for ever: stop it here, as a failure
        if (++questions > 100) throw new Error('still asking after 100 questions');
        return running(input, init);
      },
      wait,
    )
      .query('SELECT count(*) AS n FROM visits', () => undefined)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failed).toBeInstanceOf(StatementTimeout);
    expect((failed as StatementTimeout).message).toContain('Trino had not finished the statement q8');
    expect((failed as StatementTimeout).status).toBe('RUNNING');
    expect(deleted).toEqual(['http://127.0.0.1:1/v1/statement/executing/q8/2']);
  });

  it('once rows have come, the bound no longer applies: a long read is not cut short', async () => {
    let page = 0;
    // first page with a row, then ten empty RUNNING pages, then the end
    const slow: typeof fetch = async () => {
      page += 1;
      if (page === 1)
        return Response.json({
          id: 'q9',
          nextUri: 'http://127.0.0.1:1/v1/statement/executing/q9/1',
          columns: [{ name: 'n', type: 'bigint' }],
          data: [[1]],
          stats: { state: 'RUNNING' },
        });
      if (page <= 11)
        return Response.json({
          id: 'q9',
          nextUri: `http://127.0.0.1:1/v1/statement/executing/q9/${page}`,
          columns: [{ name: 'n', type: 'bigint' }],
          stats: { state: 'RUNNING' },
        });
      return Response.json({
        id: 'q9',
        columns: [{ name: 'n', type: 'bigint' }],
        data: [[2]],
        stats: { state: 'FINISHED' },
      });
    };
    let now = 0;
    const wait = { limitMs: 5000, now: () => (now += 1000) };
    const rows: unknown[] = [];
    await createTrinoClient(trinoConnection('http://analyst@127.0.0.1:1/memory/default'), slow, wait).query(
      'SELECT n FROM visits',
      (p) => {
        rows.push(...p.rows.map((r) => r[0]));
      },
    );
    expect(rows).toEqual([1, 2]);
  });
});

describe("Databricks' results as links to cloud storage", () => {
  it('asks for results inline, and refuses links by name without following or saying them', async () => {
    const s = await serve({ run: async () => ANSWER, externalLinks: true });
    const asked: unknown[] = [];
    const recording: typeof fetch = (input, init) => {
      if (init?.method === 'POST') asked.push(JSON.parse(String(init.body)));
      return fetch(input, init);
    };
    const client = createDatabricksClient(
      databricksConnection(`${s.base}/clinic/raw?warehouse=abc123`, ENV),
      recording,
      virtualWait(60),
    );
    const failed = await client
      .query('SELECT n', () => undefined)
      .then(
        () => undefined,
        (error: unknown) => error as Error & { code: string },
      );
    expect(asked).toEqual([expect.objectContaining({ disposition: 'INLINE', format: 'JSON_ARRAY' })]);
    expect(failed?.code).toBe('EXTERNAL_LINKS');
    expect(failed?.message).toContain('links to result files in its cloud storage');
    expect(failed?.message).not.toMatch(/storage\.example|test-secret/);
    expect(s.seen.some((r) => r.url.includes('storage.example'))).toBe(false);
  });
});
