/**
 * The one team server request against the real server (its routes over the embedded database,
 * people signed in as the sign-in callback signs them in): a read and a change with the session's
 * CSRF token; each failure one `TeamError` in words staff can act on — signed out (and the
 * session hears it), role refused, not a member, the server out of reach — and the shared
 * records' transport over it, a stale write answered with the server's record.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PendingWrite, RecordRefusal } from '../core/teamRecords/index.ts';
import { fileTestEngines } from '../server/testing/databases.ts';
import { type ServerWithPeople, serverWithPeople, TEST_ISSUER } from '../server/testing/people.ts';
import {
  explainRefusal,
  type Fetch,
  httpRecordTransport,
  listenToSession,
  NOT_A_MEMBER,
  NOT_THERE,
  PROJECT_NOT_OPEN,
  ROLE_REFUSED,
  renewSessionToken,
  SESSION_ENDED,
  type SessionNews,
  TeamError,
  type TeamSession,
  teamRequest,
  UNREACHABLE,
} from './teamServer.ts';

const PEOPLE = { lena: 'Lena Lead', vic: 'Vic Viewer', oz: 'Oz Outsider' } as const;
type Who = keyof typeof PEOPLE;
const NOW = Date.parse('2026-11-25T10:00:00.000Z');

const engines = fileTestEngines();
let server: ServerWithPeople<Who>;
let projectId: string;

beforeEach(async () => {
  server = await serverWithPeople(await engines.running().open('embedded'), PEOPLE, () => NOW);
  projectId = (await server.ask('lena', 'POST', '/api/projects', { name: 'Ward 4 go-live' })).body.project.id;
  const added = await server.ask('lena', 'POST', `/api/projects/${projectId}/members`, {
    subject: 'vic',
    role: 'viewer',
  });
  expect(added.status).toBe(201);
});
afterEach(async () => {
  await server.close();
});

/** `who`'s browser session: the page's requests reach the test server with their cookie. */
async function sessionOf(who: Who, ended: string[] = []): Promise<TeamSession> {
  const csrfToken = (await server.ask(who, 'GET', '/api/me')).body.csrfToken as string;
  const fetchImpl: Fetch = (input, init) =>
    fetch(input, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), cookie: server.cookieOf(who) },
    });
  return { base: server.base, csrfToken, fetchImpl, onSessionEnded: () => ended.push(who) };
}

const failure = async (request: Promise<unknown>): Promise<TeamError> => {
  const error = await request.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TeamError);
  return error as TeamError;
};

