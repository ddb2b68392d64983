/**
 * A throwaway PostgreSQL server for tests: a fresh cluster in a temporary folder, reachable only
 * through a Unix socket in that folder (no TCP port), stopped and deleted by `stop`. It runs
 * Debian's `postgresql` package, which `.ci/run` installs; as root the server runs as the
 * `postgres` user, as PostgreSQL refuses to run as root.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Papa from 'papaparse';

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

/** Starts a server in a new cluster (a few seconds). */
export async function startPostgres(bin: string): Promise<TestPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), 'preflight-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  // as root, the cluster belongs to the postgres user, who needs the folder
  const server = async (program: string, args: string[]) => {
    const command = path.join(bin, program);
    if (!asRoot) return run(command, args);
    const { uid, gid } = await ids();
    await chown(dir, uid, gid);
    return run('runuser', ['-u', 'postgres', '--', command, ...args]);
  };
  await server('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'preflight',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  await server('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-o',
    `-k ${dir} -c listen_addresses='' -F`,
    'start',
  ]);
  const psql = (args: string[]) =>
    run(
      path.join(bin, 'psql'),
      ['-h', dir, '-U', 'preflight', '-d', 'postgres', '-X', '-v', 'ON_ERROR_STOP=1', ...args],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  return {
    url: (db = 'postgres') => `postgres://preflight@localhost/${db}?host=${encodeURIComponent(dir)}`,
    async query(sql) {
      const { stdout } = await psql(['--csv', '-c', sql]);
      const parsed = Papa.parse<Record<string, string>>(stdout, { header: true, skipEmptyLines: true });
      return parsed.data;
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
      await server('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function ids(): Promise<{ uid: number; gid: number }> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}
