/**
 * Signing keys and the signing ceremony on the real server, over HTTP, on the embedded database,
 * with a real OpenID Connect provider (tests/oidc/identityProvider.ts) and a software
 * authenticator that makes real attestations and assertions (testing/authenticator.ts):
 * - a reviewer registers her own key, the lead confirms it from the lead's session; one
 *   credential serves one person (a second member registering it is refused, and recorded);
 * - the first signing of a session needs a fresh sign-in at the provider (max_age=0,
 *   prompt=login, auth_time checked) and an assertion over what is signed; the next one an
 *   assertion only; after the project's idle time the whole ceremony again;
 * - the signature is an entry of the project's chain with signer, role, meaning and hash.
 * The lead and the other members are signed in with the server's own `signIn` (signIn.test.ts
 * proves that part); the reviewer who signs goes through the provider.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdentityProvider, type TestIdentityProvider } from '../../tests/oidc/identityProvider.ts';
import { postgresBinDir } from '../../tests/setup/postgres.ts';
import { canonicalSha256Hex, sha256Hex } from '../core/hash/index.ts';
import { checkSignoffTreeHeads } from '../core/signoff/exports/index.ts';
import {
  addServerSignature,
  type ProjectChainEntry,
  REVIEWER_MEANING,
  STEERING_GO_MEANING,
  STEERING_NO_GO_MEANING,
  type SteeringDecisionContent,
  serverReviewSignatureOf,
  signingChallenge,
  steeringDecisionHash,
  verifyServerReviewSignature,
  verifyServerSignatures,
} from '../core/signoff/signing/index.ts';
import {
  firstBrokenProjectEntry,
  type ServerAuditRecord,
  serverAuditEntryHash,
} from '../formats/projectAudit.ts';
import type { Decision, Review } from '../formats/review.ts';
import { fixtureReview } from '../formats/testing/fixtures.ts';
import {
  CSRF_HEADER,
  createIdentityClient,
  createServer,
  type Database,
  migrate,
  readAudit,
  SESSION_COOKIE,
} from './index.ts';
import { signIn } from './sessions.ts';
import { ceremonyFor, ONE_PERSON_PER_CREDENTIAL, type ServerSteeringDecision } from './signingRoutes.ts';
import { type TestAuthenticator, testAuthenticator } from './testing/authenticator.ts';
import { fileTestEngines } from './testing/databases.ts';
import { reviewedBy } from './testing/reviewed.ts';

const testEngines = fileTestEngines();
const running = () => testEngines.running();

const USERS = {
  rita: { name: 'Rita Reviewer', email: 'rita@clinic.test' },
  lena: { name: 'Lena Lead', email: 'lena@clinic.test' },
  dora: { name: 'Dora Data', email: 'dora@clinic.test' },
  sam: { name: 'Sam Steering', email: 'sam@clinic.test' },
  stella: { name: 'Stella Steering', email: 'stella@clinic.test' },
};
type Who = keyof typeof USERS;
const MINUTE = 60_000;

/** The embedded database only: nothing here is the engine's to decide (the same SQL on both). */
const ENGINES: readonly ('embedded' | 'postgres')[] = ['embedded'];
const hasPostgres = postgresBinDir() !== undefined;

describe('the signing ceremony’s clock', () => {
  it('needs a fresh sign-in first, then assertions while signings follow within the idle time', () => {
    const idle = 15 * MINUTE;
    expect(ceremonyFor({ freshAuthAt: null, lastSignedAt: null }, 0, idle)).toBe('sign-in-again');
    expect(ceremonyFor({ freshAuthAt: 0, lastSignedAt: null }, 14 * MINUTE, idle)).toBe('assertion');
    expect(ceremonyFor({ freshAuthAt: 0, lastSignedAt: null }, 15 * MINUTE, idle)).toBe('sign-in-again');
    expect(ceremonyFor({ freshAuthAt: 0, lastSignedAt: 10 * MINUTE }, 24 * MINUTE, idle)).toBe('assertion');
    expect(ceremonyFor({ freshAuthAt: 0, lastSignedAt: 10 * MINUTE }, 25 * MINUTE, idle)).toBe(
      'sign-in-again',
    );
  });
});

