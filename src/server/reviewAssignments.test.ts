/**
 * Review assignments on the real server, over HTTP, on the embedded database, with a real OpenID
 * Connect provider (tests/oidc/identityProvider.ts) for the first reviewer's sign-in:
 * - the lead assigns a dual review's records (first, second, adjudicator distinct: refused
 *   otherwise, with the reason) and sends the record pairs;
 * - a reviewer lists and opens only her own records, and every read is an audit entry;
 * - decisions come in order, server-numbered and appended (a change is a new entry); the two
 *   passes are blind to each other until the adjudicator ruled on a record or the lead closed
 *   adjudication; the adjudicator sees only the disagreements; the database refuses to rewrite a
 *   decision;
 * - a reviewer's "I reviewed these records" signature naming the review signs exactly her own
 *   decisions there (none of the kind, or another set: refused).
 * The other people are signed in with the server's own `signIn` (signIn.test.ts proves that part).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdentityProvider, type TestIdentityProvider } from '../../tests/oidc/identityProvider.ts';
import { postgresBinDir } from '../../tests/setup/postgres.ts';
import { canonicalSha256Hex } from '../core/hash/index.ts';
import { type ShownRecord, shownHash } from '../core/signoff/review/index.ts';
import { reviewedDecisionsHash, SIGNING_MEANINGS } from '../core/signoff/signing/index.ts';
import { firstBrokenProjectEntry } from '../formats/projectAudit.ts';
import type { Decision } from '../formats/review.ts';
import { FIXTURE_PLAN_HASH, fixtureReview } from '../formats/testing/fixtures.ts';
import {
  CSRF_HEADER,
  createIdentityClient,
  createServer,
  type Database,
  migrate,
  readAudit,
  SESSION_COOKIE,
} from './index.ts';
import { assignmentProblem, mayReadDecision } from './reviewAssignments.ts';
import { signIn } from './sessions.ts';
import { type TestAuthenticator, testAuthenticator } from './testing/authenticator.ts';
import { fileTestEngines } from './testing/databases.ts';

const testEngines = fileTestEngines();
const running = () => testEngines.running();

const USERS = {
  lena: { name: 'Lena Lead', email: 'lena@clinic.test' },
  rita: { name: 'Rita Reviewer', email: 'rita@clinic.test' },
  rex: { name: 'Rex Second', email: 'rex@clinic.test' },
  ada: { name: 'Ada Adjudicator', email: 'ada@clinic.test' },
  dora: { name: 'Dora Data', email: 'dora@clinic.test' },
  otto: { name: 'Otto Outsider', email: 'otto@clinic.test' },
};
type Who = keyof typeof USERS;

/**
 * The embedded database only: nothing here is the engine's to decide (the same SQL on both). What
 * is, the review decisions' append-only trigger, auditLog.test.ts proves on PostgreSQL too.
 */
const ENGINES: readonly ('embedded' | 'postgres')[] = ['embedded'];
const hasPostgres = postgresBinDir() !== undefined;

/** What the app shows for record `key` of the fixture review: its legacy row and migrated record. */
function shownOf(key: string, row: number): ShownRecord {
  return {
    planHash: FIXTURE_PLAN_HASH,
    stratum: 'patients',
    recordKey: key,
    source: { file: 'patients.csv', row, header: ['mrn', 'dob'], cells: [key, `1970-01-0${row}`] },
    mapping: { id: 'm1', version: 1 },
    target: { identifier: key, birthDate: `1970-01-0${row}` },
    alignment: [
      { target: 'identifier', columns: ['mrn'], value: key },
      { target: 'birthDate', columns: ['dob'], value: `1970-01-0${row}` },
    ],
  };
}
const KEYS = ['MRN-1', 'MRN-2', 'MRN-3'];
const SHOWN = KEYS.map((k, i) => shownOf(k, i + 1));

