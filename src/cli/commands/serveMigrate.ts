/**
 * `preflight serve migrate`: brings a team server's schema up to date without starting it, run
 * by the tables' owner at install and at each upgrade (after a backup). On PostgreSQL it then
 * grants the server's own role (`--grant-to`) what it needs and no more, so the server runs as a
 * role that cannot disable the audit log's append-only trigger (src/server/databaseRoles.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  appliedVersions,
  type Database,
  grantRuntimeRole,
  lockDataFolder,
  MIGRATIONS,
  migrate,
  openStorage,
} from '../../server/index.ts';
import { type CliIo, type Command, EXIT_OK, EXIT_USAGE, type ParsedArgs, UsageError } from '../command.ts';
import { describeStorage, storageOf } from './serve.ts';

const versionsText = (versions: readonly number[]) => (versions.length === 0 ? 'none' : versions.join(', '));

async function pendingOf(db: Database): Promise<number[]> {
  const applied = new Set(await appliedVersions(db).catch(() => [] as number[]));
  return MIGRATIONS.filter((m) => !applied.has(m.version)).map((m) => m.version);
}

/** The `preflight serve migrate` command. */
export const serveMigrateCommand: Command = {
  name: 'serve migrate',
  summary: "bring a team server's database schema up to date (as the tables' owner), then grant its role",
  operands: '',
  options: [
    {
      name: 'data',
      type: 'string',
      valueName: 'dir',
      description: "the embedded database's folder (stop its server first)",
    },
    {
      name: 'database',
      type: 'string',
      valueName: 'url',
      description: "your PostgreSQL, as the tables' owner: postgres://preflight_owner@host:5432/db",
    },
    {
      name: 'grant-to',
      type: 'string',
      valueName: 'role',
      description: 'PostgreSQL: the role the server runs as; granted rows only (the audit log: read and add)',
    },
    {
      name: 'pending',
      type: 'boolean',
      description: 'say which migrations this Preflight would apply, and change nothing',
    },
  ],
  description: [
    'Applies the schema migrations a database has not had yet, each in one transaction, as',
    '"preflight serve" does at start. On PostgreSQL run it as the role that owns the tables, with',
    '--grant-to naming the role the server connects as: that role may read and write rows but',
    'never alter a table, so it cannot switch off the audit log’s append-only trigger. Run it',
    'again after each upgrade, before starting the new server. See docs/deployment.md.',
  ].join('\n'),
  notes: 'Exit codes: 0 migrated (or nothing pending), 2 bad usage or the database could not be migrated.',
  examples: [
    {
      args: ['--data', 'new-team-data', '--pending'],
      does: 'say which migrations a first start would apply to a new folder (changes nothing)',
      exits: 0,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.operands.length > 0) throw new UsageError('serve migrate takes no file names, only options');
    const storage = storageOf(args, io);
    const grantTo = args.string('grant-to');
    if (grantTo !== undefined && storage.kind !== 'postgres')
      throw new UsageError(
        '--grant-to is for PostgreSQL (--database): the embedded database has one user, who holds everything',
      );
    if (
      storage.kind === 'embedded' &&
      !existsSync(path.join(storage.dir, 'PG_VERSION')) &&
      args.flag('pending')
    ) {
      io.stdout(
        `no database in ${storage.dir} yet: a first start applies migrations ${versionsText(MIGRATIONS.map((m) => m.version))}`,
      );
      return EXIT_OK;
    }
    let lock: ReturnType<typeof lockDataFolder> | undefined;
    let db: Database | undefined;
    try {
      lock = storage.kind === 'embedded' ? lockDataFolder(storage.dir) : undefined;
      db = await openStorage(storage);
      if (args.flag('pending')) {
        io.stdout(`${describeStorage(storage)}: migrations pending ${versionsText(await pendingOf(db))}`);
        return EXIT_OK;
      }
      const applied = await migrate(db);
      io.stdout(`${describeStorage(storage)}: migrations applied ${versionsText(applied)}`);
      if (grantTo !== undefined) {
        await grantRuntimeRole(db, grantTo);
        io.stdout(`granted ${grantTo} its rows (audit log and review decisions: read and add only)`);
      }
      return EXIT_OK;
    } catch (error) {
      io.stderr(`preflight serve migrate: ${error instanceof Error ? error.message : String(error)}`);
      return EXIT_USAGE;
    } finally {
      await db?.close();
      lock?.release();
    }
  },
};
