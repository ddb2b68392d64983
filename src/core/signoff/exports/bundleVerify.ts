/**
 * Verifies a signed sign-off FHIR Bundle (signoffBundle.ts; docs/decisions/0058-verifiable-fhir-bundle.md)
 * from what it carries: the evidence Binary's audit chain, the signature(s) in the sign-off
 * Provenance, and every entry of the Bundle against them.
 *
 * Constraints:
 * - The entries are exactly the signed sign-off's, in the order it is made: a VerificationResult per
 *   stratum of the signed tallies, the Task, one Provenance per decision the chain logs for the
 *   review (in the order logged), the sign-off Provenance, the Binary — an added, removed or
 *   reordered entry is named.
 * - Each decision's Provenance says what its chain entry says (outcome, reviewer, time, decision
 *   hash); the results hash is recomputed from the Provenances' decision hashes and the tallies.
 * - The sign-off Provenance carries exactly the signatures that speak for the results now
 *   (currentSignatures.ts): those the chain logs after the review's last decision, the latest of
 *   each signer — a removed co-signature or a superseded one carried as current is named.
 * - The Task is completed only when the last carried signature (the one it records) means the
 *   go-live approval, and names its signer, the meaning and the plan hash (its other texts, such
 *   as the notes on other and superseded signatures, are not recomputed).
 * - A signature is checked as an exported audit log's is: its sign-off hash, plan hash, its own
 *   entry in the chain, the chain head and length it binds, the results hash, its WebAuthn
 *   assertion, and — with a roster in the evidence — the key bound to its signer.
 * - A reviewer's or adjudicator's signature made on the team server (listed in the evidence) has
 *   its Provenance before the sign-off Provenance, carrying it as listed; it names decisions its
 *   signer made in the signed chain, signs their logged hashes, and its WebAuthn assertion
 *   verifies over the server's signing challenge. A data lead's approval or confirmation made there
 *   carries the result she signed: its fingerprint is the signed hash, it is of this review and
 *   plan, its Provenance names the first decisions the chain logs that the result counts, and —
 *   when it counts all of them — its results hash is the Bundle's decisions and tallies.
 * - Never throws; messages name entries and resources, never record content.
 */

import type { ChainEntry, SignatureAuditEntry } from '../../../formats/auditLog.ts';
import { isPlainObject } from '../../../formats/loading.ts';
import type {
  Review,
  ServerResultSignature,
  ServerReviewSignature,
  Signature,
} from '../../../formats/review.ts';
import type { Roster } from '../../../formats/roster.ts';
import { canonicalJson, canonicalSha256Hex } from '../../hash/index.ts';
import { signatureHash, verifyAuditChain } from '../signing/auditChain.ts';
import { sampleResultFingerprint } from '../signing/sampleResult.ts';
import { reviewedDecisionHashesHash, SIGNING_MEANINGS } from '../signing/serverChain.ts';
import { resultSignerProblem, serverSignedHash, signsResult } from '../signing/serverSignatures.ts';
import { chainHeadOf, type SignoffResults, signoffHash } from '../signing/signature.ts';
import { verifySignerIdentities } from '../signing/signerIdentity.ts';
import { assertionChallenge } from '../signing/signingChallenge.ts';
import { isApprovalMeaning } from '../signing/signingMeaning.ts';
import { fromBase64Url, verifyAssertion } from '../signing/webauthn.ts';
import {
  APPROVE_TASK_CODE,
  clientId,
  DECISION_HASH_DISPLAY,
  decisionActivityText,
  SIGNOFF_EVIDENCE_FORMAT,
  type SignoffEvidence,
  serverSignatureActivityText,
  serverSignatureProvenanceKey,
  signoffProvenanceKey,
  uuidOf,
} from './signoffBundle.ts';

/** A signature of a Bundle that verifies. */
interface BundleSignature {
  signature: Signature;
  reauthentication: 'webauthn' | 'none';
  webauthn?: { origin: string; userVerified: boolean; credentialId: string };
}

