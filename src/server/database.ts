/**
 * One small query interface over the two storage engines the server runs on: the embedded default
 * (PGlite, PostgreSQL compiled to WebAssembly, in this process, its files under `--data <dir>`) and
 * the clinic's own PostgreSQL (`--database postgres://…`, through `pg`). Both speak the same SQL,
 * so the migrations and every query are written once and tested on both.
 *
 * Constraints: parameters are always bound (`$1`, `$2`…), never spliced into the text; a
 * transaction holds one connection for its whole callback, so statements inside it must use the
 * `Queryable` it is given, not the database.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** What a statement returns: its rows, by column name. */
export type Row = Record<string, unknown>;

/** Runs statements: the database itself, or one transaction of it. */
export interface Queryable {
  /** one statement with bound parameters; its rows */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** several statements with no parameters (a migration's SQL) */
  exec(sql: string): Promise<void>;
}

/** A database the server stores its records in. */
export interface Database extends Queryable {
  /** which engine, for the start-up line and the health check */
  readonly engine: 'embedded' | 'postgres';
  /**
   * where it is, as a log line for IT names it: `host:port/database` of the clinic's PostgreSQL
   * (never its user or password), the embedded database's folder; absent in memory
   */
  readonly where?: string;
  /** runs `work` in one transaction: committed when it resolves, rolled back when it throws */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * the embedded database's folder as a gzipped tar (PGlite's `dumpDataDir`), taken between two
   * statements: what a crash at that instant would leave, which PostgreSQL recovers from; absent
   * on PostgreSQL (pg_dump backs it up) and on a shared test instance
   */
  dumpDataDir?(): Promise<Uint8Array>;
  /**
   * hears `NOTIFY` on `channel` (an identifier, never a request's value) from every process on
   * this database, on a connection of its own, connecting again when it drops; the clinic's
   * PostgreSQL only — the embedded database has one server process (its folder is locked)
   */
  listen?(channel: string, onPayload: (payload: string) => void): Promise<Listening>;
  close(): Promise<void>;
}

/** A {@link Database.listen} in progress. */
export interface Listening {
  close(): Promise<void>;
}

/** The database did not answer within the time given (the health check's probe). */
export class DatabaseSilent extends Error {
  override name = 'DatabaseSilent';
  constructor(readonly withinMs: number) {
    super(`the database did not answer within ${withinMs / 1000} s`);
  }
}

/**
 * Resolves when the database answers a statement (the health check's probe); throws when it does
 * not, or ({@link DatabaseSilent}) when it has not answered within `withinMs`: an embedded
 * database that failed to write its WAL on a full disk stops answering rather than failing.
 */
export async function databaseAnswers(q: Queryable, withinMs?: number): Promise<void> {
  if (withinMs === undefined) {
    await q.query('SELECT 1');
    return;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      q.query('SELECT 1'),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DatabaseSilent(withinMs)), withinMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** How long a dropped listening connection waits before connecting again. */
const LISTEN_RETRY_MS = 2_000;

/**
 * The embedded database under `dir` (created when missing), or in memory when `dir` is undefined
 * (`preflight serve --check`, tests); in memory, `image` is a database to start as a copy of (a
 * gzipped tar `dumpDataDir` wrote), which skips PGlite's initdb.
 */
export async function openEmbeddedDatabase(dir?: string, image?: Blob): Promise<Database> {
  if (dir !== undefined) await mkdir(dir, { recursive: true });
  if (dir === undefined && image !== undefined)
    return embeddedDatabaseOver(await PGlite.create({ loadDataDir: image }));
  const db = embeddedDatabaseOver(await PGlite.create(dir === undefined ? undefined : dir));
  return dir === undefined ? db : { ...db, where: dir };
}

/**
 * A {@link Database} over an open PGlite instance. With `shared`, closing it leaves the instance
 * open: tests start PGlite once per file (its start is seconds of WebAssembly set-up) and give
 * each case its own schema.
 */
export function embeddedDatabaseOver(db: PGlite, { shared = false } = {}): Database {
  // PGlite runs one statement at a time on one connection: a transaction is that connection's
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      return (await q.query<T>(sql, [...params])).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    engine: 'embedded',
    ...wrap(db),
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    ...(shared
      ? {}
      : {
          async dumpDataDir() {
            // a checkpoint first: the copy then needs little WAL replayed when it is opened
            await db.exec('CHECKPOINT');
            return new Uint8Array(await (await db.dumpDataDir('gzip')).arrayBuffer());
          },
        }),
    close: () => (shared ? Promise.resolve() : db.close()),
  };
}

/**
 * The tables whose look-ups of one record choose their index by the planner's statistics: a
 * review's records and its decisions, each read through one of several indexes that begin with
 * the project and the review.
 */
const ANALYZED_TABLES = ['review_records', 'review_decisions'] as const;

