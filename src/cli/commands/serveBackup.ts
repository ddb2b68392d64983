/**
 * `preflight serve backup`: a consistent copy of a team server's records while it runs. The
 * embedded database is copied by the server that holds its folder (src/server/backup.ts), or by
 * this command when none does; PostgreSQL by its own `pg_dump`, which must be installed here
 * (Debian's postgresql-client, of the server's major version or newer).
 */
import { spawn } from 'node:child_process';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { backupDataFolder, logKeyInside, openPostgresDatabase } from '../../server/index.ts';
import { type CliIo, type Command, EXIT_OK, EXIT_USAGE, type ParsedArgs, UsageError } from '../command.ts';
import { storageOf } from './serve.ts';

/**
 * Runs pg_dump in its custom format (what pg_restore reads) into `output`, readable by its owner
 * only (0600): written to a `.partial` file this process creates with that mode and renamed when
 * whole, so the copy is never readable by others, not even while pg_dump writes. Its own words on
 * failure.
 */
async function pgDump(url: string, output: string): Promise<void> {
  const partial = `${output}.partial`;
  await rm(partial, { force: true });
  const file = await open(partial, 'wx', 0o600);
  try {
    await file.chmod(0o600);
    await new Promise<void>((resolve, reject) => {
      const child = spawn('pg_dump', ['--format=custom', '--no-owner', `--dbname=${url}`], {
        stdio: ['ignore', file.fd, 'pipe'],
      });
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (text: string) => {
        stderr += text;
      });
      child.on('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'ENOENT'
            ? new Error(
                'pg_dump is not installed here: install PostgreSQL’s client programs (Debian: postgresql-client) of your server’s major version or newer',
              )
            : error,
        ),
      );
      child.on('close', (code) =>
        code === 0
          ? resolve()
          : reject(new Error(`pg_dump failed: ${stderr.trim().split('\n').at(-1) ?? code}`)),
      );
    });
    await file.sync();
    await file.close();
    await rename(partial, output);
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}

/** Whether the PostgreSQL database at `url` keeps the log key's private half (undefined: could not tell). */
async function postgresKeyInside(url: string): Promise<boolean | undefined> {
  try {
    const db = await openPostgresDatabase(url);
    try {
      return await logKeyInside(db);
    } finally {
      await db.close();
    }
  } catch {
    return undefined;
  }
}

/** What the administrator is told of the log key in a backup. */
function keyNote(keyInside: boolean | undefined): string {
  if (keyInside === undefined)
    return "It may hold the log key's private half (kept in the database unless the server runs with --log-key): keep it as you keep that key.";
  return keyInside
    ? "It holds the log key's private half (the server keeps it in the database): keep it as you keep that key, readable by you only."
    : "It does not hold the log key's private half (kept in the --log-key file): back that file and its .anchor.json up on their own.";
}

/** The `preflight serve backup` command. */
export const serveBackupCommand: Command = {
  name: 'serve backup',
  summary: "copy a team server's records to one file while it runs (restore with serve restore)",
  operands: '',
  options: [
    {
      name: 'data',
      type: 'string',
      valueName: 'dir',
      description: "the embedded database's folder (its server may keep running)",
    },
    {
      name: 'database',
      type: 'string',
      valueName: 'url',
      description: 'your PostgreSQL: copied with pg_dump, which must be installed here',
    },
    {
      name: 'output',
      short: 'o',
      type: 'string',
      valueName: 'file',
      required: true,
      description: 'the backup file to write (outside the --data folder); an existing one is replaced',
    },
  ],
  description: [
    'Writes a consistent copy of the records. The embedded database is copied by the server',
    'running on --data (this command asks it through a request file in the folder and waits),',
    'or by this command when no server runs there: everything committed until then is in it.',
    'PostgreSQL is copied by pg_dump in its custom format (run as a role that may read every',
    'table; restore with pg_restore). Either file is readable by you only (mode 0600), and it',
    'says whether the log key’s private half is inside. Keep backups as you keep the clinic’s',
    'records: they hold everything the server holds. See docs/deployment.md.',
  ].join('\n'),
  notes: 'Exit codes: 0 written, 2 bad usage or no copy could be taken.',
  examples: [
    {
      args: ['--data', 'team-data', '-o', 'preflight-backup.tar.gz'],
      does: 'copy the embedded database in team-data (refused here: the samples hold no server)',
      exits: 2,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.operands.length > 0) throw new UsageError('serve backup takes no file names: give -o <file>');
    const storage = storageOf(args, io);
    const output = path.resolve(io.cwd, args.requiredString('output'));
    try {
      if (storage.kind === 'postgres') {
        await pgDump(storage.url, output);
        io.stdout(`backed up PostgreSQL with pg_dump to ${output} (restore with pg_restore)`);
        io.stdout(keyNote(await postgresKeyInside(storage.url)));
      } else if (storage.kind === 'embedded') {
        const taken = await backupDataFolder(storage.dir, output);
        io.stdout(
          taken.by === 'server'
            ? `backed up ${storage.dir} to ${output}, copied by its running server (process ${taken.pid})`
            : `backed up ${storage.dir} to ${output} (no server was running on it)`,
        );
        io.stdout(keyNote(taken.keyInside));
      } else throw new UsageError('give --data <dir> or --database <url>: the records to copy');
      return EXIT_OK;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      io.stderr(`preflight serve backup: ${error instanceof Error ? error.message : String(error)}`);
      return EXIT_USAGE;
    }
  },
};
