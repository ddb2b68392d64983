import type { PhaseReadiness, PhaseStatus, ReadinessReason } from './types.ts';

/** A started phase's status from its reasons: blocked when one blocks, at risk when any remain. */
export function statusOf(reasons: readonly ReadinessReason[]): PhaseStatus {
  if (reasons.some((r) => r.blocks)) return 'blocked';
  return reasons.length > 0 ? 'at-risk' : 'ready';
}

/**
 * A phase with none of the evidence it is judged on: not started, with one line saying what is
 * missing and one blocking reason saying where to start (the phase's own workspace).
 */
export function notStarted(
  base: Pick<PhaseReadiness, 'id' | 'name' | 'act'>,
  evidence: string,
  reason: string,
): PhaseReadiness {
  return {
    ...base,
    status: 'not-started',
    evidence: [evidence],
    reasons: [{ text: reason, blocks: true, act: base.act }],
  };
}

/**
 * `phase` with more evidence and reasons judged apart from it: a phase not started stays so (its
 * own reason says where to start), any other takes its status from all its reasons.
 */
export function withPart(
  phase: PhaseReadiness,
  part: { evidence: readonly string[]; reasons: readonly ReadinessReason[] },
): PhaseReadiness {
  const reasons = [...phase.reasons, ...part.reasons];
  return {
    ...phase,
    evidence: [...phase.evidence, ...part.evidence],
    reasons,
    status: phase.status === 'not-started' ? 'not-started' : statusOf(reasons),
  };
}
