/**
 * Sign-in with the clinic's identity provider: OpenID Connect, authorization code with PKCE
 * (`openid-client`). Preflight keeps no passwords. The provider's configuration is fetched at
 * the first sign-in and kept, so the server starts even while the provider is briefly down.
 *
 * Constraints: the pending sign-in (state, nonce, PKCE verifier) is kept in the database for ten
 * minutes and used once, the browser holding only its token (pendingSignIns.ts); the ID token's issuer, audience, nonce and
 * signature are checked by openid-client before anyone is signed in.
 */
import * as oidc from 'openid-client';
import { ROLES, type Role } from '../core/teamApi/index.ts';

/** The identity provider the server trusts, as its administrator configured it. */
export interface IdentityConfig {
  /** the provider's issuer URL (its `/.well-known/openid-configuration` sits under it) */
  issuer: string;
  clientId: string;
  /** the client secret, from the environment; absent: a public client (PKCE alone) */
  clientSecret?: string;
  /** plain-HTTP providers on loopback, for tests and demos only */
  allowHttp?: boolean;
  /**
   * a claim of the ID token (or userinfo) listing the person's groups or roles (`groups`,
   * `roles`), or a dotted path to one nested in an object claim, as Keycloak issues roles
   * (`realm_access.roles`, `resource_access.<client id>.roles`; see {@link claimAt}); values
   * `preflight:<project id>:<role>` put them on that project (see {@link projectRolesOf}).
   * Absent: project roles are the lead's alone.
   */
  roleClaim?: string;
  /**
   * scopes asked for besides `openid profile email` (`--scope`): those some providers send the
   * role claim under. See {@link scopesAsked} for the one added unasked.
   */
  scopes?: readonly string[];
  /** how long a request to the provider may take before it counts as not answering; default 30 s */
  timeoutSeconds?: number;
}

/** What a sign-in in progress keeps until the provider sends the user back. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  /** the provider was asked to sign the person in afresh (`max_age=0`, `prompt=login`), at `startedAt` */
  fresh?: boolean;
  startedAt?: number;
}

/** How far the provider's clock may be behind the server's when it says when it signed someone in. */
const AUTH_TIME_SKEW_MS = 60_000;

/** Who the provider says signed in. */
export interface SignedInClaims {
  issuer: string;
  subject: string;
  name: string;
  email: string | null;
  /**
   * the provider asserted that the e-mail is the person's (`email_verified: true`); only then may
   * a lead add them to a project by it. Entra ID and many ADFS set-ups never say so.
   */
  emailVerified: boolean;
  /** the project roles the provider's role claim names, when the server reads one */
  projectRoles?: ProjectRoleClaim[];
  /**
   * why the role claim gave this person no project, in words for the log (absent: it gave one,
   * or the server reads no role claim); never the claim's values
   */
  noRoleReason?: string;
  /** for a fresh sign-in: when the provider signed the person in (its `auth_time`), in milliseconds */
  freshAuthAt?: number;
}

/** The scopes always asked for: who the person is, and their name and e-mail for the roster. */
const SCOPES = ['openid', 'profile', 'email'];

/**
 * The scopes a sign-in asks for: `openid profile email`, the administrator's `scopes`, and the
 * role claim's own name when the provider lists a scope of that name (`scopes_supported` in its
 * discovery document: Okta's and Keycloak's `groups`), or for a nested claim the first or last
 * step of its path so listed (Keycloak's `roles` for `realm_access.roles`). Such providers send the claim only when
 * its scope is asked; a provider that lists no such scope (Entra ID) would refuse one it does
 * not know, so it is never added unlisted.
 */
export function scopesAsked(
  config: Pick<IdentityConfig, 'roleClaim' | 'scopes'>,
  supported: readonly string[] | undefined,
): string {
  const { roleClaim, scopes = [] } = config;
  const steps = roleClaim?.split('.') ?? [];
  const listed = [roleClaim, steps[0], steps.at(-1)].find(
    (name) => name !== undefined && supported?.includes(name),
  );
  const claimScope = listed === undefined ? [] : [listed];
  return [...new Set([...SCOPES, ...scopes, ...claimScope])].join(' ');
}

