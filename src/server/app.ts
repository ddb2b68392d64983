/**
 * The team server's HTTP surface: the built app (`dist/`) with the same security headers
 * `npm start` sends, and the API under `/api/`. Every API route but the public ones
 * ({@link PUBLIC_API_ROUTES}) needs a live session, checked before routing, so an unknown route
 * is 401 to a stranger too and the API's shape is not given away.
 *
 * Constraints: bodies are bounded in size and depth before a route sees them (bounds.ts); API
 * answers are never cached; the session cookie is HttpOnly and SameSite=Lax, and Secure unless
 * the server was started for plain-HTTP testing on loopback. The server's origin (its links, the
 * sign-in's redirect URI, WebAuthn's RP ID and expected origin) is its public URL, never a
 * request's `Host`: a request addressed to another host is refused (421) before anything runs.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  LogController,
} from 'fastify';
import {
  isBuiltScriptWithQuery,
  pathContentSecurityPolicy,
  securityHeaders,
} from '../core/http/securityHeaders.ts';
import { PATTERN_WORDS } from '../core/teamApi/index.ts';
import { unboundWords } from './auditEvidence.ts';
import { appendAudit } from './auditLog.ts';
import {
  BODY_LIMIT_BYTES,
  CONNECTION_LIMITS,
  type ConnectionLimits,
  JsonTooDeepError,
  parseBoundedJson,
  timeoutCheckIntervalMs,
} from './bounds.ts';
import { builtWorkerScripts } from './builtApp.ts';
import { tellChanges } from './changeBus.ts';
import { recordRefusedBeforeRoute } from './contractRoute.ts';
import { analyzeEmbedded, type Database } from './database.ts';
import { SWEEP_INTERVAL_MS, sweepExpired } from './expiry.ts';
import { type IdentityClient, IdentityProviderError, PROVIDER_DOWN } from './identity.ts';
import { invitationRoutes } from './invitations.ts';
import { anchorBesideKey, openLogAnchor } from './logAnchor.ts';
import { LOG_KEY_PATH, logRoutes } from './logRoutes.ts';
import { transparencyLog } from './logService.ts';
import { holdSignIn, PENDING_SIGN_IN_MS, takeSignIn } from './pendingSignIns.ts';
import { changeEventRoutes } from './projectEvents.ts';
import { projectRoutes } from './projectRoutes.ts';
import { ProjectRefusal, type RefusalCode } from './projects.ts';
import { databaseRateLimitStore } from './rateLimits.ts';
import { reviewAssignmentRoutes } from './reviewAssignments.ts';
import { sampleResultRoutes } from './sampleResults.ts';
import { AUDIT_AHEAD_BOUND_MS, clockApart, readClocks } from './serverClock.ts';
import { sessionRoutes } from './sessionRoutes.ts';
import { SESSION_COOKIE, SESSION_IDLE_MS, type Session, signIn, touchSession } from './sessions.ts';
import { sharedRecordRoutes } from './sharedRecords.ts';
import { sharedWorkflowRoutes } from './sharedWorkflows.ts';
import { ANCHOR_PATH, signingRoutes } from './signingRoutes.ts';
import { timeStamper } from './timeStamper.ts';
import { checkWholeLog, ignoredHeadsMessage, openLogSigner } from './transparencyLog.ts';
import { createWriteWatch, type DatabasePlace, type WriteRefusalCode, writeFault } from './writeRefusals.ts';

/** API routes answered without a session. */
export const PUBLIC_API_ROUTES: ReadonlySet<string> = new Set([
  '/api/health',
  '/api/login',
  '/api/login/callback',
  '/api/session',
  ANCHOR_PATH,
  LOG_KEY_PATH,
]);

/** Sign-in attempts one address may start or complete per minute (guessing and floods). */
export const LOGIN_ATTEMPTS_PER_MINUTE = 20;

/** The cookie that carries a sign-in in progress: its token (pendingSignIns.ts), HttpOnly, used once. */
const LOGIN_COOKIE = 'preflight_login';

/**
 * The place in the app a sign-in returns to (`/api/login?return=#/team`): a hash route of the
 * app only — names of places and ids, never a different page or origin, so the parameter
 * cannot send anyone elsewhere (no open redirect).
 */
const RETURN_PLACE = /^#\/[A-Za-z0-9\-._~%/]{0,400}$/;
/** A path on this site to return to after signing in: one leading slash, no scheme, host or backslash. */
const SAME_SITE_PATH = /^\/(?![/\\])[^\s\\]{0,511}$/;

