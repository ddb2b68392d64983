/**
 * A real OpenID Connect provider for tests (`oidc-provider`) on 127.0.0.1 at a free port, with
 * test users, and a browser stand-in that signs one of them in to a Preflight server: it follows
 * the redirects with a cookie jar per origin, as a browser would. The provider's own login and
 * consent pages are replaced by one step that signs in the user the test named (no password
 * form to drive), so every other part — discovery, PKCE, state, nonce, the code exchange and the
 * signed ID token — is the real protocol.
 * In a real browser (the team journey, `npm run team-demo`) no test names the user: the login
 * step is then a page listing the users to pick from, with no password, and it says so.
 * Test and demo only: imported by tests and by the team demo, never by the server.
 */
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';

/** What the picking page says about itself: a demo stand-in, not a way to protect anything. */
export const DEMO_PROVIDER_NOTICE =
  'Pick who you are. There are no passwords: this is a demo identity provider, for trying Preflight on this computer only. A clinic signs in with its own provider.';

/**
 * A person the test provider knows. Like a clinic's directory, it vouches for their e-mail
 * (`email_verified: true`) unless told otherwise; `email: null` sends none, as Entra ID does
 * by default.
 */
export interface TestUser {
  name: string;
  email: string | null;
  /** default true when there is an e-mail */
  emailVerified?: boolean;
  /** sent as the `groups` claim, as Keycloak's and Okta's group mappers do */
  groups?: string[];
  /**
   * sent nested, as Keycloak's role mappers send roles (its `roles` scope): realm roles as
   * `realm_access.roles`, a client's roles as `resource_access.<client id>.roles`
   */
  realmRoles?: string[];
  clientRoles?: Record<string, string[]>;
}

/** The claims the test provider sends for `user`: no e-mail claims without an e-mail. */
function claimsOf(id: string, user: TestUser): Record<string, unknown> {
  const groups = {
    ...(user.groups === undefined ? {} : { groups: user.groups }),
    ...(user.realmRoles === undefined ? {} : { realm_access: { roles: user.realmRoles } }),
    ...(user.clientRoles === undefined
      ? {}
      : {
          resource_access: Object.fromEntries(
            Object.entries(user.clientRoles).map(([client, roles]) => [client, { roles }]),
          ),
        }),
  };
  if (user.email === null) return { sub: id, name: user.name, ...groups };
  return {
    sub: id,
    name: user.name,
    email: user.email,
    email_verified: user.emailVerified ?? true,
    ...groups,
  };
}

/** A running test provider. */
export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** registers the Preflight server's callback (or its callbacks, under each name it is reached by); call once, before the first sign-in */
  allowRedirect(uri: string | readonly string[]): void;
  /**
   * signs `user` (a key of the users given) in to the server at `base`, starting at `start`
   * (default `/api/login`): the `cookie` header of its session, the `Set-Cookie` line the server
   * sent it in, and where the server sent the browser at the end
   */
  signIn(
    base: string,
    user: string,
    /** where the sign-in starts (default /api/login), as a path or `{ path }` */
    start?: string | { path?: string },
  ): Promise<{ cookie: string; setCookie: string; landedAt: string }>;
  /** how many authorization requests arrived, with which PKCE method (and max_age and prompt, when asked) */
  readonly authorizationRequests: { codeChallengeMethod: unknown; maxAge?: string; prompt?: string }[];
  stop(): Promise<void>;
}

/**
 * Starts a provider on 127.0.0.1 with `users` (id → name and e-mail), at `port` (default: a free
 * one); `groupsScope`: the `groups` claim is sent only when the `groups` scope is asked (Okta's
 * and many Keycloak set-ups), not with `profile`.
 */
