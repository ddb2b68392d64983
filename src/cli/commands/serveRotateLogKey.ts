/**
 * `preflight serve rotate-log-key`: rotates the team server's audit log signing key (src/server
 * transparencyLog.ts `rotateLogKey`). The current key signs the handover to a new key, and the
 * log records it as a `log-key-rotated` entry naming the new key and its fingerprint; `GET
 * /api/log/key` then serves both, so every witness holding a head signed by the old key — a
 * member's browser, an earlier export — follows the chain to the new one.
 *
 * Why a subcommand over the records and not a `serve` option: a rotation is one act the clinic's
 * IT does on purpose (a key suspected read, an administrator leaving, a schedule), not a setting;
 * an option left in the service's start command would rotate at every restart. Like `serve
 * relink`, it runs with the server stopped — on `--data` it takes the folder's lock, so a running
 * server refuses it — and it never migrates the schema nor makes a `--data` folder.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { rotateLogKey } from '../../server/index.ts';
import { type CliIo, type Command, EXIT_OK, EXIT_USAGE, type ParsedArgs, UsageError } from '../command.ts';
import { onStoppedServer, storageOf } from './serve.ts';

/** A file every PostgreSQL data folder (PGlite's too) holds. */
const PG_VERSION = 'PG_VERSION';

/** The `preflight serve rotate-log-key` command. */
export const serveRotateLogKeyCommand: Command = {
  name: 'serve rotate-log-key',
  summary: "rotate the team server's audit log signing key: the old key signs over to the new, in the log",
  operands: '',
  options: [
    { name: 'data', type: 'string', valueName: 'dir', description: 'the server’s embedded database folder' },
    {
      name: 'database',
      type: 'string',
      valueName: 'url',
      description: 'or its PostgreSQL: postgres://user@host:5432/db',
    },
    {
      name: 'log-key',
      type: 'string',
      valueName: 'file',
      description:
        'the key file the server is started with (--log-key): the new key replaces it there. Given when the key is in the database, the new key moves out of it to this new file',
    },
  ],
  description: [
    'Makes a new Ed25519 key for signing the audit log’s tree heads. The current key signs the',
    'handover to it, and the audit log records the rotation (log-key-rotated) with the new key and',
    'its fingerprint; GET /api/log/key serves every key, so members’ browsers and earlier exports',
    'follow the chain to the new key, and `preflight signoff verify` refuses a head signed by a key',
    'no recorded rotation leads to. A retired key kept in the database is wiped from it in the same',
    'transaction. Stop every server process first, and start it again after (with the same',
    '--log-key). See docs/cli.md#preflight-serve-rotate-log-key.',
  ].join('\n'),
  notes: 'Exit codes: 0 rotated, 2 bad usage, no server database there, or it cannot be opened.',
  examples: [
    {
      args: ['--data', 'preflight-data', '--log-key', 'log-key.pem'],
      does: 'rotate the key of the server whose records are in preflight-data (none there yet: exit 2)',
      exits: 2,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.operands.length > 0)
      throw new UsageError('serve rotate-log-key takes no file names, only options');
    if (args.string('data') === undefined && args.string('database') === undefined)
      throw new UsageError('say where the server keeps its records: --data <dir> or --database postgres://…');
    const storage = storageOf(args, io);
    const keyOption = args.string('log-key');
    const keyFile = keyOption === undefined ? undefined : path.resolve(io.cwd, keyOption);
    if (storage.kind === 'embedded' && !existsSync(path.join(storage.dir, PG_VERSION))) {
      io.stderr(
        `preflight serve rotate-log-key: there is no team server database in ${storage.dir}: start the server once (it makes its log key), then rotate`,
      );
      return EXIT_USAGE;
    }
    return onStoppedServer(
      storage,
      io,
      { command: 'serve rotate-log-key', afterUpdate: 'rotate' },
      async (db) => {
        const { from, to, wiped } = await rotateLogKey(db, {
          now: Date.now(),
          ...(keyFile === undefined ? {} : { keyFile }),
        });
        io.stdout(`Rotated the team server's audit log signing key:`);
        io.stdout(`  from ${from.keyId} (made ${from.createdAt})`);
        io.stdout(`  to   ${to.keyId} (Ed25519 public key ${to.publicKey})`);
        io.stdout(
          `The earlier key signed the handover; the audit log records it (log-key-rotated), and GET /api/log/key serves all ${to.history.length} keys.`,
        );
        io.stdout(
          keyFile === undefined
            ? 'The new private key is kept in the database, like the key before. Start the server again.'
            : `The new private key is in ${keyFile} (readable by this user only). Start the server again with --log-key ${keyOption}.`,
        );
        if (wiped)
          io.stdout(
            "The retired key's private half is wiped from the database: nobody can sign with it there (a backup made before still holds it).",
          );
        io.stdout(
          'Tell the team: a fingerprint on paper (the "to" line above) lets anyone check the key an export names.',
        );
        return EXIT_OK;
      },
    );
  },
};
