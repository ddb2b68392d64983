/**
 * The server's origin is its public URL, never a request's `Host`: a request addressed to another
 * host gets no WebAuthn options and no sign-in redirect naming it, the browser's answers are
 * checked against the public origin, and `X-Forwarded-For` is believed only from the proxies the
 * server was told to trust. In process (`inject`), on the embedded database.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CSRF_HEADER,
  createServer,
  type Database,
  type IdentityClient,
  migrate,
  readAudit,
  SESSION_COOKIE,
} from './index.ts';
import { signIn } from './sessions.ts';
import { type TestAuthenticator, testAuthenticator } from './testing/authenticator.ts';
import { freshEmbedded } from './testing/databases.ts';

const PUBLIC_URL = 'https://preflight.clinic.test';
const PUBLIC_HOST = 'preflight.clinic.test';
const PROXY = '10.0.0.5';

/** A provider that sends the browser to its page with the redirect URI it was given, and confirms nobody. */
const identity: IdentityClient = {
  begin: async (redirectUri) => ({
    url: `https://id.clinic.test/authorize?redirect_uri=${encodeURIComponent(redirectUri)}`,
    pending: { state: 's', nonce: 'n', verifier: 'v' },
  }),
  finish: async () => {
    throw new Error('not confirmed');
  },
};

let db: Database;
let app: FastifyInstance;
let project: string;
let lena: { cookie: string; csrf: string };

