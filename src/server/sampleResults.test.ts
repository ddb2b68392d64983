/**
 * A sample's result on the team server and the data lead's approval of it, over HTTP on the
 * embedded database: the server computes the result from the review it holds with the core's own
 * functions (the same figures the lead's screen computes from the same decisions), serves it to
 * the lead and the data lead only, with no record content; an approval naming the review signs
 * exactly its current fingerprint (a result that changed since: refused), and is refused while
 * records wait for a decision. The lead's sign-off signature, naming no review, signs the sign-off
 * hash her screen prepared, as before. People are signed in with the server's own `signIn`, the
 * signers with a fresh sign-in (as the provider's callback records one: signing.test.ts proves
 * the ceremony itself).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../core/hash/index.ts';
import { type ShownRecord, shownHash } from '../core/signoff/review/index.ts';
import {
  APPROVAL_MEANING,
  lockedReview,
  sampleResult,
  sampleResultFingerprint,
} from '../core/signoff/signing/index.ts';
import type { Decision, Review } from '../formats/review.ts';
import type { SamplePlan } from '../formats/samplePlan.ts';
import { CSRF_HEADER, createServer, type Database, migrate, readAudit, SESSION_COOKIE } from './index.ts';
import { signIn } from './sessions.ts';
import { type TestAuthenticator, testAuthenticator } from './testing/authenticator.ts';
import { freshEmbedded } from './testing/databases.ts';
import { TEST_ISSUER } from './testing/people.ts';

const PEOPLE = { lena: 'Lena Lead', dora: 'Dora Data', rita: 'Rita Reviewer' } as const;
type Who = keyof typeof PEOPLE;
const KEYS = ['MRN-1', 'MRN-2', 'MRN-3'];

describe('a sample’s result on the team server, approved by the data lead', () => {
  let db: Database;
  let app: FastifyInstance;
  let base: string;
  let project: string;
  let plan: SamplePlan;
  let posted: Review;
  let shown: ShownRecord[];
  const member = new Map<Who, string>();
  const sessions = new Map<Who, { cookie: string; csrf: string }>();
  const keys = new Map<Who, TestAuthenticator>();

  beforeAll(async () => {
    db = await freshEmbedded();
    await migrate(db);
    app = await createServer({ checkAnswers: true, db, insecureHttp: true });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    for (const who of Object.keys(PEOPLE) as Who[]) {
      const now = Date.now();
      const { token, session } = await signIn(
        db,
        {
          issuer: TEST_ISSUER,
          subject: who,
          name: PEOPLE[who],
          email: `${who}@clinic.test`,
          freshAuthAt: now,
        },
        now,
        '127.0.0.1',
      );
      sessions.set(who, { cookie: `${SESSION_COOKIE}=${token}`, csrf: session.csrfToken });
    }
    project = (await ask('lena', 'POST', '/api/projects', { name: 'Go-live' })).body.project.id;
    await ask('lena', 'POST', `/api/projects/${project}/members`, { subject: 'rita', role: 'reviewer' });
    await ask('lena', 'POST', `/api/projects/${project}/members`, { subject: 'dora', role: 'data' });
    for (const m of (await ask('lena', 'GET', `/api/projects/${project}`)).body.members as {
      id: string;
      subject: Who;
    }[])
      member.set(m.subject, m.id);
    ({ plan, review: posted } = lockedReview([]));
    shown = KEYS.map((recordKey, i) => ({
      planHash: posted.plan.hash,
      stratum: 'patients',
      recordKey,
      source: { file: 'patients.csv', row: i + 1, header: ['mrn'], cells: [recordKey] },
      mapping: { id: 'm1', version: 1 },
      target: { identifier: recordKey },
      alignment: [{ target: 'identifier', columns: ['mrn'], value: recordKey }],
    }));
    for (const who of ['lena', 'dora'] as const) {
      const key = await testAuthenticator(base);
      keys.set(who, key);
      const options = await ask(who, 'POST', `/api/projects/${project}/signing-keys/options`);
      const registered = await ask(who, 'POST', `/api/projects/${project}/signing-keys`, {
        response: await key.register(options.body),
      });
      // the lead's own key is confirmed by the data lead: nobody confirms their own
      const confirmer = who === 'lena' ? 'dora' : 'lena';
      await ask(confirmer, 'POST', `/api/projects/${project}/signing-keys/${registered.body.key.id}/confirm`);
    }
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  // biome-ignore lint/suspicious/noExplicitAny: each test reads the JSON answer of its own route
  async function ask(who: Who, method: string, path: string, body?: unknown): Promise<any> {
    const { cookie, csrf } = sessions.get(who) as { cookie: string; csrf: string };
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        cookie,
        [CSRF_HEADER]: csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  /** The review `id` of the locked fixture plan, sent to Rita for its one pass (with its plan or not). */
  async function sendReview(id: string, withPlan: boolean) {
    const { format: _f, decisions: _d, ...review } = { ...posted, id };
    const assigned = await ask('lena', 'POST', `/api/projects/${project}/reviews`, {
      review,
      ...(withPlan ? { plan } : {}),
      assignments: KEYS.map((recordKey) => ({ stratum: 'patients', recordKey, first: member.get('rita') })),
    });
    expect(assigned.status).toBe(201);
    await ask('lena', 'POST', `/api/projects/${project}/reviews/${id}/records`, {
      records: shown.map((s) => ({ shown: s })),
    });
  }

  /** Rita's decision on record `i` of review `review`. */
  function decision(review: string, i: number, outcome: 'accept' | 'reject' = 'accept'): Decision {
    return {
      id: `${review}-d${i}`,
      planHash: posted.plan.hash,
      stratum: 'patients',
      recordKey: KEYS[i] as string,
      reviewer: { name: PEOPLE.rita, role: 'Physician', id: member.get('rita') as string },
      decidedAt: '2026-03-02T09:15:00+01:00',
      outcome,
      findings:
        outcome === 'reject' ? [{ field: 'identifier', reason: 'wrong-value', defectClass: 'major' }] : [],
      stage: 'first',
      mapping: { id: 'm1', version: 1 },
      shownSha256: shownHash(shown[i] as ShownRecord),
    };
  }

  async function decide(review: string, ...decisions: Decision[]) {
    const posted = await ask('rita', 'POST', `/api/projects/${project}/reviews/${review}/decisions`, {
      decisions,
    });
    expect(posted.status).toBe(201);
  }

  /** `who` signs `hash` as `kind`, naming `review` when given. */
  async function sign(who: Who, hash: string, kind: string, review?: string) {
    const options = await ask(who, 'POST', `/api/projects/${project}/signatures/options`, { hash });
    expect(options.body.ceremony).toBe('assertion');
    return ask(who, 'POST', `/api/projects/${project}/signatures`, {
      hash,
      kind,
      ...(review === undefined ? {} : { review }),
      response: await (keys.get(who) as TestAuthenticator).sign(options.body.options),
    });
  }

  const resultPath = (review: string) => `/api/projects/${project}/reviews/${review}/result`;

  it('serves the lead and the data lead the result the core computes, and nobody else, with no record content', async () => {
    await sendReview('rv-a', true);
    await decide('rv-a', decision('rv-a', 0), decision('rv-a', 1, 'reject'));
    const served = await ask('dora', 'GET', resultPath('rv-a'));
    expect(served.status).toBe(200);
    const expected = sampleResult(
      { ...posted, id: 'rv-a', decisions: [decision('rv-a', 0), decision('rv-a', 1, 'reject')] },
      plan,
    );
    expect(served.body).toEqual({
      review: 'rv-a',
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      result: expected,
      fingerprint: sampleResultFingerprint(expected),
    });
    expect(served.body.result.total).toMatchObject({ drawn: 3, accepted: 1, rejected: 1, undecided: 1 });
    expect(served.body.result.standing).toBe('undecided');
    expect(served.body.result.plan).toMatchObject({ targetErrorRate: 0.02, confidence: 0.95 });
    for (const key of KEYS) expect(JSON.stringify(served.body)).not.toContain(key);
    expect((await ask('lena', 'GET', resultPath('rv-a'))).body).toEqual(served.body);
    const listed = await ask('dora', 'GET', `/api/projects/${project}/sample-results`);
    expect(listed.body.results).toContainEqual(served.body);
    const byReviewer = await ask('rita', 'GET', resultPath('rv-a'));
    expect(byReviewer.status).toBe(403);
    expect(byReviewer.body.error).toMatch(/cannot see the results of this project’s samples/);
    expect((await ask('dora', 'GET', resultPath('nope'))).status).toBe(404);
  });

  it('refuses an approval while records wait, and one over a result that changed since; signs the current one', async () => {
    await sendReview('rv-b', true);
    await decide('rv-b', decision('rv-b', 0), decision('rv-b', 1));
    const early = await ask('dora', 'GET', resultPath('rv-b'));
    const waiting = await sign('dora', early.body.fingerprint, 'approval', 'rv-b');
    expect(waiting.status).toBe(409);
    expect(waiting.body.error).toMatch(/not approved: 1 record of this sample has no decision yet/);
    // "I confirm the result is as shown" is true of a result still in review: it signs that result
    const confirmed = await sign('dora', early.body.fingerprint, 'confirmation', 'rv-b');
    expect(confirmed.status).toBe(201);

    await decide('rv-b', decision('rv-b', 2));
    const stale = await sign('dora', early.body.fingerprint, 'approval', 'rv-b');
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatch(/result changed since you looked/);
    const before = (await readAudit(db, { project })).length;

    const now = await ask('dora', 'GET', resultPath('rv-b'));
    expect(now.body.result.standing).toBe('passes');
    expect(now.body.fingerprint).not.toBe(early.body.fingerprint);
    const approved = await sign('dora', now.body.fingerprint, 'approval', 'rv-b');
    expect(approved.status).toBe(201);
    expect(approved.body.signature).toMatchObject({
      signer: { name: PEOPLE.dora },
      role: 'data',
      kind: 'approval',
      review: 'rv-b',
      meaning: APPROVAL_MEANING,
      hash: now.body.fingerprint,
    });
    const added = (await readAudit(db, { project })).slice(before);
    expect(added.map((e) => e.kind)).toEqual(['signature']);
    // the review's signatures list it, for the lead to bring in with the decisions
    const listed = await ask('lena', 'GET', `/api/projects/${project}/reviews/rv-b/signatures`);
    expect(listed.body.signatures.map((s: { kind: string }) => s.kind)).toEqual(['confirmation', 'approval']);
  });

  it('makes a data lead name the review she approves; the lead’s sign-off path names none, as before', async () => {
    const unnamed = await sign('dora', sha256Hex('anything'), 'approval');
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.error).toMatch(/names the review whose result it signs/);
    const lead = await sign('lena', sha256Hex('the sign-off hash her screen prepared'), 'approval');
    expect(lead.status).toBe(201);
    // a failing result is never approved, by anyone naming it
    await sendReview('rv-c', true);
    await decide('rv-c', decision('rv-c', 0, 'reject'), decision('rv-c', 1), decision('rv-c', 2));
    const failing = await ask('lena', 'GET', resultPath('rv-c'));
    expect(failing.body.result).toMatchObject({ pass: false, standing: 'fails' });
    const refused = await sign('lena', failing.body.fingerprint, 'approval', 'rv-c');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/does not pass the plan’s targets/);
  });

  it('has no result for a review sent without its plan until the lead sends the plan it was drawn under', async () => {
    await sendReview('rv-d', false);
    const missing = await ask('dora', 'GET', resultPath('rv-d'));
    expect(missing.body).toEqual({
      review: 'rv-d',
      sentAt: expect.any(String),
      planMissing: expect.stringMatching(/sends its locked plan/),
    });
    const signed = await sign('dora', sha256Hex('x'), 'approval', 'rv-d');
    expect(signed.status).toBe(409);
    const planPath = `/api/projects/${project}/reviews/rv-d/plan`;
    const other = await ask('lena', 'PUT', planPath, { plan: { ...plan, confidence: 0.9 } });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatch(/not the plan this sample was drawn under/);
    expect((await ask('dora', 'PUT', planPath, { plan })).status).toBe(403);
    expect((await ask('lena', 'PUT', planPath, { plan })).status).toBe(200);
    const served = await ask('dora', 'GET', resultPath('rv-d'));
    expect(served.body.result.total).toMatchObject({ drawn: 3, undecided: 3 });
    // sent once: sending it again changes nothing and records nothing more
    expect((await ask('lena', 'PUT', planPath, { plan })).body).toEqual({
      plan: served.body.result.planHash,
    });
    const kinds = (await readAudit(db, { project })).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'review-plan-sent')).toHaveLength(1);
  });
});
