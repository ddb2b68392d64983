/**
 * A throwaway PostgreSQL server for tests: a fresh cluster in a temporary folder, reachable only
 * through a Unix socket in that folder (no TCP port), stopped and deleted by `stop`. It runs
 * Debian's `postgresql` package, which `.ci/run` installs; as root the server runs as the
 * `postgres` user, as PostgreSQL refuses to run as root.
 *
 * A cluster costs seconds of CPU (initdb, a start, a stop), so unit test files share their test
 * worker's one server (`testPostgres`), each in a database of its own; `startPostgres` starts a
 * server for a caller who needs one to itself.
 *
 * A worker's server is stopped by the run, not by the worker: the unit suite's files run in worker
 * threads, which get no 'exit' or signal of their own when the runner ends them, and a stop that
 * waits synchronously inside a thread's end can hold the whole run. Each worker lists its server in
 * the folder the run's global set-up made (`$PREFLIGHT_PG_CLUSTERS`), and that set-up's teardown
 * stops them, asynchronously, in the runner's own process (tests/setup/postgresClusters.ts). When
 * the process ends in any other way, a watcher outside it stops the server (`watchOwner`).
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** The folder of Debian's PostgreSQL programs (the newest version installed), if any. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], 'bin');
}

export interface TestPostgres {
  /** the address a client such as `pg` connects with (the socket folder as `?host=`), to database `db` */
  url(db?: string): string;
  /** runs one statement; the rows as text by column name */
  query(sql: string): Promise<Record<string, string>[]>;
  /** creates `table` with a row number column and text columns, and copies a CSV file into it */
  loadCsv(table: string, file: string, header: readonly string[], rowColumn: string): Promise<void>;
  stop(): Promise<void>;
}

const quote = (name: string) => `"${name.split('"').join('""')}"`;

/** Where a cluster is and whose it is: all that stopping it needs. */
interface ClusterPlace {
  /** the PostgreSQL programs' folder */
  bin: string;
  /** the temporary folder that holds the data folder, the socket and the log */
  dir: string;
  data: string;
  /** whether the server runs as the `postgres` user (this process is root) */
  asRoot: boolean;
}

/** A running cluster: its socket folder, psql on one of its databases, and its stop. */
interface Cluster {
  place: ClusterPlace;
  dir: string;
  psql(db: string, args: string[]): Promise<{ stdout: string }>;
  stop(): Promise<void>;
}

/** The variable naming the folder where test workers list their servers for the run to stop. */
export const CLUSTER_LIST_ENV = 'PREFLIGHT_PG_CLUSTERS';

/** How long one server's stop may take at the run's end before it is left to its watcher. */
const STOP_BOUND_MS = 60_000;

/** Runs one of the PostgreSQL programs, as the `postgres` user when this process is root. */
function runServerProgram(place: ClusterPlace, program: string, args: string[], timeout?: number) {
  const command = path.join(place.bin, program);
  return place.asRoot
    ? run('runuser', ['-u', 'postgres', '--', command, ...args], { timeout })
    : run(command, args, { timeout });
}

/** Stops the server (at once: its databases are throwaway) and deletes its folder. */
async function stopCluster(place: ClusterPlace): Promise<void> {
  await runServerProgram(
    place,
    'pg_ctl',
    ['-D', place.data, '-m', 'immediate', '-w', 'stop'],
    STOP_BOUND_MS,
  ).catch(() => undefined);
  await rm(place.dir, { recursive: true, force: true });
}

/**
 * Stops every server listed in `listDir` by test workers, side by side, and empties the list: the
 * run's teardown (tests/setup/postgresClusters.ts). A server already stopped costs a `pg_ctl` that
 * finds none.
 */
export async function stopListedClusters(listDir: string): Promise<void> {
  const names = await readdir(listDir).catch(() => [] as string[]);
  await Promise.all(
    names.map(async (name) => {
      const entry = path.join(listDir, name);
      const place = JSON.parse(await readFile(entry, 'utf8')) as ClusterPlace;
      await stopCluster(place);
      await rm(entry, { force: true });
    }),
  );
}

