/**
 * Test fixtures: a software authenticator (an ES256 key made with the standard WebCrypto, as a
 * platform authenticator would hold it) and a signed sign-off export built the way the app builds
 * one — decisions logged, a signature prepared over the chain head, re-authenticated, logged.
 */
import { type AuditLogFile, createAuditLogFile } from '../../../../formats/auditLog.ts';
import type { Decision, Review, Signature } from '../../../../formats/review.ts';
import type { SamplePlan } from '../../../../formats/samplePlan.ts';
import { fixtureDecision, fixtureReview, fixtureSamplePlan } from '../../../../formats/testing/fixtures.ts';
import { sha256Hex } from '../../../hash/index.ts';
import { lockPlan, planHash } from '../../sampling/planLock.ts';
import { pendingAuditEntries, signatureEntryFor } from '../auditChain.ts';
import { chainHeadOf, prepareSignature } from '../signature.ts';
import { APPROVAL_MEANING } from '../signingMeaning.ts';
import {
  COSE_ES256,
  COSE_RS256,
  challengeFor,
  hexToBytes,
  type PublicKeyJwk,
  type StoredAssertion,
  toBase64Url,
} from '../webauthn.ts';

/** The origin the fixtures sign at. */
export const TEST_ORIGIN = 'http://localhost:4173';

/** r ‖ s (64 bytes, as WebCrypto signs) as ASN.1 DER (as authenticators return). */
function p1363ToDer(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array): number[] => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const body = [...bytes.subarray(start)];
    if ((body[0] as number) & 0x80) body.unshift(0);
    return [0x02, body.length, ...body];
  };
  const content = [...integer(raw.subarray(0, 32)), ...integer(raw.subarray(32))];
  return new Uint8Array([0x30, content.length, ...content]);
}

/** A software ES256 authenticator: signs assertions over a challenge for an origin. */
export interface SoftAuthenticator {
  credentialId: string;
  algorithm: number;
  publicKeyJwk: PublicKeyJwk;
  assert(
    challenge: Uint8Array,
    options?: { origin?: string; type?: string; flags?: number; rpId?: string; signCount?: number },
  ): Promise<StoredAssertion>;
}

/** Makes a {@link SoftAuthenticator} with a fresh ES256 (default) or RS256 key. */
export async function softAuthenticator(kind: 'ES256' | 'RS256' = 'ES256'): Promise<SoftAuthenticator> {
  const rsa = kind === 'RS256';
  const algorithm = rsa
    ? {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      }
    : { name: 'ECDSA', namedCurve: 'P-256' };
  const keys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
  const publicKeyJwk: PublicKeyJwk = rsa
    ? { kty: 'RSA', n: jwk.n as string, e: jwk.e as string }
    : { kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string };
  const credentialId = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  return {
    credentialId,
    algorithm: rsa ? COSE_RS256 : COSE_ES256,
    publicKeyJwk,
    async assert(challenge, options = {}) {
      const origin = options.origin ?? TEST_ORIGIN;
      const clientData = new TextEncoder().encode(
        JSON.stringify({
          type: options.type ?? 'webauthn.get',
          challenge: toBase64Url(challenge),
          origin,
          crossOrigin: false,
        }),
      );
      const authData = new Uint8Array(37);
      authData.set(hexToBytes(sha256Hex(options.rpId ?? new URL(origin).hostname)));
      authData[32] = options.flags ?? 0x05; // user present, user verified
      authData[36] = options.signCount ?? 1; // sign count 1 unless told
      const signed = new Uint8Array(authData.length + 32);
      signed.set(authData);
      signed.set(hexToBytes(sha256Hex(clientData)), authData.length);
      const raw = new Uint8Array(
        await crypto.subtle.sign(
          rsa ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-256' },
          keys.privateKey,
          signed,
        ),
      );
      return {
        credentialId,
        algorithm: rsa ? COSE_RS256 : COSE_ES256,
        publicKeyJwk,
        authenticatorData: toBase64Url(authData),
        clientDataJSON: toBase64Url(clientData),
        // authenticators return ECDSA signatures DER-encoded, RSA ones as they are
        signature: toBase64Url(rsa ? raw : p1363ToDer(raw)),
      };
    },
  };
}

/** A locked fixture plan, a review of it with `decisions`, and its hash. */
export function lockedReview(decisions: Decision[]): { plan: SamplePlan; review: Review } {
  const plan = lockPlan(
    fixtureSamplePlan('p1'),
    [{ name: 'patients.csv', sha256: 'c'.repeat(64), bytes: 1200 }],
    '2025-03-02T07:00:00Z',
  );
  const hash = planHash(plan);
  const review = fixtureReview(
    'rv1',
    decisions.map((d) => ({ ...d, planHash: hash })),
  );
  return { plan, review: { ...review, plan: { id: plan.id, hash } } };
}

