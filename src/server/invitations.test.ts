/**
 * Who gets a seat on a project: by an e-mail only when the identity provider vouched for it
 * (`email_verified`), otherwise by an invitation the lead makes and the person redeems after
 * signing in. On the embedded database over HTTP: each invitation route once allowed and once
 * refused, an invitation used once, revoked, or expired, and every step in the project's chain.
 * People are signed in with the server's own `signIn` (testing/people.ts) as providers name them:
 * signIn.test.ts proves the claims are read so from a real provider.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, firstBrokenAuditEntry, readAudit } from './index.ts';
import { codeHashOf, DEFAULT_INVITATION_DAYS } from './invitations.ts';
import { EMAIL_REFUSALS } from './projectRoutes.ts';
import { freshEmbedded } from './testing/databases.ts';
import { type ServerWithPeople, serverWithPeople } from './testing/people.ts';

const START = Date.UTC(2026, 2, 9, 9, 0);
const DAY_MS = 24 * 60 * 60 * 1000;
let now = START;

const PEOPLE = {
  lena: 'Lena Lead',
  ana: 'Ana Lyst',
  otto: 'Otto Outsider',
  // signed in through a provider that sends no e-mail (Entra ID's default)
  nina: { name: 'Nina Nurse', email: null },
  // someone who typed the new nurse's e-mail into an account the provider does not vouch for
  mallory: { name: 'Mal Lory', email: 'nurse.new@clinic.org', emailVerified: false },
} as const;
type Key = keyof typeof PEOPLE;

let db: Database;
let server: ServerWithPeople<Key>;
const ask: ServerWithPeople<Key>['ask'] = (...args) => server.ask(...args);
let project: string;

beforeAll(async () => {
  db = await freshEmbedded();
  server = await serverWithPeople(db, PEOPLE, () => now);
  project = (await ask('lena', 'POST', '/api/projects', { name: 'Ward 4 go-live' })).body.project.id;
  expect(
    (await ask('lena', 'POST', `/api/projects/${project}/members`, { subject: 'ana', role: 'analyst' }))
      .status,
  ).toBe(201);
}, 180_000);
afterAll(async () => {
  await server?.close();
  await db?.close();
});

const roster = async () =>
  (await ask('lena', 'GET', `/api/projects/${project}`)).body.members.map(
    (m: { subject: string; role: string }) => `${m.subject}:${m.role}`,
  );

describe('adding someone by e-mail', () => {
  it('does not give the seat to an account whose e-mail the provider did not vouch for', async () => {
    const refused = await ask('lena', 'POST', `/api/projects/${project}/members`, {
      email: 'nurse.new@clinic.org',
      role: 'reviewer',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe(EMAIL_REFUSALS.unverified);
    expect(refused.body.error).toMatch(/Invite someone/);
    expect(await roster()).not.toContain('mallory:reviewer');

    // the real nurse signs in, her e-mail vouched for by the clinic's provider: now it names her
    await server.signInAs('nina', { name: 'Nina Nurse', email: 'nurse.new@clinic.org', emailVerified: true });
    const added = await ask('lena', 'POST', `/api/projects/${project}/members`, {
      email: 'Nurse.New@clinic.org',
      role: 'reviewer',
    });
    expect(added.status).toBe(201);
    expect(added.body.member).toMatchObject({ subject: 'nina', name: 'Nina Nurse', role: 'reviewer' });
    const { id } = added.body.member;
    expect((await ask('lena', 'DELETE', `/api/projects/${project}/members/${id}`)).status).toBe(204);
    await server.signInAs('nina', PEOPLE.nina);
  });

  it('tells the lead what to do when nobody signed in with the e-mail', async () => {
    const refused = await ask('lena', 'POST', `/api/projects/${project}/members`, {
      email: 'nobody@clinic.org',
      role: 'viewer',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe(EMAIL_REFUSALS.nobody);
  });
});

describe('invitations', () => {
  const invite = (who: Key, body: Record<string, unknown> = { role: 'reviewer' }) =>
    ask(who, 'POST', `/api/projects/${project}/invitations`, body);

  it('lets the lead invite someone the provider sends no e-mail for, who joins after signing in', async () => {
    const before = await readAudit(db, { project });
    const made = await invite('lena', {
      role: 'reviewer',
      label: 'Nina, night shift',
      expiresOn: '2026-06-30',
    });
    expect(made.status).toBe(201);
    const { invitation, code, link } = made.body;
    expect(link).toBe(`${server.base}/#/join/${code}`);
    expect(invitation).toMatchObject({
      role: 'reviewer',
      label: 'Nina, night shift',
      expiresOn: '2026-06-30',
      validUntil: new Date(START + DEFAULT_INVITATION_DAYS * DAY_MS).toISOString(),
    });
    expect(
      await db.query('SELECT code_hash FROM invitations WHERE id = $1', [invitation.id]),
      'only the code’s hash is kept',
    ).toEqual([{ code_hash: codeHashOf(code) }]);
    expect((await ask('lena', 'GET', `/api/projects/${project}/invitations`)).body.invitations).toEqual([
      invitation,
    ]);

    const joined = await ask('nina', 'POST', '/api/invitations/redeem', { code });
    expect(joined.status).toBe(201);
    expect(joined.body.project).toEqual({
      id: project,
      name: 'Ward 4 go-live',
      role: 'reviewer',
      expiresOn: '2026-06-30',
    });
    expect(await roster()).toContain('nina:reviewer');
    expect((await ask('nina', 'GET', `/api/projects/${project}`)).status).toBe(200);
    expect((await ask('lena', 'GET', `/api/projects/${project}/invitations`)).body.invitations).toEqual([]);

    const again = await ask('otto', 'POST', '/api/invitations/redeem', { code });
    expect(again.status, 'a link works once').toBe(410);
    expect(again.body.error).toMatch(/used already/);
    expect((await ask('otto', 'GET', `/api/projects/${project}`)).status).toBe(404);

    const entries = (await readAudit(db, { project })).slice(before.length);
    expect(entries.map((e) => [e.kind, e.actor?.subject])).toEqual([
      ['invitation-created', 'lena'],
      ['invitation-redeemed', 'nina'],
    ]);
    expect(entries[1]?.detail).toMatchObject({
      invitation: invitation.id,
      role: 'reviewer',
      subject: 'nina',
    });
    expect(JSON.stringify(entries), 'the code is never in the log').not.toContain(code);
    expect(firstBrokenAuditEntry(await readAudit(db))).toBeUndefined();
  });

  it('lets only the lead invite, list and revoke; a stranger finds no project', async () => {
    const made = (await invite('lena', { role: 'viewer' })).body;
    const path = `/api/projects/${project}/invitations`;
    for (const [method, url, body] of [
      ['POST', path, { role: 'lead' }],
      ['GET', path, undefined],
      ['DELETE', `${path}/${made.invitation.id}`, undefined],
    ] as const) {
      const analyst = await ask('ana', method, url, body);
      expect(analyst.status, `${method} by an analyst`).toBe(403);
      expect(analyst.body.error).toMatch(/your role on this project \(analyst\) cannot add people/);
      expect((await ask('otto', method, url, body)).status, `${method} by a stranger`).toBe(404);
    }
    const before = await readAudit(db, { project });
    expect((await ask('lena', 'DELETE', `${path}/${made.invitation.id}`)).status).toBe(204);
    const withdrawn = await ask('otto', 'POST', '/api/invitations/redeem', { code: made.code });
    expect(withdrawn.status).toBe(410);
    expect(withdrawn.body.error).toMatch(/withdrew this invitation/);
    expect((await readAudit(db, { project })).slice(before.length).map((e) => e.kind)).toEqual([
      'invitation-revoked',
    ]);
    expect(await roster()).not.toContain('otto:viewer');
  });

  it('refuses an expired invitation, a code never made, and anyone not signed in', async () => {
    const { code } = (await invite('lena', { role: 'viewer', days: 1 })).body;
    now += DAY_MS;
    // a day on, the session of the morning has ended: Otto signs in again
    await server.signInAs('otto', PEOPLE.otto);
    try {
      const expired = await ask('otto', 'POST', '/api/invitations/redeem', { code });
      expect(expired.status).toBe(410);
      expect(expired.body.error).toMatch(/expired/);
    } finally {
      now -= DAY_MS;
    }
    const unknown = await ask('otto', 'POST', '/api/invitations/redeem', { code: 'x'.repeat(43) });
    expect(unknown.status).toBe(404);
    expect((await ask('otto', 'POST', '/api/invitations/redeem', { code: 'short' })).status).toBe(400);
    const stranger = await fetch(`${server.base}/api/invitations/redeem`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    expect(stranger.status).toBe(401);
    expect(await roster()).not.toContain('otto:viewer');
  });
});