/** Where a sign-in asked to return to, as an address on this site; undefined for anything else. */
function returnTarget(asked: unknown): string | undefined {
  if (typeof asked !== 'string') return undefined;
  if (RETURN_PLACE.test(asked)) return `/${asked}`;
  return SAME_SITE_PATH.test(asked) ? asked : undefined;
}

/** The header a state-changing request carries its session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Options of {@link createServer}. */
export interface ServerOptions {
  db: Database;
  /** the built app (`dist/`); undefined or missing: the API only, and `/` says how to build it */
  appDir?: string;
  /** cookies without `Secure`: only for plain HTTP on loopback in tests and demos */
  insecureHttp?: boolean;
  /** milliseconds since the epoch; tests move it instead of waiting */
  clock?: () => number;
  /** session idle limit; default {@link SESSION_IDLE_MS} */
  sessionIdleMs?: number;
  /**
   * how often expired sessions, challenges and limits are swept after the sweep at start; default
   * {@link SWEEP_INTERVAL_MS}; 0: only at start (a test that counts a request's statements, which a
   * sweep on its own timer would otherwise join at a moment the scheduler chooses)
   */
  sweepIntervalMs?: number;
  /**
   * the proxies whose `X-Forwarded-*` headers are believed (addresses, CIDR ranges, `loopback`…),
   * as fastify's `trustProxy`; anyone else's are not, so the client address (sign-in limits, the
   * audit log) is the socket's
   */
  trustProxy?: string | string[];
  /**
   * the address people open (`https://preflight.clinic.org`): the origin of links, the sign-in's
   * redirect URI, WebAuthn's RP ID and expected origin, and the only `Host` answered. Absent:
   * `http://<host>:<port>` as the server listens (loopback testing and demos)
   */
  publicUrl?: string;
  /** the address it listens on, naming the default public URL; default the socket's own address */
  host?: string;
  /** the clinic's identity provider; absent: nobody can sign in, and the API stays closed */
  identity?: IdentityClient;
  /** default {@link LOGIN_ATTEMPTS_PER_MINUTE} */
  loginAttemptsPerMinute?: number;
  /** timeouts and the connection cap; default {@link CONNECTION_LIMITS} */
  limits?: ConnectionLimits;
  /** structured JSON log lines (one per request, sign-ins, refusals, errors); absent: none */
  log?: ServerLogOptions;
  /**
   * what the clinic's administrator must put right, said in `/api/health` and logged at start
   * (a database role that owns its tables); absent or empty: nothing
   */
  warnings?: readonly string[];
  /**
   * the file holding the private half of the server's log key (made there at first start);
   * absent: kept in the database (docs/part11.md says what each leaves open)
   */
  logKeyFile?: string;
  /**
   * the file that keeps the latest head the server signed of each project outside the database
   * (logAnchor.ts), checked at start and before every head; absent: beside the key file when
   * there is one, else none (start.ts names one in the embedded database's folder)
   */
  logAnchorFile?: string;
  /**
   * an RFC 3161 time-stamp authority's URL: each new signed tree head is stamped there (one that
   * is down leaves heads unstamped, logged); absent: heads are dated by the server's clock only
   */
  tsaUrl?: string;
  /**
   * how long `/api/health` waits for the database to answer before it answers 503
   * (`database-unreachable`); default 5 s
   */
  databaseAnswerMs?: number;
  /**
   * every contract route's answer, and each refusal body a contract names, is checked against its
   * schema before it is sent, and a mismatch fails the request (500, logged): on in the server's
   * test suites, so a contract that drifted from its route fails there; off in service
   */
  checkAnswers?: boolean;
}

/** pino's levels, most severe first; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where and how much the server logs. */
export interface ServerLogOptions {
  level: LogLevel;
  /** default stdout; tests collect the lines */
  stream?: { write(line: string): void };
}

/**
 * What a log line must never carry, even if a later change logs a request or an error whole:
 * credentials travel in these headers, and record content in bodies.
 */
const LOG_REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'req.body',
  'res.headers["set-cookie"]',
  'err.body',
];

declare module 'fastify' {
  interface FastifyRequest {
    /** the caller's live session (every API route but the public ones has one) */
    session?: Session;
  }
}

/** Random bytes that tag a server process's request ids. */
const REQUEST_ID_TAG_BYTES = 4;

