/**
 * A review on the lead's computer with signatures made on the team server (a reviewer's over her
 * decisions, the lead's sign-off) whose assertions a software key made over the server's signing
 * challenge, the server's record of its export, and the server's anchor as a function. The server
 * itself proves it makes them (src/server/signing.test.ts); these set the scene for the checks.
 * Test-only: imported by *.test.ts files.
 */
import type { SignoffTreeHead } from '../../../../formats/auditLog.ts';
import { type ServerAuditRecord, serverAuditEntryHash } from '../../../../formats/projectAudit.ts';
import type { Decision, Review } from '../../../../formats/review.ts';
import { fixtureDecision } from '../../../../formats/testing/fixtures.ts';
import { canonicalSha256Hex } from '../../../hash/index.ts';
import {
  auditLeaves,
  auditTreeRoot,
  inclusionProofs,
  logKeyId,
  type TreeHead,
  treeHeadMessage,
} from '../../../transparency/index.ts';
import { pendingAuditEntries, pendingTrailEntries, signatureEntryFor, trailSubjects } from '../auditChain.ts';
import { sampleResult, sampleResultFingerprint } from '../sampleResult.ts';
import { reviewedDecisionsHash, SIGNING_MEANINGS, signingChallenge } from '../serverChain.ts';
import {
  addServerSignature,
  type ServerSignatureView,
  serverReviewSignatureOf,
  signatureSignedOnServer,
  signoffExportRecordOf,
  signsResult,
} from '../serverSignatures.ts';
import { addSignature, chainHeadOf, prepareSignature } from '../signature.ts';
import { hexToBytes } from '../webauthn.ts';
import { lockedReview, type SoftAuthenticator, softAuthenticator } from './signedExport.ts';

/** The team project the scene's signatures were made on. */
export const PROJECT = 'team-1';

/** The server's record of a signing over `hash`, its assertion made by `key` over the server's challenge. */
export async function signedOnServer(
  key: SoftAuthenticator,
  hash: string,
  fields: Partial<ServerSignatureView> &
    Pick<ServerSignatureView, 'projectSeq' | 'meaning' | 'kind' | 'role'>,
): Promise<ServerSignatureView> {
  const nonce = `nonce-${fields.projectSeq}`;
  const { credentialId, algorithm, publicKeyJwk, authenticatorData, clientDataJSON, signature } =
    await key.assert(hexToBytes(signingChallenge(hash, nonce)));
  return {
    seq: fields.projectSeq + 100,
    entryHash: String(fields.projectSeq).padStart(64, 'e'),
    signedAt: '2025-03-02T16:00:00.000Z',
    signer: { issuer: 'https://idp.example', subject: 'sub-1', name: 'Dana Reyes' },
    hash,
    nonce,
    assertion: { credentialId, algorithm, publicKeyJwk, authenticatorData, clientDataJSON, signature },
    ...fields,
  };
}

/** A review of three decisions by RN-204, her review signature on the server, and the lead's. */
export async function serverSignedScene() {
  const { plan, review } = lockedReview([
    fixtureDecision('d1', 'MRN-1', 'accept'),
    fixtureDecision('d2', 'MRN-2', 'reject'),
    fixtureDecision('d3', 'MRN-3', 'accept'),
  ]);
  const reviewerKey = await softAuthenticator();
  const leadKey = await softAuthenticator();
  const hers = await signedOnServer(reviewerKey, reviewedDecisionsHash(review.id, review.decisions), {
    projectSeq: 9,
    kind: 'review',
    role: 'reviewer',
    meaning: SIGNING_MEANINGS.review,
    review: review.id,
    member: 'RN-204',
  });
  // brought in by the lead an hour after: the chain records it then, after the decisions
  const kept = {
    ...serverReviewSignatureOf(hers, PROJECT, review.id),
    keptAt: '2025-03-02T17:00:00.000Z',
    keptBy: 'sub-lead',
  };
  const reviewed = addServerSignature(review, kept);
  const decided = pendingAuditEntries(undefined, [reviewed], new Set());
  const entries = [
    ...decided,
    ...pendingTrailEntries(
      decided.at(-1),
      trailSubjects({ reviews: [reviewed] }).filter((s) => s.event === 'server-signature'),
      new Set(),
    ),
  ];
  const prepared = prepareSignature({
    id: 'sig1',
    review: reviewed,
    signer: { name: 'Sam Okafor', role: 'Lead', id: 'sub-lead' },
    signedAt: '2025-03-02T17:30:00+01:00',
    meaning: SIGNING_MEANINGS.confirmation,
    chain: chainHeadOf(entries),
  });
  const leads = await signedOnServer(leadKey, prepared.signoffSha256, {
    projectSeq: 12,
    kind: 'confirmation',
    role: 'lead',
    meaning: SIGNING_MEANINGS.confirmation,
    signer: { issuer: 'https://idp.example', subject: 'sub-lead', name: 'Sam Okafor' },
  });
  const signature = signatureSignedOnServer(prepared, leads, PROJECT);
  const signed = addSignature(reviewed, signature);
  const chain = [...entries, signatureEntryFor(entries.at(-1), signed.id, signature)];
  return { plan, review: signed, entries: chain, signature };
}

