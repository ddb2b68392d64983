/**
 * `preflight serve backup`: a consistent copy of a team server's records while it runs. The
 * embedded database is copied by the server that holds its folder (src/server/backup.ts), or by
 * this command when none does; PostgreSQL by its own `pg_dump`, which must be installed here
 * (Debian's postgresql-client, of the server's major version or newer).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { backupDataFolder } from '../../server/index.ts';
import { type CliIo, type Command, EXIT_OK, EXIT_USAGE, type ParsedArgs, UsageError } from '../command.ts';
import { storageOf } from './serve.ts';

/** Runs pg_dump in its custom format (what pg_restore reads); its own words on failure. */
function pgDump(url: string, output: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('pg_dump', ['--format=custom', '--no-owner', `--file=${output}`, `--dbname=${url}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
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
    'table; restore with pg_restore). Keep backups as you keep the clinic’s records: they hold',
    'everything the server holds. See docs/deployment.md.',
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
      } else if (storage.kind === 'embedded') {
        const taken = await backupDataFolder(storage.dir, output);
        io.stdout(
          taken.by === 'server'
            ? `backed up ${storage.dir} to ${output}, copied by its running server (process ${taken.pid})`
            : `backed up ${storage.dir} to ${output} (no server was running on it)`,
        );
      } else throw new UsageError('give --data <dir> or --database <url>: the records to copy');
      return EXIT_OK;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      io.stderr(`preflight serve backup: ${error instanceof Error ? error.message : String(error)}`);
      return EXIT_USAGE;
    }
  },
};
