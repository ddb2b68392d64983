/**
 * `preflight serve`: the team server for one go-live (src/server), as one Node process on the
 * clinic's own network. It serves the built app and its API, keeps its records in the embedded
 * database under `--data <dir>` or in the clinic's PostgreSQL (`--database`), and stops cleanly
 * on SIGTERM or Ctrl-C: requests in flight finish, then the database closes.
 *
 * Constraints: it speaks plain HTTP and listens on loopback unless told otherwise — TLS is the
 * clinic's proxy's job; its origin is `--public-url` (required off loopback), never a request's
 * Host, and only the proxies `--trust-proxy` names are believed about clients; a database password is never an option value (ps would show it): pg reads
 * it from PGPASSWORD or ~/.pgpass.
 */
import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  appliedVersions,
  type ClockHosts,
  clocksPastBound,
  type Database,
  DataLockedError,
  type IdentityConfig,
  LOG_LEVELS,
  type LogLevel,
  lockDataFolder,
  MIGRATIONS,
  openStorage,
  type RunningServer,
  STOP_GRACE_MS,
  type Storage,
  startServer,
} from '../../server/index.ts';
import { type CliIo, type Command, EXIT_OK, EXIT_USAGE, type ParsedArgs, UsageError } from '../command.ts';

/** The port a team server listens on when none is given. */
const DEFAULT_SERVE_PORT = 8080;
const MAX_PORT = 65_535;

/** The built app beside this installation (`npm run build` writes it). */
const BUILT_APP = fileURLToPath(new URL('../../../dist', import.meta.url));

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** The client secret at the identity provider: from the environment, never a command line. */
const CLIENT_SECRET_ENV = 'PREFLIGHT_OIDC_CLIENT_SECRET';

/**
 * For tests only: set to `1`, the server checks each of its answers and refusals against its
 * route's contract, as every server the tests start in their own process does (a check per
 * answer costs every request, so a clinic's server does not). A test that starts `preflight
 * serve` as a child process sets it; the contract test's scan holds that each one does. Not an
 * option, so it is never in `--help`: nothing a clinic runs should set it.
 */
export const CHECK_ANSWERS_FOR_TESTS_ENV = 'PREFLIGHT_CHECK_ANSWERS_FOR_TESTS';

/** Whether `env` asks the server to check its answers ({@link CHECK_ANSWERS_FOR_TESTS_ENV}). */
export function answersCheckedForTests(env: NodeJS.ProcessEnv): boolean {
  return env[CHECK_ANSWERS_FOR_TESTS_ENV] === '1';
}

function identityOf(args: ParsedArgs, insecureHttp: boolean): IdentityConfig | undefined {
  const issuer = args.string('issuer');
  const clientId = args.string('client-id');
  if (issuer === undefined && clientId === undefined) {
    if (args.string('role-claim') !== undefined)
      throw new UsageError(
        '--role-claim reads a claim of your identity provider: give --issuer and --client-id too',
      );
    if (args.string('scope') !== undefined)
      throw new UsageError(
        '--scope asks your identity provider for scopes: give --issuer and --client-id too',
      );
    return undefined;
  }
  if (issuer === undefined || clientId === undefined)
    throw new UsageError(
      'give both --issuer and --client-id: the identity provider and Preflight’s client id there',
    );
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new UsageError('--issuer must be a URL: https://login.clinic.example/realms/clinic');
  }
  const loopback = LOOPBACK.has(url.hostname.replace(/^\[|\]$/g, ''));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && insecureHttp && loopback))
    throw new UsageError(
      '--issuer must be an https:// address (plain http only on loopback with --insecure-http-for-testing)',
    );
  const clientSecret = process.env[CLIENT_SECRET_ENV] || undefined;
  const roleClaim = args.string('role-claim');
  const scopes = scopesOf(args.string('scope'));
  return {
    issuer,
    clientId,
    clientSecret,
    allowHttp: url.protocol === 'http:',
    ...(roleClaim === undefined ? {} : { roleClaim }),
    ...(scopes.length === 0 ? {} : { scopes }),
  };
}