/** The server's entry recording the export of `review` with `entries`, as the server writes it. */
export function exportRecord(
  review: Review,
  entries: readonly { hash: string }[],
  projectSeq = 14,
): ServerAuditRecord {
  const record = signoffExportRecordOf(review, entries);
  const body = {
    seq: 140,
    at: '2025-03-02T18:00:00.000Z',
    kind: 'signoff-exported',
    actor: { issuer: 'https://idp.example', subject: 'sub-lead', name: 'Sam Okafor' },
    detail: {
      project: PROJECT,
      review: review.id,
      resultsSha256: record.resultsSha256,
      chainHead: record.chainHead,
      chainLength: String(record.chainLength),
      signatures: record.signatures.join(','),
      serverSignatures: record.serverSignatures.join(','),
    },
    prevHash: '1'.repeat(64),
    projectSeq,
    projectPrevHash: '2'.repeat(64),
  };
  return { ...body, hash: serverAuditEntryHash(body) };
}

/**
 * The server's entry recording `decision`, the `reviewSeq`-th of review `reviewId`, at `projectSeq`
 * of {@link PROJECT}'s log, as the server writes it.
 */
export function decisionEntry(
  reviewId: string,
  decision: Decision,
  reviewSeq: number,
  projectSeq: number,
): ServerAuditRecord {
  const body = {
    seq: projectSeq + 100,
    at: '2025-03-02T10:00:00.000Z',
    kind: 'review-decision',
    actor: { issuer: 'https://idp.example', subject: 'sub-1', name: 'Dana Reyes' },
    detail: {
      project: PROJECT,
      review: reviewId,
      record: String(reviewSeq),
      stratum: decision.stratum,
      recordKey: decision.recordKey,
      stage: 'first',
      outcome: decision.outcome,
      decision: decision.id,
      decisionSha256: canonicalSha256Hex(decision),
      reviewSeq: String(reviewSeq),
    },
    prevHash: '3'.repeat(64),
    projectSeq,
    projectPrevHash: '4'.repeat(64),
  };
  return { ...body, hash: serverAuditEntryHash(body) };
}

/** The server's log, as its anchor answers: these entries, at their places. */
export function serverKnows(entries: { hash: string; projectSeq: number }[]) {
  const known = new Map(entries.map((e) => [e.hash, e.projectSeq]));
  return (hashes: string[]) => ({
    entries: hashes.map((hash) =>
      known.has(hash) ? { hash, known: true, projectSeq: known.get(hash) } : { hash, known: false },
    ),
  });
}

/**
 * The scene of {@link serverSignedScene} with the data lead's approval of the sample's result made
 * on the server (entry 13) over the fingerprint of the server's result, brought in with it.
 */
export async function approvedScene() {
  const scene = await serverSignedScene();
  const result = sampleResult(scene.review, scene.plan);
  const view = await signedOnServer(await softAuthenticator(), sampleResultFingerprint(result), {
    projectSeq: 13,
    kind: 'approval',
    role: 'data',
    meaning: SIGNING_MEANINGS.approval,
    review: scene.review.id,
    member: 'DL-7',
    signer: { issuer: 'https://idp.example', subject: 'sub-data', name: 'Ada Lind' },
    signedAt: '2025-03-02T17:00:00.000Z',
  });
  const approval = serverReviewSignatureOf(view, PROJECT, scene.review.id, scene);
  if (!signsResult(approval)) throw new Error('the approval was not kept as one');
  return { ...scene, review: addServerSignature(scene.review, approval), approval, view, result };
}

const hex = (b: ArrayBuffer) => Buffer.from(b).toString('hex');

/**
 * A log key of the team server's: signs a head of {@link PROJECT}'s log, whose entries hash to
 * `hashes` (entry 1 first), with an inclusion proof of each entry numbered in `proved` — as the
 * server answers a recorded sign-off export.
 */
export async function logSigner(): Promise<
  (hashes: readonly string[], proved: readonly number[]) => Promise<SignoffTreeHead>
> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const publicKey = hex(await crypto.subtle.exportKey('raw', pair.publicKey));
  const keyId = logKeyId(publicKey);
  return async (hashes, proved) => {
    const head: TreeHead = {
      project: PROJECT,
      size: hashes.length,
      rootHash: auditTreeRoot(hashes),
      timestamp: '2025-03-02T18:00:00.000Z',
    };
    const signature = hex(
      await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, treeHeadMessage(head)),
    );
    const proofs = inclusionProofs(
      auditLeaves(hashes),
      proved.map((n) => n - 1),
    );
    return {
      treeHead: { ...head, keyId, signature },
      logKey: { keyId, publicKey, algorithm: 'Ed25519' },
      inclusionProofs: proved.map((projectSeq, i) => ({ projectSeq, proof: proofs[i] ?? [] })),
    };
  };
}

/**
 * The server's log of {@link serverSignedScene} up to entry 13 (the reviewer's signature at 9,
 * the lead's at 12, stand-ins elsewhere): a recorded export's entry 14 follows it.
 */
export const SCENE_LOG: readonly string[] = Array.from({ length: 13 }, (_, i) =>
  i === 8 || i === 11 ? String(i + 1).padStart(64, 'e') : String(i + 1).padStart(64, 'c'),
);