/** The view of one database of `cluster` that a test uses; `stop` is `drop`. */
function testPostgresOn(cluster: Cluster, database: string, drop: () => Promise<void>): TestPostgres {
  const psql = (args: string[]) => cluster.psql(database, args);
  const url = (db = database) =>
    `postgres://preflight@localhost/${db}?host=${encodeURIComponent(cluster.dir)}`;
  // one connection for the statements, opened at the first: a psql process and a server backend
  // per statement cost tens of milliseconds of CPU each. Every value comes back as PostgreSQL's
  // text, and NULL as an empty cell, as `psql --csv` gives them.
  let client: Promise<pg.Client> | undefined;
  const connected = () => {
    client ??= (async () => {
      const opened = new pg.Client({ connectionString: url(), types: { getTypeParser: () => asText } });
      await opened.connect();
      return opened;
    })();
    return client;
  };
  return {
    url,
    async query(sql) {
      const results: pg.QueryResult | pg.QueryResult[] = await (await connected()).query(sql);
      // several statements: the rows of the last, as psql prints
      const last = Array.isArray(results) ? results.at(-1) : results;
      return (last?.rows ?? []).map((row: Record<string, string | null>) =>
        Object.fromEntries(Object.entries(row).map(([name, value]) => [name, value ?? ''])),
      );
    },
    async loadCsv(table, file, header, rowColumn) {
      const columns = header.map((c) => `${quote(c)} text`).join(', ');
      // docs/scale.md's recipe: an identity column numbers the records in the order one COPY into
      // a new table reads them, so it is the data row, 1-based
      await psql([
        '-c',
        `CREATE TABLE ${quote(table)} (${quote(rowColumn)} bigint GENERATED ALWAYS AS IDENTITY, ${columns})`,
      ]);
      const names = header.map(quote).join(', ');
      await psql([
        '-c',
        `\\copy ${quote(table)} (${names}) FROM '${file.split("'").join("''")}' WITH (FORMAT csv, HEADER true)`,
      ]);
    },
    async stop() {
      const open = client;
      client = undefined;
      await (await open?.catch(() => undefined))?.end();
      await drop();
    },
  };
}

const asText = (text: string) => text;

/** Starts a server in a new cluster (a few seconds), its own to the caller until `stop`. */
export async function startPostgres(bin: string): Promise<TestPostgres> {
  const cluster = await startCluster(bin);
  return testPostgresOn(cluster, 'postgres', () => cluster.stop());
}

/** This worker's server: a module of its own per worker thread, each with its own server. */
let processCluster: Promise<Cluster> | undefined;

/**
 * A database of its own on this test worker's one server, which starts at the first call and stops
 * at the end of the run (or of the process); `stop` drops the database. Its name is random, so
 * files that share the server never meet.
 */
export async function testPostgres(bin: string): Promise<TestPostgres> {
  if (processCluster === undefined) {
    processCluster = startCluster(bin);
    const { place } = await processCluster;
    // for the run's teardown to stop; outside a run that lists them, the watcher stops it
    const listDir = process.env[CLUSTER_LIST_ENV];
    if (listDir) writeFileSync(path.join(listDir, `${path.basename(place.dir)}.json`), JSON.stringify(place));
  }
  const cluster = await processCluster;
  const database = `test_${randomBytes(6).toString('hex')}`;
  await cluster.psql('postgres', ['-c', `CREATE DATABASE ${database}`]);
  return testPostgresOn(cluster, database, async () => {
    await cluster.psql('postgres', ['-c', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`]);
  });
}

async function startCluster(bin: string): Promise<Cluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'preflight-pg-'));
  const place: ClusterPlace = { bin, dir, data: path.join(dir, 'data'), asRoot: userInfo().uid === 0 };
  // as root, the cluster belongs to the postgres user, who needs the folder
  if (place.asRoot) {
    const { uid, gid } = await ids();
    await chown(dir, uid, gid);
  }
  await runServerProgram(place, 'initdb', [
    '-D',
    place.data,
    '-A',
    'trust',
    '-U',
    'preflight',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  await runServerProgram(place, 'pg_ctl', [
    '-D',
    place.data,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-o',
    `-k ${dir} -c listen_addresses='' -F`,
    'start',
  ]);
  watchOwner(place);
  return {
    place,
    dir,
    psql: (db, args) =>
      run(
        path.join(bin, 'psql'),
        ['-h', dir, '-U', 'preflight', '-d', db, '-X', '-v', 'ON_ERROR_STOP=1', ...args],
        {
          maxBuffer: 64 * 1024 * 1024,
        },
      ),
    stop: () => stopCluster(place),
  };
}

/**
 * Stops the cluster and deletes its folder when this process ends in any way, a SIGKILL included
 * (a test runner that kills a worker at teardown): a detached shell holds the read end of a pipe
 * whose write end only this process has, so the pipe's end of file is this process's end. The
 * shell does nothing until then; after a normal `stop` its `pg_ctl` finds no server and `rm`
 * finds no folder.
 */
function watchOwner({ bin, dir, data, asRoot }: ClusterPlace): void {
  const pgCtl = path.join(bin, 'pg_ctl');
  const stop = `${asRoot ? 'runuser -u postgres -- ' : ''}"$0" -D "$1" -m immediate -w stop`;
  const watcher = spawn(
    'sh',
    ['-c', `cat > /dev/null; ${stop} > /dev/null 2>&1; rm -rf "$2"`, pgCtl, data, dir],
    {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  watcher.unref();
  // the pipe stays open for the process's life but never keeps the event loop alive by itself
  (watcher.stdin as unknown as { unref(): void }).unref();
}

async function ids(): Promise<{ uid: number; gid: number }> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}
