/**
 * `preflight serve restore`: puts a backup of the embedded database (`serve backup --data`) into
 * a folder a server can start on, after checking that the copy opens and its audit log's chain
 * is whole. A PostgreSQL backup is restored with pg_restore (docs/deployment.md).
 */
import path from 'node:path';
import { restoreDataFolder } from '../../server/index.ts';
import { type CliIo, type Command, EXIT_OK, EXIT_USAGE, type ParsedArgs, UsageError } from '../command.ts';

/** The `preflight serve restore` command. */
export const serveRestoreCommand: Command = {
  name: 'serve restore',
  summary: 'restore a serve backup of the embedded database into a folder a server can start on',
  operands: '<file>',
  options: [
    {
      name: 'data',
      type: 'string',
      valueName: 'dir',
      required: true,
      description: 'the folder to restore into: new or empty, unless --replace',
    },
    {
      name: 'replace',
      type: 'boolean',
      description: 'overwrite a folder that holds records (no server may be running on it)',
    },
  ],
  description: [
    'Opens the backup in a folder beside --data, checks that it holds a Preflight schema and that',
    'its audit log’s chain is whole, and only then moves it into --data. Start the server on',
    'that folder as before; it brings an older copy’s schema up to date at start. A PostgreSQL',
    'backup (pg_dump) is restored with pg_restore. See docs/deployment.md.',
  ].join('\n'),
  notes: 'Exit codes: 0 restored, 2 bad usage, a folder that is not empty, or a copy that is not whole.',
  examples: [
    {
      args: ['preflight-backup.tar.gz', '--data', 'restored-team-data'],
      does: 'restore a backup into a new folder (refused here: the samples hold no backup)',
      exits: 2,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const [file, ...more] = args.operands;
    if (file === undefined || more.length > 0)
      throw new UsageError('give one backup file: preflight serve restore <file> --data <dir>');
    const dir = path.resolve(io.cwd, args.requiredString('data'));
    try {
      const summary = await restoreDataFolder(path.resolve(io.cwd, file), dir, {
        replace: args.flag('replace'),
      });
      io.stdout(
        `restored into ${dir}: schema version ${Math.max(0, ...summary.versions)}, ${summary.auditEntries} audit log entries, chain whole`,
      );
      return EXIT_OK;
    } catch (error) {
      io.stderr(`preflight serve restore: ${error instanceof Error ? error.message : String(error)}`);
      return EXIT_USAGE;
    }
  },
};
