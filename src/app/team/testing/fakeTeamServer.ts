/**
 * A stand-in for the team server at the client's one boundary (its `fetch`): answers by method
 * and path from a table the test may change as it goes, and records every request (method, path,
 * headers, body) so a test can check the CSRF header and what was sent. A path not in the table
 * gets the static server's answer under `npm start`: the app's own HTML page.
 * Test-only: imported by *.test.tsx files.
 */
import type { ServerSigningKey } from '../../signoff/serverSigning.ts';
import type { Fetch, TeamMember, TeamRole } from '../teamClient.ts';

/**
 * An answer: status and JSON body, or a function of the request's body (its promise: the answer
 * waits until the test settles it, to see a screen while a read is under way).
 */
export type FakeAnswer =
  | [number, unknown?]
  | ((body: unknown) => [number, unknown?] | Promise<[number, unknown?]>);

export interface FakeTeamServer {
  fetchImpl: Fetch;
  /** `"METHOD /path"` → answer; change it to change what the server says next */
  routes: Record<string, FakeAnswer>;
  calls: { method: string; path: string; headers: Record<string, string>; body: unknown }[];
}

export function fakeTeamServer(routes: Record<string, FakeAnswer>): FakeTeamServer {
  const server: FakeTeamServer = {
    routes,
    calls: [],
    fetchImpl: async (path, init = {}) => {
      const method = init.method ?? 'GET';
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
      server.calls.push({ method, path, headers: { ...(init.headers as Record<string, string>) }, body });
      const route = server.routes[`${method} ${path}`];
      if (route === undefined)
        return new Response('<!doctype html><title>Preflight</title>', {
          status: 200,
          headers: { 'content-type': 'text/html' },
        });
      const [status, answer] = typeof route === 'function' ? await route(body) : route;
      if (status === 204 || answer === undefined) return new Response(null, { status });
      return new Response(JSON.stringify(answer), {
        status,
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
    },
  };
  return server;
}

/** The server's answer to `/api/session` for a signed-in person (`null`: nobody). */
export function sessionAnswer(
  user: { subject: string; name: string; email?: string } | null,
  signInAvailable = true,
): [number, unknown] {
  return [
    200,
    user === null
      ? { format: 'preflight.session/v1', signInAvailable, user: null }
      : {
          format: 'preflight.session/v1',
          signInAvailable,
          user: { issuer: 'https://idp.test', email: null, ...user },
          csrfToken: 'csrf-1',
        },
  ];
}

/** A signing key as the server lists it: `subject`'s, waiting for the lead unless `change` says otherwise. */
export function signingKey(
  subject: string,
  name: string,
  change: Partial<ServerSigningKey> = {},
): ServerSigningKey {
  return {
    id: `k-${subject}`,
    subject,
    name,
    credentialId: `cred-${subject}`,
    algorithm: -7,
    fingerprint: `${subject}0123456789abcdef`,
    registeredAt: '2026-11-25T09:00:00.000Z',
    status: 'awaiting confirmation',
    confirmedAt: null,
    revokedAt: null,
    revokedReason: null,
    confirmedBy: null,
    revokedBy: null,
    ...change,
  };
}

/** A current member of the project, with an e-mail made from her subject. */
export const teamMember = (subject: string, name: string, role: TeamRole): TeamMember => ({
  id: `m-${subject}`,
  subject,
  name,
  email: `${subject}@clinic.test`,
  role,
  expiresOn: null,
  expired: false,
});