/** What {@link verifySignoffBundle} finds. */
type BundleVerification =
  | {
      ok: true;
      /** Bundle entries */
      entries: number;
      /** the carried audit chain: its length and head */
      chainEntries: number;
      head: string;
      signatures: BundleSignature[];
      /** the reviewers' and adjudicators' signatures made on the team server, verified */
      serverSignatures: ServerReviewSignature[];
      warnings: string[];
    }
  | {
      ok: false;
      /** 1-based Bundle entry where the damage is, when it is at one */
      entry?: number;
      /** `Type/id` of the resource concerned, when there is one */
      resource?: string;
      reason: string;
      message: string;
    };

type Entry = { resource: Record<string, unknown>; fullUrl?: unknown; request?: unknown };

function decode(data: unknown): unknown {
  if (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0)
    throw new Error('not base64');
  const bytes = fromBase64Url(data.replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_'));
  return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
}

const sha = (entity: unknown): string | undefined => {
  if (!isPlainObject(entity) || !isPlainObject(entity.what) || !isPlainObject(entity.what.identifier))
    return undefined;
  const value = entity.what.identifier.value;
  return typeof value === 'string' && value.startsWith('urn:sha256:') ? value.slice(11) : undefined;
};

/**
 * True when `entries` are a Preflight sign-off Bundle made before Bundles carried their evidence
 * (Preflight 0.1.0): a go-live sign-off Task, and decision Provenances none of which names the
 * decision's hash as logged — every Bundle made since names it, signed or not. Such a Bundle
 * cannot be verified, and calling it tampered would accuse an older format; removing the evidence
 * from a newer Bundle leaves the decision hashes, so it is still named as changed.
 */
function madeBeforeEvidence(entries: readonly Entry[]): boolean {
  const isTask = (r: Record<string, unknown>) =>
    r.resourceType === 'Task' &&
    isPlainObject(r.code) &&
    Array.isArray(r.code.coding) &&
    r.code.coding.some((c) => isPlainObject(c) && c.code === APPROVE_TASK_CODE.code);
  const provenances = entries.filter((e) => e.resource.resourceType === 'Provenance');
  const namesDecisionHash = provenances.some(
    (e) =>
      Array.isArray(e.resource.entity) &&
      e.resource.entity.some(
        (x) => isPlainObject(x) && isPlainObject(x.what) && x.what.display === DECISION_HASH_DISPLAY,
      ),
  );
  return entries.some((e) => isTask(e.resource)) && provenances.length > 0 && !namesDecisionHash;
}

/**
 * The decisions a sign-off Bundle exported before the sign-off was signed carries, or undefined
 * when `entries` are not such a Bundle. Made so, it has a go-live sign-off Task still `ready`,
 * decision Provenances that name each decision's hash as logged, and nothing that signs: no
 * Provenance with a signature's data (the sign-off's or one made on the team server), no
 * attested VerificationResult. It carries no signature and no audit chain, so nothing in it can be
 * verified — but nothing in it claims a sign-off either, so it is not called changed. A Bundle
 * whose Task says it was signed, or that carries a signature, and lacks the evidence still is.
 */
function decisionsBeforeSignoff(entries: readonly Entry[]): number | undefined {
  const tasks = entries.filter(
    (e) =>
      e.resource.resourceType === 'Task' &&
      isPlainObject(e.resource.code) &&
      Array.isArray(e.resource.code.coding) &&
      e.resource.code.coding.some((c) => isPlainObject(c) && c.code === APPROVE_TASK_CODE.code),
  );
  if (tasks.length !== 1 || tasks[0]?.resource.status !== 'ready') return undefined;
  const signs = (r: Record<string, unknown>) =>
    (Array.isArray(r.signature) && r.signature.some((x) => isPlainObject(x) && x.data !== undefined)) ||
    (r.resourceType === 'VerificationResult' && r.attestation !== undefined);
  if (entries.some((e) => signs(e.resource))) return undefined;
  const decisions = entries.filter(
    (e) =>
      e.resource.resourceType === 'Provenance' &&
      Array.isArray(e.resource.entity) &&
      e.resource.entity.some(
        (x) => isPlainObject(x) && isPlainObject(x.what) && x.what.display === DECISION_HASH_DISPLAY,
      ),
  );
  return decisions.length;
}

/** Verifies a sign-off Bundle (see the file header). */
export async function verifySignoffBundle(bundle: unknown): Promise<BundleVerification> {
  try {
    return await verify(bundle);
  } catch {
    return { ok: false, reason: 'malformed', message: 'the Bundle is not the shape Preflight exports' };
  }
}

async function verify(bundle: unknown): Promise<BundleVerification> {
  const fail = (reason: string, message: string, at?: { entry?: number; resource?: string }) =>
    ({ ok: false, ...at, reason, message }) as const;
  if (!isPlainObject(bundle) || bundle.resourceType !== 'Bundle' || bundle.type !== 'transaction')
    return fail('malformed', 'it is not a FHIR transaction Bundle');
  if (!Array.isArray(bundle.entry)) return fail('malformed', 'the Bundle has no list of entries');
  const entries: Entry[] = [];
  for (const [i, e] of (bundle.entry as unknown[]).entries()) {
    const r = isPlainObject(e) ? e.resource : undefined;
    if (
      !isPlainObject(e) ||
      !isPlainObject(r) ||
      typeof r.resourceType !== 'string' ||
      typeof r.id !== 'string'
    )
      return fail('malformed', `entry ${i + 1}: it has no resource with a type and an id`, { entry: i + 1 });
    const ref = `${r.resourceType}/${r.id}`;
    const request = isPlainObject(e.request) ? e.request : {};
    if (request.method !== 'PUT' || request.url !== ref || e.fullUrl !== uuidOf(r.id))
      return fail(
        'entry-changed',
        `entry ${i + 1} (${ref}): its request or full URL no longer match its id`,
        {
          entry: i + 1,
          resource: ref,
        },
      );
    entries.push({ ...e, resource: r });
  }
  const refOf = (e: Entry) => `${e.resource.resourceType}/${e.resource.id}`;

  // the evidence: the only Binary that says it is
  const binaryAt = entries.findIndex((e) => e.resource.resourceType === 'Binary');
  if (binaryAt < 0 && madeBeforeEvidence(entries))
    return fail(
      'earlier-version',
      'made by an earlier version of Preflight: cannot be verified. It predates sign-off Bundles that carry what verifies them, so nothing in it shows whether it was changed; export the sign-off again from this version to verify it',
    );
  const before = binaryAt < 0 ? decisionsBeforeSignoff(entries) : undefined;
  if (before !== undefined)
    return fail(
      'before-signoff',
      `an export made before the sign-off: it carries ${before === 1 ? '1 decision' : `${before} decisions`} but no sign-off over them yet, so it holds no signature or audit chain to verify. Export the Bundle again once the sign-off is signed`,
    );
  if (binaryAt < 0)
    return fail(
      'unsigned',
      'the Bundle carries no sign-off evidence: export it again from a signed sign-off whose signature covers every decision',
    );
  const binary = entries[binaryAt] as Entry;
  const at = (i: number) => ({ entry: i + 1, resource: refOf(entries[i] as Entry) });
  let evidence: SignoffEvidence;
  try {
    const parsed = decode(binary.resource.data);
    if (
      !isPlainObject(parsed) ||
      parsed.format !== SIGNOFF_EVIDENCE_FORMAT ||
      typeof parsed.reviewId !== 'string' ||
      typeof parsed.planHash !== 'string' ||
      !Array.isArray(parsed.strata) ||
      !Array.isArray(parsed.entries)
    )
      throw new Error('shape');
    evidence = parsed as unknown as SignoffEvidence;
  } catch {
    return fail(
      'evidence',
      `entry ${binaryAt + 1} (${refOf(binary)}): the sign-off evidence cannot be read: it was changed`,
      at(binaryAt),
    );
  }
  const { reviewId, planHash } = evidence;
  const roster = isPlainObject(evidence.roster) ? (evidence.roster as unknown as Roster) : undefined;
  const chain = verifyAuditChain(evidence.entries, undefined, roster ? { roster } : undefined);
  if (!chain.ok)
    return fail(
      `chain-${chain.reason}`,
      `entry ${binaryAt + 1} (${refOf(binary)}): the audit chain it carries is broken at chain entry ${chain.entry}: ${chain.message}`,
      at(binaryAt),
    );
  const log = evidence.entries as ChainEntry[];

  // the entries the signed sign-off is made of, in order
  const decisions = log.flatMap((e, i) =>
    e.event === 'decision' && e.reviewId === reviewId ? [{ entry: e, chainEntry: i + 1 }] : [],
  );
  const serverSignatures = Array.isArray(evidence.serverSignatures) ? evidence.serverSignatures : [];
  const expected: { ref: string; what: string }[] = [
    ...evidence.strata.map((s) => ({
      ref: `VerificationResult/${clientId(planHash, 'VerificationResult', s.stratumId)}`,
      what: `the verification result of stratum ${s.stratumId}`,
    })),
    { ref: `Task/${clientId(planHash, 'Task', reviewId)}`, what: 'the go-live sign-off Task' },
    ...decisions.map((d) => ({
      ref: `Provenance/${clientId(planHash, 'Provenance', d.entry.decisionId)}`,
      what: `the Provenance of decision ${d.entry.decisionId} (chain entry ${d.chainEntry})`,
    })),
    ...serverSignatures.map(({ signature }) => ({
      ref: `Provenance/${clientId(planHash, 'Provenance', serverSignatureProvenanceKey(signature.id))}`,
      what: `the Provenance of ${signature.signer.name}'s signature on the team server (server entry ${signature.reauthentication.server.projectSeq})`,
    })),
    {
      ref: `Provenance/${clientId(planHash, 'Provenance', signoffProvenanceKey(reviewId))}`,
      what: 'the sign-off Provenance',
    },
    { ref: `Binary/${clientId(planHash, 'Binary', reviewId)}`, what: 'the sign-off evidence' },
  ];
  const actual = entries.map(refOf);
  const expectedRefs = new Set(expected.map((x) => x.ref));
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    const got = actual[i];
    const want = expected[i];
    if (got === want?.ref) continue;
    if (got !== undefined && !expectedRefs.has(got))
      return fail(
        'entry-added',
        `entry ${i + 1} (${got}): not part of the signed sign-off: an entry was added or its id changed`,
        at(i),
      );
    if (want && !actual.includes(want.ref))
      return fail('entry-removed', `${want.what} (${want.ref}) is missing: an entry was removed`, {
        entry: i + 1,
        resource: want.ref,
      });
    return fail(
      'entry-order',
      `entry ${i + 1} (${got}): out of order — the signed sign-off has ${want?.what ?? 'no entry'} there`,
      at(i),
    );
  }

  // each decision's Provenance says what its chain entry says
  const firstDecision = evidence.strata.length + 1;
  const hashes: { id: string; sha256: string }[] = [];
  for (const [k, { entry: logged, chainEntry }] of decisions.entries()) {
    const i = firstDecision + k;
    const p = (entries[i] as Entry).resource;
    const agent = Array.isArray(p.agent) && isPlainObject(p.agent[0]) ? p.agent[0] : {};
    const who =
      isPlainObject(agent.who) && isPlainObject(agent.who.identifier)
        ? agent.who.identifier.value
        : undefined;
    const decisionSha = (Array.isArray(p.entity) ? p.entity : []).find(
      (e) => isPlainObject(e) && isPlainObject(e.what) && e.what.display === DECISION_HASH_DISPLAY,
    );
    const activity = isPlainObject(p.activity) ? p.activity.text : undefined;
    const changed =
      activity !== decisionActivityText(logged.outcome)
        ? 'outcome'
        : who !== logged.reviewerId
          ? 'reviewer'
          : p.occurredDateTime !== logged.at || p.recorded !== logged.at
            ? 'time'
            : sha(decisionSha) !== logged.decisionSha256
              ? 'decision hash'
              : undefined;
    if (changed)
      return fail(
        'decision-changed',
        `entry ${i + 1} (${refOf(entries[i] as Entry)}): decision ${logged.decisionId}: its ${changed} differs from chain entry ${chainEntry} of the signed audit chain`,
        at(i),
      );
    hashes.push({ id: logged.decisionId, sha256: sha(decisionSha) as string });
  }

  // the reviewers' signatures on the team server: each over the decisions it names, as logged
  const decisionSha = new Map(hashes.map((h) => [h.id, h.sha256]));
  const loggedReviewer = new Map(decisions.map((d) => [d.entry.decisionId, d.entry.reviewerId]));
  const firstServer = firstDecision + decisions.length;
  const verifiedServer: ServerReviewSignature[] = [];
  const approvalWarnings: string[] = [];
  // a data lead's approval: the result it carries is the one she signed, of this review and plan,
  // over the first decisions the chain logs, and — over all of them — its results hash is the
  // Bundle's decisions and tallies
  const signedResultProblem = (signature: ServerResultSignature, decisionIds: unknown) => {
    const { result } = signature;
    const logged = decisions.slice(0, result.decisions).map((d) => d.entry.decisionId);
    return resultSignerProblem(signature) !== undefined
      ? resultSignerProblem(signature)
      : sampleResultFingerprint(result) !== signature.resultSha256
        ? 'the result it carries is not the result she signed: the result was edited'
        : result.reviewId !== reviewId || result.planHash !== planHash
          ? 'the result she signed is of another review or plan'
          : result.decisions > decisions.length ||
              !Array.isArray(decisionIds) ||
              canonicalJson(decisionIds) !== canonicalJson(logged)
            ? 'the decisions it names are not the first decisions of the signed audit chain the result counts'
            : result.decisions === hashes.length &&
                canonicalSha256Hex({ reviewId, planHash, decisions: hashes, strata: evidence.strata }) !==
                  result.resultsSha256
              ? "the result she signed is not the Bundle's decisions and tallies: a decision or a count was changed"
              : undefined;
  };
  for (const [k, { signature, decisionIds }] of serverSignatures.entries()) {
    const i = firstServer + k;
    const where = `entry ${i + 1} (${refOf(entries[i] as Entry)})`;
    const p = (entries[i] as Entry).resource;
    const raw = Array.isArray(p.signature) && isPlainObject(p.signature[0]) ? p.signature[0] : {};
    let carried: unknown;
    try {
      carried = decode(raw.data);
    } catch {
      carried = undefined;
    }
    const problem =
      canonicalJson(carried) !== canonicalJson(signature)
        ? 'the signature it carries differs from the one the evidence lists'
        : raw.when !== signature.signedAt ||
            !isPlainObject(raw.who) ||
            !isPlainObject(raw.who.identifier) ||
            raw.who.identifier.value !== signature.signer.id
          ? 'its time or signer shown in the Bundle differ from what was signed'
          : !isPlainObject(p.activity) || p.activity.text !== serverSignatureActivityText(signature)
            ? 'its meaning shown in the Bundle differs from what was signed'
            : signature.meaning !== SIGNING_MEANINGS[signature.kind]
              ? 'its meaning is not the one fixed for what it signs'
              : signsResult(signature)
                ? signedResultProblem(signature, decisionIds)
                : !Array.isArray(decisionIds) ||
                    decisionIds.length === 0 ||
                    decisionIds.some((id) => loggedReviewer.get(id) !== signature.signer.id)
                  ? "it names decisions that are not the signer's in the signed audit chain"
                  : reviewedDecisionHashesHash(
                        reviewId,
                        decisionIds.map((id) => decisionSha.get(id) ?? ''),
                      ) !== signature.decisionsSha256
                    ? 'it is not over the decisions it names: a decision of the signer was changed'
                    : undefined;
    if (problem) return fail('server-signature', `${where}: ${problem}`, at(i));
    if (signsResult(signature) && signature.result.decisions < hashes.length)
      approvalWarnings.push(
        `${where}: the ${signature.kind} of ${signature.signer.name} is of the result over the first ${signature.result.decisions} of the ${hashes.length} decisions; the Bundle carries the tallies of all of them, so its results hash is checked by \`preflight signoff verify\` of the sign-off export, not here`,
      );
    const checked = await verifyAssertion(
      signature.reauthentication,
      assertionChallenge(signature.reauthentication, serverSignedHash(signature, reviewId)),
    );
    if (!checked.ok)
      return fail('webauthn', `${where}: its WebAuthn assertion does not verify: ${checked.message}`, at(i));
    verifiedServer.push(signature);
  }

  // the signatures in the sign-off Provenance
  const signoffAt = entries.length - 2;
  const signoff = (entries[signoffAt] as Entry).resource;
  const sigs = Array.isArray(signoff.signature) ? signoff.signature : [];
  if (sigs.length === 0)
    return fail(
      'unsigned',
      `entry ${signoffAt + 1}: the sign-off Provenance holds no signature`,
      at(signoffAt),
    );
  const verified: BundleSignature[] = [];
  const signatures: Signature[] = [];
  for (const [n, raw] of sigs.entries()) {
    const where = `entry ${signoffAt + 1} (${refOf(entries[signoffAt] as Entry)}), signature ${n + 1}`;
    let signature: Signature;
    try {
      signature = decode(isPlainObject(raw) ? raw.data : undefined) as Signature;
      if (!isPlainObject(signature) || !isPlainObject(signature.signer)) throw new Error('shape');
    } catch {
      return fail(
        'signature-data',
        `${where}: its data cannot be read as a sign-off signature: it was changed`,
        at(signoffAt),
      );
    }
    const broken = (reason: string, message: string) =>
      fail(reason, `${where}: signature ${signature.id}: ${message}`, at(signoffAt));
    const shown = raw as Record<string, unknown>;
    const shownWho =
      isPlainObject(shown.who) && isPlainObject(shown.who.identifier)
        ? shown.who.identifier.value
        : undefined;
    if (shown.when !== signature.signedAt || shownWho !== signature.signer.id)
      return broken('signature-shown', 'its time or signer shown in the Bundle differ from what was signed');
    if (signoffHash(reviewId, signature) !== signature.signoffSha256)
      return broken(
        'signoff-hash',
        'its content (name, role, time, meaning or a bound hash) was changed after signing',
      );
    if (signature.planHash !== planHash)
      return broken('plan-hash', 'it binds another plan than the sign-off in the Bundle');
    const ownAt = log.findIndex(
      (e): e is SignatureAuditEntry =>
        e.event === 'signature' && e.reviewId === reviewId && e.signatureId === signature.id,
    );
    if (ownAt < 0) return broken('entry-missing', 'the audit chain it carries has no entry for it');
    if ((log[ownAt] as SignatureAuditEntry).signatureSha256 !== signatureHash(signature))
      return broken('signature-entry', `it is not the signature chain entry ${ownAt + 1} logged`);
    const signedHead = log.slice(0, signature.chainLength);
    if (signature.chainLength > ownAt || chainHeadOf(signedHead).head !== signature.chainHead)
      return broken('chain-head', 'the audit-chain head and length it binds are not an entry before its own');
    // the results as signed: the Provenances' decisions logged up to the signed head
    const upToHead = new Set(
      signedHead.flatMap((e) => (e.event === 'decision' && e.reviewId === reviewId ? [e.decisionId] : [])),
    );
    const results: SignoffResults = {
      reviewId,
      planHash,
      decisions: hashes.filter((h) => upToHead.has(h.id)),
      strata: evidence.strata,
    };
    if (canonicalSha256Hex(results) !== signature.resultsSha256)
      return broken(
        'results-hash',
        "the results it binds differ from the Bundle's decisions and tallies: a decision or a count was changed, added or removed",
      );
    const reauth = signature.reauthentication;
    if (reauth?.method === 'webauthn') {
      const checked = await verifyAssertion(reauth, assertionChallenge(reauth, signature.signoffSha256));
      if (!checked.ok)
        return broken('webauthn', `its WebAuthn assertion does not verify: ${checked.message}`);
      verified.push({
        signature,
        reauthentication: 'webauthn',
        webauthn: {
          origin: checked.origin,
          userVerified: checked.userVerified,
          credentialId: reauth.credentialId,
        },
      });
    } else verified.push({ signature, reauthentication: 'none' });
    signatures.push(signature);
  }
  // every signature that speaks for the results now is carried, and no other (currentSignatures.ts):
  // the chain's signatures after the review's last decision, the latest of each signer
  let lastDecision = -1;
  const latestBySigner = new Map<string, { entry: SignatureAuditEntry; chainEntry: number }>();
  for (const [i, e] of log.entries()) {
    if (e.reviewId !== reviewId) continue;
    if (e.event === 'decision') lastDecision = i;
    if (e.event === 'signature') latestBySigner.set(e.signerId, { entry: e, chainEntry: i + 1 });
  }
  const expectedSignatures = [...latestBySigner.values()].filter((s) => s.chainEntry - 1 > lastDecision);
  const carried = new Set(signatures.map((s) => s.id));
  const dropped = expectedSignatures.find((s) => !carried.has(s.entry.signatureId));
  if (dropped)
    return fail(
      'signature-missing',
      `entry ${signoffAt + 1} (${refOf(entries[signoffAt] as Entry)}): signature ${dropped.entry.signatureId} (chain entry ${dropped.chainEntry}) also speaks for these results but is not in the sign-off Provenance: a signature was removed (a Bundle exported before every current signature was carried: export it again)`,
      at(signoffAt),
    );
  if (carried.size !== signatures.length)
    return fail(
      'signature-duplicate',
      `entry ${signoffAt + 1} (${refOf(entries[signoffAt] as Entry)}): a signature is carried twice`,
      at(signoffAt),
    );
  const current = new Set(expectedSignatures.map((s) => s.entry.signatureId));
  const stale = signatures.find((s) => !current.has(s.id));
  if (stale)
    return fail(
      'signature-superseded',
      `entry ${signoffAt + 1} (${refOf(entries[signoffAt] as Entry)}): signature ${stale.id} is carried as current, but its signer signed again later or decisions were logged after it`,
      at(signoffAt),
    );
  // the Task says no more than what was signed: completed only on a go-live approval, by its signer
  const taskAt = evidence.strata.length;
  const task = (entries[taskAt] as Entry).resource;
  const latest = signatures[signatures.length - 1] as Signature;
  const owner =
    isPlainObject(task.owner) && isPlainObject(task.owner.identifier)
      ? task.owner.identifier.value
      : undefined;
  const note = Array.isArray(task.note) && isPlainObject(task.note[0]) ? task.note[0].text : undefined;
  const taskProblem =
    task.status === 'completed' && !isApprovalMeaning(latest.meaning)
      ? 'it says the go-live was approved, but the signature does not approve it'
      : task.status !== 'completed' && task.status !== 'failed'
        ? 'its status is not that of a signed sign-off'
        : owner !== latest.signer.id || note !== latest.meaning
          ? 'its owner or the meaning it quotes differ from the signature'
          : typeof task.description !== 'string' || !task.description.includes(planHash)
            ? 'it no longer names the plan hash'
            : undefined;
  if (taskProblem)
    return fail(
      'task-changed',
      `entry ${taskAt + 1} (${refOf(entries[taskAt] as Entry)}): the go-live sign-off Task: ${taskProblem}`,
      at(taskAt),
    );
  // who signed, against the roster the data lead kept (bound keys), replayed along the chain
  const pseudo = { id: reviewId, decisions: [], signatures } as unknown as Review;
  const identity = await verifySignerIdentities(log, [pseudo], roster);
  if (!identity.ok)
    return fail(
      identity.reason,
      `entry ${signoffAt + 1} (${refOf(entries[signoffAt] as Entry)}): ${identity.message}`,
      at(signoffAt),
    );
  return {
    ok: true,
    entries: entries.length,
    chainEntries: chain.entries,
    head: chain.head,
    signatures: verified,
    serverSignatures: verifiedServer,
    warnings: [...identity.warnings, ...approvalWarnings],
  };
}