/**
 * The value of `claim` in `claims`: the claim of that name, else the dotted path into nested
 * objects (`realm_access.roles` is `claims.realm_access.roles`). A name that holds dots itself
 * (a namespaced claim, `https://clinic.org/roles`) is read whole first.
 */
export function claimAt(claims: Readonly<Record<string, unknown>>, claim: string): unknown {
  if (claims[claim] !== undefined) return claims[claim];
  let value: unknown = claims;
  for (const step of claim.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/**
 * What to ask of the provider when it sent no role claim: a scope only where the provider lists
 * it (its discovery document's `scopes_supported`), never one it may not know.
 */
function scopeHint(roleClaim: string, supported: readonly string[] | undefined, asked: string): string {
  const askedSet = new Set(asked.split(' '));
  const steps = roleClaim.split('.');
  const put =
    'have the provider add the claim to the ID token or userinfo (for Keycloak: "Add to ID token" on the mapper of the client scope that carries it)';
  // the scope named like the claim, which scopesAsked asked already (Keycloak's `roles` for realm_access.roles)
  const named = [roleClaim, steps[0], steps.at(-1)].find(
    (name) => name !== undefined && supported?.includes(name),
  );
  if (named !== undefined)
    return `the scope ${named} was asked and the provider still sent no such claim: the person may be in no group or role, or ${put}`;
  const others = (supported ?? []).filter((scope) => !askedSet.has(scope));
  if (others.length > 0)
    return `ask for the scope that carries it with --scope, one the provider lists (${others.slice(0, 20).join(' ')}), or ${put}`;
  return `${put}; the provider lists no further scope to ask for`;
}

/** Why the role claim read (`value`, absent when the provider sent none) put the person on no project. */
function noRoleReason(
  roleClaim: string,
  value: unknown,
  roles: readonly ProjectRoleClaim[],
  asked: string,
  supported: readonly string[] | undefined,
) {
  if (value === undefined)
    return `the identity provider sent no '${roleClaim}' claim in the ID token or userinfo (scopes asked: ${asked}): ${scopeHint(roleClaim, supported, asked)}`;
  if (roles.length === 0)
    return `the '${roleClaim}' claim names no project: no value is shaped preflight:<project id>:<role>`;
  return undefined;
}

/** The relying party's side of the sign-in, configuration fetched once. */
export interface IdentityClient {
  /**
   * where to send the browser to sign in, and what to keep until it comes back; `fresh` asks the
   * provider to make the person sign in again even if it remembers them (before signing)
   */
  begin(
    redirectUri: string,
    options?: { fresh?: boolean; now?: number },
  ): Promise<{ url: string; pending: PendingSignIn }>;
  /** checks the provider's answer at `callbackUrl` and returns who signed in */
  finish(callbackUrl: URL, pending: PendingSignIn): Promise<SignedInClaims>;
}

/** Error codes of a connection that closed before any answer came back on it. */
const CLOSED_CONNECTION = new Set(['UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNRESET', 'EPIPE']);

function closedBeforeAnswer(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' && CLOSED_CONNECTION.has(cause.code);
}

/**
 * `fetch` for the requests to the provider. A GET (discovery, keys, userinfo) whose connection
 * closed before any answer is sent once more: a kept-alive connection the provider or its proxy
 * closed just as it was reused fails that way, and browsers send an idempotent request again for
 * the same reason. A POST (a code is good once) and every other failure fail as they came.
 */
export const providerFetch: oidc.CustomFetch = async (url, options) => {
  // openid-client's body type is a subset of fetch's but for TypeScript's typed-array generics
  const init = options as RequestInit;
  try {
    return await fetch(url, init);
  } catch (error) {
    if (options.method !== 'GET' || !closedBeforeAnswer(error)) throw error;
    return fetch(url, init);
  }
};

/**
 * The identity provider failed to answer a request of a sign-in (it was down, answered with a
 * server error, or took too long): not the person's doing. Names the provider, the address asked
 * (without its query, which may carry a code) and the status, for IT; never a token or a code.
 */
export class IdentityProviderError extends Error {
  override name = 'IdentityProviderError';
  constructor(
    /** the provider's issuer URL, as configured */
    readonly issuer: string,
    /** the address asked, without query or fragment */
    readonly address: string,
    /** the HTTP status it answered with; absent when it did not answer */
    readonly status: number | undefined,
    /** what happened, in words: `answered 503`, `did not answer within 30 s`, `could not be reached (ECONNREFUSED)` */
    readonly what: string,
  ) {
    super(`the identity provider ${issuer} ${what} at ${address}`);
  }
}

/** The person's words when the identity provider failed: nothing they did, and what to do. */
export const PROVIDER_DOWN =
  "The clinic's sign-in service did not answer, so you are not signed in. Try again in a few minutes; if it keeps happening, tell the clinic's IT (the server's log says which service and why).";

/** How long a request to the provider may take by default, in seconds (openid-client's own default). */
const PROVIDER_TIMEOUT_SECONDS = 30;

/** `url` without its query and fragment: an address safe to log. */
function addressOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(not an address)';
  }
}

