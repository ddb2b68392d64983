/** Why cases wait: waiting time by cause from an event log (see waitCauses.ts). */

export {
  BATCH_GAP_CEILING_MS,
  BATCH_GAP_FLOOR_MS,
  type BatchGap,
  type BatchGapBasis,
  batchGapUndecidedWords,
  batchGapWords,
  estimateBatchGap,
  MIN_GAPS,
} from './batchGap.ts';
export { MIN_SLOT_SHARE, type ResourceCalendar, WEEKDAYS, type WorkingSpan } from './calendar.ts';
export {
  HELD_CAUSES,
  heldHoursOf,
  type KeptHandoffWait,
  keptHandoffWaits,
  type WaitSaving,
  waitSaving,
} from './keptHandoffs.ts';
export { discoverWithWaitCauses, observedWaitCauses, withWaitCauses } from './observed.ts';
// Test-only: fixtures other modules' tests build on; the app never uses them (tree-shaken).
export { plantedLog } from './testing/plantedLogs.ts';
export {
  type ActivityWaits,
  analyzeWaits,
  type BatchEvidence,
  type BatchGapEvidence,
  type CauseValues,
  EVIDENCE_LIMIT,
  WAIT_CAUSES,
  type WaitAnalysis,
  type WaitBreakdown,
  type WaitCause,
} from './waitCauses.ts';
