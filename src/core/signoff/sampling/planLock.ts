/**
 * Locking a sample plan (docs/product.md#sign-off): the plan is fixed — its numbers, strata, seed and the
 * SHA-256 of every data file the sample is drawn from — before any record is drawn, and its hash
 * is what every review decision and the signature cite. A locked plan never changes: editing it
 * makes a new plan that names the old one's hash in `supersedes` and gets a new seed, so a failed
 * stratum is re-sampled after fixes, never topped up until it passes.
 *
 * Constraint: the plan hash is SHA-256 of the RFC 8785 canonical JSON of the whole locked plan
 * document (its `lock` included). Changing what goes into it breaks every signed sign-off.
 */

import type { PlanDataset, SamplePlan } from '../../../formats/samplePlan.ts';
import { canonicalSha256Hex } from '../../hash/index.ts';

/** Why a plan cannot be locked or superseded. */
type PlanLockProblemCode = 'already-locked' | 'not-locked' | 'no-datasets' | 'bad-fingerprint' | 'same-seed';

/** Thrown for a lock or supersede that must not happen; the message names no data. */
export class PlanLockError extends Error {
  override name = 'PlanLockError';
  readonly code: PlanLockProblemCode;
  constructor(code: PlanLockProblemCode, message: string) {
    super(message);
    this.code = code;
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Bytes of a new seed: 64 bits, written as 16 hex digits like the demo plan's. */
const SEED_BYTES = 8;

/** True when `plan` is locked. */
export function isLocked(plan: SamplePlan): boolean {
  return plan.lock !== undefined;
}

/** The plan hash: SHA-256 (lowercase hex) of the RFC 8785 canonical JSON of the plan. */
export function planHash(plan: SamplePlan): string {
  return canonicalSha256Hex(plan);
}

/**
 * The plan locked at `now` (RFC 3339 with zone) over `datasets`, each with its SHA-256, by the
 * person with staff id `by` when known (recorded in the lock and its audit entry).
 * @throws {PlanLockError} when it is locked already, no dataset is given, or a fingerprint is not
 *   lowercase SHA-256 hex.
 */
export function lockPlan(
  plan: SamplePlan,
  datasets: readonly PlanDataset[],
  now: string,
  by?: string,
): SamplePlan {
  if (isLocked(plan)) throw new PlanLockError('already-locked', `Plan ${plan.id} is locked already.`);
  if (datasets.length === 0) {
    throw new PlanLockError('no-datasets', 'A plan is locked with the fingerprint of every file it samples.');
  }
  for (const [index, dataset] of datasets.entries()) {
    if (!SHA256_HEX.test(dataset.sha256) || !(Number.isSafeInteger(dataset.bytes) && dataset.bytes >= 0)) {
      throw new PlanLockError(
        'bad-fingerprint',
        `Dataset ${index + 1} has no valid SHA-256 fingerprint or size.`,
      );
    }
  }
  return {
    ...plan,
    lock: {
      lockedAt: now,
      ...(by ? { lockedBy: by } : {}),
      datasets: datasets.map(({ name, bytes, sha256 }) => ({ name, bytes, sha256 })),
    },
  };
}

/** A new random seed: 16 lowercase hex digits from `randomBytes` (the caller's CSPRNG). */
export function newSeed(randomBytes: (length: number) => Uint8Array): string {
  return [...randomBytes(SEED_BYTES)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** What a superseding plan needs that the old one cannot give. */
interface SupersedeParams {
  /** the new plan's id (unique in the project) */
  id: string;
  /** its creation time, RFC 3339 with zone */
  now: string;
  /** its seed: must differ from the old plan's (re-sample, never top up) */
  seed: string;
  /** a new name; default the old name */
  name?: string;
}

/**
 * A new, unlocked plan that supersedes the locked `plan`: the same population and targets, a new
 * id, seed and creation time, and `supersedes` = the old plan's hash.
 * @throws {PlanLockError} when `plan` is not locked, or the seed is the old one.
 */
export function supersedePlan(plan: SamplePlan, params: SupersedeParams): SamplePlan {
  if (!isLocked(plan))
    throw new PlanLockError('not-locked', `Plan ${plan.id} is not locked: edit it in place.`);
  if (params.seed.toLowerCase() === plan.seed.toLowerCase()) {
    throw new PlanLockError('same-seed', 'A superseding plan draws a new sample: it needs a new seed.');
  }
  const { lock: _lock, supersedes: _supersedes, ...rest } = plan;
  return {
    ...rest,
    id: params.id,
    name: params.name ?? plan.name,
    seed: params.seed,
    createdAt: params.now,
    supersedes: planHash(plan),
  };
}
