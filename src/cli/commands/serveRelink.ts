/**
 * `preflight serve relink`: moves the team server's people from an old identity provider address
 * (issuer) to a new one, keeping their projects, roles, signing keys and history (src/server
 * relink.ts). A dry run by default: it prints who would move where and who would not, and why;
 * `--apply` makes the move, in one transaction with its audit entries.
 *
 * Constraints: run it with the server stopped — on `--data` it takes the folder's lock, so a
 * running server refuses it; it never migrates the schema (the server does, at start), and it
 * never creates a `--data` folder.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  applyRelink,
  planRelink,
  RELINK_MATCHES,
  type RelinkMatch,
  type RelinkPlan,
} from '../../server/index.ts';
import {
  type CliIo,
  type Command,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
} from '../command.ts';
import { onStoppedServer, storageOf } from './serve.ts';

/** A file every PostgreSQL data folder (PGlite's too) holds. */
const PG_VERSION = 'PG_VERSION';

/** An issuer as the provider names itself (its `iss`, compared exactly as stored). */
function issuerOf(args: ParsedArgs, option: string): string {
  const text = args.requiredString(option).trim();
  if (!URL.canParse(text))
    throw new UsageError(
      `--${option} must be a URL, as the provider names itself: https://login.clinic.example/realms/clinic`,
    );
  return text;
}

/** The plan as lines for a person to read. */
function describePlan(plan: RelinkPlan, applied: boolean): string[] {
  const lines = [
    `${applied ? 'Moved' : 'Would move'} ${plan.moves.length} ${plan.moves.length === 1 ? 'person' : 'people'} from ${plan.fromIssuer} to ${plan.toIssuer} (matched by ${plan.by}):`,
  ];
  for (const move of plan.moves)
    lines.push(
      `  ${move.name}: ${move.fromSubject} → ${move.toSubject}, ${move.projects.length} project${move.projects.length === 1 ? '' : 's'}${move.signedInThere ? ', merged with their sign-in there' : ''}`,
    );
  if (plan.skipped.length > 0) {
    lines.push(`${applied ? 'Left' : 'Would leave'} ${plan.skipped.length} where they are:`);
    for (const skip of plan.skipped) lines.push(`  ${skip.name} (${skip.fromSubject}): ${skip.reason}`);
  }
  if (!applied && plan.moves.length > 0)
    lines.push('Nothing was changed: run again with --apply to move them.');
  return lines;
}

/** The `preflight serve relink` command. */
export const serveRelinkCommand: Command = {
  name: 'serve relink',
  summary: "move the team server's people to a new identity provider address, keeping their history",
  operands: '',
  options: [
    {
      name: 'from-issuer',
      type: 'string',
      valueName: 'url',
      required: true,
      description: 'the issuer people signed in with until now',
    },
    {
      name: 'to-issuer',
      type: 'string',
      valueName: 'url',
      required: true,
      description: 'the issuer they sign in with from now on (the server’s new --issuer)',
    },
    {
      name: 'by',
      type: 'string',
      valueName: 'match',
      description:
        'sub: the same subject (same directory, new address; default); email_verified: the e-mail both providers vouched for',
    },
    { name: 'data', type: 'string', valueName: 'dir', description: 'the server’s embedded database folder' },
    {
      name: 'database',
      type: 'string',
      valueName: 'url',
      description: 'or its PostgreSQL: postgres://user@host:5432/db',
    },
    { name: 'apply', type: 'boolean', description: 'make the move (without it: print what would change)' },
  ],
  description: [
    'A person on the team server is their identity provider’s issuer and subject: after the',
    'provider moves to a new address, everyone who signs in is a new person with no projects.',
    'This moves each person of --from-issuer to --to-issuer with their projects, roles, signing',
    'keys and shared work; the audit log keeps what happened as it happened and records the move.',
    'With --by email_verified each person signs in once with the new provider first. Stop the',
    'server first. Without --apply nothing changes. See docs/cli.md#preflight-serve-relink.',
  ].join('\n'),
  notes:
    'Exit codes: 0 everyone moves (or would), 1 some people cannot be moved (listed, with why), 2 bad usage or the database cannot be opened.',
  examples: [
    {
      args: [
        '--from-issuer',
        'https://adfs.clinic.example/adfs',
        '--to-issuer',
        'https://login.clinic.example/realms/clinic',
        '--data',
        'preflight-data',
      ],
      does: 'print who would move to the new provider address (a folder with no database: nobody)',
      exits: 0,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.operands.length > 0) throw new UsageError('serve relink takes no file names, only options');
    const fromIssuer = issuerOf(args, 'from-issuer');
    const toIssuer = issuerOf(args, 'to-issuer');
    if (fromIssuer === toIssuer)
      throw new UsageError('--from-issuer and --to-issuer are the same: nothing to move');
    const by = (args.string('by') ?? 'sub') as RelinkMatch;
    if (!RELINK_MATCHES.includes(by))
      throw new UsageError(`--by must be one of ${RELINK_MATCHES.join(', ')}`);
    if (args.string('data') === undefined && args.string('database') === undefined)
      throw new UsageError('say where the server keeps its records: --data <dir> or --database postgres://…');
    const storage = storageOf(args, io);
    const apply = args.flag('apply');
    if (storage.kind === 'embedded' && !existsSync(path.join(storage.dir, PG_VERSION))) {
      io.stdout(`There is no team server database in ${storage.dir}: nobody to move.`);
      return apply ? EXIT_USAGE : EXIT_OK;
    }
    return onStoppedServer(storage, io, { command: 'serve relink', afterUpdate: 'relink' }, async (db) => {
      const request = { fromIssuer, toIssuer, by };
      const plan = apply ? await applyRelink(db, request, Date.now()) : await planRelink(db, request);
      for (const line of describePlan(plan, apply)) io.stdout(line);
      return plan.skipped.length > 0 ? EXIT_FINDINGS : EXIT_OK;
    });
  },
};