describe('the assignment and blind-reading rules', () => {
  it.each([
    [{ first: 'a', second: 'a', adjudicator: 'c' }, true, /same person as first and second/],
    [{ first: 'a', second: 'b', adjudicator: 'a' }, true, /adjudicator must be neither reviewer/],
    [{ first: 'a', second: 'b', adjudicator: 'b' }, true, /adjudicator must be neither reviewer/],
    [{ first: 'a', adjudicator: 'c' }, true, /no second reviewer/],
    [{ first: 'a', second: 'b' }, true, /no adjudicator/],
    [{ first: 'a', second: 'b' }, false, /not a dual review/],
    [{ first: 'a', second: 'b', adjudicator: 'c' }, true, undefined],
    [{ first: 'a' }, false, undefined],
  ])('%j (dual review %s): %s', (who, dual, problem) => {
    const found = assignmentProblem({ stratum: 's', recordKey: 'k', ...who }, 4, dual);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
    if (problem !== undefined) expect(found).toMatch(/^record 4 \(stratum s\)/);
  });

  it('lets a pass read the other only once adjudicated or closed, and the adjudicator only disagreements', () => {
    const d = { outcome: 'accept' } as Decision;
    type Status = Parameters<typeof mayReadDecision>[0]['status'];
    const one: Status = { first: d, state: 'open' };
    const both: Status = { first: d, second: d, state: 'final' };
    const disagree: Status = { first: d, second: d, state: 'awaiting-adjudication' };
    const ruled: Status = { first: d, second: d, state: 'final', adjudication: d };
    const read = (pass: 'first' | 'second' | 'adjudication' | undefined, status: Status, lead = false) =>
      mayReadDecision({ viewer: 'me', lead, pass, status, author: 'other' });
    expect(read('second', one)).toBe(false);
    expect(read('second', both), 'both decided is not yet ruled on').toBe(false);
    expect(read('first', disagree)).toBe(false);
    expect(read('first', ruled)).toBe(true);
    expect(
      mayReadDecision({
        viewer: 'me',
        lead: false,
        pass: 'second',
        status: both,
        author: 'other',
        closed: true,
      }),
      'the lead closed adjudication',
    ).toBe(true);
    expect(read('adjudication', both)).toBe(false);
    expect(read('adjudication', disagree)).toBe(true);
    expect(read(undefined, one, true), 'the lead holding no pass reads all').toBe(true);
    expect(read('adjudication', both, true), 'the lead adjudicating reads all too').toBe(true);
    expect(read('second', both, true), 'a lead taking a reviewer’s pass is blind').toBe(false);
    expect(read(undefined, one, false)).toBe(false);
    expect(mayReadDecision({ viewer: 'me', lead: false, pass: 'first', status: one, author: 'me' })).toBe(
      true,
    );
  });
});

