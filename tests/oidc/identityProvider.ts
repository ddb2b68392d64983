/**
 * A real OpenID Connect provider for tests (`oidc-provider`) on 127.0.0.1 at a free port, with
 * test users, and a browser stand-in that signs one of them in to a Preflight server: it follows
 * the redirects with a cookie jar per origin, as a browser would. The provider's own login and
 * consent pages are replaced by one step that signs in the user the test named (no password
 * form to drive), so every other part — discovery, PKCE, state, nonce, the code exchange and the
 * signed ID token — is the real protocol.
 * Test-only: imported by *.test.ts files.
 */
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person the test provider knows. */
export interface TestUser {
  name: string;
  email: string;
}

/** A running test provider. */
export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** registers the Preflight server's callback; call once, before the first sign-in */
  allowRedirect(uri: string): void;
  /**
   * signs `user` (a key of the users given) in to the server at `base`: the `cookie` header of its
   * session, and the `Set-Cookie` line the server sent it in
   */
  signIn(
    base: string,
    user: string,
    options?: { path?: string },
  ): Promise<{ cookie: string; setCookie: string; landedAt: string }>;
  /** how many authorization requests arrived, with which PKCE method (and max_age and prompt, when asked) */
  readonly authorizationRequests: { codeChallengeMethod: unknown; maxAge?: string; prompt?: string }[];
  stop(): Promise<void>;
}

/** Starts a provider on 127.0.0.1 with `users` (id → name and e-mail). */
export async function startTestIdentityProvider(
  users: Record<string, TestUser>,
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
      const accountId = nextUser;
      if (accountId === undefined) {
        res.statusCode = 400;
        res.end('no test user named');
        return;
      }
      const grant = new provider.Grant({ accountId, clientId });
      grant.addOIDCScope('openid profile email');
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
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
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
            redirect_uris: [uri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        findAccount: (_ctx: unknown, id: string) => {
          const user = users[id];
          return user && { accountId: id, claims: () => ({ sub: id, name: user.name, email: user.email }) };
        },
        claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
        interactions: {
          url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
        },
        features: { devInteractions: { enabled: false } },
        pkce: { required: () => true },
        cookies: { keys: ['test-cookie-key'] },
        jwks: {
          keys: [generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })],
        },
      });
    },
    async signIn(base, user, { path = '/api/login' } = {}) {
      nextUser = user;
      const jar = new Map<string, Map<string, string>>();
      let setCookie = '';
      let url = `${base}${path}`;
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
      }
      const session = jar.get(new URL(base).origin)?.get('preflight_session');
      if (session === undefined) throw new Error(`signing in ${user} did not end with a session`);
      return { cookie: `preflight_session=${session}`, setCookie, landedAt: url };
    },
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

const MAX_REDIRECTS = 12;