/**
 * Refreshes the planner's statistics of {@link ANALYZED_TABLES} on the embedded database, which
 * runs no autovacuum (PGlite is PostgreSQL's single-user mode, with no background workers). Never
 * analyzed, its planner reads one record of a review, or that record's decisions, through the
 * first two columns of another index: every row of the review, so what a decision costs grows
 * with the review (tests/bench/RESULTS.md). PostgreSQL's autovacuum does this
 * itself; there this does nothing. The server's sweep runs it, at start and every few minutes:
 * ANALYZE samples at most 30,000 rows a table, tens of milliseconds at census size.
 */
export async function analyzeEmbedded(db: Database): Promise<void> {
  if (db.engine === 'embedded') await db.exec(`ANALYZE ${ANALYZED_TABLES.join(', ')}`);
}

/**
 * Rows one write adds to {@link ANALYZED_TABLES} from which the server refreshes their statistics
 * as soon as it has committed: a review sent to reviewers, a packet's decisions. Below it a write
 * changes the tables' size too little to turn a plan (a reviewer's few decisions), and ANALYZE,
 * tens of milliseconds, would double what her request costs; the sweep and autovacuum catch up
 * with those. 100 is a fifth of a packet's bound and a review of 100 records is where the review
 * prefix of another index, read without statistics, costs a decision more than its own look-up.
 */
export const ROWS_WORTH_ANALYZING = 100;

/**
 * Refreshes the statistics of {@link ANALYZED_TABLES} after a committed write added `added` rows
 * to them, on both engines, when that is at least {@link ROWS_WORTH_ANALYZING}: without it the
 * planner reads a record of the grown review through another index's (project, review) prefix
 * until PostgreSQL's first autoanalyze or the embedded database's next sweep, so the next
 * decisions cost what the review's size does. Run outside the write's transaction (ANALYZE takes
 * a lock that lets inserts go on, and held inside the transaction would lengthen it); never
 * throws: the write stands, and a failure is logged with its cause (no record content: ANALYZE
 * reads no value into its message). A login that does not own the tables is skipped by
 * PostgreSQL with a warning, and autovacuum, run as the owner, does it later.
 */
export async function analyzeAfterLargeWrite(
  db: Queryable,
  added: number,
  log: { warn(detail: object, message: string): void },
): Promise<void> {
  if (added < ROWS_WORTH_ANALYZING) return;
  try {
    await db.exec(`ANALYZE ${ANALYZED_TABLES.join(', ')}`);
  } catch (error) {
    log.warn(
      { cause: error instanceof Error ? error.message : String(error), rowsAdded: added },
      'the review tables’ statistics could not be refreshed after a large write: the next decisions may be slower until the next sweep',
    );
  }
}

/** The clinic's PostgreSQL at `url` (`postgres://user@host/db`; a socket folder as `?host=/path`). */
export async function openPostgresDatabase(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  // an idle connection the server ends (a restart, an administrator's termination) is an 'error'
  // on the pool, which would end this process unheard; the pool drops it and the next query opens another
  pool.on('error', () => undefined);
  // a wrong address or password is said at start, not at the first sign-in
  const probe = await pool.connect();
  probe.release();
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      return (await q.query<T>(sql, [...params])).rows;
    },
    // without parameters pg sends the simple protocol, which takes several statements
    async exec(sql: string) {
      await q.query(sql);
    },
  });
  return {
    engine: 'postgres',
    where: postgresPlace(url),
    ...wrap(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    listen: (channel, onPayload) => listenOn(url, channel, onPayload),
    close: () => pool.end(),
  };
}

/**
 * `host:port/database` of a PostgreSQL URL, the socket folder as its host: what names the database
 * to IT, never its user or password.
 */
export function postgresPlace(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    const host = parsed.searchParams.get('host') ?? parsed.hostname;
    const port = parsed.port === '' ? '' : `:${parsed.port}`;
    return `${host}${port}${parsed.pathname}`;
  } catch {
    return undefined;
  }
}

/** LISTEN on `channel` of `url` through a client of its own, connected again after a drop. */
async function listenOn(
  url: string,
  channel: string,
  onPayload: (payload: string) => void,
): Promise<Listening> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  let closed = false;
  let client: pg.Client | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    let dropped = false;
    const drop = () => {
      if (dropped) return;
      dropped = true;
      next.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => connect().catch(() => undefined), LISTEN_RETRY_MS);
    };
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
    });
    next.on('error', drop);
    next.on('end', drop);
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (error) {
      drop();
      throw error;
    }
  };
  try {
    await connect();
  } catch (error) {
    closed = true;
    clearTimeout(retry);
    throw error;
  }
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}

/** Connections to the clinic's PostgreSQL: a team of tens of people needs few. */
const POOL_SIZE = 10;