/** A signed export: three decisions, then a signature (WebAuthn when `authenticator` is given). */
export async function signedExport(authenticator?: SoftAuthenticator): Promise<{
  file: AuditLogFile;
  plan: SamplePlan;
  review: Review;
  signature: Signature;
}> {
  const { plan, review } = lockedReview([
    fixtureDecision('d1', 'MRN-1', 'accept'),
    fixtureDecision('d2', 'MRN-2', 'reject'),
    fixtureDecision('d3', 'MRN-3', 'accept'),
  ]);
  const entries = pendingAuditEntries(undefined, [review], new Set());
  const prepared = prepareSignature({
    id: 'sig1',
    review,
    signer: { name: 'Sam Okafor', role: 'Clinical lead', id: 'CL-7' },
    signedAt: '2025-03-02T17:30:00+01:00',
    meaning: APPROVAL_MEANING,
    chain: chainHeadOf(entries),
  });
  const signature: Signature = {
    ...prepared,
    reauthentication: authenticator
      ? { method: 'webauthn', ...(await authenticator.assert(challengeFor(prepared.signoffSha256))) }
      : { method: 'none', reason: 'This browser offers no WebAuthn.' },
  } as Signature;
  const signedReview: Review = { ...review, signatures: [signature] };
  const file = createAuditLogFile({
    projectId: 'proj1',
    exportedAt: '2025-03-02T18:00:00Z',
    entries: [...entries, signatureEntryFor(entries[entries.length - 1], review.id, signature)],
    reviews: [signedReview],
    plans: [plan],
  });
  return { file, plan, review: signedReview, signature };
}

/**
 * {@link signedExport}, then `later` decisions recorded after the signature (logged after its
 * entry), exported the way the app exports: the review as it is now, the chain as it stands.
 */
export async function signedThenDecided(
  later: Decision[],
  authenticator?: SoftAuthenticator,
): Promise<{ file: AuditLogFile; plan: SamplePlan; review: Review; signature: Signature }> {
  const signed = await signedExport(authenticator);
  const hash = signed.review.plan.hash;
  const review: Review = {
    ...signed.review,
    decisions: [...signed.review.decisions, ...later.map((d) => ({ ...d, planHash: hash }))],
  };
  const head = signed.file.entries[signed.file.entries.length - 1];
  const logged = new Set(signed.review.decisions.map((d) => d.id));
  const file = createAuditLogFile({
    projectId: signed.file.projectId,
    exportedAt: signed.file.exportedAt,
    entries: [...signed.file.entries, ...pendingAuditEntries(head, [review], logged)],
    reviews: [review],
    plans: [signed.plan],
  });
  return { file, plan: signed.plan, review, signature: signed.signature };
}

/**
 * `signed` (e.g. {@link signedThenDecided}) signed again at `signedAt`, over the review and chain
 * as they stand (no re-authentication): by default by the same signer, so the second signature
 * covers every decision and the first is replaced by it; `by` names another signer (a co-signer)
 * and the meaning.
 */
export function signedAgain(
  signed: { file: AuditLogFile; plan: SamplePlan; review: Review },
  signedAt = '2025-03-03T17:30:00+01:00',
  by: { signer: Signature['signer']; meaning: string } = {
    signer: { name: 'Sam Okafor', role: 'Clinical lead', id: 'CL-7' },
    meaning: APPROVAL_MEANING,
  },
): { file: AuditLogFile; plan: SamplePlan; review: Review; signature: Signature } {
  const { file, plan, review } = signed;
  const prepared = prepareSignature({
    id: `sig${(review.signatures ?? []).length + 1}`,
    review,
    signer: by.signer,
    signedAt,
    meaning: by.meaning,
    chain: chainHeadOf(file.entries),
  });
  const signature = {
    ...prepared,
    reauthentication: { method: 'none', reason: 'This browser offers no WebAuthn.' },
  } as Signature;
  const again: Review = { ...review, signatures: [...(review.signatures ?? []), signature] };
  const { format: _f, integrity: _i, ...content } = file;
  return {
    file: createAuditLogFile({
      ...content,
      entries: [
        ...file.entries,
        signatureEntryFor(file.entries[file.entries.length - 1], review.id, signature),
      ],
      reviews: [again],
    }),
    plan,
    review: again,
    signature,
  };
}
