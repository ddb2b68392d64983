/**
 * Signing in to the team server through a real OpenID Connect provider (oidc-provider on
 * 127.0.0.1, tests/oidc/identityProvider.ts): authorization code with PKCE, the session that
 * follows, logout with its CSRF token, the limits on sign-in attempts, and the sweep of what the
 * server keeps only for a while.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdentityProvider, type TestIdentityProvider } from '../../tests/oidc/identityProvider.ts';
import { sweepExpired } from './expiry.ts';
import { claimAt, PROVIDER_DOWN, projectRolesOf, scopesAsked } from './identity.ts';
import {
  CSRF_HEADER,
  createIdentityClient,
  createServer,
  type Database,
  firstBrokenAuditEntry,
  migrate,
  readAudit,
} from './index.ts';
import { holdSignIn, takeSignIn } from './pendingSignIns.ts';
import { createProject, membershipOf } from './projects.ts';
import { countRequest } from './rateLimits.ts';
import { createSession } from './sessions.ts';
import { freshEmbedded } from './testing/databases.ts';

const USERS = {
  ana: { name: 'Ana Lyst', email: 'ana@clinic.test' },
  dan: { name: 'Dan Lead', email: 'dan@clinic.test' },
  // as Entra ID sends by default: no e-mail at all
  nina: { name: 'Nina Nurse', email: null },
  // an e-mail the provider does not vouch for (anyone can type one into an account)
  mal: { name: 'Mal Lory', email: 'nurse.new@clinic.org', emailVerified: false },
  // in the clinic's directory groups; the project's group is added once the project exists
  gina: { name: 'Gina Group', email: 'gina@clinic.test', groups: ['clinic-all-staff'] as string[] },
  // roles as Keycloak sends them: nested in realm_access and resource_access.<client id>
  kira: {
    name: 'Kira Cloak',
    email: 'kira@clinic.test',
    realmRoles: ['offline_access'] as string[],
    clientRoles: {} as Record<string, string[]>,
  },
};

let db: Database;
let idp: TestIdentityProvider;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  const [fresh, provider] = await Promise.all([freshEmbedded(), startTestIdentityProvider(USERS)]);
  idp = provider;
  db = fresh;
  await migrate(db);
  const identity = createIdentityClient({
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    allowHttp: true,
    roleClaim: 'groups',
  });
  // the limit on sign-in attempts has a server of its own below: this one signs in a dozen times
  app = await createServer({
    checkAnswers: true,
    db,
    identity,
    insecureHttp: true,
    loginAttemptsPerMinute: 100,
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  idp.allowRedirect(`${base}/api/login/callback`);
}, 180_000);

afterAll(async () => {
  await app?.close();
  await idp?.stop();
  await db?.close();
});

describe('signing in with the clinic’s identity provider', () => {
  it('signs a person in with the authorization code and PKCE (S256), and knows who they are', async () => {
    const { cookie, setCookie } = await idp.signIn(base, 'ana');
    expect(idp.authorizationRequests.at(-1)).toEqual({ codeChallengeMethod: 'S256' });
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    const me = await (await fetch(`${base}/api/me`, { headers: { cookie } })).json();
    expect(me).toMatchObject({
      issuer: idp.issuer,
      subject: 'ana',
      name: 'Ana Lyst',
      email: 'ana@clinic.test',
    });
    expect(
      await db.query("SELECT name, email FROM users WHERE subject = 'ana'"),
      'remembered, so a lead can add her to a project by e-mail',
    ).toEqual([{ name: 'Ana Lyst', email: 'ana@clinic.test' }]);
    const projects = await fetch(`${base}/api/projects`, { headers: { cookie } });
    expect(projects.status).toBe(200);
    expect(await projects.json()).toEqual({ projects: [] });
  });

  it('keeps whether the provider vouched for the e-mail, and signs in people it sends none for', async () => {
    for (const who of ['ana', 'nina', 'mal']) await idp.signIn(base, who);
    expect(
      await db.query(
        `SELECT subject, email, email_verified FROM users WHERE subject IN ('ana', 'nina', 'mal') ORDER BY subject`,
      ),
    ).toEqual([
      { subject: 'ana', email: 'ana@clinic.test', email_verified: true },
      { subject: 'mal', email: 'nurse.new@clinic.org', email_verified: false },
      { subject: 'nina', email: null, email_verified: false },
    ]);
  });

  it('tells the app in one quiet answer whether someone is signed in, and who', async () => {
    const stranger = await fetch(`${base}/api/session`);
    expect(stranger.status).toBe(200);
    expect(await stranger.json()).toEqual({
      format: 'preflight.session/v1',
      signInAvailable: true,
      user: null,
    });
    const { cookie } = await idp.signIn(base, 'ana');
    const answer = await (await fetch(`${base}/api/session`, { headers: { cookie } })).json();
    const me = await (await fetch(`${base}/api/me`, { headers: { cookie } })).json();
    expect(answer).toEqual({
      format: 'preflight.session/v1',
      signInAvailable: true,
      user: { issuer: idp.issuer, subject: 'ana', name: 'Ana Lyst', email: 'ana@clinic.test' },
      csrfToken: me.csrfToken,
    });
  });

  it('returns the person to the place in the app they signed in from, and nowhere else', async () => {
    const place = '#/project/p%201/team/abc-123';
    const back = await idp.signIn(base, 'ana', `/api/login?return=${encodeURIComponent(place)}`);
    expect(back.landedAt).toBe(`${base}/${place}`);
    // a path on this site (as a signing page asks) is a place too
    const path = await idp.signIn(base, 'ana', `/api/login?return=${encodeURIComponent('/#/team')}`);
    expect(path.landedAt).toBe(`${base}/#/team`);
    for (const hostile of [
      '//evil.example/',
      'https://evil.example/#/team',
      '#/team"><script>',
      '/\\evil.example/',
      'javascript:alert(1)',
    ])
      expect(
        (await idp.signIn(base, 'ana', `/api/login?return=${encodeURIComponent(hostile)}`)).landedAt,
        hostile,
      ).toBe(`${base}/`);
  });

  it('gives two people two sessions', async () => {
    const ana = await idp.signIn(base, 'ana');
    const dan = await idp.signIn(base, 'dan');
    expect(ana.cookie).not.toBe(dan.cookie);
    const who = async (cookie: string) =>
      (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()).subject;
    expect([await who(ana.cookie), await who(dan.cookie)]).toEqual(['ana', 'dan']);
  });

  it('logs out only with the session’s CSRF token, and the session is then gone', async () => {
    const { cookie } = await idp.signIn(base, 'ana');
    const { csrfToken } = await (await fetch(`${base}/api/me`, { headers: { cookie } })).json();
    const withoutToken = await fetch(`${base}/api/logout`, { method: 'POST', headers: { cookie } });
    expect(withoutToken.status).toBe(403);
    const refusal = await withoutToken.json();
    expect(refusal.error).toMatch(/did not come from Preflight's own page/);
    // the mark the app asks for the session's token again by
    expect(refusal.code).toBe('csrf-token');
    const wrongToken = await fetch(`${base}/api/logout`, {
      method: 'POST',
      headers: { cookie, [CSRF_HEADER]: 'x' },
    });
    expect(wrongToken.status).toBe(403);
    expect((await wrongToken.json()).code).toBe('csrf-token');
    expect((await fetch(`${base}/api/me`, { headers: { cookie } })).status).toBe(200);
    const logout = await fetch(`${base}/api/logout`, {
      method: 'POST',
      headers: { cookie, [CSRF_HEADER]: csrfToken },
    });
    expect(logout.status).toBe(204);
    expect((await fetch(`${base}/api/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('refuses a return from the provider that this server did not start', async () => {
    const response = await fetch(`${base}/api/login/callback?code=abc&state=xyz`, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/start again from the sign-in page/);
  });

  it('refuses a return whose state is not the one it sent, and signs nobody in', async () => {
    const start = await fetch(`${base}/api/login`, { redirect: 'manual' });
    const loginCookie = start.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const response = await fetch(`${base}/api/login/callback?code=abc&state=forged`, {
      redirect: 'manual',
      headers: { cookie: loginCookie },
    });
    expect(response.status).toBe(401);
    expect(
      response.headers
        .getSetCookie()
        .some((line) => line.startsWith('preflight_session=') && !/=;/.test(line)),
    ).toBe(false);
  });
});

describe('project roles from the provider’s groups (--role-claim)', () => {
  it.each([
    { value: ['preflight:p1:reviewer', 'clinic-all-staff'], expected: [{ project: 'p1', role: 'reviewer' }] },
    { value: 'preflight:p1:lead', expected: [{ project: 'p1', role: 'lead' }] },
    { value: ['preflight:p1:viewer', 'preflight:p1:lead'], expected: [{ project: 'p1', role: 'viewer' }] },
    { value: ['preflight:p1:admin', 'preflight::lead', 'preflight:p1:lead:x', 7, null], expected: [] },
    { value: undefined, expected: [] },
  ])('reads $value as $expected', ({ value, expected }) => {
    expect(projectRolesOf(value)).toEqual(expected);
  });

  it('puts a person on the project their group names, once, and never changes what the lead gave', async () => {
    const project = await db.transaction((tx) =>
      createProject(tx, { issuer: idp.issuer, subject: 'dan' }, 'Ward 4 go-live', Date.now()),
    );
    USERS.gina.groups.push(`preflight:${project}:reviewer`, 'preflight:not-a-project:lead');
    await idp.signIn(base, 'gina');
    const gina = { issuer: idp.issuer, subject: 'gina' };
    expect((await membershipOf(db, gina, project, Date.now()))?.role).toBe('reviewer');
    const added = (await readAudit(db, { project })).filter((e) => e.kind === 'member-added');
    expect(added.map((e) => [e.actor?.subject, e.detail.role, e.detail.by])).toEqual([
      ['gina', 'reviewer', 'role-claim'],
    ]);
    // the lead makes her a viewer; her group still says reviewer: the lead's word stands
    const [member] = await db.query<{ id: string }>(
      'SELECT id FROM project_members WHERE project_id = $1 AND subject = $2',
      [project, 'gina'],
    );
    await db.query("UPDATE project_members SET role = 'viewer' WHERE id = $1", [member?.id]);
    await idp.signIn(base, 'gina');
    expect((await membershipOf(db, gina, project, Date.now()))?.role).toBe('viewer');
    expect((await readAudit(db, { project })).filter((e) => e.kind === 'member-added')).toHaveLength(1);
  });

  it.each([
    { description: 'top level', claims: { groups: ['a'] }, claim: 'groups', value: ['a'] },
    {
      description: 'nested, as Keycloak’s realm roles',
      claims: { realm_access: { roles: ['a'] } },
      claim: 'realm_access.roles',
      value: ['a'],
    },
    {
      description: 'nested under a client id with dots and dashes',
      claims: { resource_access: { 'preflight-web': { roles: ['a'] } } },
      claim: 'resource_access.preflight-web.roles',
      value: ['a'],
    },
    {
      description: 'a namespaced name read whole',
      claims: { 'https://clinic.org/roles': ['a'] },
      claim: 'https://clinic.org/roles',
      value: ['a'],
    },
    {
      description: 'a path through a list',
      claims: { realm_access: [{ roles: ['a'] }] },
      claim: 'realm_access.0.roles',
      value: undefined,
    },
    {
      description: 'a path that is not there',
      claims: { realm_access: {} },
      claim: 'realm_access.roles',
      value: undefined,
    },
  ])('reads the claim $claim: $description', ({ claims, claim, value }) => {
    expect(claimAt(claims, claim)).toEqual(value);
  });

  it.each([
    {
      roleClaim: 'realm_access.roles',
      give: (project: string) => ({ realmRoles: [`preflight:${project}:analyst`] }),
    },
    {
      roleClaim: 'resource_access.<client>.roles',
      give: (project: string) => ({ clientRoles: { [idp.clientId]: [`preflight:${project}:analyst`] } }),
    },
  ])('reads Keycloak’s nested roles (--role-claim $roleClaim)', async ({ roleClaim, give }) => {
    const claim = roleClaim.replace('<client>', idp.clientId);
    const nested = await createServer({
      checkAnswers: true,
      db,
      identity: createIdentityClient({
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        allowHttp: true,
        roleClaim: claim,
      }),
      insecureHttp: true,
      loginAttemptsPerMinute: 100,
    });
    try {
      const at = await nested.listen({ host: '127.0.0.1', port: 0 });
      idp.allowRedirect([`${base}/api/login/callback`, `${at}/api/login/callback`]);
      const project = await db.transaction((tx) =>
        createProject(tx, { issuer: idp.issuer, subject: 'dan' }, `Ward for ${claim}`, Date.now()),
      );
      Object.assign(USERS.kira, give(project));
      await idp.signIn(at, 'kira');
      const kira = { issuer: idp.issuer, subject: 'kira' };
      expect((await membershipOf(db, kira, project, Date.now()))?.role).toBe('analyst');
    } finally {
      await nested.close();
    }
  });
});

describe('an identity provider that fails', () => {
  it('says so to the person in words, and to IT with the provider, the status and the address', async () => {
    const { createServer: createHttpServer } = await import('node:http');
    // answers its discovery document until it goes down; its token endpoint only while up
    let up = false;
    const provider = createHttpServer((_request, response) => {
      if (!up) {
        response.statusCode = 503;
        response.end('Service Unavailable');
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
          token_endpoint: `${issuer}/protocol/openid-connect/token`,
          jwks_uri: `${issuer}/protocol/openid-connect/certs`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(provider.address() as { port: number }).port}/realms/clinic`;
    const lines: Record<string, unknown>[] = [];
    const server = await createServer({
      checkAnswers: true,
      db,
      identity: createIdentityClient({ issuer, clientId: 'preflight', allowHttp: true }),
      insecureHttp: true,
      // the file's other servers counted this address's attempts on the same database
      loginAttemptsPerMinute: 10_000,
      log: { level: 'info', stream: { write: (line) => lines.push(JSON.parse(line)) } },
    });
    const told = () =>
      lines.filter((line) => String(line.msg).startsWith('sign-in failed: the identity provider'));
    try {
      const at = await server.listen({ host: '127.0.0.1', port: 0 });
      // down at the start of a sign-in
      const answer = await fetch(`${at}/api/login?return=%23%2Fteam`, { redirect: 'manual' });
      expect(answer.status).toBe(503);
      expect(await answer.json()).toEqual({ error: PROVIDER_DOWN });
      expect(told()).toEqual([
        expect.objectContaining({
          level: 50,
          issuer,
          status: 503,
          address: `${issuer}/.well-known/openid-configuration`,
          msg: `sign-in failed: the identity provider ${issuer} answered 503 at ${issuer}/.well-known/openid-configuration; check that the provider runs and that this machine reaches it`,
        }),
      ]);

      // up at the start, down by the person's return: the code is never logged
      up = true;
      const started = await fetch(`${at}/api/login`, { redirect: 'manual' });
      expect(started.status).toBe(302);
      const state = new URL(started.headers.get('location') ?? '').searchParams.get('state');
      const cookie = started.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      up = false;
      const before = (await readAudit(db)).length;
      const back = await fetch(`${at}/api/login/callback?code=secret-code-4711&state=${state}`, {
        redirect: 'manual',
        headers: { cookie },
      });
      expect(back.status).toBe(503);
      expect(await back.json()).toEqual({ error: PROVIDER_DOWN });
      expect(told().at(-1)).toMatchObject({
        status: 503,
        address: `${issuer}/protocol/openid-connect/token`,
      });
      const [failed] = (await readAudit(db)).slice(before);
      expect(failed).toMatchObject({
        kind: 'sign-in-failed',
        detail: { reason: 'the identity provider did not answer (answered 503)' },
      });
      const logged = JSON.stringify(lines);
      expect(logged).not.toContain('secret-code-4711');
      expect(logged).not.toContain('stack');
    } finally {
      await server.close();
      await new Promise((resolve) => provider.close(resolve));
    }
  });
});

describe('a provider that sends groups only for the groups scope (--role-claim groups)', () => {
  const people = {
    okta: { name: 'Olu Kata', email: 'olu@clinic.test', groups: [] as string[] },
    // in no group at all: the provider sends no groups claim for her
    nogroup: { name: 'Nora Group', email: 'nora@clinic.test' },
  };
  const lines: string[] = [];
  let scoped: TestIdentityProvider;
  let server: FastifyInstance;
  let at: string;
  beforeAll(async () => {
    scoped = await startTestIdentityProvider(people, { groupsScope: true });
    const identity = createIdentityClient({
      issuer: scoped.issuer,
      clientId: scoped.clientId,
      clientSecret: scoped.clientSecret,
      allowHttp: true,
      roleClaim: 'groups',
    });
    server = await createServer({
      checkAnswers: true,
      db,
      identity,
      insecureHttp: true,
      loginAttemptsPerMinute: 100,
      log: { level: 'info', stream: { write: (line) => lines.push(line) } },
    });
    at = await server.listen({ host: '127.0.0.1', port: 0 });
    scoped.allowRedirect(`${at}/api/login/callback`);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await scoped?.stop();
  });
  const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('asks for the groups scope the provider lists, so the group puts the person on the project', async () => {
    const project = await db.transaction((tx) =>
      createProject(tx, { issuer: idp.issuer, subject: 'dan' }, 'Ward 5 go-live', Date.now()),
    );
    people.okta.groups.push(`preflight:${project}:analyst`);
    await scoped.signIn(at, 'okta');
    const olu = { issuer: scoped.issuer, subject: 'okta' };
    expect((await membershipOf(db, olu, project, Date.now()))?.role).toBe('analyst');
    expect(logged().filter((l) => l.msg === 'no project from the role claim')).toEqual([]);
  });

  it('logs why a person got no project when the provider sent no role claim, never the values', async () => {
    lines.length = 0;
    await scoped.signIn(at, 'nogroup');
    const said = logged().find((l) => l.msg === 'no project from the role claim');
    expect(said).toMatchObject({ member: 'nogroup', level: 40 });
    expect(said?.reason).toContain("the identity provider sent no 'groups' claim");
    expect(said?.reason).toContain('scopes asked: openid profile email groups');
    // the groups scope was asked already: the hint asks for no scope again, and none that does not exist
    expect(said?.reason).toContain('the scope groups was asked and the provider still sent no such claim');
    expect(said?.reason).not.toContain('--scope');
    // a claim that names no project is said too, without its values
    lines.length = 0;
    people.okta.groups.splice(0, people.okta.groups.length, 'clinic-secret-group');
    await scoped.signIn(at, 'okta');
    const none = logged().find((l) => l.msg === 'no project from the role claim');
    expect(none?.reason).toBe(
      "the 'groups' claim names no project: no value is shaped preflight:<project id>:<role>",
    );
    expect(lines.join('')).not.toContain('clinic-secret-group');
  });
});

describe('which scopes a sign-in asks for', () => {
  it.each([
    { config: {}, supported: ['openid', 'groups'], asked: 'openid profile email' },
    {
      config: { roleClaim: 'groups' },
      supported: ['openid', 'groups'],
      asked: 'openid profile email groups',
    },
    // a provider that lists no such scope (Entra ID) would refuse it: not asked unlisted
    { config: { roleClaim: 'groups' }, supported: ['openid', 'profile'], asked: 'openid profile email' },
    { config: { roleClaim: 'groups' }, supported: undefined, asked: 'openid profile email' },
    {
      config: { roleClaim: 'roles', scopes: ['roles', 'email'] },
      supported: [],
      asked: 'openid profile email roles',
    },
    // Keycloak: its `roles` scope carries realm_access and resource_access
    {
      config: { roleClaim: 'realm_access.roles' },
      supported: ['openid', 'profile', 'email', 'roles', 'web-origins'],
      asked: 'openid profile email roles',
    },
    {
      config: { roleClaim: 'resource_access.preflight.roles' },
      supported: ['openid', 'roles'],
      asked: 'openid profile email roles',
    },
    { config: { roleClaim: 'realm_access.roles' }, supported: ['openid'], asked: 'openid profile email' },
  ])('asks $asked of a provider listing $supported for $config', ({ config, supported, asked }) => {
    expect(scopesAsked(config, supported)).toBe(asked);
  });
});

describe('the audit log of signing in', () => {
  it('records each sign-in, sign-out and failed sign-in, in order, chained', async () => {
    const before = (await readAudit(db)).length;
    const { cookie } = await idp.signIn(base, 'dan');
    const { csrfToken } = await (await fetch(`${base}/api/me`, { headers: { cookie } })).json();
    await fetch(`${base}/api/logout`, { method: 'POST', headers: { cookie, [CSRF_HEADER]: csrfToken } });
    await fetch(`${base}/api/login/callback?code=abc&state=xyz`, { redirect: 'manual' });
    const entries = await readAudit(db);
    const dan = { issuer: idp.issuer, subject: 'dan', name: 'Dan Lead' };
    expect(entries.slice(before).map(({ kind, actor, detail }) => ({ kind, actor, detail }))).toEqual([
      // the sign-out names the session the sign-in started (auditEvidence.ts)
      {
        kind: 'sign-in',
        actor: dan,
        detail: {
          address: '127.0.0.1',
          session: expect.stringMatching(/^[0-9a-f]{64}$/),
          signedInAt: expect.any(String),
        },
      },
      {
        kind: 'sign-out',
        actor: dan,
        detail: { session: entries[before]?.detail.session, signedInAt: entries[before]?.detail.signedInAt },
      },
      {
        kind: 'sign-in-failed',
        actor: null,
        detail: { reason: 'not started here, or expired', address: '127.0.0.1' },
      },
    ]);
    expect(firstBrokenAuditEntry(entries)).toBeUndefined();
  });
});

describe('sign-in limits and cookies on a server behind HTTPS', () => {
  const PUBLIC_HOST = 'preflight.clinic.test';
  let strict: FastifyInstance;
  // what the server logs as failed, so an answer of 500 says why in the test's own failure
  const failures: string[] = [];
  beforeAll(async () => {
    const identity = createIdentityClient({ issuer: idp.issuer, clientId: idp.clientId, allowHttp: true });
    // a database of its own: the limits are counted in the database, and the server above has
    // counted this address's sign-ins there
    const own = await freshEmbedded();
    await migrate(own);
    strict = await createServer({
      checkAnswers: true,
      db: own,
      identity,
      loginAttemptsPerMinute: 3,
      publicUrl: `https://${PUBLIC_HOST}`,
      log: { level: 'error', stream: { write: (line) => failures.push(line) } },
    });
  });
  afterAll(async () => {
    await strict?.close();
  });

  it('sends the sign-in cookie Secure, HttpOnly and SameSite=Lax', async () => {
    const response = await strict.inject({
      method: 'GET',
      url: '/api/login',
      headers: { host: PUBLIC_HOST },
    });
    expect(response.statusCode, failures.join('')).toBe(302);
    const line = String(response.headers['set-cookie']);
    expect(line).toMatch(/^preflight_login=/);
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Lax/);
  });

  it('refuses attempts to complete a sign-in past the limit from one address (429)', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++)
      codes.push(
        (await strict.inject({ method: 'GET', url: '/api/login/callback', headers: { host: PUBLIC_HOST } }))
          .statusCode,
      );
    expect(codes, failures.join('')).toEqual([400, 400, 400, 429, 429]);
  });
});

describe('what the server keeps only for a while', () => {
  it('sweeps idle sessions, unanswered challenges, unfinished sign-ins and ended limits, nothing live', async () => {
    const own = await freshEmbedded();
    await migrate(own);
    const minute = 60_000;
    const t0 = Date.parse('2026-11-27T08:00:00Z');
    const person = (subject: string) => ({ issuer: idp.issuer, subject, name: subject, email: null });
    const pending = { state: 's', nonce: 'n', verifier: 'v' };
    const challenge = (at: number, session: string) =>
      own.query(
        `INSERT INTO signing_challenges (session_hash, project_id, purpose, challenge, issued_at)
         VALUES ($1, 'p', 'sign', 'c', $2)`,
        [session, new Date(at).toISOString()],
      );
    // the first of each is past its time at t0 + 31 minutes, the second is not
    await createSession(own, person('idle'), t0);
    await createSession(own, person('active'), t0 + 25 * minute);
    await challenge(t0, 'old');
    await challenge(t0 + 28 * minute, 'new');
    const stale = await holdSignIn(own, pending, t0);
    const live = await holdSignIn(own, pending, t0 + 29 * minute);
    await countRequest(own, 'GET /api/login 192.0.2.1', t0, minute);
    await countRequest(own, 'GET /api/login 192.0.2.2', t0 + 30.5 * minute, minute);

    expect(await takeSignIn(own, stale, t0 + 31 * minute), 'refused past its time before any sweep').toBe(
      undefined,
    );
    expect(await sweepExpired(own, t0 + 31 * minute)).toEqual({
      sessions: 1,
      challenges: 1,
      signIns: 0,
      limits: 1,
    });
    expect(await own.query('SELECT subject FROM sessions')).toEqual([{ subject: 'active' }]);
    expect(await own.query('SELECT session_hash FROM signing_challenges')).toEqual([{ session_hash: 'new' }]);
    expect(await own.query('SELECT key FROM rate_limit_windows')).toEqual([
      { key: 'GET /api/login 192.0.2.2' },
    ]);
    expect(await takeSignIn(own, live, t0 + 31 * minute)).toEqual(pending);
    expect(await takeSignIn(own, live, t0 + 31 * minute), 'taken once').toBe(undefined);

    // a server sweeps as it starts (and each few minutes after)
    await holdSignIn(own, pending, t0);
    const later = await createServer({ checkAnswers: true, db: own, clock: () => t0 + 2 * 60 * minute });
    await later.close();
    const left = await own.query(
      `SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM signing_challenges)
         + (SELECT count(*) FROM pending_sign_ins) + (SELECT count(*) FROM rate_limit_windows) AS n`,
    );
    expect(Number(left[0]?.n)).toBe(0);
  });
});
