/**
 * How far a reviewer's (or adjudicator's) signature on the team server reaches, signed with it:
 * how many of her decisions it covers, the hash of exactly that set ({@link reviewedDecisionsHash},
 * her decisions of its kind in the server's order), and how many of the records assigned to her
 * she had decided ("86 of 93 decided"). A signature over fewer records than she was given is
 * never made without that number in what is signed: the screen refuses it unless she states the
 * partial scope, and the server refuses a set that is not its own record of her decisions.
 *
 * Constraints: {@link scopedDecisionsHash} is what a scoped signature signs (its WebAuthn
 * challenge, with the server's nonce): changing it breaks every such signature. Signatures made
 * before scopes sign the decision set's hash alone and still verify. Pure: no clock, no I/O.
 */
import type { ReviewSignatureScope } from '../../../formats/review.ts';
import { canonicalSha256Hex } from '../../hash/index.ts';
import { reviewedDecisionsHash } from './serverChain.ts';

/** Her records decided of those assigned to her, and how many decisions the signature covers. */
export type SignatureScope = ReviewSignatureScope;

/** A scope with the hash of the decision set it counts: what the signer's screen sends. */
export interface SignatureManifest extends SignatureScope {
  /** {@link reviewedDecisionsHash} of the decisions covered */
  decisionsSha256: string;
}

/** The part of a decision a scope reads: its id and the record it decides. */
export interface ScopedDecision {
  id: string;
  stratum: string;
  recordKey: string;
}

/** How many distinct records `decisions` decide (a record decided again counts once). */
export function decidedRecords(decisions: readonly Pick<ScopedDecision, 'stratum' | 'recordKey'>[]): number {
  return new Set(decisions.map((d) => `${d.stratum}\u001f${d.recordKey}`)).size;
}

/** The manifest of signing `decisions` (hers, in the server's order) of review `reviewId`, `assigned` records given to her. */
export function signatureManifest(
  reviewId: string,
  decisions: readonly ScopedDecision[],
  assigned: number,
): SignatureManifest {
  return {
    decisions: decisions.length,
    decisionsSha256: reviewedDecisionsHash(reviewId, decisions),
    decided: decidedRecords(decisions),
    assigned,
  };
}

/**
 * What a scoped signature signs: SHA-256 of the canonical JSON `{review, decisionsSha256, scope}`
 * (integers only in `scope`, so every engine reproduces the bytes).
 */
export function scopedDecisionsHash(
  reviewId: string,
  decisionsSha256: string,
  scope: SignatureScope,
): string {
  const { decisions, decided, assigned } = scope;
  return canonicalSha256Hex({ review: reviewId, decisionsSha256, scope: { decisions, decided, assigned } });
}

/** Whether the signature covers fewer records than were assigned to its signer. */
export function isPartialScope(scope: SignatureScope): boolean {
  return scope.decided < scope.assigned;
}

/** The scope in the words a screen and a printout say: "86 of 93 decided" or "all 93 decided". */
export function scopeText(scope: SignatureScope): string {
  return isPartialScope(scope)
    ? `${scope.decided} of ${scope.assigned} decided`
    : `all ${scope.assigned} decided`;
}

/** Why a scope cannot be what it says of itself (counts out of bounds), or undefined. */
export function scopeShapeProblem(scope: SignatureScope): string | undefined {
  const { decisions, decided, assigned } = scope;
  if (![decisions, decided, assigned].every((n) => Number.isSafeInteger(n) && n >= 0))
    return 'its counts of decisions and records are not whole numbers';
  if (decided > decisions) return `it says ${decided} records decided by only ${decisions} decisions`;
  if (decided > assigned) return `it says ${decided} records decided of only ${assigned} assigned`;
  return undefined;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Why a signature over `manifest` (and, when the signer's screen sent them, the ids it counted,
 * `signedIds`) is not over `held`, the signer's decisions of its kind as the server records them
 * in its order; undefined when it is exactly that set. The reason names how many differ.
 */
export function decisionSetProblem(
  reviewId: string,
  manifest: SignatureManifest,
  held: readonly ScopedDecision[],
  signedIds?: readonly string[],
): string | undefined {
  const shape = scopeShapeProblem(manifest);
  if (shape !== undefined) return `this signature’s scope cannot be: ${shape}`;
  const ownHash = reviewedDecisionsHash(reviewId, held);
  const ownDecided = decidedRecords(held);
  if (manifest.decisions === held.length && manifest.decisionsSha256 === ownHash) {
    if (manifest.decided !== ownDecided)
      return `this signature says ${manifest.decided} of your records are decided, but your ${plural(held.length, 'decision', 'decisions')} on the server decide ${ownDecided}: reload your records and sign again`;
    return undefined;
  }
  const heldIds = new Set(held.map((d) => d.id));
  let differ: string;
  if (signedIds !== undefined) {
    const signed = new Set(signedIds);
    const notSigned = [...heldIds].filter((id) => !signed.has(id)).length;
    const notHeld = [...signed].filter((id) => !heldIds.has(id)).length;
    const parts = [
      ...(notSigned > 0 ? [`${notSigned} on the server ${notSigned === 1 ? 'is' : 'are'} not in it`] : []),
      ...(notHeld > 0 ? [`${notHeld} in it ${notHeld === 1 ? 'is' : 'are'} not on the server`] : []),
    ];
    differ =
      parts.length > 0
        ? `${plural(notSigned + notHeld, 'decision differs', 'decisions differ')} (${parts.join(', ')})`
        : 'the same decisions, but at least one was changed or is in another order';
  } else {
    const gap = Math.abs(held.length - manifest.decisions);
    differ =
      gap > 0
        ? `${plural(gap, 'decision differs', 'decisions differ')}`
        : 'as many decisions, but at least one differs';
  }
  return `this signature covers ${plural(manifest.decisions, 'decision', 'decisions')} of yours, but the server records ${held.length} of yours in this review: ${differ}. Nothing was signed: reload your records, and sign again`;
}
