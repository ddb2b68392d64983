/**
 * Two server processes on one PostgreSQL behind one proxy, as a clinic runs more than one: a
 * person moves between them from request to request and notices nothing. Her sign-in begins on
 * one and returns to the other, her session holds on both, a WebAuthn challenge one issues is
 * answered on the other, and the sign-in limit counts her address's attempts on both together —
 * what the database, not a process's memory, must carry. (Change notices cross processes by
 * LISTEN/NOTIFY: projectEvents.test.ts.) Each "process" is a server with its own connection pool,
 * its own listening connection and its own memory, in this test's process.
 */
import { once } from 'node:events';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestIdentityProvider, type TestIdentityProvider } from '../../tests/oidc/identityProvider.ts';
import { postgresBinDir, type TestPostgres, testPostgres } from '../../tests/setup/postgres.ts';
import {
  CSRF_HEADER,
  createIdentityClient,
  createServer,
  type Database,
  migrate,
  openPostgresDatabase,
} from './index.ts';
import { testAuthenticator } from './testing/authenticator.ts';

type Process = 'A' | 'B';

const bin = postgresBinDir();
if (bin === undefined && process.env.CI)
  throw new Error('PostgreSQL is not installed: .ci/run installs Debian’s postgresql package for this test');

/** Sign-in attempts per minute on both processes: small, so the test reaches it in a few requests. */
const LIMIT = 4;

let pg: TestPostgres;
let idp: TestIdentityProvider;
const dbs: Database[] = [];
const servers = new Map<Process, FastifyInstance>();
let proxy: Server;
let base: string;
/** Which process the proxy sends a request for `path` to; the test moves her between them. */
let route: (path: string) => Process = () => 'A';
/** Each request the proxy passed on: the process, the method and the path. */
const served: string[] = [];

beforeAll(async () => {
  if (bin === undefined) return;
  [pg, idp] = await Promise.all([
    testPostgres(bin),
    startTestIdentityProvider({ nora: { name: 'Nora Nurse', email: 'nora@clinic.test' } }),
  ]);
  // the clinic's proxy: one public address, each request passed to the process `route` names
  const ports = new Map<Process, number>();
  proxy = createHttpServer((req, res) => {
    const to = route(req.url ?? '/');
    served.push(`${to} ${req.method} ${req.url?.replace(/\?.*$/, '')}`);
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: ports.get(to),
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  idp.allowRedirect(`${base}/api/login/callback`);
  const identity = {
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    allowHttp: true,
  };
  for (const name of ['A', 'B'] as const) {
    const db = await openPostgresDatabase(pg.url());
    dbs.push(db);
    if (name === 'A') await migrate(db);
    const app = await createServer({
      checkAnswers: true,
      db,
      identity: createIdentityClient(identity),
      publicUrl: base,
      insecureHttp: true,
      loginAttemptsPerMinute: LIMIT,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    ports.set(name, (app.server.address() as AddressInfo).port);
    servers.set(name, app);
  }
}, 120_000);

afterAll(async () => {
  proxy?.closeAllConnections();
  proxy?.close();
  for (const app of servers.values()) await app.close();
  for (const db of dbs) await db.close();
  await idp?.stop();
  await pg?.stop();
});

it.skipIf(bin === undefined)(
  'serves one person from either process: sign-in, session, signing key and the sign-in limit',
  async () => {
    // she starts signing in on A, and the provider sends her back to B
    route = (path) => (path.startsWith('/api/login/callback') ? 'B' : 'A');
    const { cookie } = await idp.signIn(base, 'nora');
    expect(served.filter((s) => s.includes('/api/login'))).toEqual([
      'A GET /api/login',
      'B GET /api/login/callback',
    ]);

    // her session holds on both
    const me = async (on: Process) => {
      route = () => on;
      const answer = await fetch(`${base}/api/me`, { headers: { cookie } });
      expect(answer.status, `her session on ${on}`).toBe(200);
      return (await answer.json()) as { subject: string; csrfToken: string };
    };
    expect((await me('B')).subject).toBe('nora');
    const { csrfToken } = await me('A');
    const ask = async (on: Process, path: string, body?: unknown) => {
      route = () => on;
      const answer = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { cookie, [CSRF_HEADER]: csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
      // biome-ignore lint/suspicious/noExplicitAny: each step reads its route's JSON answer
      return { status: answer.status, body: (await answer.json()) as any };
    };

    // A issues the WebAuthn challenge for her new key; B checks her authenticator's answer to it
    const created = await ask('A', '/api/projects', { name: 'Ward 4 go-live' });
    expect(created.status).toBe(201);
    const project = created.body.project.id as string;
    const options = await ask('A', `/api/projects/${project}/signing-keys/options`);
    expect(options.status).toBe(200);
    const key = await testAuthenticator(base);
    const registered = await ask('B', `/api/projects/${project}/signing-keys`, {
      response: await key.register(options.body),
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    // the challenge was used up: the same answer again, on A, is refused
    const again = await ask('A', `/api/projects/${project}/signing-keys`, {
      response: await key.register(options.body),
    });
    expect(again.status).toBe(409);

    // the limit counts her address's attempts on both: one completed sign-in above, then
    // returns nobody started, A and B in turn, until the fourth attempt in the minute is the last
    const codes: string[] = [];
    for (const on of ['A', 'B', 'A', 'B'] as const) {
      route = () => on;
      const answer = await fetch(`${base}/api/login/callback?code=x&state=y`, { redirect: 'manual' });
      codes.push(`${on} ${answer.status}`);
    }
    expect(codes).toEqual(['A 400', 'B 400', 'A 400', 'B 429']);
  },
  60_000,
);
