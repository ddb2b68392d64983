/**
 * Refused attempts on both engines, over HTTP: every refused attempt on a decision, a signature,
 * a key or a role is an entry (who, what, why: a reason code), repeats of one attempt fold into
 * its first entry and one count, a person's many different refusals are limited, and the log
 * stays one whole chain. Every entry in a member's name carries the session it was made in; an
 * entry written straight into the database without it is reported by the check.
 *
 * Then a role × action table of refused attempts: who (her role) tries what, and the refusal's
 * status, subject and reason code. It covers the refusals a route makes in its handler (a decision
 * under another's name, a pass not hers, a changed decision, a review closed to decisions, a role
 * her role cannot give) and in its own request checks before the membership is read (an end date
 * today or earlier, a person named twice, a blank rationale, a note on two lines), on every route
 * of the four subjects (the ceremonies' options, closing adjudication, the signing idle time,
 * invitations). Each is one entry by its person with her session, never the body's values, and
 * its repeats one count; a refused request from someone who is not a member writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstBrokenProjectEntry } from '../formats/projectAudit.ts';
import type { Decision } from '../formats/review.ts';
import { FIXTURE_PLAN_HASH, fixtureReview } from '../formats/testing/fixtures.ts';
import { entriesWithoutEvidence } from './auditEvidence.ts';
import { appendAudit, type Database, readAudit, type ServerAuditEntry } from './index.ts';
import { REFUSAL_FOLD_WINDOW_MS, REFUSALS_PER_MEMBER } from './refusalFolds.ts';
import { testAuthenticator } from './testing/authenticator.ts';
import { fileTestEngines } from './testing/databases.ts';
import { decisionOn, LARGE_REVIEW_PEOPLE, type LargeReview, largeReview } from './testing/largeReview.ts';
import { type ServerWithPeople, serverWithPeople } from './testing/people.ts';
import { checkWholeLog } from './transparencyLog.ts';

const testEngines = fileTestEngines();
const running = () => testEngines.running();

const PEOPLE = { lena: 'Lena Lead', rita: 'Rita Reviewer', rex: 'Rex Reviewer' } as const;
type Who = keyof typeof PEOPLE;

/** The lead's audit table shows this many entries a page. */
const PAGE = 20;
/**
 * How many times a member repeats a refused key registration: two pages' worth, enough to push
 * every real entry off the lead's first page were repeats listed (each costs a WebAuthn
 * ceremony, so more would only slow the file under load).
 */
const REPEATS = 2 * PAGE;