export async function startTestIdentityProvider(
  users: Record<string, TestUser>,
  { port = 0, groupsScope = false }: { port?: number; groupsScope?: boolean } = {},
): Promise<TestIdentityProvider> {
  let provider: Provider | undefined;
  let nextUser: string | undefined;
  const authorizationRequests: TestIdentityProvider['authorizationRequests'] = [];
  const clientId = 'preflight-test';
  const clientSecret = 'a-test-secret-of-enough-length-for-hs256-0123456789';
  const server: Server = createServer(async (req, res) => {
    if (provider === undefined) {
      res.statusCode = 503;
      res.end('call allowRedirect first');
      return;
    }
    if (req.url?.startsWith('/auth?')) {
      const query = new URL(req.url, 'http://x').searchParams;
      const maxAge = query.get('max_age');
      const prompt = query.get('prompt');
      authorizationRequests.push({
        codeChallengeMethod: query.get('code_challenge_method'),
        ...(maxAge === null ? {} : { maxAge }),
        ...(prompt === null ? {} : { prompt }),
      });
    }
    if (req.url?.startsWith('/interaction/')) {
      const accountId = nextUser ?? (await pickedUser(req, res, users));
      if (accountId === undefined) return;
      const grant = new provider.Grant({ accountId, clientId });
      // consent to the scopes the client asked for, as a person clicking "allow" would
      const { params } = await provider.interactionDetails(req, res);
      grant.addOIDCScope(typeof params.scope === 'string' ? params.scope : 'openid profile email');
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId }, consent: { grantId } },
        {
          mergeWithLastSubmission: false,
        },
      );
      return;
    }
    provider.callback()(req, res);
  });
  server.listen(port, '127.0.0.1');
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(error)),
  ]);
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    clientId,
    clientSecret,
    authorizationRequests,
    allowRedirect(uri) {
      provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: typeof uri === 'string' ? [uri] : [...uri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        findAccount: (_ctx: unknown, id: string) => {
          const user = users[id];
          return user && { accountId: id, claims: () => claimsOf(id, user) };
        },
        claims: {
          ...(groupsScope
            ? { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'], groups: ['groups'] }
            : { openid: ['sub'], profile: ['name', 'groups'], email: ['email', 'email_verified'] }),
          // Keycloak's `roles` client scope
          roles: ['realm_access', 'resource_access'],
        },
        interactions: {
          url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
        },
        features: { devInteractions: { enabled: false } },
        // The provider lives for one test run or one demo session: its grants and sessions are
        // meant to vanish with it. Naming the store and the lifetimes says so, and keeps the
        // provider's start-up advice for production deployments out of the demo's output.
        adapter: RunScopedAdapter,
        ttl: PROVIDER_LIFETIMES,
        pkce: { required: () => true },
        cookies: { keys: ['test-cookie-key'] },
        jwks: {
          keys: [generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })],
        },
      });
    },
    async signIn(base, user, start = '/api/login') {
      nextUser = user;
      const jar = new Map<string, Map<string, string>>();
      let setCookie = '';
      let landedAt = '';
      let url = `${base}${typeof start === 'string' ? start : (start.path ?? '/api/login')}`;
      for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
        const origin = new URL(url).origin;
        const cookies = jar.get(origin) ?? new Map<string, string>();
        jar.set(origin, cookies);
        const response = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const line of response.headers.getSetCookie()) {
          const [pair = ''] = line.split(';');
          const at = pair.indexOf('=');
          const value = pair.slice(at + 1);
          if (pair.startsWith('preflight_session=')) setCookie = line;
          if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line))
            cookies.delete(pair.slice(0, at));
          else cookies.set(pair.slice(0, at), value);
        }
        const location = response.headers.get('location');
        if (location === null) break;
        url = new URL(location, url).href;
        if (new URL(url).origin === new URL(base).origin && !url.includes('/api/')) {
          landedAt = url;
          break;
        }
      }
      nextUser = undefined;
      const session = jar.get(new URL(base).origin)?.get('preflight_session');
      if (session === undefined) throw new Error(`signing in ${user} did not end with a session`);
      return { cookie: `preflight_session=${session}`, setCookie, landedAt: landedAt || url };
    },
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

const MAX_REDIRECTS = 12;

/** oidc-provider's in-memory store, on purpose: state that lasts exactly as long as the run. */
class RunScopedAdapter extends MemoryAdapter {}

/** Lifetimes of the provider's artifacts, in seconds: an hour for tokens, two weeks for sign-ins. */
const PROVIDER_LIFETIMES = {
  AccessToken: 3_600,
  IdToken: 3_600,
  Interaction: 3_600,
  Grant: 14 * 24 * 3_600,
  Session: 14 * 24 * 3_600,
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The login step in a real browser: GET shows the users as buttons, POST names the one picked.
 * Resolves to the picked user's id, or undefined once it has answered the request itself.
 */
async function pickedUser(
  req: IncomingMessage,
  res: ServerResponse,
  users: Record<string, TestUser>,
): Promise<string | undefined> {
  if (req.method === 'POST') {
    let body = '';
    for await (const chunk of req) body += chunk;
    const picked = new URLSearchParams(body).get('user');
    if (picked !== null && Object.hasOwn(users, picked)) return picked;
    res.statusCode = 400;
    res.end('pick one of the listed people');
    return undefined;
  }
  const buttons = Object.entries(users)
    .map(
      ([id, user]) =>
        `<li><button type="submit" name="user" value="${escapeHtml(id)}">${escapeHtml(user.name)}</button> <span>${escapeHtml(user.email ?? '')}</span></li>`,
    )
    .join('');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  // no form-action: the provider's answer to the form redirects on to Preflight, another origin
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Demo sign-in</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}ul{list-style:none;padding:0}li{margin:.5rem 0}button{font:inherit;padding:.4rem .8rem;min-width:12rem;text-align:left}span{color:#444}</style></head>
<body><main><h1>Demo sign-in</h1><p>${escapeHtml(DEMO_PROVIDER_NOTICE)}</p><form method="post"><ul>${buttons}</ul></form></main></body></html>`);
  return undefined;
}