/** The {@link IdentityProviderError} in `error` or its causes, if any. */
function providerErrorIn(error: unknown): IdentityProviderError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (e instanceof IdentityProviderError) return e;
  return undefined;
}

/**
 * {@link providerFetch} that turns the provider's own failures into {@link IdentityProviderError}s:
 * no answer (down, or past the timeout), a server error (5xx), or a GET for a document that is
 * not there (404: a wrong issuer URL). Other answers (a 400 for a code already used) are
 * openid-client's to judge, as the protocol says.
 */
function failingProviderFetch(issuer: string, timeoutSeconds: number): oidc.CustomFetch {
  return async (url, options) => {
    const address = addressOf(url);
    let response: Response;
    try {
      response = await providerFetch(url, options);
    } catch (error) {
      const timedOut =
        error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const code = error instanceof Error ? (error.cause as { code?: unknown } | undefined)?.code : undefined;
      throw new IdentityProviderError(
        issuer,
        address,
        undefined,
        timedOut
          ? `did not answer within ${timeoutSeconds} s`
          : `could not be reached${typeof code === 'string' ? ` (${code})` : ''}`,
      );
    }
    if (response.status >= 500 || (options.method === 'GET' && response.status === 404))
      throw new IdentityProviderError(issuer, address, response.status, `answered ${response.status}`);
    return response;
  };
}