describe('one request to the team server', () => {
  it('reads and changes with the session: the CSRF token rides on the change', async () => {
    const lena = await sessionOf('lena');
    const { projects } = await teamRequest<{ projects: { id: string }[] }>(lena, 'GET', '/api/projects');
    expect(projects.map((p) => p.id)).toEqual([projectId]);
    const renamed = await teamRequest<{ name: string }>(lena, 'PATCH', `/api/projects/${projectId}`, {
      name: '  Ward 4 cutover ',
    });
    expect(renamed.name).toBe('Ward 4 cutover');
    // the same change with a stale token is refused: the token is what made it pass
    const stale = await failure(
      teamRequest({ ...lena, csrfToken: 'not-the-token' }, 'PATCH', `/api/projects/${projectId}`, {
        name: 'X',
      }),
    );
    expect(stale.status).toBe(403);
  });

  it('after signing in again, an old token is refused as such and the new one is fetched, for the same person only', async () => {
    const lena = { ...(await sessionOf('lena')), person: `${TEST_ISSUER} lena` };
    const news: SessionNews[] = [];
    const stop = listenToSession(lena, (said) => news.push(said));
    await teamRequest(lena, 'GET', '/api/projects');
    expect(news, 'an answer is told').toEqual(['answered']);
    // signed in again elsewhere: the browser has the new session's cookie, the page the old token
    await server.signInAs('lena', PEOPLE.lena);
    const rename = () => teamRequest(lena, 'PATCH', `/api/projects/${projectId}`, { name: 'Ward 4' });
    const stale = await failure(rename());
    expect([stale.status, stale.tokenRefused, stale.signedOut]).toEqual([403, true, false]);
    expect(await renewSessionToken(lena)).toBe(true);
    expect(news.at(-1)).toBe('renewed');
    expect(lena.csrfToken).toBe((await server.ask('lena', 'GET', '/api/me')).body.csrfToken);
    await rename();
    stop();
    // someone else's session in this browser: her token is not taken for it
    const other = { ...(await sessionOf('vic')), person: `${TEST_ISSUER} lena`, csrfToken: 'old' };
    expect(await renewSessionToken(other)).toBe(false);
    expect(other.csrfToken).toBe('old');
    // nobody signed in: nothing to take
    await teamRequest(lena, 'POST', '/api/logout');
    expect(await renewSessionToken(lena)).toBe(false);
    // a role refusal is not a token refusal
    const role = await failure(
      teamRequest(await sessionOf('vic'), 'POST', `/api/projects/${projectId}/members`, {
        subject: 'oz',
        role: 'viewer',
      }),
    );
    expect([role.status, role.tokenRefused]).toEqual([403, false]);
  });

  it('a sign-in that ended is said so, and the session hears it', async () => {
    const ended: string[] = [];
    const lena = await sessionOf('lena', ended);
    await teamRequest(lena, 'POST', '/api/logout');
    const error = await failure(teamRequest(lena, 'GET', '/api/projects'));
    expect(error.signedOut).toBe(true);
    expect(error.message).toBe(SESSION_ENDED);
    expect(ended).toEqual(['lena']);
  });

  it('a role that may not do it is refused in the server’s words or ours', async () => {
    const error = await failure(
      teamRequest(await sessionOf('vic'), 'POST', `/api/projects/${projectId}/members`, {
        subject: 'oz',
        role: 'viewer',
      }),
    );
    expect(error.roleRefused).toBe(true);
    expect(error.message).not.toBe('');
    expect(error.message).toMatch(error.reason === '' ? ROLE_REFUSED : /^[A-Z].*\.$/);
  });

  it('a project one is not a member of is not open, whatever is asked', async () => {
    const oz = await sessionOf('oz');
    for (const error of [
      await failure(teamRequest(oz, 'GET', `/api/projects/${projectId}`)),
      await failure(teamRequest(oz, 'PATCH', `/api/projects/${projectId}`, { name: 'Mine' })),
    ]) {
      expect(error.notMember).toBe(true);
      expect(error.message).toBe(NOT_A_MEMBER);
      expect(error.answer).toMatchObject({ code: PROJECT_NOT_OPEN });
    }
    // the shared records' sync says it in the same words, not as "no such project"
    const pulled = await httpRecordTransport(oz, projectId)
      .pull(0)
      .catch((e: unknown) => e);
    expect(pulled).toBeInstanceOf(RecordRefusal);
    expect(explainRefusal((pulled as RecordRefusal).status, (pulled as RecordRefusal).message)).toBe(
      NOT_A_MEMBER,
    );
  });

  it('a thing missing inside a project one is on is said as missing, not as a project not open', async () => {
    const error = await failure(
      teamRequest(await sessionOf('vic'), 'GET', `/api/projects/${projectId}/workflows/intake`),
    );
    expect(error.status).toBe(404);
    expect(error.notMember).toBe(false);
    expect(error.message).toBe('No such shared workflow in this project: it may not have been shared yet.');
    expect(explainRefusal(404, '')).toBe(NOT_THERE);
  });

  it('a server out of reach is offline, not a refusal: nothing was refused', async () => {
    const lena = await sessionOf('lena');
    await server.close();
    const error = await failure(teamRequest(lena, 'GET', '/api/projects'));
    expect(error.offline).toBe(true);
    expect(error.message).toBe(UNREACHABLE);
    // the records' transport lets it through as it is, so the sync keeps its queue
    const pulled = await httpRecordTransport(lena, projectId)
      .pull(0)
      .catch((e: unknown) => e);
    expect(pulled).toBeInstanceOf(TeamError);
    expect(pulled).not.toBeInstanceOf(RecordRefusal);
  });

  it('a server that cannot save is said in its words, and the records’ transport keeps the write queued', async () => {
    const said =
      "The team server cannot save right now: its disk is full, so nothing was saved there. The clinic's IT can see why in the server's log; try again once they have made room.";
    const full: Fetch = async () =>
      new Response(JSON.stringify({ error: said, code: 'disk-full' }), {
        status: 503,
        headers: { 'content-type': 'application/json' },
      });
    const session = { base: '', csrfToken: 't', fetchImpl: full };
    const error = await failure(teamRequest(session, 'GET', '/api/projects'));
    expect(error.cannotSave).toBe(true);
    expect(error.message).toBe(said);
    const write: PendingWrite = { kind: 'waiver', id: 'w1', baseVersion: 0, sha256: '', body: {} };
    const put = await httpRecordTransport(session, projectId)
      .put(write)
      .catch((e: unknown) => e);
    expect(put).toBeInstanceOf(TeamError);
    expect(put).not.toBeInstanceOf(RecordRefusal);
    // a 503 with no such mark, and any 500, stay the server's failure
    expect(explainRefusal(503, 'busy')).toMatch(/^The team server failed/);
    expect(explainRefusal(500, said, 'disk-full')).toMatch(/^The team server failed/);
  });

  it('a web server that is not the team server is a failure, not an answer', async () => {
    const page: Fetch = async () => new Response('<!doctype html><title>app</title>', { status: 200 });
    const error = await failure(teamRequest({ base: '', csrfToken: '', fetchImpl: page }, 'GET', '/api/x'));
    expect(error.status).toBe(200);
  });
});

describe('the shared records over the one request', () => {
  it('writes, pulls, and answers a stale write with the server’s record; a viewer’s write is refused', async () => {
    const lena = httpRecordTransport(await sessionOf('lena'), projectId);
    const body = {
      id: 'w1',
      rule: 'contract.required',
      column: 'dob',
      rationale: 'Walk-ins have no date of birth.',
      owner: 'Dora Data',
      expires: '2026-12-31',
    };
    const write: PendingWrite = { kind: 'waiver', id: 'w1', baseVersion: 0, sha256: '', body };
    const first = await lena.put(write);
    expect(first.ok).toBe(true);
    const stale = await lena.put({ ...write, body: { ...body, rationale: 'Other words.' } });
    expect(stale).toMatchObject({ ok: false, current: { kind: 'waiver', id: 'w1' } });
    const pulled = await lena.pull(0);
    expect(pulled.records.map((r) => `${r.kind}/${r.id}`)).toEqual(['waiver/w1']);
    const refused = await httpRecordTransport(await sessionOf('vic'), projectId)
      .put({ ...write, id: 'w2', body: { ...body, id: 'w2' } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RecordRefusal);
    expect((refused as RecordRefusal).status).toBe(403);
  });
});