/** The server, ready to `listen`; closing it does not close the database. */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? Date.now;
  const idleMs = options.sessionIdleMs ?? SESSION_IDLE_MS;
  const limits = options.limits ?? CONNECTION_LIMITS;
  // a request's id names its process too: lines from several processes behind one proxy, or from
  // one process before and after a restart, never share an id
  const processTag = randomBytes(REQUEST_ID_TAG_BYTES).toString('hex');
  let requests = 0;
  const app = Fastify({
    genReqId: () => `${processTag}-${(++requests).toString(36)}`,
    bodyLimit: BODY_LIMIT_BYTES,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: timeoutCheckIntervalMs(limits),
    },
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    trustProxy: options.trustProxy ?? false,
    logger:
      options.log === undefined
        ? false
        : {
            level: options.log.level,
            stream: options.log.stream,
            redact: { paths: LOG_REDACT, censor: '[redacted]' },
            // a request is logged as its method and route pattern: a raw URL may carry ids
            serializers: {
              req: (request: { method: string; routeOptions?: { url?: string } }) => ({
                method: request.method,
                route: request.routeOptions?.url,
              }),
              res: (reply: { statusCode: number }) => ({ status: reply.statusCode }),
            },
          },
    // one line per request, written at its end by the onResponse hook below
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // a body that does not match its route's schema is refused, never trimmed or converted to fit
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
    schemaErrorFormatter: refusedBodyWords,
  });
  app.server.maxConnections = limits.maxConnections;
  app.decorate('checkAnswers', options.checkAnswers ?? false);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, body === '' ? undefined : parseBoundedJson(body as string));
    } catch (error) {
      const reason = error instanceof JsonTooDeepError ? error.message : 'the request body is not valid JSON';
      done(Object.assign(new Error(reason), { statusCode: 400 }), undefined);
    }
  });
  // no process keeps anything of a person between requests: sessions, sign-ins in progress,
  // WebAuthn challenges and request limits live in the database, so several processes on one
  // PostgreSQL serve one clinic behind its proxy (rows past their time are swept: expiry.ts)
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false, store: databaseRateLimitStore(options.db, clock) });
  const secure = options.publicUrl?.startsWith('https:') || !options.insecureHttp;
  const cookieBase = { path: '/', httpOnly: true, sameSite: 'lax', secure } as const;

  let publicUrl = options.publicUrl === undefined ? undefined : new URL(options.publicUrl);
  /** The server's own origin: its public URL, or the address it listens on. */
  const site = (): URL => {
    publicUrl ??= listeningUrl(app, options.host);
    return publicUrl;
  };
  app.addHook('onRequest', async (request, reply) => {
    // health checks come from the machine's own monitors, under any name: they reveal no origin
    if (request.url === '/api/health' || sameHost(request.host, site())) return;
    return refuse(
      reply,
      421,
      `this server answers only as ${site().origin}: open that address (a proxy in front passes the Host header people used)`,
    );
  });

  const workerScripts = options.appDir ? builtWorkerScripts(options.appDir) : () => undefined;
  app.addHook('onSend', async (request, reply, payload) => {
    const url = request.url;
    for (const [name, value] of Object.entries(securityHeaders)) reply.header(name, value);
    if (isApi(url)) reply.header('Cache-Control', 'no-store');
    else {
      const file = url.replace(/^\//, '').replace(/\?.*$/, '');
      const origin = site().origin;
      const scripts = workerScripts(file)?.map((f) => `${origin}/${f}`);
      reply.header('Content-Security-Policy', pathContentSecurityPolicy(url, [], scripts));
    }
    return payload;
  });

  // what refuses every write, told by the health check until a write is saved again
  const writes = createWriteWatch();
  const place: DatabasePlace = {
    engine: options.db.engine,
    ...(options.db.where === undefined ? {} : { where: options.db.where }),
  };
  app.addHook('onResponse', async (request, reply) => {
    if (STATE_CHANGING.has(request.method) && reply.statusCode < 400) writes.saved();
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? '(no route)',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        member: request.session?.user.subject,
        // the client's address as the trusted proxy forwarded it (else the connection's)
        client: request.ip,
        refused: refusals.get(reply),
      },
      'request',
    );
  });

  app.addHook('onRequest', async (request, reply) => {
    const url = request.url;
    if (!isApi(url)) {
      if (isBuiltScriptWithQuery(url)) return reply.code(404).send();
      return;
    }
    const route = url.replace(/\?.*$/, '');
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.session = await touchSession(options.db, token, clock(), idleMs);
    if (PUBLIC_API_ROUTES.has(route)) return;
    if (request.session === undefined) return refuse(reply, 401, 'sign in first');
    if (STATE_CHANGING.has(request.method) && request.headers[CSRF_HEADER] !== request.session.csrfToken) {
      const words = `this change did not come from Preflight's own page (missing or wrong ${CSRF_HEADER} header): reload the page and try again`;
      // on a decision, a signature, a key or a role it is evidence: another site may have tried it in her name
      await recordRefusedBeforeRoute(options.db, clock(), request, { reason: 'csrf-token', words });
      return refuse(reply, 403, words, 'csrf-token');
    }
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    // a cause that refuses every write: the person hears it in words, IT its cause and database
    // (no stack: the cause is the database's, not the server's), and the health check says so
    const fault = status >= 500 ? writeFault(error, place) : undefined;
    if (fault !== undefined) {
      writes.refused(fault, clock());
      request.log.error(
        { cause: fault.code, database: options.db.engine, where: place.where, errorCode: fault.errorCode },
        fault.it,
      );
      return refuse(reply, 503, fault.person, fault.code);
    }
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return refuse(reply, 500, 'the server failed; the clinic’s administrator can see why in its log');
    }
    // only our own refusals' marks go out: fastify's codes name its internals
    const code = error instanceof ProjectRefusal ? error.code : undefined;
    return refuse(reply, status, error.message, code);
  });

  // said before the log key's first entry, which the audit log refuses from a clock past its bound
  const apart = clockApart(await readClocks(options.db, clock));
  if (apart !== undefined)
    app.log[apart.changesRefused ? 'error' : 'warn'](
      {
        serverClock: new Date(apart.server).toISOString(),
        databaseClock: new Date(apart.database).toISOString(),
        aheadMs: apart.aheadMs,
        boundMs: AUDIT_AHEAD_BOUND_MS,
      },
      `server-clock-apart: ${apart.message}`,
    );

  // the server checks its own audit log before it answers anyone: each project's chain, and its
  // tree against the heads the server signed (transparencyLog.ts)
  const signer = await openLogSigner(options.db, { keyFile: options.logKeyFile, now: clock() });
  const anchorFile =
    options.logAnchorFile ??
    (options.logKeyFile === undefined ? undefined : anchorBesideKey(options.logKeyFile));
  const anchor = anchorFile === undefined ? undefined : openLogAnchor(anchorFile);
  const atStart = await checkWholeLog(options.db, clock(), signer.history, anchor?.heads());
  if (atStart.status === 'changed')
    for (const changed of atStart.changed)
      app.log.error({ project: changed.project, after: changed.after }, changed.message);
  if (atStart.ignored !== undefined)
    app.log.error({ heads: atStart.ignored.length }, ignoredHeadsMessage(atStart.ignored));
  if (atStart.unbound !== undefined)
    app.log.warn({ entries: atStart.unbound.length }, unboundWords(atStart.unbound));
  const auditLog = transparencyLog(
    signer,
    atStart,
    clock,
    options.tsaUrl === undefined ? undefined : timeStamper(options.tsaUrl),
    anchor,
  );

  const loginLimit = {
    rateLimit: { max: options.loginAttemptsPerMinute ?? LOGIN_ATTEMPTS_PER_MINUTE, timeWindow: 60_000 },
  };
  const callbackUrl = () => `${site().origin}/api/login/callback`;

  app.get('/api/login', { config: loginLimit }, async (request, reply) => {
    if (options.identity === undefined)
      return refuse(
        reply,
        503,
        'sign-in is not set up on this server: its administrator gives --issuer and --client-id',
      );
    // ?fresh=1: before a first signing, the provider must make the person sign in again;
    // ?return=#/place or /path: where to come back to (this site only, never another site)
    const query = request.query as { fresh?: string; return?: unknown };
    const fresh = query.fresh === '1';
    const returnTo = returnTarget(query.return);
    let begun: Awaited<ReturnType<IdentityClient['begin']>>;
    try {
      begun = await options.identity.begin(callbackUrl(), { fresh, now: clock() });
    } catch (error) {
      if (!(error instanceof IdentityProviderError)) throw error;
      providerDown(request.log, error);
      return refuse(reply, 503, PROVIDER_DOWN);
    }
    const { url, pending } = begun;
    const token = await holdSignIn(
      options.db,
      returnTo === undefined ? pending : { ...pending, returnTo },
      clock(),
    );
    reply.setCookie(LOGIN_COOKIE, token, { ...cookieBase, maxAge: PENDING_SIGN_IN_MS / 1000 });
    return reply.redirect(url, 302);
  });

  app.get('/api/login/callback', { config: loginLimit }, async (request, reply) => {
    if (options.identity === undefined) return refuse(reply, 503, 'sign-in is not set up on this server');
    const raw = request.cookies[LOGIN_COOKIE];
    reply.clearCookie(LOGIN_COOKIE, cookieBase);
    const held = raw === undefined ? undefined : await takeSignIn(options.db, raw, clock());
    const failed = (reason: string) => {
      request.log.warn({ reason }, 'sign-in failed');
      return appendAudit(options.db, {
        at: clock(),
        kind: 'sign-in-failed',
        actor: null,
        detail: { reason, address: request.ip },
      });
    };
    if (held === undefined) {
      await failed('not started here, or expired');
      return refuse(
        reply,
        400,
        'this sign-in was not started here or took too long: start again from the sign-in page',
      );
    }
    const { returnTo, ...pending } = held;
    let claims: Awaited<ReturnType<IdentityClient['finish']>>;
    try {
      claims = await options.identity.finish(new URL(request.url, site().origin), pending);
    } catch (error) {
      if (error instanceof IdentityProviderError) {
        providerDown(request.log, error);
        await failed(`the identity provider did not answer (${error.what})`);
        return refuse(reply, 503, PROVIDER_DOWN);
      }
      await failed('the identity provider did not confirm it');
      return refuse(
        reply,
        401,
        'the identity provider did not confirm this sign-in: start again from the sign-in page',
      );
    }
    const { noRoleReason, ...person } = claims;
    const { token } = await signIn(options.db, person, clock(), request.ip);
    request.log.info({ member: claims.subject }, 'signed in');
    // the role claim gave them no project: said, so the administrator can tell why nobody joins
    if (noRoleReason !== undefined)
      request.log.warn({ member: claims.subject, reason: noRoleReason }, 'no project from the role claim');
    reply.setCookie(SESSION_COOKIE, token, cookieBase);
    return reply.redirect(returnTo !== undefined && SAME_SITE_PATH.test(returnTo) ? returnTo : '/', 302);
  });

  // on the root, before every project route, so its publishing hook covers them all
  const changes = await tellChanges(app, { db: options.db, clock });
  await app.register(changeEventRoutes, { db: options.db, clock, changes, limits, sessionIdleMs: idleMs });
  await app.register(projectRoutes, { db: options.db, clock, log: auditLog });
  await app.register(logRoutes, { db: options.db, clock, log: auditLog });
  await app.register(invitationRoutes, { db: options.db, clock, origin: () => site().origin });
  await app.register(sessionRoutes, {
    db: options.db,
    clock,
    signInAvailable: options.identity !== undefined,
    cookie: cookieBase,
    warnings: options.warnings ?? [],
    auditLog: () => auditLog.health(),
    writes,
    place,
    ...(options.databaseAnswerMs === undefined ? {} : { databaseAnswerMs: options.databaseAnswerMs }),
  });
  await app.register(sharedWorkflowRoutes, { db: options.db, clock });
  await app.register(signingRoutes, { db: options.db, clock, site, log: auditLog });
  await app.register(sharedRecordRoutes, { db: options.db, clock });
  await app.register(reviewAssignmentRoutes, { db: options.db, clock });
  await app.register(sampleResultRoutes, { db: options.db, clock });

  if (options.appDir && existsSync(path.join(options.appDir, 'index.html'))) {
    // the app's page, marked as served by a team server: only then does the app ask for a session
    const page = markedPage(readFileSync(path.join(options.appDir, 'index.html'), 'utf8'));
    const sendPage = (reply: FastifyReply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);
    app.get('/', async (_request, reply) => sendPage(reply));
    app.get('/index.html', async (_request, reply) => sendPage(reply));
    await app.register(fastifyStatic, { root: options.appDir, wildcard: true, index: false });
    app.setNotFoundHandler((request, reply) => {
      if (isApi(request.url) || request.method !== 'GET') return refuse(reply, 404, 'no such page');
      return sendPage(reply);
    });
  } else {
    app.setNotFoundHandler((request, reply) => {
      if (isApi(request.url)) return refuse(reply, 404, 'no such page');
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send(
          'The app is not built here: run "npm run build" where Preflight is installed, then restart the server.\n',
        );
    });
  }
  for (const warning of options.warnings ?? []) app.log.warn({ warning }, 'the server is not set up safely');
  await sweepNowAndEvery(app, () => sweepOnce(options.db, clock(), idleMs), options.sweepIntervalMs);
  return app;
}