describe.each(ENGINES)('signing keys and signatures on the %s database', (engine) => {
  const skip = engine === 'postgres' && !hasPostgres;
  let offset = 0;
  let db: Database;
  let idp: TestIdentityProvider;
  let app: FastifyInstance;
  let base: string;
  let project: string;
  /** Rita's review on the server: what her "I reviewed" signs */
  let ritaReview: { review: string; hash: string };
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
    app = await createServer({
      checkAnswers: true,
      db,
      identity,
      insecureHttp: true,
      clock: () => Date.now() + offset,
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    idp.allowRedirect(`${base}/api/login/callback`);
    for (const who of ['lena', 'dora', 'rita', 'sam', 'stella'] as const) {
      const { token, session } = await signIn(
        db,
        { issuer: idp.issuer, subject: who, ...USERS[who] },
        Date.now(),
        '127.0.0.1',
      );
      sessions.set(who, { cookie: `${SESSION_COOKIE}=${token}`, csrf: session.csrfToken });
    }
    const created = await ask('lena', 'POST', '/api/projects', { name: 'Go-live' });
    project = created.body.project.id;
    await ask('lena', 'POST', `/api/projects/${project}/members`, { subject: 'rita', role: 'reviewer' });
    await ask('lena', 'POST', `/api/projects/${project}/members`, { subject: 'dora', role: 'data' });
    for (const subject of ['sam', 'stella'])
      await ask('lena', 'POST', `/api/projects/${project}/members`, { subject, role: 'steering' });
    const members = (await ask('lena', 'GET', `/api/projects/${project}`)).body.members;
    const rita = members.find((m: { subject: string }) => m.subject === 'rita');
    ritaReview = await reviewedBy(
      project,
      'rv1',
      (...args) => ask('lena', ...args),
      (...args) => ask('rita', ...args),
      { memberId: rita.id, name: USERS.rita.name },
    );
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

  /** `who` signs in through the provider, asking for a fresh sign-in; her new session replaces the old. */
  async function freshSignIn(who: Who): Promise<void> {
    const { cookie } = await idp.signIn(base, who, { path: '/api/login?fresh=1' });
    const me = await (await fetch(`${base}/api/me`, { headers: { cookie } })).json();
    sessions.set(who, { cookie, csrf: me.csrfToken });
  }

  async function registerKey(who: Who, authenticator: TestAuthenticator) {
    const options = await ask(who, 'POST', `/api/projects/${project}/signing-keys/options`);
    expect(options.status).toBe(200);
    return ask(who, 'POST', `/api/projects/${project}/signing-keys`, {
      response: await authenticator.register(options.body),
    });
  }

  /** Asks for signing options over `hash` and answers them with `authenticator`. */
  async function sign(who: Who, authenticator: TestAuthenticator, hash: string, kind = 'review') {
    const options = await ask(who, 'POST', `/api/projects/${project}/signatures/options`, { hash });
    if (options.body.ceremony !== 'assertion') return { options, signed: undefined };
    const body = {
      hash,
      kind,
      ...(kind === 'review' ? { review: ritaReview.review } : {}),
      response: await authenticator.sign(options.body.options),
    };
    return { options, body, signed: await ask(who, 'POST', `/api/projects/${project}/signatures`, body) };
  }

  const kinds = async () => (await readAudit(db, { project })).map((e) => e.kind);

  it.skipIf(skip)(
    'a reviewer registers her own key, the lead confirms it, and one credential serves one person',
    async () => {
      const ritaKey = await testAuthenticator(base);
      const registered = await registerKey('rita', ritaKey);
      expect(registered.status).toBe(201);
      expect(registered.body.key).toMatchObject({
        subject: 'rita',
        name: 'Rita Reviewer',
        credentialId: ritaKey.credentialId,
        status: 'awaiting confirmation',
      });
      const keyId = registered.body.key.id;

      const byRita = await ask('rita', 'POST', `/api/projects/${project}/signing-keys/${keyId}/confirm`);
      expect(byRita.status, 'nobody confirms her own key but the lead').toBe(403);
      const byLena = await ask('lena', 'POST', `/api/projects/${project}/signing-keys/${keyId}/confirm`);
      expect(byLena.status).toBe(200);
      expect(byLena.body.key.status).toBe('confirmed');

      // Dora holds Rita's security key (one profile, one authenticator) and registers it as hers
      const doraTry = await registerKey('dora', ritaKey);
      expect(doraTry.status).toBe(409);
      expect(doraTry.body.error).toBe(ONE_PERSON_PER_CREDENTIAL);
      const listed = (await ask('rita', 'GET', `/api/projects/${project}/signing-keys`)).body;
      expect(listed.keys.map((k: { subject: string }) => k.subject)).toEqual(['rita']);
      expect(listed.keys[0]).toMatchObject({
        status: 'confirmed',
        confirmedBy: 'Lena Lead',
        revokedBy: null,
      });
      expect(listed.idleMinutes, 'the default idle time').toBe(15);

      const entries = await readAudit(db, { project });
      expect(firstBrokenProjectEntry(project, entries)).toBeUndefined();
      const signing = entries.filter((e) => e.kind.startsWith('signing-key'));
      expect(signing.map((e) => [e.kind, e.actor?.subject, e.detail.subject])).toEqual([
        ['signing-key-registered', 'rita', 'rita'],
        ['signing-key-confirmed', 'lena', 'rita'],
        ['signing-key-refused', 'dora', 'dora'],
      ]);
      expect(signing[2]?.detail.credential).toBe(ritaKey.credentialId);
    },
  );

  it.skipIf(skip)(
    'the first signing needs a fresh sign-in and an assertion, the next an assertion only, and a pause the whole ceremony',
    async () => {
      const key = await testAuthenticator(base);
      const registered = await registerKey('rita', key);
      await ask('lena', 'POST', `/api/projects/${project}/signing-keys/${registered.body.key.id}/confirm`);
      const hash = ritaReview.hash;

      // signed in as usual: not fresh, so the ceremony starts at the identity provider
      const before = await sign('rita', key, hash);
      expect(before.options.body).toEqual({ ceremony: 'sign-in-again', signInUrl: '/api/login?fresh=1' });

      await freshSignIn('rita');
      expect(idp.authorizationRequests.at(-1)).toMatchObject({ maxAge: '0', prompt: 'login' });
      const fresh = (await readAudit(db)).filter((e) => e.kind === 'sign-in').at(-1);
      expect(fresh?.detail.authTime, 'the provider’s auth_time is kept with the sign-in').toMatch(/^20/);

      const first = await sign('rita', key, hash);
      expect(first.signed?.status).toBe(201);
      expect(first.signed?.body.signature).toMatchObject({
        signer: { subject: 'rita', name: 'Rita Reviewer' },
        role: 'reviewer',
        meaning: REVIEWER_MEANING,
        hash,
      });
      // the lead reads it back for the review, with its assertion and key: kept with the review on
      // her computer, it verifies there against Rita's decisions as the server holds them
      const listed = await ask('lena', 'GET', `/api/projects/${project}/reviews/rv1/signatures`);
      expect(listed.status).toBe(200);
      expect(listed.body.signatures).toHaveLength(1);
      expect(listed.body.signatures[0]).toMatchObject({
        ...first.signed?.body.signature,
        kind: 'review',
        review: 'rv1',
        assertion: { credentialId: key.credentialId },
      });
      const held = (await ask('lena', 'GET', `/api/projects/${project}/reviews/rv1/decisions`)).body
        .decisions as { decision: Decision; entry: ServerAuditRecord }[];
      // each with the server's entry that recorded it: the lead's exports prove each decision by it
      for (const { decision, entry } of held) {
        expect(entry.detail).toMatchObject({
          decision: decision.id,
          decisionSha256: canonicalSha256Hex(decision),
        });
        expect(serverAuditEntryHash(entry)).toBe(entry.hash);
      }
      const review: Review = { ...fixtureReview('rv1'), decisions: held.map((d) => d.decision) };
      const kept = serverReviewSignatureOf(listed.body.signatures[0], project, 'rv1');
      expect(kept.reauthentication.server.projectSeq).toBe(listed.body.signatures[0].projectSeq);
      expect(await verifyServerReviewSignature(addServerSignature(review, kept), kept)).toMatchObject({
        ok: true,
        covered: 3,
        of: 3,
      });
      const other = await ask('lena', 'GET', `/api/projects/${project}/reviews/rv2/signatures`);
      expect(other.body.signatures, 'only the signatures naming the review').toEqual([]);

      // the lead's export is recorded in the project's log, and the file carries the entry
      const exportBody = {
        resultsSha256: 'a'.repeat(64),
        chainHead: 'b'.repeat(64),
        chainLength: 4,
        signatures: ['sig1'],
        serverSignatures: [listed.body.signatures[0].projectSeq],
      };
      const byRita = await ask('rita', 'POST', `/api/projects/${project}/reviews/rv1/exports`, exportBody);
      expect(byRita.status, 'only the lead records an export').toBe(403);
      const recorded = await ask('lena', 'POST', `/api/projects/${project}/reviews/rv1/exports`, exportBody);
      expect(recorded.status).toBe(201);
      expect(recorded.body.record).toMatchObject({
        kind: 'signoff-exported',
        detail: { review: 'rv1', chainLength: '4', signatures: 'sig1' },
      });
      expect(serverAuditEntryHash(recorded.body.record)).toBe(recorded.body.record.hash);
      const anchored = await ask('lena', 'POST', '/api/anchor', { hashes: [recorded.body.record.hash] });
      expect(anchored.body.entries[0]).toMatchObject({
        known: true,
        projectSeq: recorded.body.record.projectSeq,
      });
      // with the head the server signed over its log with the record in it, and proofs of the
      // record and of Rita's signature entry: the file proves them offline, under the server's key
      const { treeHead, logKey, inclusionProofs } = recorded.body;
      expect(logKey.publicKey).toBe((await ask('lena', 'GET', '/api/log/key')).body.publicKey);
      expect(inclusionProofs.map((p: { projectSeq: number }) => p.projectSeq)).toEqual([
        recorded.body.record.projectSeq,
        kept.reauthentication.server.projectSeq,
        ...held.map((d) => d.entry.projectSeq),
      ]);
      const tree = { treeHead, logKey, inclusionProofs };
      const file = {
        serverRecords: [recorded.body.record],
        reviews: [{ ...addServerSignature(review, kept), serverDecisionEntries: held.map((d) => d.entry) }],
      };
      expect(await checkSignoffTreeHeads({ ...file, treeHeads: [tree] })).toEqual({ warnings: [] });
      const moved = { ...recorded.body.record, projectSeq: recorded.body.record.projectSeq - 1 };
      expect(
        (await checkSignoffTreeHeads({ ...file, serverRecords: [moved], treeHeads: [tree] })).finding,
      ).toMatch(/is not the entry the team server's signed tree head/);

      // the challenge is the hash signed with the server's one-use nonce: anyone can check it again
      const entry = (await readAudit(db, { project })).filter((e) => e.kind === 'signature').at(-1);
      expect(entry).toMatchObject({ kind: 'signature', detail: { hash, kind: 'review', role: 'reviewer' } });
      const clientData = JSON.parse(
        Buffer.from(entry?.detail.clientDataJSON as string, 'base64url').toString(),
      );
      expect(Buffer.from(clientData.challenge, 'base64url').toString('hex')).toBe(
        signingChallenge(hash, entry?.detail.nonce as string),
      );

      const replay = await ask('rita', 'POST', `/api/projects/${project}/signatures`, first.body);
      expect(replay.status, 'the same assertion sent again signs nothing').toBe(409);

      const second = await sign('rita', key, ritaReview.hash);
      expect(second.options.body.ceremony, 'the same session: an assertion only').toBe('assertion');
      expect(second.signed?.status).toBe(201);

      offset += 15 * MINUTE;
      try {
        const paused = await sign('rita', key, ritaReview.hash);
        expect(paused.options.body.ceremony, 'after 15 minutes without signing').toBe('sign-in-again');
        const forced = await ask('rita', 'POST', `/api/projects/${project}/signatures`, {
          ...second.body,
          hash: ritaReview.hash,
        });
        expect(forced.status).toBe(403);
        expect(forced.body.error).toMatch(/sign in again first/);
      } finally {
        offset -= 15 * MINUTE;
      }
      expect((await kinds()).filter((k) => k === 'signature')).toHaveLength(2);
    },
  );

  it.skipIf(skip)('the lead sets a longer idle time for the project, and the period lasts it', async () => {
    const set = await ask('lena', 'PATCH', `/api/projects/${project}/signing`, { idleMinutes: 30 });
    expect(set.status).toBe(200);
    expect((await ask('dora', 'GET', `/api/projects/${project}/signing-keys`)).body.idleMinutes).toBe(30);
    const key = await testAuthenticator(base);
    const registered = await registerKey('rita', key);
    await ask('lena', 'POST', `/api/projects/${project}/signing-keys/${registered.body.key.id}/confirm`);
    await freshSignIn('rita');
    // twenty minutes since her fresh sign-in: her session's times set back, not the server's clock
    // on, which would date the signature's audit entry past the database's clock (refused)
    await db.query(
      `UPDATE sessions SET fresh_auth_at = fresh_auth_at - interval '20 minutes',
         last_signed_at = last_signed_at - interval '20 minutes' WHERE subject = 'rita'`,
    );
    try {
      const later = await sign('rita', key, ritaReview.hash);
      expect(later.signed?.status).toBe(201);
    } finally {
      await ask('lena', 'PATCH', `/api/projects/${project}/signing`, { idleMinutes: 15 });
    }
  });

  it.skipIf(skip)(
    'refuses a meaning that is not the signer’s, an unconfirmed key and a revoked one (with its reason)',
    async () => {
      const key = await testAuthenticator(base);
      const registered = await registerKey('rita', key);
      await freshSignIn('rita');
      const unconfirmed = await sign('rita', key, ritaReview.hash);
      expect(unconfirmed.signed?.status).toBe(403);
      expect(unconfirmed.signed?.body.error).toMatch(
        /^this key is not confirmed yet: another lead or the project’s data lead confirms it/,
      );

      const keyId = registered.body.key.id;
      await ask('lena', 'POST', `/api/projects/${project}/signing-keys/${keyId}/confirm`);
      const approval = await sign('rita', key, sha256Hex('approve'), 'approval');
      // "I reviewed these records" names her review, and signs her own decisions there
      const options = await ask('rita', 'POST', `/api/projects/${project}/signatures/options`, {
        hash: ritaReview.hash,
      });
      const withoutReview = await ask('rita', 'POST', `/api/projects/${project}/signatures`, {
        hash: ritaReview.hash,
        kind: 'review',
        response: await key.sign(options.body.options),
      });
      expect(withoutReview.status).toBe(400);
      expect(withoutReview.body.error).toMatch(/names the review on this server it covers/);
      expect(approval.signed?.status).toBe(403);
      expect(approval.signed?.body.error).toMatch(/a reviewer of this project does not sign/);

      const revoked = await ask('lena', 'POST', `/api/projects/${project}/signing-keys/${keyId}/revoke`, {
        reason: 'security key lost',
      });
      expect(revoked.body.key).toMatchObject({
        status: 'revoked',
        revokedReason: 'security key lost',
        revokedBy: 'Lena Lead',
      });
      const after = await sign('rita', key, ritaReview.hash);
      expect(after.signed?.status).toBe(403);
      expect(after.signed?.body.error).toMatch(/revoked \(security key lost\)/);
      // the refused signature is recorded as an attempt (refusalFolds.ts), after the revocation
      expect((await kinds()).slice(-2)).toEqual(['signing-key-revoked', 'attempt-refused']);
    },
  );

  /** Registers a key for `who`, confirmed by the lead, and signs her in afresh. */
  async function readyToSign(who: Who): Promise<TestAuthenticator> {
    const key = await testAuthenticator(base);
    const registered = await registerKey(who, key);
    expect(registered.status).toBe(201);
    await ask('lena', 'POST', `/api/projects/${project}/signing-keys/${registered.body.key.id}/confirm`);
    await freshSignIn(who);
    return key;
  }

  /** Asks to sign the go/no-go `decision` and answers with `key`, sending `sent` (default: the same). */
  async function signSteering(
    who: Who,
    key: TestAuthenticator,
    decision: SteeringDecisionContent,
    sent: SteeringDecisionContent = decision,
  ) {
    const options = await ask(who, 'POST', `/api/projects/${project}/steering-signatures/options`, {
      decision,
    });
    if (options.body?.ceremony !== 'assertion') return { options, signed: undefined };
    const response = await key.sign(options.body.options);
    return {
      options,
      signed: await ask(who, 'POST', `/api/projects/${project}/steering-signatures`, {
        decision: sent,
        response,
      }),
    };
  }

  it.skipIf(skip)(
    'the steering committee signs go or no-go on its decision, with its rationale, each member with her own key',
    async () => {
      const decision: SteeringDecisionContent = {
        id: 'decision-1',
        decision: 'go',
        readiness: 'go',
        resultSha256: sha256Hex('the readiness result on Monday'),
        rationale: 'Every gate passes and the rollback plan was rehearsed.',
        recordedAt: '2026-03-09T10:00:00+01:00',
      };
      // steering only: the lead and a reviewer are refused by the role table before anything
      for (const who of ['lena', 'rita'] as const) {
        const refused = await ask(who, 'POST', `/api/projects/${project}/steering-signatures/options`, {
          decision,
        });
        expect(refused.status, who).toBe(403);
        expect(refused.body.error).toMatch(/cannot sign this project’s go or no-go/);
      }

      const sam = await testAuthenticator(base);
      const registered = await registerKey('sam', sam);
      await ask('lena', 'POST', `/api/projects/${project}/signing-keys/${registered.body.key.id}/confirm`);
      const notFresh = await signSteering('sam', sam, decision);
      expect(notFresh.options.body).toEqual({
        ceremony: 'sign-in-again',
        signInUrl: '/api/login?fresh=1',
        hash: steeringDecisionHash(decision),
      });
      await freshSignIn('sam');

      // the generic route does not take a go/no-go: it is signed on its decision
      const bare = await sign('sam', sam, steeringDecisionHash(decision), 'go');
      expect(bare.signed?.status).toBe(400);
      expect(bare.signed?.body.error).toMatch(/signed on the decision it records/);

      // an assertion made over one rationale does not sign another
      const swapped = await signSteering('sam', sam, decision, { ...decision, rationale: 'Because.' });
      expect(swapped.signed?.status).toBe(422);

      const signed = await signSteering('sam', sam, decision);
      expect(signed.signed?.status).toBe(201);
      expect(signed.signed?.body.signature).toMatchObject({
        signer: { subject: 'sam', name: 'Sam Steering' },
        role: 'steering',
        meaning: STEERING_GO_MEANING,
        hash: steeringDecisionHash(decision),
      });
      const entry = (await readAudit(db, { project })).at(-1);
      expect(entry).toMatchObject({
        kind: 'signature',
        detail: {
          kind: 'go',
          steeringDecision: 'decision-1',
          rationale: decision.rationale,
          resultSha256: decision.resultSha256,
          readiness: 'go',
        },
      });
      const again = await signSteering('sam', sam, decision);
      expect(again.signed?.status, 'one signature per member on a decision').toBe(409);
      expect(again.signed?.body.error).toMatch(/signed this decision already/);

      // Stella, from her own machine, co-signs the same decision; under its id, only as it was signed
      const stella = await readyToSign('stella');
      const edited = await signSteering('stella', stella, { ...decision, rationale: 'Edited afterwards.' });
      expect(edited.signed?.status).toBe(409);
      expect(edited.signed?.body.error).toMatch(/signed with another decision, rationale or readiness/);
      expect((await signSteering('stella', stella, decision)).signed?.status).toBe(201);

      // the evidence changed: a new decision, on the new result; the older one is closed to signing
      const later: SteeringDecisionContent = {
        ...decision,
        id: 'decision-2',
        decision: 'no-go',
        readiness: 'no-go',
        resultSha256: sha256Hex('the readiness result on Tuesday'),
        rationale: 'The interface to the laboratory failed its test.',
        recordedAt: '2026-03-10T09:00:00+01:00',
      };
      expect((await signSteering('sam', sam, later)).signed?.status).toBe(201);
      expect((await signSteering('sam', sam, decision)).signed?.status).toBe(409);

      // everyone on the project reads the decisions and who signed them
      const listed = await ask('dora', 'GET', `/api/projects/${project}/steering-signatures`);
      expect(listed.status).toBe(200);
      expect(
        listed.body.decisions.map((d: ServerSteeringDecision) => [
          d.id,
          d.decision,
          d.rationale,
          d.resultSha256,
          d.signatures.map((s) => [s.signer.name, s.meaning]),
        ]),
      ).toEqual([
        [
          'decision-1',
          'go',
          decision.rationale,
          decision.resultSha256,
          [
            ['Sam Steering', STEERING_GO_MEANING],
            ['Stella Steering', STEERING_GO_MEANING],
          ],
        ],
        [
          'decision-2',
          'no-go',
          later.rationale,
          later.resultSha256,
          [['Sam Steering', STEERING_NO_GO_MEANING]],
        ],
      ]);

      // the exported log verifies, and an edited rationale is caught naming its entry
      const entries = (await readAudit(db, { project })) as unknown as ProjectChainEntry[];
      const verified = await verifyServerSignatures(entries);
      expect(verified.ok && verified.signatures.at(-1)).toMatchObject({
        signer: { name: 'Sam Steering' },
        meaning: STEERING_NO_GO_MEANING,
        rationale: later.rationale,
      });
      const signedAt = entries.findIndex((e) => e.detail.steeringDecision === 'decision-2');
      const tampered = entries.map((e, i) =>
        i === signedAt ? { ...e, detail: { ...e.detail, rationale: 'All fine.' } } : e,
      );
      expect(await verifyServerSignatures(tampered)).toMatchObject({
        ok: false,
        projectSeq: entries[signedAt]?.projectSeq,
        message: expect.stringMatching(/does not sign the go\/no-go decision it names/),
      });
    },
  );

  it.skipIf(skip)('brings her back to the page she was signing on, and never to another site', async () => {
    const back = await idp.signIn(base, 'rita', {
      path: `/api/login?fresh=1&return=${encodeURIComponent('/team/projects/p1?sign=1')}`,
    });
    expect(back.landedAt).toBe(`${base}/team/projects/p1?sign=1`);
    // "another site" is a closed port on loopback, so a regression never sends traffic elsewhere
    for (const elsewhere of ['//127.0.0.1:1/', 'http://127.0.0.1:1/', '/\\127.0.0.1:1'])
      expect(
        (
          await idp.signIn(base, 'rita', {
            path: `/api/login?fresh=1&return=${encodeURIComponent(elsewhere)}`,
          })
        ).landedAt,
        elsewhere,
      ).toBe(`${base}/`);
  });

  it.skipIf(skip)('refuses a fresh sign-in whose auth_time is before the sign-in began', async () => {
    // the server's clock ahead of the provider's by three minutes (within the five the audit log
    // allows it ahead of the database's): the provider's auth_time then looks like a remembered
    // sign-in, not one made for this request
    offset += 3 * MINUTE;
    try {
      await expect(idp.signIn(base, 'rita', { path: '/api/login?fresh=1' })).rejects.toThrow(
        /did not end with a session/,
      );
    } finally {
      offset -= 3 * MINUTE;
    }
    const failed = (await readAudit(db)).filter((e) => e.kind === 'sign-in-failed').at(-1);
    expect(failed?.detail.reason).toBe('the identity provider did not confirm it');
  });
});
