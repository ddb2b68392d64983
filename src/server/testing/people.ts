/**
 * A server on a fresh database with people signed in, for the server's HTTP tests. People are
 * signed in with the server's own `signIn` (what the sign-in callback runs once the identity
 * provider has confirmed someone; signIn.test.ts proves that part against a real provider), so a
 * dozen people cost a dozen inserts. Test-only: imported by *.test.ts files, never by the server.
 */
import type { FastifyInstance } from 'fastify';
import { CSRF_HEADER, createServer, type Database, migrate, SESSION_COOKIE } from '../index.ts';
import { signIn } from '../sessions.ts';

/** The identity provider the test people come from. */
export const TEST_ISSUER = 'https://id.clinic.test';

/**
 * A test person: a name (signed in at {@link TEST_ISSUER} with `<key>@clinic.test`, an e-mail the
 * provider vouched for), or how the provider names them — no e-mail (Entra ID's default), an
 * e-mail it does not vouch for, another issuer.
 */
export type TestPerson =
  | string
  | { name: string; email?: string | null; emailVerified?: boolean; issuer?: string; subject?: string };

/** A running server and a way for each person to ask it. */
export interface ServerWithPeople<K extends string> {
  app: FastifyInstance;
  base: string;
  /**
   * `who` asks the server; the CSRF token rides on every request, as the app sends it (`headers`:
   * more of them, as a page adds)
   */
  ask(
    who: K,
    method: string,
    path: string,
    body?: unknown,
    headers?: Readonly<Record<string, string>>,
    // biome-ignore lint/suspicious/noExplicitAny: each test reads the JSON answer of its own route
  ): Promise<{ status: number; body: any }>;
  /** `who`'s session cookie alone (a request without the CSRF token) */
  cookieOf(who: K): string;
  /** signs `who` in again as `person` says (another issuer, say); their requests then go as that */
  signInAs(who: K, person: TestPerson): Promise<void>;
  close(): Promise<void>;
}

/**
 * Migrates `db`, starts a server on it on 127.0.0.1 with `clock` (and `options`: a time-stamp
 * authority), and signs in `people` (key: name).
 */
export async function serverWithPeople<K extends string>(
  db: Database,
  people: Readonly<Record<K, TestPerson>>,
  clock: () => number,
  options: {
    tsaUrl?: string;
    logKeyFile?: string;
    logAnchorFile?: string;
    /** the database's owner migrated it already (a runtime role may not) */
    migrated?: boolean;
    /** as the server's option: 0 sweeps only at start */
    sweepIntervalMs?: number;
  } = {},
): Promise<ServerWithPeople<K>> {
  const { migrated, ...serverOptions } = options;
  if (!migrated) await migrate(db);
  const app = await createServer({ checkAnswers: true, db, clock, insecureHttp: true, ...serverOptions });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const sessions = new Map<string, { cookie: string; csrf: string }>();
  const signInAs = async (key: string, person: TestPerson) => {
    const named = typeof person === 'string' ? { name: person } : person;
    const email = named.email === undefined ? `${key}@clinic.test` : named.email;
    const { token, session } = await signIn(
      db,
      {
        issuer: named.issuer ?? TEST_ISSUER,
        subject: named.subject ?? key,
        name: named.name,
        email,
        emailVerified: named.emailVerified ?? email !== null,
      },
      clock(),
      '127.0.0.1',
    );
    sessions.set(key, { cookie: `${SESSION_COOKIE}=${token}`, csrf: session.csrfToken });
  };
  for (const [key, person] of Object.entries<TestPerson>(people)) await signInAs(key, person);
  return {
    signInAs,
    app,
    base,
    async ask(who, method, path, body, headers = {}) {
      const { cookie, csrf } = sessions.get(who) as { cookie: string; csrf: string };
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...headers,
          cookie,
          [CSRF_HEADER]: csrf,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
    },
    cookieOf: (who) => (sessions.get(who) as { cookie: string }).cookie,
    close: () => app.close(),
  };
}
