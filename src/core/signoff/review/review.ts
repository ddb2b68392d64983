/**
 * The clinician review (docs/product.md#sign-off): what a reviewer is shown for one drawn record, the hash of
 * exactly that, the review's changes as data applied by a pure reducer (so undo, autosave and the
 * audit trail share one shape), and the
 * per-stratum tallies the verdict is computed from.
 *
 * Constraints:
 * - Pure: no clock, no ids made here (the caller passes both), no DOM.
 * - `shownHash` is SHA-256 over the RFC 8785 canonical JSON of {@link ShownRecord}: changing its
 *   fields breaks every stored decision's proof of what was shown.
 * - Decisions are appended, never edited or removed; the latest decision on a record counts.
 */

import {
  type Decision,
  type DrawnSample,
  type MappingRef,
  REVIEW_FORMAT,
  type Review,
} from '../../../formats/review.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import { canonicalSha256Hex } from '../../hash/index.ts';
import type { MappedRecord } from '../../mapping/index.ts';
import type { SampleDocument } from '../sampling/sampleCsv.ts';
import { decisionProblem } from './decisionRules.ts';
import { type AdjudicatedTally, checkStagedDecision, finalTallies, StageError } from './dualReview.ts';

/**
 * One aligned field: the target path and the source columns it is made from; on records shown
 * since the verification view, also the migrated value as shown (`value`, '' when the record has
 * none), what the mapping makes of those cells on its own (`expected`, '' for nothing), where the
 * value is in the record when lists closed up moved it (`path`), and why the mapping could not
 * convert it (`problem`, words without the value). All optional, so records shown before them (in
 * older review packets) keep their hashes.
 */
export interface AlignedField {
  target: string;
  columns: string[];
  value?: string;
  expected?: string;
  path?: string;
  problem?: string;
}

/** Exactly what the reviewer sees for one record: both sides, the mapping version, the alignment. */
export interface ShownRecord {
  planHash: string;
  stratum: string;
  recordKey: string;
  source: { file?: string; row: number; header: string[]; cells: string[] };
  mapping: MappingRef | null;
  target: MappedRecord | null;
  alignment: AlignedField[];
}

/** SHA-256 of the canonical JSON of what was shown (stored in the decision). */
export function shownHash(shown: ShownRecord): string {
  return canonicalSha256Hex(shown);
}

/**
 * A review's drawn sample from the `preflight.sample/v1` document the sampling pass makes, drawn
 * at `drawnAt` by the person with staff id `drawnBy` when known.
 */
export function drawnSampleOf(document: SampleDocument, drawnAt: string, drawnBy?: string): DrawnSample {
  return {
    drawnAt,
    ...(drawnBy ? { drawnBy } : {}),
    seed: document.seed,
    inputs: document.inputs.map(({ file, sha256, bytes, rows }) => ({ file, sha256, bytes, rows })),
    strata: document.strata.map((s) => ({
      id: s.id,
      census: s.census,
      population: s.population,
      n: s.n,
      records: s.records.map((r) => ({ ...r })),
    })),
  };
}

/** A new review of a locked plan with its drawn sample and no decisions. */
export function newReview(params: {
  id: string;
  plan: SamplePlan;
  planHash: string;
  sample: DrawnSample;
  mapping?: MappingRef;
}): Review {
  return {
    format: REVIEW_FORMAT,
    id: params.id,
    plan: { id: params.plan.id, hash: params.planHash },
    ...(params.mapping ? { mapping: params.mapping } : {}),
    sample: params.sample,
    ...(params.plan.dualReview ? { dualReview: true } : {}),
    decisions: [],
  };
}

/** Why a decision cannot be added (the message names ids, never record content). */
export class ReviewChangeError extends Error {
  override name = 'ReviewChangeError';
}

/**
 * Appends `decision` to `review`. Refused when its plan hash is not the review's, when the record
 * is not in the drawn sample, when its id is already used, when it does not say what it means
 * (decisionRules.ts: accept with a major or critical finding, reject without a reason, a change
 * without a reason), or when the dual-review and adjudication rules refuse it (dualReview.ts
 * `checkStagedDecision`).
 */
export function addDecision(review: Review, decision: Decision): Review {
  if (decision.planHash !== review.plan.hash)
    throw new ReviewChangeError(`decision ${decision.id} cites another plan than review ${review.id}`);
  const stratum = review.sample.strata.find((s) => s.id === decision.stratum);
  if (!stratum?.records.some((r) => r.key === decision.recordKey))
    throw new ReviewChangeError(`decision ${decision.id} is on a record that is not in the drawn sample`);
  if (review.decisions.some((d) => d.id === decision.id))
    throw new ReviewChangeError(`decision id ${decision.id} is already used in review ${review.id}`);
  // dual review and adjudication (dualReview.ts), then what the decision says (decisionRules.ts)
  try {
    checkStagedDecision(review, decision);
  } catch (error) {
    if (error instanceof StageError) throw new ReviewChangeError(error.message);
    throw error;
  }
  const problem = decisionProblem(review, decision);
  if (problem) throw new ReviewChangeError(`decision ${decision.id}: ${problem.message}`);
  return { ...review, decisions: [...review.decisions, decision] };
}

/**
 * Why `decision` would not be recorded, in words for the reviewer (the rules of {@link addDecision}
 * that a screen can break: dual review and adjudication first, then what the decision says), or
 * null when it would be.
 */
export function decisionRefusal(review: Review, decision: Decision): string | null {
  try {
    checkStagedDecision(review, decision);
  } catch (error) {
    if (error instanceof StageError) return error.message.replace(/^decision \S+: /, '');
    throw error;
  }
  return decisionProblem(review, decision)?.message ?? null;
}

/** The key of a record within a review. */
export function recordId(stratum: string, key: string): string {
  return `${stratum}\u001f${key}`;
}

/** The decision that counts for each record: the latest one made on it. */
export function currentDecisions(review: Review): Map<string, Decision> {
  const current = new Map<string, Decision>();
  for (const d of review.decisions) current.set(recordId(d.stratum, d.recordKey), d);
  return current;
}

/**
 * Per-stratum counts for the verdict, from each record's final decision (dualReview.ts
 * `finalTallies`): a reviewed record counts once: critical when any finding is critical; else major
 * when rejected (a rejection with no or only minor findings is a major defect: the reviewer said the
 * record is wrong); else cannot-assess; minor when any finding is minor. Under dual review a record
 * counts once both reviewers decided it; one awaiting adjudication counts at its worse decision.
 */
export function tallies(review: Review): AdjudicatedTally[] {
  return finalTallies(review);
}
