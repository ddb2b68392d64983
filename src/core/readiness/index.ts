/**
 * Readiness: a go/no-go computed from the project's own evidence against the gates the clinic
 * sets. This file is the module's only public surface.
 */
export {
  DEFAULT_READINESS_GATES,
  type FindingsGate,
  PROJECT_READINESS_GATES_KEY,
  type ReadinessGates,
  type ReadinessGatesInput,
  readReadinessGates,
  withReadinessGates,
} from '../../formats/readinessGates.ts';
export { type AssessOptions, assessReadiness } from './assess.ts';
export { OWNERS_NOT_RECORDED } from './discovery.ts';
export { describeGates } from './gates.ts';
export { SUPPORT_NOT_RECORDED } from './goLive.ts';
export {
  type ActOn,
  PHASE_IDS,
  type PhaseId,
  type PhaseReadiness,
  type PhaseReason,
  type PhaseStatus,
  type ReadinessReason,
  type ReadinessResult,
} from './types.ts';