/** A scope's characters (RFC 6749 §3.3): printable ASCII but space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** `--scope`: scopes separated by commas or spaces (`groups`, `groups,roles`). */
function scopesOf(value: string | undefined): string[] {
  if (value === undefined) return [];
  const scopes = value.split(/[\s,]+/).filter((s) => s !== '');
  const bad = scopes.find((s) => !SCOPE_TOKEN.test(s));
  if (scopes.length === 0 || bad !== undefined)
    throw new UsageError(
      `--scope takes scope names separated by commas (--scope groups,roles)${bad === undefined ? '' : `: “${bad}” is not one`}`,
    );
  return scopes;
}

function logLevelOf(args: ParsedArgs): LogLevel {
  const level = args.string('log-level') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  return level as LogLevel;
}

/**
 * `--public-url`: the address people open, an origin only (Preflight is served at the root).
 * Required off loopback and behind a proxy; plain http only for a loopback name (browsers keep
 * signing keys and crypto to secure pages).
 */
function publicUrlOf(args: ParsedArgs, host: string): string | undefined {
  const text = args.string('public-url');
  if (text === undefined) {
    if (!LOOPBACK.has(host))
      throw new UsageError(
        `--host ${host} listens off loopback: give --public-url, the address people open (https://preflight.clinic.org)`,
      );
    if (args.string('trust-proxy') !== undefined)
      throw new UsageError(
        '--trust-proxy puts a proxy in front: give --public-url, the address people open through it (https://preflight.clinic.org)',
      );
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('--public-url must be a URL: https://preflight.clinic.org');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError('--public-url must be an https:// address: https://preflight.clinic.org');
  if (
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== ''
  )
    throw new UsageError(
      `--public-url is an origin only, without a path or query: ${url.origin} (Preflight is served at the root)`,
    );
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname.replace(/^\[|\]$/g, '')))
    throw new UsageError(
      '--public-url must be an https:// address (plain http only for a loopback name such as localhost): browsers keep sign-in cookies and signing keys to secure pages',
    );
  return url.origin;
}

/** Names of address ranges `--trust-proxy` takes besides addresses and CIDR ranges. */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
/** What a bare `--trust-proxy` trusts: a proxy on this machine. */
const BARE_TRUST_PROXY = 'loopback';

/**
 * `--trust-proxy`: the proxies' addresses, CIDR ranges and range names. Not a hop count: a count
 * cannot tell the clinic's proxy from a client that reaches the server directly.
 */
export function trustProxyOf(args: ParsedArgs): string[] | undefined {
  const text = args.string('trust-proxy');
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text))
    throw new UsageError(
      "--trust-proxy takes the proxies' addresses (10.0.0.5 or 10.1.0.0/16), not a hop count: a count cannot tell the proxy from a client that reaches the server directly",
    );
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const bits = isIP(address) === 6 ? 128 : 32;
    const valid =
      PROXY_RANGES.has(entry) ||
      (isIP(address) !== 0 &&
        extra === undefined &&
        (prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= bits)));
    if (!valid)
      throw new UsageError(
        "--trust-proxy takes the proxies' addresses or CIDR ranges, comma-separated (10.0.0.5,10.1.0.0/16, or loopback), or a hop count",
      );
  }
  return entries;
}

function portOf(args: ParsedArgs): number {
  const text = args.string('port');
  if (text === undefined) return DEFAULT_SERVE_PORT;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > MAX_PORT)
    throw new UsageError(`--port must be a whole number from 0 to ${MAX_PORT} (0 picks a free one)`);
  return port;
}

/**
 * Where the records are, from `--data` or `--database` (without a password); the commands that
 * look after a server's records (migrate, backup, restore) read them as `serve` does.
 */
export function storageOf(args: ParsedArgs, io: CliIo): Storage {
  const data = args.string('data');
  const database = args.string('database');
  if (data !== undefined && database !== undefined)
    throw new UsageError('give --data <dir> or --database <url>, not both');
  if (database !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(database))
      throw new UsageError('--database must be a PostgreSQL address: postgres://user@host:5432/preflight');
    if (/^postgres(ql)?:\/\/[^/@]*:[^/@]*@/.test(database))
      throw new UsageError(
        '--database must not carry a password (anyone on this machine can read a command line): set PGPASSWORD or use ~/.pgpass',
      );
    return { kind: 'postgres', url: database };
  }
  if (data !== undefined) return { kind: 'embedded', dir: path.resolve(io.cwd, data) };
  if (args.flag('check')) return { kind: 'memory' };
  throw new UsageError(
    'say where the server keeps its records: --data <dir> (the embedded database, nothing else to install) or --database postgres://… (your PostgreSQL)',
  );
}

