/**
 * A team server to try on one computer: `preflight serve`'s server (the embedded database) with
 * the test identity provider beside it, whose sign-in page lets you pick one of a go-live team's
 * demo people (no passwords), and a demo project with all of them on its team. `npm run
 * team-demo` starts it (teamDemoMain.ts); the team journey (tests/e2e/journeyTeam.spec.ts) starts
 * the same thing on free ports, without the demo project.
 * Demo and test only: never part of the server a clinic runs.
 */
import { fileURLToPath } from 'node:url';
import { CSRF_HEADER, type RunningServer, type Storage, startServer } from '../../src/server/index.ts';
import { startTestIdentityProvider, type TestIdentityProvider, type TestUser } from './identityProvider.ts';

/**
 * The demo team, one person per role (two reviewers and two steering members, who co-sign the
 * go/no-go), by their id at the demo provider.
 */
export const DEMO_TEAM: Record<string, TestUser & { role: string }> = {
  lena: { name: 'Lena Okafor', email: 'lead@demo-clinic.test', role: 'lead' },
  arun: { name: 'Arun Mehta', email: 'analyst@demo-clinic.test', role: 'analyst' },
  rosa: { name: 'Rosa Lindqvist', email: 'reviewer1@demo-clinic.test', role: 'reviewer' },
  tomas: { name: 'Tomás Herrera', email: 'reviewer2@demo-clinic.test', role: 'reviewer' },
  // the data lead: approves sample results, and confirms the lead's own signing key
  dara: { name: 'Dara Nwosu', email: 'data@demo-clinic.test', role: 'data' },
  sana: { name: 'Sana Yusuf', email: 'steering@demo-clinic.test', role: 'steering' },
  omar: { name: 'Omar Haddad', email: 'steering2@demo-clinic.test', role: 'steering' },
  vik: { name: 'Vik Jansen', email: 'viewer@demo-clinic.test', role: 'viewer' },
};

/** The demo project's name. */
export const DEMO_TEAM_PROJECT = 'Demo clinic go-live (team)';

/** The built app (`vite build` writes it). */
/** Sign-ins a minute the demo server takes from one address: every person of the demo team is on this computer. */
const DEMO_SIGN_INS_PER_MINUTE = 200;

export const BUILT_APP = fileURLToPath(new URL('../../dist', import.meta.url));

/** A running team demo. */
export interface TeamDemo {
  server: RunningServer;
  idp: TestIdentityProvider;
  /** the app's address, by name (WebAuthn refuses IP addresses) */
  url: string;
  stop(): Promise<void>;
}

/** Starts the provider and the server; `seed`: sign everyone in once and create the demo project. */
export async function startTeamDemo({
  storage,
  port = 0,
  providerPort = 0,
  seed = false,
}: {
  storage: Storage;
  port?: number;
  providerPort?: number;
  seed?: boolean;
}): Promise<TeamDemo> {
  const idp = await startTestIdentityProvider(DEMO_TEAM, { port: providerPort });
  let server: RunningServer;
  try {
    server = await startServer({
      storage,
      // by name, both loopback addresses: the public URL http://localhost:<port> (WebAuthn refuses IPs)
      host: 'localhost',
      port,
      appDir: BUILT_APP,
      insecureHttp: true,
      // the whole team signs in from this one computer, so from one address: the limit per address
      // a clinic's server keeps would refuse a demo (or a journey) of several people in a minute
      loginAttemptsPerMinute: DEMO_SIGN_INS_PER_MINUTE,
      // the journeys' and the demo's real traffic is checked against each route's contract: an
      // answer the contract does not describe fails the request, where a person or a journey sees it
      checkAnswers: true,
      identity: {
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        allowHttp: true,
      },
    });
  } catch (error) {
    await idp.stop();
    throw error;
  }
  const url = server.url;
  idp.allowRedirect(`${url}/api/login/callback`);
  const demo: TeamDemo = {
    server,
    idp,
    url,
    async stop() {
      await server.stop();
      await idp.stop();
    },
  };
  try {
    if (seed) await seedDemoProject(demo);
  } catch (error) {
    await demo.stop();
    throw error;
  }
  return demo;
}

/**
 * Signs each demo person in once (so the server knows their name and e-mail, as after a real
 * first sign-in) and out again, and has the lead create the demo project with the whole team,
 * through the server's own API — unless the lead has it already (a second start over the same
 * folder).
 */
async function seedDemoProject({ server, idp }: TeamDemo): Promise<void> {
  const base = server.url;
  const sessions: Record<string, { cookie: string; csrf: string }> = {};
  for (const id of Object.keys(DEMO_TEAM)) {
    const { cookie } = await idp.signIn(base, id);
    const me = (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()) as {
      csrfToken: string;
    };
    sessions[id] = { cookie, csrf: me.csrfToken };
  }
  const lead = sessions.lena as { cookie: string; csrf: string };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        cookie: lead.cookie,
        [CSRF_HEADER]: lead.csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`seeding the demo: ${method} ${path} answered ${response.status}`);
    return response.status === 204 ? undefined : response.json();
  };
  const { projects } = (await call('GET', '/api/projects')) as { projects: { name: string }[] };
  if (!projects.some((p) => p.name === DEMO_TEAM_PROJECT)) {
    const { project } = (await call('POST', '/api/projects', { name: DEMO_TEAM_PROJECT })) as {
      project: { id: string };
    };
    for (const [subject, person] of Object.entries(DEMO_TEAM))
      if (person.role !== 'lead')
        await call('POST', `/api/projects/${project.id}/members`, { subject, role: person.role });
  }
  for (const { cookie, csrf } of Object.values(sessions))
    await fetch(`${base}/api/logout`, { method: 'POST', headers: { cookie, [CSRF_HEADER]: csrf } });
}