/** A client of the provider `config` names. */
export function createIdentityClient(config: IdentityConfig): IdentityClient {
  const { roleClaim } = config;
  const timeout = config.timeoutSeconds ?? PROVIDER_TIMEOUT_SECONDS;
  const fetchOf = failingProviderFetch(config.issuer, timeout);
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= oidc
      .discovery(
        new URL(config.issuer),
        config.clientId,
        undefined,
        config.clientSecret === undefined ? oidc.None() : oidc.ClientSecretBasic(config.clientSecret),
        {
          [oidc.customFetch]: fetchOf,
          timeout,
          ...(config.allowHttp ? { execute: [oidc.allowInsecureRequests] } : {}),
        },
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };
  // openid-client wraps what its fetch threw: the provider's failure is handed on as itself
  const handingOn =
    <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await work(...args);
      } catch (error) {
        throw providerErrorIn(error) ?? error;
      }
    };
  return {
    begin: handingOn(
      async (
        redirectUri: string,
        { fresh = false, now = Date.now() }: { fresh?: boolean; now?: number } = {},
      ) => {
        const pending: PendingSignIn = {
          state: oidc.randomState(),
          nonce: oidc.randomNonce(),
          verifier: oidc.randomPKCECodeVerifier(),
          ...(fresh ? { fresh: true, startedAt: now } : {}),
        };
        const provider = await configuration();
        const url = oidc.buildAuthorizationUrl(provider, {
          redirect_uri: redirectUri,
          scope: scopesAsked(config, provider.serverMetadata().scopes_supported),
          state: pending.state,
          nonce: pending.nonce,
          code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
          code_challenge_method: 'S256',
          ...(fresh ? { max_age: '0', prompt: 'login' } : {}),
        });
        return { url: url.href, pending };
      },
    ),
    finish: handingOn(async (callbackUrl: URL, pending: PendingSignIn): Promise<SignedInClaims> => {
      const provider = await configuration();
      const tokens = await oidc.authorizationCodeGrant(provider, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (claims === undefined) throw new Error('the identity provider sent no ID token');
      // providers that follow the core spec to the letter put name and e-mail (and the role
      // claim) only in userinfo
      const profile =
        typeof claims.name === 'string' &&
        (roleClaim === undefined || claimAt(claims, roleClaim) !== undefined)
          ? claims
          : await oidc.fetchUserInfo(provider, tokens.access_token, claims.sub);
      const name =
        typeof claims.name === 'string'
          ? claims.name
          : typeof profile.name === 'string'
            ? profile.name
            : claims.sub;
      const email = typeof profile.email === 'string' ? profile.email : null;
      const roleValue =
        roleClaim === undefined ? undefined : (claimAt(claims, roleClaim) ?? claimAt(profile, roleClaim));
      const projectRoles = roleClaim === undefined ? undefined : projectRolesOf(roleValue);
      const supported = provider.serverMetadata().scopes_supported;
      const asked = scopesAsked(config, supported);
      const reason =
        roleClaim === undefined || projectRoles === undefined
          ? undefined
          : noRoleReason(roleClaim, roleValue, projectRoles, asked, supported);
      const person = {
        issuer: claims.iss,
        subject: claims.sub,
        name,
        email,
        emailVerified: email !== null && isAsserted(profile.email_verified ?? claims.email_verified),
        ...(projectRoles === undefined ? {} : { projectRoles }),
        ...(reason === undefined ? {} : { noRoleReason: reason }),
      };
      if (!pending.fresh) return person;
      // a provider that remembered the person and did not ask again must not pass for a fresh
      // sign-in: its auth_time must be after this sign-in began (21 CFR 11.200(a)(1)(i))
      const authTime = typeof claims.auth_time === 'number' ? claims.auth_time * 1000 : undefined;
      if (authTime === undefined || authTime < (pending.startedAt ?? 0) - AUTH_TIME_SKEW_MS)
        throw new Error('the identity provider did not sign the person in afresh');
      return { ...person, freshAuthAt: authTime };
    }),
  };
}

/**
 * Whether a provider's boolean claim says yes: `true`, or the string `"true"` some providers
 * (older ADFS and Cognito set-ups) send. Anything else, absence included, is no.
 */
function isAsserted(claim: unknown): boolean {
  return claim === true || claim === 'true';
}

/** A project role a provider's claim gives: `preflight:<project id>:<role>`. */
export interface ProjectRoleClaim {
  project: string;
  role: Role;
}

/** The prefix of a claim value that names a project role. */
const ROLE_CLAIM_PREFIX = 'preflight:';
/** The most values of a role claim read (Entra ID sends at most 200 groups in a token). */
const MAX_ROLE_CLAIM_VALUES = 500;

/**
 * The project roles in a role claim's value: a list of strings (or one string) of which those
 * shaped `preflight:<project id>:<role>` count, a role being one of the six; everything else (the
 * clinic's other groups) is ignored. One role per project: the first named.
 */
export function projectRolesOf(value: unknown): ProjectRoleClaim[] {
  const values = (Array.isArray(value) ? value : [value]).slice(0, MAX_ROLE_CLAIM_VALUES);
  const found = new Map<string, Role>();
  for (const item of values) {
    if (typeof item !== 'string' || !item.startsWith(ROLE_CLAIM_PREFIX)) continue;
    const [project = '', role = '', ...rest] = item.slice(ROLE_CLAIM_PREFIX.length).split(':');
    if (rest.length > 0 || project === '' || !(ROLES as readonly string[]).includes(role)) continue;
    if (!found.has(project)) found.set(project, role as Role);
  }
  return [...found].map(([project, role]) => ({ project, role }));
}