/** The storage in words, for a command's first line. */
export function describeStorage(storage: Storage): string {
  if (storage.kind === 'embedded') return `embedded database in ${storage.dir}`;
  if (storage.kind === 'memory') return 'embedded database in memory (nothing kept)';
  return `PostgreSQL at ${storage.url.replace(/\?.*$/, '')}`;
}

/**
 * Runs `work` on the records of a stopped team server, as the commands that change them offline
 * (relink, rotate-log-key) need: the data folder locked (a running server holds it), the database
 * opened and its schema checked to be this Preflight's. A refusal or failure is said on stderr as
 * `preflight <command>: …` and exits with EXIT_USAGE; `afterUpdate` names what to do once the
 * schema is brought up to date ("relink", "rotate").
 */
export async function onStoppedServer(
  storage: Storage,
  io: CliIo,
  words: { command: string; afterUpdate: string },
  work: (db: Database) => Promise<number>,
): Promise<number> {
  let lock: ReturnType<typeof lockDataFolder> | undefined;
  let db: Database | undefined;
  try {
    if (storage.kind === 'embedded') lock = lockDataFolder(storage.dir);
    db = await openStorage(storage);
    const versions = await appliedVersions(db).catch(() => []);
    if (versions.length !== MIGRATIONS.length) {
      io.stderr(
        `preflight ${words.command}: the database’s schema is not this Preflight’s: start the server with this Preflight once (it brings the schema up to date), stop it, then ${words.afterUpdate}`,
      );
      return EXIT_USAGE;
    }
    return await work(db);
  } catch (error) {
    io.stderr(
      `preflight ${words.command}: ${error instanceof DataLockedError ? `${error.message} (stop the server first)` : error instanceof Error ? error.message : String(error)}`,
    );
    return EXIT_USAGE;
  } finally {
    await db?.close();
    lock?.release();
  }
}

/**
 * Resolves at the next SIGTERM or SIGINT; the listeners are removed then, or by `cancel`
 * (no signal came).
 */