describe.each(['embedded', 'postgres'] as const)('refused attempts on %s', (engine) => {
  const skip = () => !running().engines.some((e) => e.engine === engine);
  let db: Database;
  let server: ServerWithPeople<Who>;
  let project: string;
  // the server's clock, set back far enough that a fold's window can pass within the database's bound
  let now = Date.now() - 3 * REFUSAL_FOLD_WINDOW_MS;
  const members = new Map<Who, string>();

  beforeAll(async () => {
    if (skip()) return;
    db = await running().open(engine);
    server = await serverWithPeople(db, PEOPLE, () => now);
    project = (await server.ask('lena', 'POST', '/api/projects', { name: 'Go-live' })).body.project.id;
    for (const who of ['rita', 'rex'] as const)
      await server.ask('lena', 'POST', `/api/projects/${project}/members`, {
        subject: who,
        role: 'reviewer',
      });
    const roster = (await server.ask('lena', 'GET', `/api/projects/${project}`)).body.members;
    for (const m of roster as { id: string; subject: Who }[]) members.set(m.subject, m.id);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  const log = () => readAudit(db, { project });
  const since = async (seq: number) => (await log()).filter((e) => e.seq > seq);
  const lastSeq = async () => (await readAudit(db)).at(-1)?.seq ?? 0;
  const kinds = (entries: readonly ServerAuditEntry[]) => entries.map((e) => e.kind);

  it('records a decision under another person’s name: who, which decision, why, and her session', async ({
    skip: skipTest,
  }) => {
    if (skip()) skipTest();
    const { format: _, decisions: __, ...review } = fixtureReview('rv-refused');
    const assigned = await server.ask('lena', 'POST', `/api/projects/${project}/reviews`, {
      review,
      assignments: ['MRN-1', 'MRN-2', 'MRN-3'].map((recordKey) => ({
        stratum: 'patients',
        recordKey,
        first: members.get('rita'),
      })),
    });
    expect(assigned.status).toBe(201);
    const before = await lastSeq();
    const decision: Decision = {
      id: 'd-under-rex',
      planHash: FIXTURE_PLAN_HASH,
      stratum: 'patients',
      recordKey: 'MRN-1',
      reviewer: { name: PEOPLE.rex, role: 'Physician', id: members.get('rex') as string },
      decidedAt: '2026-03-02T09:15:00+01:00',
      outcome: 'accept',
      findings: [],
      stage: 'first',
      mapping: { id: 'm1', version: 1 },
      shownSha256: 'b'.repeat(64),
    };
    const posted = await server.ask('rita', 'POST', `/api/projects/${project}/reviews/rv-refused/decisions`, {
      decisions: [decision],
    });
    expect(posted.status).toBe(403);
    const added = await since(before);
    expect(kinds(added)).toEqual(['attempt-refused']);
    expect(added[0]).toMatchObject({
      actor: { subject: 'rita', name: PEOPLE.rita },
      detail: {
        project,
        about: 'decision',
        route: 'POST /api/projects/:projectId/reviews/:reviewId/decisions',
        reviewId: 'rv-refused',
        decision: 'd-under-rex',
        recordKey: 'MRN-1',
        decisions: '1',
        reason: 'not-allowed',
        words: expect.stringMatching(/recorded under the name of the person signed in/),
        session: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    expect(firstBrokenProjectEntry(project, await log())).toBeUndefined();
  });

  it('records a role change a reviewer may not make', async ({ skip: skipTest }) => {
    if (skip()) skipTest();
    const before = await lastSeq();
    const answer = await server.ask(
      'rita',
      'PATCH',
      `/api/projects/${project}/members/${members.get('rex')}`,
      {
        role: 'lead',
      },
    );
    expect(answer.status).toBe(403);
    const added = await since(before);
    expect(kinds(added)).toEqual(['attempt-refused']);
    expect(added[0]?.detail).toMatchObject({
      about: 'role',
      reason: 'not-allowed',
      memberId: members.get('rex'),
    });
  });

  it(`folds ${REPEATS} refused key registrations into their first entry and one count, behind the real entries`, async ({
    skip: skipTest,
  }) => {
    if (skip()) skipTest();
    // Rita's key is hers; Lena then tries to register that very authenticator as her own, again and again
    const key = await testAuthenticator(server.base);
    const options = await server.ask('rita', 'POST', `/api/projects/${project}/signing-keys/options`);
    const registered = await server.ask('rita', 'POST', `/api/projects/${project}/signing-keys`, {
      response: await key.register(options.body),
    });
    expect(registered.status).toBe(201);
    const before = await lastSeq();
    for (let i = 0; i < REPEATS; i += 1) {
      now += 1_000;
      const mine = await server.ask('lena', 'POST', `/api/projects/${project}/signing-keys/options`);
      const refused = await server.ask('lena', 'POST', `/api/projects/${project}/signing-keys`, {
        response: await key.register(mine.body),
      });
      expect(refused.status).toBe(409);
    }
    expect(kinds(await since(before)), 'the repeats are counted, not listed').toEqual([
      'signing-key-refused',
    ]);
    // the lead's next change records the count first
    await server.ask('lena', 'PATCH', `/api/projects/${project}`, { name: 'Go-live (spring)' });
    const added = await since(before);
    expect(kinds(added)).toEqual(['signing-key-refused', 'refusal-repeated', 'project-renamed']);
    const [first, repeated] = added as [ServerAuditEntry, ServerAuditEntry];
    expect(repeated).toMatchObject({
      actor: { subject: 'lena' },
      detail: {
        fold: first.detail.fold,
        first: String(first.projectSeq),
        firstHash: first.hash,
        repeats: String(REPEATS - 1),
        subject: 'lena',
      },
    });
    // the lead's first page still holds the project's real history
    const page = (await log()).reverse().slice(0, PAGE);
    expect(kinds(page)).toContain('signing-key-registered');
    expect(kinds(page)).toContain('member-added');
    expect(firstBrokenProjectEntry(project, await log())).toBeUndefined();
  });

  it('records the count when a fold’s window closes, and opens it again', async ({ skip: skipTest }) => {
    if (skip()) skipTest();
    const before = await lastSeq();
    const tryPromote = () =>
      server.ask('rita', 'PATCH', `/api/projects/${project}/members/${members.get('rita')}`, {
        role: 'lead',
      });
    for (let i = 0; i < 3; i += 1) expect((await tryPromote()).status).toBe(403);
    now += REFUSAL_FOLD_WINDOW_MS + 1;
    expect((await tryPromote()).status).toBe(403);
    const added = await since(before);
    expect(kinds(added)).toEqual(['attempt-refused', 'refusal-repeated', 'attempt-refused']);
    expect(added[1]?.detail.repeats).toBe('2');
    expect(added[2]?.detail.fold).toBe(added[0]?.detail.fold);
  });

  it('limits how many different refused attempts one person writes in a window', async ({
    skip: skipTest,
  }) => {
    if (skip()) skipTest();
    now += REFUSAL_FOLD_WINDOW_MS + 1;
    const before = await lastSeq();
    const tries = 3 * REFUSALS_PER_MEMBER;
    for (let i = 0; i < tries; i += 1) {
      const answer = await server.ask(
        'rex',
        'POST',
        `/api/projects/${project}/signing-keys/no-such-key-${i}/confirm`,
      );
      expect(answer.status).toBe(403);
    }
    await server.ask('lena', 'PATCH', `/api/projects/${project}`, { name: 'Go-live' });
    const added = await since(before);
    // the open fold of the previous case is counted first; then Rex's, limited
    const rex = added.filter((e) => e.actor?.subject === 'rex');
    expect(kinds(rex)).toEqual([
      ...Array.from({ length: REFUSALS_PER_MEMBER }, () => 'attempt-refused'),
      'refusals-limited',
      'refusal-repeated',
    ]);
    expect(rex.at(-1)?.detail.repeats).toBe(String(tries - REFUSALS_PER_MEMBER - 1));
    expect(firstBrokenProjectEntry(project, await log())).toBeUndefined();
  });

  it('gives the lead the entries of one kind, person or record from the server, and records the read', async ({
    skip: skipTest,
  }) => {
    if (skip()) skipTest();
    const path = `/api/projects/${project}/audit`;
    const byRex = await server.ask('lena', 'GET', `${path}?kind=attempt-refused&person=rex`);
    expect(byRex.status).toBe(200);
    expect(byRex.body.entries).toHaveLength(REFUSALS_PER_MEMBER);
    expect(byRex.body.filter).toEqual({
      kind: 'attempt-refused',
      person: 'rex',
      total: (await log()).length,
    });
    expect(byRex.body.treeHead, 'a filtered read is a view, not the signed export').toBeUndefined();
    const onRecord = await server.ask('lena', 'GET', `${path}?record=MRN-1`);
    expect(kinds(onRecord.body.entries)).toEqual(['attempt-refused']);
    expect((await log()).at(-1)?.detail).toMatchObject({ filteredBy: 'record' });
    expect((await server.ask('lena', 'GET', `${path}?who=rex`)).status, 'an unknown filter').toBe(400);
    const whole = await server.ask('lena', 'GET', path);
    expect(whole.body.filter).toBeUndefined();
    expect(whole.body.treeHead).toBeDefined();
    expect(firstBrokenProjectEntry(project, whole.body.entries)).toBeUndefined();
  });

  it('binds every member’s entry to her session, and reports one written straight into the database', async ({
    skip: skipTest,
  }) => {
    if (skip()) skipTest();
    const whole = await readAudit(db);
    expect(entriesWithoutEvidence(whole)).toEqual([]);
    // whoever holds the server's database login appends an entry in Rita's name, dated now
    const forged = await appendAudit(db, {
      at: now,
      kind: 'member-changed',
      actor: { issuer: 'https://id.clinic.test', subject: 'rita', name: PEOPLE.rita },
      detail: { project, member: members.get('rita') as string, role: 'lead', previousRole: 'reviewer' },
    });
    const copied = await appendAudit(db, {
      at: now,
      kind: 'member-changed',
      actor: { issuer: 'https://id.clinic.test', subject: 'rita', name: PEOPLE.rita },
      detail: { project, session: 'f'.repeat(64) },
    });
    expect(entriesWithoutEvidence(await readAudit(db))).toEqual([
      { seq: forged.seq, kind: 'member-changed', subject: 'rita', missing: 'no-session' },
      { seq: copied.seq, kind: 'member-changed', subject: 'rita', missing: 'unknown-session' },
    ]);
    const health = await checkWholeLog(db, now, []);
    expect(health.unbound?.map((u) => u.seq)).toEqual([forged.seq, copied.seq]);
  });

  it('records a body the route refuses and a change not from the page, folded, without the body', async ({
    skip: skipTest,
  }) => {
    if (skip()) skipTest();
    now += REFUSAL_FOLD_WINDOW_MS + 1;
    const before = await lastSeq();
    const decisions = `/api/projects/${project}/reviews/rv-refused/decisions`;
    // a decision the contract refuses (it has no id), its content a patient's: nothing of it reaches the log
    const unreadable = { decisions: [{ recordKey: 'MRN-PRIVATE-4711', outcome: 'maybe' }] };
    for (let i = 0; i < 3; i += 1)
      expect((await server.ask('rita', 'POST', decisions, unreadable)).status).toBe(400);
    // her session's cookie on a role change without the page's token, as another site would send it
    const role = `/api/projects/${project}/members/${members.get('rex')}`;
    const forged = await fetch(`${server.base}${role}`, {
      method: 'PATCH',
      headers: { cookie: server.cookieOf('rita'), 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'lead' }),
    });
    expect(forged.status).toBe(403);
    expect((await forged.json()).error).toMatch(/did not come from Preflight's own page/);
    // a project she is not a member of: refused as before, and no entry anywhere
    const whole = (await readAudit(db)).length;
    const elsewhere = '00000000-0000-4000-8000-000000000000';
    expect(
      (
        await server.ask(
          'rita',
          'POST',
          `/api/projects/${elsewhere}/reviews/rv-refused/decisions`,
          unreadable,
        )
      ).status,
    ).toBe(400);
    expect((await readAudit(db)).length).toBe(whole);
    const added = await since(before);
    // the two repeats of the body are counted, then written before the project's next entry
    expect(kinds(added)).toEqual(['attempt-refused', 'refusal-repeated', 'attempt-refused']);
    expect(added[0]).toMatchObject({
      actor: { subject: 'rita', name: PEOPLE.rita },
      detail: {
        project,
        about: 'decision',
        route: 'POST /api/projects/:projectId/reviews/:reviewId/decisions',
        reviewId: 'rv-refused',
        reason: 'not-valid',
        words: expect.stringMatching(/^body\//),
        session: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    expect(added[1]?.detail).toMatchObject({ fold: added[0]?.detail.fold, repeats: '2' });
    expect(added[2]).toMatchObject({
      actor: { subject: 'rita' },
      detail: {
        about: 'role',
        route: 'PATCH /api/projects/:projectId/members/:memberId',
        memberId: members.get('rex'),
        reason: 'csrf-token',
        words: expect.stringMatching(/did not come from Preflight's own page/),
        session: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    for (const entry of added) expect(JSON.stringify(entry)).not.toMatch(/PRIVATE-4711|maybe/);
    expect(firstBrokenProjectEntry(project, await log())).toBeUndefined();
  });
});

/** The people of the role × action table: the lead and one person of each other role, and an outsider. */
const TABLE_PEOPLE = {
  ...LARGE_REVIEW_PEOPLE,
  rex: 'Rex Reviewer',
  dana: 'Dana Data',
  stan: 'Stan Steering',
  vic: 'Vic Viewer',
  ola: 'Ola Outsider',
} as const;
type TableWho = keyof typeof TABLE_PEOPLE;
const ROLES = { rita: 'reviewer', rex: 'reviewer', dana: 'data', stan: 'steering', vic: 'viewer' } as const;

/** Values only a request's body holds: none may reach the log. */
const IN_BODY_ONLY = ['zed.sentinel@clinic.test', 'Sentinel Ward', 'sentinel-go-1'];

const HEX = 'a'.repeat(64);
const blankGo = {
  id: 'sentinel-go-1',
  decision: 'go',
  readiness: 'go',
  resultSha256: HEX,
  rationale: '   ',
  recordedAt: '2026-03-02T09:00:00Z',
};
const anAssertion = {
  id: 'AAAA',
  rawId: 'AAAA',
  type: 'public-key',
  response: { clientDataJSON: 'AAAA', authenticatorData: 'AAAA', signature: 'AAAA' },
};

/** What the table's requests name: the project, its people and what the set-up made. */
interface Made {
  project: string;
  members: ReadonlyMap<TableWho, string>;
  invitation: string;
  decision: (n: number, by: TableWho, change?: Partial<Decision>) => Decision;
}

/** One refused attempt: who tries it, the request, and the refusal and entry it gives. */
interface Row {
  description: string;
  who: TableWho;
  method: 'POST' | 'PATCH' | 'DELETE';
  path: (made: Made) => string;
  body?: (made: Made) => unknown;
  status: number;
  /** the entry: what it was an attempt on and the reason code; undefined: no entry at all */
  entry?: { about: 'decision' | 'signature' | 'key' | 'role'; reason: string };
}

const reviews = (made: Made) => `/api/projects/${made.project}/reviews`;

const ROWS: readonly Row[] = [
  // ---- decisions
  {
    description: 'a reviewer posts a decision under another reviewer’s name',
    who: 'rita',
    method: 'POST',
    path: (m) => `${reviews(m)}/rv-table/decisions`,
    body: (m) => ({
      decisions: [
        m.decision(2, 'rita', {
          reviewer: { id: m.members.get('rex') as string, name: TABLE_PEOPLE.rex, role: 'RN' },
        }),
      ],
    }),
    status: 403,
    entry: { about: 'decision', reason: 'not-allowed' },
  },
  {
    description: 'a reviewer decides a record another reviewer holds the pass on',
    who: 'rex',
    method: 'POST',
    path: (m) => `${reviews(m)}/rv-table/decisions`,
    body: (m) => ({ decisions: [m.decision(2, 'rex')] }),
    status: 403,
    entry: { about: 'decision', reason: 'not-allowed' },
  },
  {
    description: 'a reviewer posts a second pass on a review with one pass',
    who: 'rita',
    method: 'POST',
    path: (m) => `${reviews(m)}/rv-table/decisions`,
    body: (m) => ({ decisions: [m.decision(3, 'rita', { stage: 'second' })] }),
    status: 403,
    entry: { about: 'decision', reason: 'not-allowed' },
  },
  {
    description: 'a reviewer changes a decision she recorded, under its id',
    who: 'rita',
    method: 'POST',
    path: (m) => `${reviews(m)}/rv-table/decisions`,
    body: (m) => ({ decisions: [m.decision(1, 'rita', { outcome: 'reject' })] }),
    status: 409,
    entry: { about: 'decision', reason: 'conflict' },
  },
  {
    description: 'a reviewer decides on a review whose adjudication the lead closed',
    who: 'rita',
    method: 'POST',
    path: (m) => `${reviews(m)}/rv-closed/decisions`,
    body: (m) => ({ decisions: [{ ...m.decision(1, 'rita'), id: 'rv-closed-1' }] }),
    status: 409,
    entry: { about: 'decision', reason: 'conflict' },
  },
  {
    description: 'a reviewer records a packet’s decisions, the lead’s to record',
    who: 'rita',
    method: 'POST',
    path: (m) => `${reviews(m)}/rv-table/packet-decisions`,
    body: (m) => ({ decisions: [m.decision(3, 'rita')] }),
    status: 403,
    entry: { about: 'decision', reason: 'not-allowed' },
  },
  {
    description: 'a reviewer closes adjudication, the lead’s to close',
    who: 'rita',
    method: 'POST',
    path: (m) => `${reviews(m)}/rv-table/adjudication/close`,
    status: 403,
    entry: { about: 'decision', reason: 'not-allowed' },
  },
  {
    description: 'the lead closes adjudication on a review the project does not hold',
    who: 'lena',
    method: 'POST',
    path: (m) => `${reviews(m)}/rv-none/adjudication/close`,
    status: 404,
    entry: { about: 'decision', reason: 'not-found' },
  },
  // ---- signatures
  {
    description: 'a viewer starts a signature',
    who: 'vic',
    method: 'POST',
    path: (m) => `/api/projects/${m.project}/signatures/options`,
    body: () => ({ hash: HEX }),
    status: 403,
    entry: { about: 'signature', reason: 'not-allowed' },
  },
  {
    description: 'a reviewer signs the go or no-go, the committee’s to sign',
    who: 'rita',
    method: 'POST',
    path: (m) => `/api/projects/${m.project}/steering-signatures`,
    body: () => ({ decision: { ...blankGo, rationale: 'ready' }, response: anAssertion }),
    status: 403,
    entry: { about: 'signature', reason: 'not-allowed' },
  },
  {
    description: 'the committee starts a go signature with a blank rationale',
    who: 'stan',
    method: 'POST',
    path: (m) => `/api/projects/${m.project}/steering-signatures/options`,
    body: () => ({ decision: blankGo }),
    status: 400,
    entry: { about: 'signature', reason: 'not-valid' },
  },
  {
    description: 'the committee signs a go with a blank rationale',
    who: 'stan',
    method: 'POST',
    path: (m) => `/api/projects/${m.project}/steering-signatures`,
    body: () => ({ decision: blankGo, response: anAssertion }),
    status: 400,
    entry: { about: 'signature', reason: 'not-valid' },
  },
  {
    description: 'the data lead sets the signing idle time, the lead’s to set',
    who: 'dana',
    method: 'PATCH',
    path: (m) => `/api/projects/${m.project}/signing`,
    body: () => ({ idleMinutes: 60 }),
    status: 403,
    entry: { about: 'signature', reason: 'not-allowed' },
  },
  // ---- keys
  {
    description: 'a viewer starts registering a signing key',
    who: 'vic',
    method: 'POST',
    path: (m) => `/api/projects/${m.project}/signing-keys/options`,
    status: 403,
    entry: { about: 'key', reason: 'not-allowed' },
  },
  {
    description: 'a reviewer confirms a signing key',
    who: 'rita',
    method: 'POST',
    path: (m) => `/api/projects/${m.project}/signing-keys/some-key/confirm`,
    status: 403,
    entry: { about: 'key', reason: 'not-allowed' },
  },
  {
    description: 'the data lead revokes a signing key, the lead’s to revoke',
    who: 'dana',
    method: 'POST',
    path: (m) => `/api/projects/${m.project}/signing-keys/some-key/revoke`,
    body: () => ({ reason: 'lost' }),
    status: 403,
    entry: { about: 'key', reason: 'not-allowed' },
  },
  // ---- roles
  {
    description: 'the data lead makes a reviewer a lead',
    who: 'dana',
    method: 'PATCH',
    path: (m) => `/api/projects/${m.project}/members/${m.members.get('rex')}`,
    body: () => ({ role: 'lead' }),
    status: 403,
    entry: { about: 'role', reason: 'not-allowed' },
  },
  {
    description: 'the lead adds a member named both by id and by e-mail',
    who: 'lena',
    method: 'POST',
    path: (m) => `/api/projects/${m.project}/members`,
    body: () => ({ subject: 'zed', email: 'zed.sentinel@clinic.test', role: 'reviewer' }),
    status: 400,
    entry: { about: 'role', reason: 'not-valid' },
  },
  {
    description: 'the lead adds a member whose access ends before it starts',
    who: 'lena',
    method: 'POST',
    path: (m) => `/api/projects/${m.project}/members`,
    body: () => ({ subject: 'zed', role: 'lead', expiresOn: '2020-01-01' }),
    status: 422,
    entry: { about: 'role', reason: 'not-verified' },
  },
  {
    description: 'the lead ends a member’s access on a past day',
    who: 'lena',
    method: 'PATCH',
    path: (m) => `/api/projects/${m.project}/members/${m.members.get('rex')}`,
    body: () => ({ expiresOn: '2020-01-01' }),
    status: 422,
    entry: { about: 'role', reason: 'not-verified' },
  },
  {
    description: 'the data lead invites someone as a lead',
    who: 'dana',
    method: 'POST',
    path: (m) => `/api/projects/${m.project}/invitations`,
    body: () => ({ role: 'lead' }),
    status: 403,
    entry: { about: 'role', reason: 'not-allowed' },
  },
  {
    description: 'the lead invites someone with a note on two lines',
    who: 'lena',
    method: 'POST',
    path: (m) => `/api/projects/${m.project}/invitations`,
    body: () => ({ role: 'reviewer', label: 'Sentinel Ward\nsecond line' }),
    status: 400,
    entry: { about: 'role', reason: 'not-valid' },
  },
  {
    description: 'the data lead withdraws the lead’s invitation',
    who: 'dana',
    method: 'DELETE',
    path: (m) => `/api/projects/${m.project}/invitations/${m.invitation}`,
    status: 403,
    entry: { about: 'role', reason: 'not-allowed' },
  },
  {
    description: 'someone who is not a member adds a member named twice',
    who: 'ola',
    method: 'POST',
    path: (m) => `/api/projects/${m.project}/members`,
    body: () => ({ subject: 'zed', email: 'zed.sentinel@clinic.test', role: 'lead' }),
    status: 400,
  },
];

describe.each(['embedded', 'postgres'] as const)('refused attempts by role on %s', (engine) => {
  const skip = () => !running().engines.some((e) => e.engine === engine);
  let db: Database;
  let server: ServerWithPeople<TableWho>;
  let made: Made;

  beforeAll(async () => {
    if (skip()) return;
    db = await running().open(engine);
    server = await serverWithPeople(db, TABLE_PEOPLE, () => Date.now());
    const project = (await server.ask('lena', 'POST', '/api/projects', { name: 'Go-live' })).body.project.id;
    const members = new Map<TableWho, string>();
    for (const [who, role] of Object.entries(ROLES) as [TableWho, string][]) {
      const added = await server.ask('lena', 'POST', `/api/projects/${project}/members`, {
        subject: who,
        role,
      });
      members.set(who, added.body.member.id);
    }
    const rita = members.get('rita') as string;
    const table: LargeReview = await largeReview(server, project, rita, 'rv-table', 3);
    await table.sendPair(1);
    await table.decide(1);
    const closed = await largeReview(server, project, rita, 'rv-closed', 1);
    await closed.sendPair(1);
    expect(
      (await server.ask('lena', 'POST', `/api/projects/${project}/reviews/rv-closed/adjudication/close`))
        .status,
    ).toBe(200);
    const invited = await server.ask('lena', 'POST', `/api/projects/${project}/invitations`, {
      role: 'reviewer',
    });
    expect(invited.status).toBe(201);
    made = {
      project,
      members,
      invitation: invited.body.invitation.id,
      decision: (n, by, change = {}) => ({
        ...decisionOn('rv-table', n, { id: members.get(by) as string, name: TABLE_PEOPLE[by] }),
        ...change,
      }),
    };
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('opens no more folds per person than the limit, so every row is an entry of its own', () => {
    // the lead opens one more fold below, repeating a check's refusal
    for (const who of Object.keys(TABLE_PEOPLE))
      expect(ROWS.filter((r) => r.who === who).length + (who === 'lena' ? 1 : 0), who).toBeLessThanOrEqual(
        REFUSALS_PER_MEMBER,
      );
  });

  it.for(ROWS)('$description: $status, recorded', async (row, { skip: skipTest }) => {
    if (skip()) skipTest();
    const lastSeq = async () => (await readAudit(db)).at(-1)?.seq ?? 0;
    const before = await lastSeq();
    const answer = await server.ask(row.who, row.method, row.path(made), row.body?.(made));
    expect(answer.status, JSON.stringify(answer.body)).toBe(row.status);
    const added: ServerAuditEntry[] = (await readAudit(db)).filter((e) => e.seq > before);
    if (row.entry === undefined) {
      expect(added, 'no entry anywhere').toEqual([]);
      return;
    }
    expect(added.map((e) => e.kind)).toEqual(['attempt-refused']);
    const [entry] = added as [ServerAuditEntry];
    expect(entry).toMatchObject({
      actor: { subject: row.who, name: TABLE_PEOPLE[row.who] },
      detail: {
        project: made.project,
        about: row.entry.about,
        reason: row.entry.reason,
        words: answer.body.error.slice(0, 300),
        route: expect.stringMatching(new RegExp(`^${row.method} /api/projects/:projectId/`)),
        session: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    for (const value of IN_BODY_ONLY) expect(JSON.stringify(entry)).not.toContain(value);
  });

  it('folds the repeats of a refusal of the route’s own checks into its entry and one count', async ({
    skip: skipTest,
  }) => {
    if (skip()) skipTest();
    const before = (await readAudit(db)).at(-1)?.seq ?? 0;
    const members = `/api/projects/${made.project}/members`;
    const notADay = { subject: 'zed', role: 'viewer', expiresOn: '2027-02-30' };
    for (let i = 0; i < 3; i += 1)
      expect((await server.ask('lena', 'POST', members, notADay)).status).toBe(400);
    const renamed = await server.ask('lena', 'PATCH', `/api/projects/${made.project}`, { name: 'Go-live 2' });
    expect(renamed.status).toBe(200);
    const added = (await readAudit(db)).filter((e) => e.seq > before);
    expect(added.map((e) => e.kind)).toEqual(['attempt-refused', 'refusal-repeated', 'project-renamed']);
    expect(added[1]).toMatchObject({
      actor: { subject: 'lena' },
      detail: { fold: added[0]?.detail.fold, repeats: '2' },
    });
  });
});
