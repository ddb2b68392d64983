import type { PhaseStatus, ReadinessReason } from './types.ts';

/** A started phase's status from its reasons: blocked when one blocks, at risk when any remain. */
export function statusOf(reasons: readonly ReadinessReason[]): PhaseStatus {
  if (reasons.some((r) => r.blocks)) return 'blocked';
  return reasons.length > 0 ? 'at-risk' : 'ready';
}