describe.each(ENGINES)('review assignments on the %s database', (engine) => {
  const skip = engine === 'postgres' && !hasPostgres;
  let db: Database;
  let idp: TestIdentityProvider;
  let app: FastifyInstance;
  let base: string;
  let project: string;
  const member = new Map<Who, string>();
  const sessions = new Map<Who, { cookie: string; csrf: string }>();

  beforeAll(async () => {
    if (skip) return;
    [db, idp] = await Promise.all([running().open(engine), startTestIdentityProvider(USERS)]);
    await migrate(db);
    const identity = createIdentityClient({
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      allowHttp: true,
    });
    app = await createServer({ checkAnswers: true, db, identity, insecureHttp: true });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    idp.allowRedirect(`${base}/api/login/callback`);
    for (const who of ['lena', 'rex', 'ada', 'dora', 'otto'] as const) {
      const { token, session } = await signIn(
        db,
        { issuer: idp.issuer, subject: who, ...USERS[who] },
        Date.now(),
        '127.0.0.1',
      );
      sessions.set(who, { cookie: `${SESSION_COOKIE}=${token}`, csrf: session.csrfToken });
    }
    // the first reviewer signs in at the clinic's identity provider, as in her own browser
    const { cookie } = await idp.signIn(base, 'rita');
    const me = await (await fetch(`${base}/api/me`, { headers: { cookie } })).json();
    sessions.set('rita', { cookie, csrf: me.csrfToken });

    project = (await ask('lena', 'POST', '/api/projects', { name: 'Go-live' })).body.project.id;
    for (const [who, role] of [
      ['rita', 'reviewer'],
      ['rex', 'reviewer'],
      ['ada', 'reviewer'],
      ['dora', 'data'],
    ] as const)
      await ask('lena', 'POST', `/api/projects/${project}/members`, { subject: who, role });
    const roster = (await ask('lena', 'GET', `/api/projects/${project}`)).body.members;
    for (const m of roster as { id: string; subject: Who }[]) member.set(m.subject, m.id);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await idp?.stop();
    await db?.close();
  });

  async function ask(who: Who, method: string, path: string, body?: unknown) {
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

  const id = (who: Who) => member.get(who) as string;
  const reviewPath = (review: string, rest = '') => `/api/projects/${project}/reviews/${review}${rest}`;

  /** The fixture review as a dual review with id `review`, and who reviews every record. */
  function assignment(review: string, who: { first: Who; second: Who; adjudicator: Who }) {
    const { format: _, decisions: __, ...posted } = fixtureReview(review);
    return {
      review: { ...posted, dualReview: true },
      assignments: KEYS.map((recordKey) => ({
        stratum: 'patients',
        recordKey,
        first: id(who.first),
        second: id(who.second),
        adjudicator: id(who.adjudicator),
      })),
    };
  }

  let decisionCount = 0;
  /** A decision of `who` on record `key`, at her pass, citing what the server showed. */
  function decision(
    who: Who,
    key: string,
    stage: Decision['stage'],
    outcome: Decision['outcome'],
    extra: Partial<Decision> = {},
  ): Decision {
    decisionCount += 1;
    return {
      id: `d${decisionCount}`,
      planHash: FIXTURE_PLAN_HASH,
      stratum: 'patients',
      recordKey: key,
      reviewer: { name: USERS[who].name, role: 'Physician', id: id(who) },
      decidedAt: '2026-03-02T09:15:00+01:00',
      outcome,
      findings:
        outcome === 'reject' ? [{ field: 'birthDate', reason: 'wrong-value', defectClass: 'major' }] : [],
      stage,
      mapping: { id: 'm1', version: 1 },
      shownSha256: shownHash(SHOWN[KEYS.indexOf(key)] as ShownRecord),
      ...extra,
    };
  }

  it.skipIf(skip)('refuses an assignment whose passes are not three people, or not reviewers', async () => {
    const cases: [ReturnType<typeof assignment>, RegExp][] = [
      [
        assignment('bad1', { first: 'rita', second: 'rita', adjudicator: 'ada' }),
        /same person as first and second/,
      ],
      [assignment('bad2', { first: 'rita', second: 'rex', adjudicator: 'rex' }), /neither reviewer/],
      [
        assignment('bad3', { first: 'rita', second: 'dora', adjudicator: 'ada' }),
        /role \(data\) does not review/,
      ],
    ];
    for (const [body, reason] of cases) {
      const answer = await ask('lena', 'POST', `/api/projects/${project}/reviews`, body);
      expect(answer.status).toBe(409);
      expect(answer.body.error).toMatch(reason);
    }
    const partial = assignment('bad4', { first: 'rita', second: 'rex', adjudicator: 'ada' });
    partial.assignments.pop();
    expect((await ask('lena', 'POST', `/api/projects/${project}/reviews`, partial)).body.error).toMatch(
      /every drawn record needs its reviewers/,
    );
    const good = assignment('x', { first: 'rita', second: 'rex', adjudicator: 'ada' });
    expect((await ask('rita', 'POST', `/api/projects/${project}/reviews`, good)).status).toBe(403);
    expect((await ask('otto', 'POST', `/api/projects/${project}/reviews`, good)).status).toBe(404);
    expect((await ask('dora', 'GET', `/api/projects/${project}/reviews`)).status).toBe(403);
    const kinds = (await readAudit(db, { project })).map((e) => e.kind);
    expect(kinds.filter((k) => k.startsWith('review'))).toEqual([]);
  });

  it.skipIf(skip)(
    'sends records to their reviewers only, logs every read, keeps the passes blind and adjudicates disagreements',
    async () => {
      const posted = await ask(
        'lena',
        'POST',
        `/api/projects/${project}/reviews`,
        assignment('rv1', { first: 'rita', second: 'rex', adjudicator: 'ada' }),
      );
      expect(posted.status).toBe(201);
      expect(posted.body.records.map((r: { id: number }) => r.id)).toEqual([1, 2, 3]);
      const again = await ask(
        'lena',
        'POST',
        `/api/projects/${project}/reviews`,
        assignment('rv1', { first: 'rex', second: 'rita', adjudicator: 'ada' }),
      );
      expect(again.status, 'assignments are not rewritten').toBe(409);

      const ritaList = (await ask('rita', 'GET', reviewPath('rv1', '/assigned'))).body;
      expect(ritaList.records).toEqual(
        KEYS.map((recordKey, i) => ({
          id: i + 1,
          stratum: 'patients',
          recordKey,
          pass: 'first',
          sent: false,
          decided: false,
        })),
      );
      expect(
        (await ask('ada', 'GET', reviewPath('rv1', '/assigned'))).body.records,
        'no disagreement yet',
      ).toEqual([]);
      expect((await ask('rita', 'GET', reviewPath('rv1', '/records/1'))).status, 'not sent yet').toBe(409);

      const sent = await ask('lena', 'POST', reviewPath('rv1', '/records'), {
        records: SHOWN.map((shown) => ({ shown })),
      });
      expect(sent.body).toEqual({ sent: 3 });
      const changed = await ask('lena', 'POST', reviewPath('rv1', '/records'), {
        records: [{ shown: { ...SHOWN[0], target: { identifier: 'MRN-1', birthDate: '1999-01-01' } } }],
      });
      expect(changed.status, 'what reviewers see does not change under them').toBe(409);

      const read = await ask('rita', 'GET', reviewPath('rv1', '/records/1'));
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        record: { id: 1, recordKey: 'MRN-1', pass: 'first' },
        shown: SHOWN[0],
        shownSha256: shownHash(SHOWN[0] as ShownRecord),
      });
      expect(
        (await ask('ada', 'GET', reviewPath('rv1', '/records/1'))).status,
        'not the adjudicator’s yet',
      ).toBe(404);
      expect(
        (await ask('lena', 'GET', reviewPath('rv1', '/records/1'))).status,
        'not assigned to the lead',
      ).toBe(404);
      const reads = (await readAudit(db, { project })).filter((e) => e.kind === 'sampled-record-read');
      expect(reads.map((e) => [e.actor?.subject, e.detail.recordKey, e.detail.pass])).toEqual([
        ['rita', 'MRN-1', 'first'],
      ]);
      expect(reads[0]?.at).toMatch(/^20\d\d-/);

      // the first pass: accept, reject, accept
      const first = [
        decision('rita', 'MRN-1', 'first', 'accept'),
        decision('rita', 'MRN-2', 'first', 'reject'),
        decision('rita', 'MRN-3', 'first', 'accept'),
      ];
      const ritaPost = await ask('rita', 'POST', reviewPath('rv1', '/decisions'), { decisions: first });
      expect(ritaPost.status).toBe(201);
      expect(ritaPost.body.decisions.map((d: { seq: number }) => d.seq)).toEqual([1, 2, 3]);
      const resent = await ask('rita', 'POST', reviewPath('rv1', '/decisions'), { decisions: [first[0]] });
      expect(resent.body.decisions[0].seq, 'sent again after a lost answer: the same entry').toBe(1);
      const sameId = await ask('rita', 'POST', reviewPath('rv1', '/decisions'), {
        decisions: [{ ...first[1], id: first[0]?.id }],
      });
      expect(sameId.status, 'the same id with other content').toBe(409);
      expect(sameId.body.error).toMatch(
        /^decision 1 of 1 \(record 2\): its id is already used by another decision/,
      );

      // refused: another's pass, another's name, other content, and a batch is all or nothing
      const asSecond = await ask('rita', 'POST', reviewPath('rv1', '/decisions'), {
        decisions: [decision('rita', 'MRN-1', 'second', 'accept')],
      });
      expect(asSecond.status).toBe(403);
      const asRex = await ask('rita', 'POST', reviewPath('rv1', '/decisions'), {
        decisions: [{ ...decision('rex', 'MRN-1', 'second', 'accept') }],
      });
      expect(asRex.status).toBe(403);
      expect(asRex.body.error).toMatch(/under the name of the person signed in/);
      const otherContent = await ask('rex', 'POST', reviewPath('rv1', '/decisions'), {
        decisions: [
          decision('rex', 'MRN-1', 'second', 'accept'),
          decision('rex', 'MRN-2', 'second', 'accept', { shownSha256: 'f'.repeat(64) }),
        ],
      });
      expect(otherContent.status).toBe(409);
      expect(otherContent.body.error).toMatch(/^decision 2 of 2 .*other content than the server showed/);

      const rexSees = async () =>
        (await ask('rex', 'GET', reviewPath('rv1', '/decisions'))).body.decisions.map(
          (d: { decision: Decision }) => [d.decision.recordKey, d.decision.stage],
        );
      expect(await rexSees(), 'blind: nothing of the first pass, and the refused batch left nothing').toEqual(
        [],
      );

      // the second pass decides record 1: both decided, but nobody ruled on it: still blind
      const rex1 = await ask('rex', 'POST', reviewPath('rv1', '/decisions'), {
        decisions: [decision('rex', 'MRN-1', 'second', 'accept')],
      });
      expect(rex1.body.decisions[0].seq).toBe(4);
      expect(await rexSees()).toEqual([['MRN-1', 'second']]);

      // the first reviewer changes her decision on record 3 before the second pass: a new entry
      const change = decision('rita', 'MRN-3', 'first', 'reject', {
        change: {
          replaces: first[2]?.id as string,
          previousOutcome: 'accept',
          reason: 'birth date is off by a day',
        },
      });
      const changedDecision = await ask('rita', 'POST', reviewPath('rv1', '/decisions'), {
        decisions: [change],
      });
      expect(changedDecision.body.decisions[0].seq).toBe(5);
      const ritaSees = (await ask('rita', 'GET', reviewPath('rv1', '/decisions'))).body.decisions;
      expect(ritaSees.map((d: { decision: Decision }) => d.decision.id)).toEqual([
        first[0]?.id,
        first[1]?.id,
        first[2]?.id,
        change.id,
      ]);

      // the second pass disagrees on record 2 and agrees on record 3's changed decision
      await ask('rex', 'POST', reviewPath('rv1', '/decisions'), {
        decisions: [
          decision('rex', 'MRN-2', 'second', 'accept'),
          decision('rex', 'MRN-3', 'second', 'reject'),
        ],
      });
      const adaList = (await ask('ada', 'GET', reviewPath('rv1', '/assigned'))).body.records;
      expect(adaList.map((r: { recordKey: string; pass: string }) => [r.recordKey, r.pass])).toEqual([
        ['MRN-2', 'adjudication'],
      ]);
      const adaSees = (await ask('ada', 'GET', reviewPath('rv1', '/decisions'))).body.decisions;
      expect(adaSees.map((d: { decision: Decision }) => [d.decision.recordKey, d.decision.stage])).toEqual([
        ['MRN-2', 'first'],
        ['MRN-2', 'second'],
      ]);
      const opened = await ask('ada', 'GET', reviewPath('rv1', '/records/2'));
      expect(opened.body.adjudication.first.outcome).toBe('reject');
      expect(opened.body.adjudication.second.outcome).toBe('accept');
      const adjudication = decision('ada', 'MRN-2', 'adjudication', 'reject', {
        shownSha256: opened.body.adjudication.shownSha256,
      });
      const adjudicated = await ask('ada', 'POST', reviewPath('rv1', '/decisions'), {
        decisions: [adjudication],
      });
      expect(adjudicated.status).toBe(201);
      expect(await rexSees(), 'ruled on: record 2’s passes are open to both; 1 and 3 stay blind').toEqual([
        ['MRN-2', 'first'],
        ['MRN-1', 'second'],
        ['MRN-2', 'second'],
        ['MRN-3', 'second'],
        ['MRN-2', 'adjudication'],
      ]);
      const late = await ask('rex', 'POST', reviewPath('rv1', '/decisions'), {
        decisions: [
          decision('rex', 'MRN-2', 'second', 'reject', {
            change: { replaces: 'x', previousOutcome: 'accept', reason: 'r' },
          }),
        ],
      });
      expect(late.status).toBe(409);
      expect(late.body.error, 'the record by its position, no decision id').toBe(
        'decision 1 of 1 (record 2): the record was adjudicated: that decision is final',
      );

      // the lead, holding no pass, reads every decision for the verdict
      const leadSees = (await ask('lena', 'GET', reviewPath('rv1', '/decisions'))).body.decisions;
      expect(leadSees.map((d: { seq: number }) => d.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(leadSees[7].decision).toEqual(adjudication);

      // appended only: the database refuses to rewrite or remove a decision
      await expect(db.query("UPDATE review_decisions SET stage = 'first'")).rejects.toThrow(/append-only/);
      await expect(db.query('DELETE FROM review_decisions')).rejects.toThrow(/append-only/);

      const entries = await readAudit(db, { project });
      expect(firstBrokenProjectEntry(project, entries)).toBeUndefined();
      const reviewEntries = entries.filter((e) => e.kind.startsWith('review-'));
      expect(reviewEntries.map((e) => [e.kind, e.actor?.subject, e.detail.reviewSeq])).toEqual([
        ['review-assigned', 'lena', undefined],
        ['review-decision', 'rita', '1'],
        ['review-decision', 'rita', '2'],
        ['review-decision', 'rita', '3'],
        ['review-decision', 'rex', '4'],
        ['review-decision', 'rita', '5'],
        ['review-decision', 'rex', '6'],
        ['review-decision', 'rex', '7'],
        ['review-adjudication', 'ada', '8'],
      ]);
      expect(reviewEntries[5]?.detail).toMatchObject({
        replaces: first[2]?.id,
        decisionSha256: canonicalSha256Hex(change),
      });
      expect(entries.filter((e) => e.kind === 'sampled-record-read').map((e) => e.actor?.subject)).toEqual([
        'rita',
        'ada',
      ]);
    },
  );
  it.skipIf(skip)(
    'signs “I reviewed these records” only over the signer’s own decisions in the review',
    async () => {
      const key = await testAuthenticator(base);
      const options = await ask('rita', 'POST', `/api/projects/${project}/signing-keys/options`);
      const registered = await ask('rita', 'POST', `/api/projects/${project}/signing-keys`, {
        response: await key.register(options.body),
      });
      await ask('lena', 'POST', `/api/projects/${project}/signing-keys/${registered.body.key.id}/confirm`);
      const { cookie } = await idp.signIn(base, 'rita', { path: '/api/login?fresh=1' });
      const me = await (await fetch(`${base}/api/me`, { headers: { cookie } })).json();
      sessions.set('rita', { cookie, csrf: me.csrfToken });

      const mine = (await ask('rita', 'GET', reviewPath('rv1', '/decisions'))).body.decisions
        .filter((d: { decision: Decision }) => d.decision.reviewer.id === id('rita'))
        .map((d: { decision: Decision }) => d.decision);
      expect(mine).toHaveLength(4);
      const sign = async (hash: string, kind = 'review') => {
        const opened = await ask('rita', 'POST', `/api/projects/${project}/signatures/options`, { hash });
        expect(opened.body.ceremony).toBe('assertion');
        return ask('rita', 'POST', `/api/projects/${project}/signatures`, {
          hash,
          kind,
          review: 'rv1',
          response: await key.sign(opened.body.options),
        });
      };
      const other = await sign(reviewedDecisionsHash('rv1', mine.slice(0, 3)));
      expect(other.status, 'not her decisions as the server holds them').toBe(409);
      const adjudication = await sign(reviewedDecisionsHash('rv1', mine), 'adjudication');
      expect(adjudication.status).toBe(403);
      expect(adjudication.body.error).toMatch(/recorded no adjudication in this review/);
      const signed = await sign(reviewedDecisionsHash('rv1', mine));
      expect(signed.status).toBe(201);
      const entry = (await readAudit(db, { project })).at(-1);
      expect(entry).toMatchObject({ kind: 'signature', detail: { kind: 'review', review: 'rv1' } });
    },
  );
  it.skipIf(skip)(
    'the adjudicator signs “I adjudicated” over her adjudications; a lead may, over her own only',
    async () => {
      const signAs = async (who: 'ada' | 'lena', key: TestAuthenticator, hash: string) => {
        const opened = await ask(who, 'POST', `/api/projects/${project}/signatures/options`, { hash });
        expect(opened.body.ceremony).toBe('assertion');
        return ask(who, 'POST', `/api/projects/${project}/signatures`, {
          hash,
          kind: 'adjudication',
          review: 'rv1',
          response: await key.sign(opened.body.options),
        });
      };
      const keys = new Map<'ada' | 'lena', TestAuthenticator>();
      for (const who of ['ada', 'lena'] as const) {
        const key = await testAuthenticator(base);
        const options = await ask(who, 'POST', `/api/projects/${project}/signing-keys/options`);
        const registered = await ask(who, 'POST', `/api/projects/${project}/signing-keys`, {
          response: await key.register(options.body),
        });
        // a key is confirmed by another lead or the data lead, never by its owner
        const confirmer = who === 'lena' ? 'dora' : 'lena';
        const confirmed = await ask(
          confirmer,
          'POST',
          `/api/projects/${project}/signing-keys/${registered.body.key.id}/confirm`,
        );
        expect(confirmed.status).toBe(200);
        const { cookie } = await idp.signIn(base, who, { path: '/api/login?fresh=1' });
        const me = await (await fetch(`${base}/api/me`, { headers: { cookie } })).json();
        sessions.set(who, { cookie, csrf: me.csrfToken });
        keys.set(who, key);
      }
      const adjudications = (await ask('ada', 'GET', reviewPath('rv1', '/decisions'))).body.decisions
        .map((d: { decision: Decision }) => d.decision)
        .filter((d: Decision) => d.reviewer.id === id('ada') && d.stage === 'adjudication');
      expect(adjudications).toHaveLength(1);
      const ada = await signAs(
        'ada',
        keys.get('ada') as TestAuthenticator,
        reviewedDecisionsHash('rv1', adjudications),
      );
      expect(ada.status).toBe(201);
      expect(ada.body.signature).toMatchObject({ role: 'reviewer', signer: { subject: 'ada' } });
      expect(ada.body.signature.meaning).toBe(SIGNING_MEANINGS.adjudication);
      // the lead's role may adjudicate, so it may sign an adjudication — but only her own
      const lena = await signAs(
        'lena',
        keys.get('lena') as TestAuthenticator,
        reviewedDecisionsHash('rv1', adjudications),
      );
      expect(lena.status).toBe(403);
      expect(lena.body.error).toMatch(/recorded no adjudication in this review/);
    },
  );
  it.skipIf(skip)(
    'the lead closes adjudication: the passes open to both, and no decision comes after',
    async () => {
      expect((await ask('rex', 'POST', reviewPath('rv1', '/adjudication/close'))).status).toBe(403);
      const closed = await ask('lena', 'POST', reviewPath('rv1', '/adjudication/close'));
      expect(closed.status).toBe(200);
      expect(closed.body).toEqual({ adjudicationClosedAt: expect.any(String), awaitingAdjudication: 0 });
      const again = await ask('lena', 'POST', reviewPath('rv1', '/adjudication/close'));
      expect(again.body, 'closed once').toEqual(closed.body);
      const rex = (await ask('rex', 'GET', reviewPath('rv1', '/decisions'))).body;
      expect(rex.adjudicationClosedAt).toBe(closed.body.adjudicationClosedAt);
      expect(rex.decisions.map((d: { seq: number }) => d.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const late = await ask('rex', 'POST', reviewPath('rv1', '/decisions'), {
        decisions: [
          decision('rex', 'MRN-3', 'second', 'accept', {
            change: { replaces: 'd0', previousOutcome: 'reject', reason: 'r' },
          }),
        ],
      });
      expect(late.status).toBe(409);
      expect(late.body.error).toMatch(/closed adjudication on this review/);
      // one recorded before and sent again (its answer lost) is answered with its entry, even now
      const recordedBefore = rex.decisions.find(
        (d: { decision: Decision }) => d.decision.reviewer.id === id('rex'),
      );
      const resent = await ask('rex', 'POST', reviewPath('rv1', '/decisions'), {
        decisions: [recordedBefore.decision],
      });
      expect(resent.status).toBe(201);
      expect(resent.body.decisions).toEqual([
        expect.objectContaining({ seq: recordedBefore.seq, decision: recordedBefore.decision }),
      ]);
      const kinds = (await readAudit(db, { project })).map((e) => e.kind);
      expect(kinds.filter((k) => k === 'review-adjudication-closed')).toHaveLength(1);
    },
  );
});