/** One sweep: rows past their time deleted, then the embedded database's statistics refreshed (it has no autovacuum). */
async function sweepOnce(db: Database, now: number, idleMs: number): Promise<void> {
  await sweepExpired(db, now, idleMs);
  await analyzeEmbedded(db);
}

/**
 * Sweeps expired sessions, challenges and limits (and refreshes the embedded database's
 * statistics) now and then every `everyMs` (default {@link SWEEP_INTERVAL_MS}; 0: only now) until
 * the server closes; a failed sweep is logged.
 */
async function sweepNowAndEvery(
  app: FastifyInstance,
  sweepOnce: () => Promise<unknown>,
  everyMs = SWEEP_INTERVAL_MS,
): Promise<void> {
  const sweep = () =>
    sweepOnce().catch((error: unknown) =>
      app.log.error({ err: error }, 'sweeping expired sessions, challenges and limits failed'),
    );
  await sweep();
  if (everyMs <= 0) return;
  const sweeping = setInterval(sweep, everyMs);
  sweeping.unref();
  app.addHook('onClose', async () => clearInterval(sweeping));
}

/**
 * The identity provider's failure, for IT: which provider, which address (no query: it may carry
 * a code), its status, what to check. No stack: the cause is the provider's.
 */
function providerDown(log: FastifyBaseLogger, error: IdentityProviderError): void {
  log.error(
    { issuer: error.issuer, address: error.address, status: error.status },
    `sign-in failed: ${error.message}; check that the provider runs and that this machine reaches it`,
  );
}

