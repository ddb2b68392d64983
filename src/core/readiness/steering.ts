/**
 * The steering committee's decision record: its go or no-go, bound to the readiness result it was
 * taken on (SHA-256 of the result's RFC 8785 canonical JSON, without the steering part itself) and
 * signed by its approvers the way a sign-off is signed (a manifestation — printed name, role,
 * date-time with zone, the meaning shown — and a WebAuthn assertion whose challenge is the
 * signature's hash; the browser side is the sign-off's own).
 *
 * A decision is current while the readiness result hashes as it did; once any evidence, gate or
 * self-assessment answer changes the result, it is stale: the screen, the evidence pack and
 * `preflight readiness` say so. Pure: no clock, no ids made here.
 */
import type { Reviewer } from '../../formats/review.ts';
import type { Roster } from '../../formats/roster.ts';
import type { SteeringDecision, SteeringSignature } from '../../formats/steering.ts';
import { canonicalSha256Hex } from '../hash/index.ts';
import {
  activeKeyOf,
  LOST_KEY_ADVICE,
  publicKeyFingerprint,
  rosterState,
  STEERING_GO_MEANING,
  STEERING_NO_GO_MEANING,
  verifyAssertion,
} from '../signoff/signing/index.ts';
import type { ReadinessResult, SteeringState } from './types.ts';

export type { SteeringState } from './types.ts';
export { STEERING_GO_MEANING, STEERING_NO_GO_MEANING };

/** The meaning a signature on `decision` carries. */
export function steeringMeaning(decision: 'go' | 'no-go'): string {
  return decision === 'go' ? STEERING_GO_MEANING : STEERING_NO_GO_MEANING;
}

/**
 * How a steering signature's re-authentication is said, on screen and by the CLI. A WebAuthn
 * assertion proves the key signed; who holds the key rests on the data lead's attestation (the
 * roster) or on one device. No identity provider confirmed anyone, so it is never "identity
 * confirmed".
 */
export function steeringReauthenticationText(method: 'webauthn' | 'none'): string {
  return method === 'webauthn'
    ? 're-authenticated with WebAuthn (identity not confirmed by an identity provider)'
    : 'without re-authentication';
}

/** SHA-256 of the canonical JSON of a readiness result without its `steering` part. */
export function readinessResultHash(
  result: Omit<ReadinessResult, 'steering'> & { steering?: unknown },
): string {
  const { steering: _steering, ...judged } = result;
  return canonicalSha256Hex(judged);
}

/** Why a decision cannot be signed (messages for clinic staff, never record content). */
export class SteeringError extends Error {
  override name = 'SteeringError';
}

/** A decision's content that every signature on it binds. */
type DecisionContent = Omit<SteeringDecision, 'signatures'>;

/** The fields a steering signature's hash is over. */
function steeringSignatureHash(
  decision: DecisionContent,
  signature: Omit<SteeringSignature, 'signatureSha256' | 'reauthentication'>,
): string {
  const { signatures: _s, ...content } = decision as SteeringDecision;
  return canonicalSha256Hex({ decision: content, signature });
}

/** A signature ready to be re-authenticated: everything but how. */
type PreparedSteeringSignature = Omit<SteeringSignature, 'reauthentication'>;

/**
 * Prepares a signature on `decision` (a new decision's content, or an existing one's to sign it
 * too). @throws SteeringError when a manifestation field or the rationale is blank.
 */
export function prepareSteeringSignature(params: {
  id: string;
  decision: DecisionContent;
  signer: Reviewer;
  signedAt: string;
}): PreparedSteeringSignature {
  const signer = {
    name: params.signer.name.trim(),
    role: params.signer.role.trim(),
    id: params.signer.id.trim(),
  };
  if (!signer.name || !signer.role || !signer.id)
    throw new SteeringError('Enter your full name, job title and staff number to sign.');
  if (!params.decision.rationale.trim())
    throw new SteeringError('Say why the committee decides this: the rationale is stored with the decision.');
  const body = {
    id: params.id,
    signer,
    signedAt: params.signedAt,
    meaning: steeringMeaning(params.decision.decision),
  };
  return { ...body, signatureSha256: steeringSignatureHash(params.decision, body) };
}

/**
 * Why `signer` may not sign a steering decision under the project's `roster`, or undefined. Once
 * the data lead keeps a roster, identities come from it, as for sign-off: the signer is a member
 * with the approver role, and when the lead confirmed a key for them, the signature's
 * re-authentication (`reauthentication`, when given) was made with that key. Without a roster the
 * signer is who they say they are, and the screen and the pack say so.
 */
