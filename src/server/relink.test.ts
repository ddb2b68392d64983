/**
 * Moving people to a new issuer (relink.ts), on the embedded database over HTTP: after the
 * clinic's provider moves to a new address, people who sign in there are new people with no
 * projects until the move; the plan changes nothing; the move gives each their projects, roles
 * and keys back under the new identity, ends the old sessions, and leaves the audit log whole with
 * entries that say which identity became which. By e-mail, only where both providers vouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, firstBrokenAuditEntry, readAudit } from './index.ts';
import { applyRelink, planRelink } from './relink.ts';
import { freshEmbedded } from './testing/databases.ts';
import { type ServerWithPeople, serverWithPeople, TEST_ISSUER } from './testing/people.ts';

const NEW_ISSUER = 'https://login.clinic.test/realms/clinic';
const now = Date.UTC(2026, 2, 9, 9, 0);

const PEOPLE = { lena: 'Lena Lead', ana: 'Ana Lyst', uma: { name: 'Uma Unverified', emailVerified: false } };
type Key = keyof typeof PEOPLE;

let db: Database;
let server: ServerWithPeople<Key>;
const ask: ServerWithPeople<Key>['ask'] = (...args) => server.ask(...args);
let project: string;

beforeAll(async () => {
  db = await freshEmbedded();
  server = await serverWithPeople(db, PEOPLE, () => now);
  project = (await ask('lena', 'POST', '/api/projects', { name: 'Ward 4 go-live' })).body.project.id;
  for (const subject of ['ana', 'uma'])
    expect(
      (await ask('lena', 'POST', `/api/projects/${project}/members`, { subject, role: 'analyst' })).status,
    ).toBe(201);
}, 180_000);
afterAll(async () => {
  await server?.close();
  await db?.close();
});

const projectsOf = async (who: Key) =>
  (await ask(who, 'GET', '/api/projects')).body.projects.map(
    (p: { id: string; role: string }) => `${p.id}:${p.role}`,
  );

describe('moving people to a new issuer', () => {
  it('by e-mail, only people both providers vouched for, each to the one who signed in there', async () => {
    // Ana signs in with the new provider, a new directory: another subject, her vouched-for e-mail
    await server.signInAs('ana', { name: 'Ana Lyst', issuer: NEW_ISSUER, subject: 'a-77f1' });
    expect(await projectsOf('ana'), 'a new person, with no projects').toEqual([]);
    const oldLena = server.cookieOf('lena');

    const plan = await planRelink(db, {
      fromIssuer: TEST_ISSUER,
      toIssuer: NEW_ISSUER,
      by: 'email_verified',
    });
    expect(plan.moves).toEqual([
      { name: 'Ana Lyst', fromSubject: 'ana', toSubject: 'a-77f1', signedInThere: true, projects: [project] },
    ]);
    expect(plan.skipped).toEqual([
      {
        name: 'Lena Lead',
        fromSubject: 'lena',
        reason: expect.stringMatching(/has not signed in with the new/),
      },
      { name: 'Uma Unverified', fromSubject: 'uma', reason: expect.stringMatching(/did not vouch/) },
    ]);
    expect(await projectsOf('ana'), 'a plan changes nothing').toEqual([]);

    const before = (await readAudit(db)).length;
    await applyRelink(db, { fromIssuer: TEST_ISSUER, toIssuer: NEW_ISSUER, by: 'email_verified' }, now);
    expect(await projectsOf('ana')).toEqual([`${project}:analyst`]);
    const added = (await readAudit(db)).slice(before);
    expect(added.map((e) => [e.kind, e.detail.project ?? null])).toEqual([
      ['person-relinked', null],
      ['person-relinked', project],
    ]);
    expect(added[1]?.detail).toMatchObject({ fromSubject: 'ana', toSubject: 'a-77f1', toIssuer: NEW_ISSUER });
    expect(firstBrokenAuditEntry(await readAudit(db))).toBeUndefined();
    expect(
      (await fetch(`${server.base}/api/me`, { headers: { cookie: oldLena } })).status,
      'people not moved keep their sessions',
    ).toBe(200);
  });

  it('by subject, everyone else, with their roles, and their history kept', async () => {
    const oldLena = server.cookieOf('lena');
    await server.signInAs('lena', { name: 'Lena Lead', issuer: NEW_ISSUER });
    expect(await projectsOf('lena')).toEqual([]);
    const history = await readAudit(db, { project });

    const done = await applyRelink(db, { fromIssuer: TEST_ISSUER, toIssuer: NEW_ISSUER, by: 'sub' }, now);
    expect(done.moves.map((m) => [m.fromSubject, m.toSubject, m.signedInThere])).toEqual([
      ['lena', 'lena', true],
      ['uma', 'uma', false],
    ]);
    expect(await projectsOf('lena')).toEqual([`${project}:lead`]);
    expect((await ask('lena', 'PATCH', `/api/projects/${project}`, { name: 'Ward 4' })).status).toBe(200);
    expect(
      (await fetch(`${server.base}/api/me`, { headers: { cookie: oldLena } })).status,
      'old session ends',
    ).toBe(401);
    const after = await readAudit(db, { project });
    expect(after.slice(0, history.length), 'the log is never rewritten').toEqual(history);
    expect(await db.query('SELECT count(*)::int AS n FROM users WHERE issuer = $1', [TEST_ISSUER])).toEqual([
      { n: 0 },
    ]);
    expect(
      (await planRelink(db, { fromIssuer: TEST_ISSUER, toIssuer: NEW_ISSUER, by: 'sub' })).moves,
      'nobody is left to move',
    ).toEqual([]);
  });
});