/**
 * The app's page with the mark the app looks for (`TEAM_SERVER_META` in src/app/team/teamClient.ts),
 * first in its head (where a page without a `<head>` tag begins one).
 */
function markedPage(html: string): string {
  const mark = '<meta name="preflight-team-server" content="1">';
  const opening = /<head[^>]*>|<html[^>]*>|<!doctype[^>]*>/i.exec(html);
  const at = opening ? opening.index + opening[0].length : 0;
  return `${html.slice(0, at)}${mark}${html.slice(at)}`;
}

/** `http://<host>:<port>` of the listening socket, `host` naming it when given. */
function listeningUrl(app: FastifyInstance, host: string | undefined): URL {
  const address = app.server.address();
  if (typeof address !== 'object' || address === null)
    throw new Error('the server has no public URL before it listens: give publicUrl');
  const name = host ?? address.address;
  return new URL(`http://${name.includes(':') ? `[${name}]` : name}:${address.port}`);
}

/** Whether a request's `Host` names the site (case and the scheme's default port aside). */
function sameHost(host: string, site: URL): boolean {
  try {
    return new URL(`${site.protocol}//${host}`).host === site.host;
  } catch {
    return false;
  }
}

function isApi(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/** Why a request was refused, for its log line (the reason only: never the body or a value). */
const refusals = new WeakMap<FastifyReply, string>();

/**
 * A refusal every API client reads the same way: `{ "error": "…" }`, with `"code"` where the
 * refusal carries a mark the app acts on (projects.ts `RefusalCode`, writeRefusals.ts
 * `WriteRefusalCode`).
 */
export function refuse(
  reply: FastifyReply,
  status: number,
  message: string,
  code?: RefusalCode | WriteRefusalCode,
): FastifyReply {
  refusals.set(reply, message);
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(code === undefined ? { error: message } : { error: message, code });
}

/**
 * A request a schema refused, in words: as fastify says it (`body/decisions/0/id must NOT have
 * more than 200 characters`), but a pattern the contract names words for says them, not itself.
 */
function refusedBodyWords(
  errors: readonly {
    instancePath?: string;
    keyword: string;
    params: Record<string, unknown>;
    message?: string;
  }[],
  dataVar: string,
): Error {
  return new Error(
    errors
      .map((e) => {
        const words = e.keyword === 'pattern' ? PATTERN_WORDS[String(e.params.pattern)] : undefined;
        return `${dataVar}${e.instancePath ?? ''} ${words ?? e.message}`;
      })
      .join(', '),
  );
}