function stopSignal(): { signal: Promise<string>; cancel(): void } {
  let cancel = () => {};
  const signal = new Promise<string>((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      cancel();
      resolve(signal);
    };
    cancel = () => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
  return { signal, cancel };
}

/** The `--tsa` address, checked to be an http(s) URL. */
function tsaUrlOf(args: ParsedArgs): string | undefined {
  const given = args.string('tsa');
  if (given === undefined) return undefined;
  if (!URL.canParse(given) || !/^https?:$/.test(new URL(given).protocol))
    throw new UsageError(`--tsa wants the time-stamp authority's http(s) address, not ${given}`);
  return given;
}

/** The `preflight serve` command. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the team server: the app and its API for a go-live team, on your own network',
  operands: '',
  options: [
    {
      name: 'port',
      type: 'string',
      valueName: 'n',
      description: `port to listen on (default ${DEFAULT_SERVE_PORT}; 0 picks a free one)`,
    },
    {
      name: 'host',
      type: 'string',
      valueName: 'address',
      description: 'address to listen on (default 127.0.0.1; your TLS proxy forwards to it)',
    },
    {
      name: 'data',
      type: 'string',
      valueName: 'dir',
      description: 'keep records in the embedded database in this folder (created if missing)',
    },
    {
      name: 'database',
      type: 'string',
      valueName: 'url',
      description: 'keep records in your PostgreSQL instead: postgres://user@host:5432/db',
    },
    {
      name: 'log-key',
      type: 'string',
      valueName: 'file',
      description:
        "keep the private half of the audit log's signing key in this file (made at first start), not in the database",
    },
    {
      name: 'tsa',
      type: 'string',
      valueName: 'url',
      description:
        'time-stamp each signed head of the audit log at this RFC 3161 authority (one that is down: heads kept unstamped, logged)',
    },
    {
      name: 'issuer',
      type: 'string',
      valueName: 'url',
      description: "your identity provider's issuer URL (OpenID Connect: Entra ID, ADFS, Keycloak…)",
    },
    {
      name: 'client-id',
      type: 'string',
      valueName: 'id',
      description: `Preflight's client id at that provider (its secret, if any, in ${CLIENT_SECRET_ENV})`,
    },
    {
      name: 'role-claim',
      type: 'string',
      valueName: 'claim',
      description:
        'read project roles from this claim (groups, roles): values preflight:<project id>:<role> add the person; a scope of its name is asked when the provider lists one',
    },
    {
      name: 'scope',
      type: 'string',
      valueName: 'scopes',
      description:
        'ask the identity provider for these scopes too (groups,roles), besides openid profile email: for a provider that sends the role claim only when its scope is asked',
    },
    {
      name: 'public-url',
      type: 'string',
      valueName: 'url',
      description:
        'the address people open (https://preflight.clinic.org); required off loopback and behind a proxy',
    },
    {
      name: 'trust-proxy',
      type: 'string',
      valueName: 'addresses',
      whenBare: BARE_TRUST_PROXY,
      description:
        "believe X-Forwarded-* only from these proxies (10.0.0.5,10.1.0.0/16); alone: this machine's",
    },
    {
      name: 'insecure-http-for-testing',
      type: 'boolean',
      description: 'send the session cookie over plain HTTP (loopback only; for tests and demos)',
    },
    {
      name: 'log-level',
      type: 'string',
      valueName: 'level',
      description: `how much to log as JSON lines on stdout: ${LOG_LEVELS.join(', ')} (default info)`,
    },
    {
      name: 'allow-table-owner',
      type: 'boolean',
      description:
        'PostgreSQL: start even as the role that owns the tables (it could rewrite the audit log; warns)',
    },
    {
      name: 'check',
      type: 'boolean',
      description:
        "start, migrate the database, answer one health check and stop (exit 0 when all is well: the audit log whole, the server's and the database's clocks within its bound)",
    },
  ],
  description: [
    'Serves the built app and the team API for one go-live. Records live in the embedded',
    'database (--data, a PostgreSQL engine inside this process: nothing else to install) or in',
    'your PostgreSQL (--database; its password from PGPASSWORD or ~/.pgpass). The schema is',
    'brought up to date at start. People sign in with your identity provider (OpenID Connect,',
    '--issuer and --client-id); Preflight keeps no passwords. The server speaks plain HTTP: put',
    'it behind your HTTPS proxy, give --public-url (the address people open: links, sign-in and',
    "signing keys are bound to it) and --trust-proxy with the proxy's address. On PostgreSQL it",
    'runs as a role that does not own the tables: "preflight serve migrate --grant-to" as the',
    'owner first (a role that owns them could switch off the audit log’s append-only trigger).',
    'It stops cleanly on SIGTERM or Ctrl-C: requests in flight get a few seconds to finish, a',
    'second signal stops at once. See docs/cli.md#preflight-serve.',
  ].join('\n'),
  notes: 'Exit codes: 0 stopped cleanly (or --check passed), 2 bad usage or the server could not start.',
  examples: [
    {
      args: ['--check', '--port', '0'],
      does: 'check that this installation starts a server (in-memory database) and stop',
      exits: 0,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.operands.length > 0) throw new UsageError('serve takes no file names, only options');
    const port = portOf(args);
    const storage = storageOf(args, io);
    const host = args.string('host') ?? '127.0.0.1';
    const insecureHttp = args.flag('insecure-http-for-testing');
    if (insecureHttp && !LOOPBACK.has(host))
      throw new UsageError(
        '--insecure-http-for-testing is for loopback only: drop --host, or drop the flag and use your HTTPS proxy',
      );
    const publicUrl = publicUrlOf(args, host);
    const trustProxy = trustProxyOf(args);
    const identity = identityOf(args, insecureHttp);
    const logLevel = logLevelOf(args);
    let server: RunningServer;
    try {
      server = await startServer({
        storage,
        host,
        port,
        appDir: BUILT_APP,
        insecureHttp,
        identity,
        publicUrl,
        trustProxy,
        log: { level: logLevel },
        checkAnswers: answersCheckedForTests(process.env),
        tableOwner: args.flag('allow-table-owner') ? 'warn' : 'refuse',
        ...(args.string('log-key') === undefined
          ? {}
          : { logKeyFile: path.resolve(io.cwd, args.string('log-key') as string) }),
        ...(tsaUrlOf(args) === undefined ? {} : { tsaUrl: tsaUrlOf(args) as string }),
      });
    } catch (error) {
      io.stderr(`preflight serve: the server could not start: ${startFailure(error)}`);
      return EXIT_USAGE;
    }
    io.stdout(`Preflight team server at ${server.url} (${describeStorage(storage)})`);
    const stale = server.tookOverLock;
    if (stale)
      io.stdout(
        `took over the lock of process ${stale.pid} (started ${stale.startedAt}), which is no longer running`,
      );
    if (publicUrl !== undefined) io.stdout(`People open it at ${publicUrl}`);
    if (args.flag('check')) return checkStarted(server, storage, io);
    io.stdout(
      'Plain HTTP: let the clinic’s HTTPS proxy forward to this address. Ctrl-C or SIGTERM stops it.',
    );
    const signal = await stopSignal().signal;
    io.stdout(
      `stopping (${signal}): requests in flight have ${STOP_GRACE_MS / 1000} s to finish; a second Ctrl-C or SIGTERM stops at once`,
    );
    const again = stopSignal();
    void again.signal.then(() => server.stopNow());
    const { cutShort } = await server.stop();
    again.cancel();
    io.stdout(
      cutShort
        ? `stopped (${signal}): requests still running were cut off, database closed`
        : `stopped (${signal}): requests in flight finished, database closed`,
    );
    return EXIT_OK;
  },
};

/**
 * `serve --check` once the server has started: one health check, then the stop. Fails (exit 2)
 * on a health answer other than 200, an audit log changed after the server signed it, or the
 * server's and the database's clocks further apart than the audit log's bound (either way), each
 * said on stderr in a line that names what to put right and where.
 */
export async function checkStarted(
  server: Pick<RunningServer, 'url' | 'stop'>,
  storage: Storage,
  io: CliIo,
): Promise<number> {
  const health = await fetch(`${server.url}/api/health`);
  const answer = (await health.json().catch(() => ({}))) as {
    auditLog?: { status?: string; changed?: { message: string }[] };
    clock?: { server: string; database: string };
  };
  await server.stop();
  // a changed audit log is the administrator's to act on: the check fails and says where
  const changed = answer.auditLog?.status === 'changed' ? (answer.auditLog.changed ?? []) : [];
  for (const c of changed) io.stderr(`preflight serve: ${c.message}`);
  // health tells both clocks once they are a minute apart; past the bound, changes fail or are misdated
  const clocks =
    answer.clock === undefined
      ? undefined
      : clocksPastBound(
          { server: Date.parse(answer.clock.server), database: Date.parse(answer.clock.database) },
          clockHostsOf(storage),
        );
  if (clocks !== undefined) io.stderr(`preflight serve: ${clocks}`);
  const ok = health.ok && changed.length === 0 && clocks === undefined;
  io.stdout(
    ok
      ? 'check passed: database migrated, audit log checked, clocks compared, health answered'
      : changed.length > 0
        ? 'check failed: the audit log was changed after the server signed it'
        : clocks !== undefined
          ? "check failed: the server's and the database's clocks are further apart than the audit log allows"
          : `check failed: health answered ${health.status}`,
  );
  return ok ? EXIT_OK : EXIT_USAGE;
}

/** The hosts whose clocks `--check` compares, by the names the administrator knows them by. */
function clockHostsOf(storage: Storage): ClockHosts {
  const here = `this machine (${os.hostname()})`;
  if (storage.kind !== 'postgres') return { server: here, database: here };
  const url = new URL(storage.url);
  // a socket folder (?host=/run/postgresql) or a loopback name is this machine
  const host = url.hostname.replace(/^\[|\]$/g, '') || url.searchParams.get('host') || 'localhost';
  return {
    server: here,
    database: LOOPBACK.has(host) || host.startsWith('/') ? here : `the database server ${host}`,
  };
}

/** Why the start failed, in words an administrator can act on (never a stack trace). */
function startFailure(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE') return 'the port is taken by another program: choose another with --port';
  if (code === 'EACCES') return 'not allowed to listen on that port: use one above 1023';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ENOENT')
    return 'the PostgreSQL server cannot be reached at that address: check the host and port in --database';
  if (code === '28P01' || code === '28000')
    return 'PostgreSQL refused the user name or password (PGPASSWORD, ~/.pgpass)';
  if (code === '3D000') return 'that database does not exist on the PostgreSQL server: create it first';
  return error instanceof Error ? error.message : String(error);
}