export function steeringSignerRefusal(
  roster: Roster | undefined,
  signer: Pick<Reviewer, 'id'>,
  reauthentication?: SteeringSignature['reauthentication'],
): string | undefined {
  const state = rosterState(roster);
  if (state.members.size === 0) return undefined;
  const member = state.members.get(signer.id.trim());
  if (!member)
    return 'Only people on the project roster sign a steering decision: a name typed here is not enough. Ask the data lead to add you.';
  if (!member.roles.includes('approver'))
    return `${member.name} is not an approver on the roster: a steering decision is signed by approvers.`;
  const bound = activeKeyOf(state, member.staffId);
  if (bound && reauthentication) {
    if (reauthentication.method !== 'webauthn')
      return `${member.name} has a key the data lead confirmed: sign with it, on a browser that offers it.`;
    // the id alone is a label anyone can copy: the public key the assertion verifies with must be
    // the confirmed one too
    if (
      reauthentication.credentialId !== bound.credentialId ||
      !reauthentication.publicKeyJwk ||
      publicKeyFingerprint(reauthentication.publicKeyJwk) !==
        publicKeyFingerprint(bound.boundBy.credential.publicKeyJwk)
    )
      return `The key used is not the one the data lead confirmed for ${member.name}. ${LOST_KEY_ADVICE}`;
  }
  return undefined;
}

/**
 * The decision with `signature` added (a new decision when `decision` has no signatures yet).
 * Refused when the signer may not sign under `roster` ({@link steeringSignerRefusal}), the
 * signature's hash does not match, the signer already signed it, or the result it binds is no
 * longer the result now (`currentHash`): evidence changed, decide again.
 */
export function addSteeringSignature(
  decision: DecisionContent & { signatures?: SteeringSignature[] },
  signature: SteeringSignature,
  currentHash: string,
  roster?: Roster,
): SteeringDecision {
  const { signatures = [], ...content } = decision;
  const refused = steeringSignerRefusal(roster, signature.signer, signature.reauthentication);
  if (refused) throw new SteeringError(refused);
  const { signatureSha256: _h, reauthentication: _r, ...body } = signature;
  if (steeringSignatureHash(content, body) !== signature.signatureSha256)
    throw new SteeringError('The signature does not match the decision it was made for: sign again.');
  if (signatures.some((s) => s.signer.id === signature.signer.id))
    throw new SteeringError(`${signature.signer.name} has already signed this decision.`);
  if (content.resultSha256 !== currentHash)
    throw new SteeringError(
      'The readiness changed after this decision was taken (its evidence is not the same any more): record a new decision.',
    );
  return { ...content, signatures: [...signatures, signature] };
}

/** One signature's check. */
export interface SteeringSignatureCheck {
  signatureId: string;
  ok: boolean;
  /** `webauthn` when an assertion over the signature's hash verified; `none` when made without */
  reauthentication: 'webauthn' | 'none';
  /** why it does not verify */
  message?: string;
}

/**
 * Verifies a signature: its signer under `roster` ({@link steeringSignerRefusal}), its hash over the
 * decision, and its WebAuthn assertion. Never throws.
 */
export async function verifySteeringSignature(
  decision: SteeringDecision,
  signature: SteeringSignature,
  roster?: Roster,
): Promise<SteeringSignatureCheck> {
  const base = { signatureId: signature.id };
  const { signatureSha256: _h, reauthentication, ...body } = signature;
  if (reauthentication?.method !== 'webauthn' && reauthentication?.method !== 'none')
    return {
      ...base,
      ok: false,
      reauthentication: 'none',
      message: 'its re-authentication is missing or of an unknown kind',
    };
  const refused = steeringSignerRefusal(roster, signature.signer, reauthentication);
  if (refused) return { ...base, ok: false, reauthentication: reauthentication.method, message: refused };
  if (steeringSignatureHash(decision, body) !== signature.signatureSha256)
    return {
      ...base,
      ok: false,
      reauthentication: reauthentication.method,
      message: 'its content or the decision it signs was changed after signing',
    };
  if (reauthentication.method === 'none') return { ...base, ok: true, reauthentication: 'none' };
  const checked = await verifyAssertion(
    reauthentication as Parameters<typeof verifyAssertion>[0],
    signature.signatureSha256,
  );
  return checked.ok
    ? { ...base, ok: true, reauthentication: 'webauthn' }
    : { ...base, ok: false, reauthentication: 'webauthn', message: checked.message };
}

/**
 * Each signature of `decision` verified ({@link verifySteeringSignature}) under `roster`, in
 * signing order: what the CLI's text and the printed pack say of each. None without a decision.
 */
export function steeringDecisionChecks(
  decision: SteeringDecision | undefined,
  roster?: Roster,
): Promise<SteeringSignatureCheck[]> {
  return Promise.all(
    (decision?.signatures ?? []).map((s) => verifySteeringSignature(decision as SteeringDecision, s, roster)),
  );
}

/** The steering state of `decisions` against the result now (hash {@link readinessResultHash}). */
export function steeringState(decisions: readonly SteeringDecision[], resultSha256: string): SteeringState {
  const latest = decisions[decisions.length - 1];
  if (!latest) return { resultSha256, earlier: 0 };
  return {
    resultSha256,
    latest: {
      id: latest.id,
      decision: latest.decision,
      readiness: latest.readiness,
      rationale: latest.rationale,
      recordedAt: latest.recordedAt,
      resultSha256: latest.resultSha256,
      signers: latest.signatures.map((s) => ({
        ...s.signer,
        signedAt: s.signedAt,
        reauthentication: s.reauthentication.method,
      })),
      state: latest.resultSha256 === resultSha256 ? 'current' : 'stale',
    },
    earlier: decisions.length - 1,
  };
}