/** Lena asks the server, her request addressed to `host`. */
async function ask(method: 'GET' | 'POST', url: string, host: string, body?: unknown) {
  const response = await app.inject({
    method,
    url,
    headers: { host, cookie: lena.cookie, [CSRF_HEADER]: lena.csrf },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  return { status: response.statusCode, text: response.body, location: response.headers.location };
}

beforeAll(async () => {
  db = await freshEmbedded();
  await migrate(db);
  app = await createServer({
    checkAnswers: true,
    db,
    identity,
    publicUrl: PUBLIC_URL,
    trustProxy: [PROXY],
    loginAttemptsPerMinute: 3,
  });
  const { token, session } = await signIn(
    db,
    { issuer: 'https://id.clinic.test', subject: 'lena', name: 'Lena Lead', email: 'lena@clinic.test' },
    Date.now(),
    '127.0.0.1',
  );
  lena = { cookie: `${SESSION_COOKIE}=${token}`, csrf: session.csrfToken };
  project = JSON.parse((await ask('POST', '/api/projects', PUBLIC_HOST, { name: 'Go-live' })).text).project
    .id;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('a request addressed to another host', () => {
  const asks: [string, 'GET' | 'POST', () => string][] = [
    ['WebAuthn registration options', 'POST', () => `/api/projects/${project}/signing-keys/options`],
    ['the sign-in redirect', 'GET', () => '/api/login'],
    ['the page', 'GET', () => '/'],
  ];
  const forged = ['evil.test:1234', 'evil.test', `${PUBLIC_HOST}.evil.test`, `${PUBLIC_HOST}:8443`, ''];

  it.each(asks.flatMap(([what, method, url]) => forged.map((host) => [what, host, method, url] as const)))(
    'gets no %s for Host %j (421), and nothing names that host',
    async (_what, host, method, url) => {
      const answer = await ask(method, url(), host);
      expect(answer.status).toBe(421);
      expect(answer.text).toContain(`answers only as ${PUBLIC_URL}`);
      expect(answer.location).toBeUndefined();
      if (host !== '') expect(answer.text).not.toContain(host);
    },
  );

  it.each([PUBLIC_HOST, 'Preflight.Clinic.Test', `${PUBLIC_HOST}:443`])(
    'is answered as the public URL when addressed to it as %j',
    async (host) => {
      const options = await ask('POST', `/api/projects/${project}/signing-keys/options`, host);
      expect(options.status).toBe(200);
      expect(JSON.parse(options.text).rp.id).toBe(PUBLIC_HOST);
      const login = await ask('GET', '/api/login', host);
      expect(login.status).toBe(302);
      expect(login.location).toBe(
        `https://id.clinic.test/authorize?redirect_uri=${encodeURIComponent(`${PUBLIC_URL}/api/login/callback`)}`,
      );
    },
  );

  it('a health check is answered under any name (it names no origin)', async () => {
    const answer = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { host: '127.0.0.1:8080' },
    });
    expect(answer.statusCode).toBe(200);
  });
});

describe('WebAuthn answers are checked against the public origin', () => {
  it.each([
    [PUBLIC_URL, 201],
    // what the request's own protocol and Host would have made the origin behind a TLS proxy
    [`http://${PUBLIC_HOST}`, 422],
    ['https://evil.test:1234', 422],
  ])('a key registered by a page at %s: %i', async (origin, status) => {
    const key = await testAuthenticator(origin);
    const options = await ask('POST', `/api/projects/${project}/signing-keys/options`, PUBLIC_HOST);
    const registered = await ask('POST', `/api/projects/${project}/signing-keys`, PUBLIC_HOST, {
      response: await key.register(JSON.parse(options.text)),
    });
    expect(registered.status, registered.text).toBe(status);
  });
});

describe('a signature is checked against the public origin', () => {
  const hash = 'a'.repeat(64);
  let key: TestAuthenticator;

  beforeAll(async () => {
    // Lena signs in afresh (signing asks for that), registers her key and the data lead confirms it
    const fresh = await signIn(
      db,
      {
        issuer: 'https://id.clinic.test',
        subject: 'lena',
        name: 'Lena Lead',
        email: null,
        freshAuthAt: Date.now(),
      },
      Date.now(),
      '127.0.0.1',
    );
    lena = { cookie: `${SESSION_COOKIE}=${fresh.token}`, csrf: fresh.session.csrfToken };
    const dora = await signIn(
      db,
      { issuer: 'https://id.clinic.test', subject: 'dora', name: 'Dora Data', email: null },
      Date.now(),
      '127.0.0.1',
    );
    await ask('POST', `/api/projects/${project}/members`, PUBLIC_HOST, { subject: 'dora', role: 'data' });
    key = await testAuthenticator(PUBLIC_URL);
    const options = await ask('POST', `/api/projects/${project}/signing-keys/options`, PUBLIC_HOST);
    const registered = await ask('POST', `/api/projects/${project}/signing-keys`, PUBLIC_HOST, {
      response: await key.register(JSON.parse(options.text)),
    });
    const confirmed = await app.inject({
      method: 'POST',
      url: `/api/projects/${project}/signing-keys/${JSON.parse(registered.text).key.id}/confirm`,
      headers: {
        host: PUBLIC_HOST,
        cookie: `${SESSION_COOKIE}=${dora.token}`,
        [CSRF_HEADER]: dora.session.csrfToken,
      },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
  });

  it.each([
    [`http://${PUBLIC_HOST}`, 422],
    ['https://evil.test:1234', 422],
    [PUBLIC_URL, 201],
  ])('an assertion made by a page at %s: %i', async (origin, status) => {
    const asked = await ask('POST', `/api/projects/${project}/signatures/options`, PUBLIC_HOST, { hash });
    const { options } = JSON.parse(asked.text);
    expect(options.rpId).toBe(PUBLIC_HOST);
    const signed = await ask('POST', `/api/projects/${project}/signatures`, PUBLIC_HOST, {
      hash,
      kind: 'approval',
      response: await key.sign(options, origin),
    });
    expect(signed.status, signed.text).toBe(status);
  });
});

describe('X-Forwarded-For is believed only from a trusted proxy', () => {
  /** A sign-in callback nobody started, from `remoteAddress` claiming to forward for `forwardedFor`. */
  const callback = (remoteAddress: string, forwardedFor: string) =>
    app.inject({
      method: 'GET',
      url: '/api/login/callback',
      remoteAddress,
      headers: { host: PUBLIC_HOST, 'x-forwarded-for': forwardedFor },
    });
  const lastFailureAddress = async () =>
    (await readAudit(db)).filter((e) => e.kind === 'sign-in-failed').at(-1)?.detail.address;

  it.each([
    ['a client', '192.0.2.7', '203.0.113.9', '192.0.2.7'],
    ['the trusted proxy', PROXY, '203.0.113.9', '203.0.113.9'],
  ])(
    'from %s (%s) forwarding for %s, the audit log records %s',
    async (_who, remote, forwarded, recorded) => {
      expect((await callback(remote, forwarded)).statusCode).toBe(400);
      expect(await lastFailureAddress()).toBe(recorded);
    },
  );

  it('a client changing its X-Forwarded-For stays under one sign-in limit', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await callback('192.0.2.8', `198.51.100.${i}`)).statusCode);
    expect(codes).toEqual([400, 400, 400, 429]);
  });
});

describe('without a public URL, on loopback', () => {
  it('answers as the address it listens on, and only as that', async () => {
    const local = await createServer({ checkAnswers: true, db });
    try {
      const base = await local.listen({ host: '127.0.0.1', port: 0 });
      const status = async (host: string) =>
        (await local.inject({ method: 'GET', url: '/api/session', headers: { host } })).statusCode;
      expect(await status(new URL(base).host)).toBe(200);
      expect(await status(`localhost:${new URL(base).port}`)).toBe(421);
      expect(await status('evil.test')).toBe(421);
    } finally {
      await local.close();
    }
  });
});
