/** Why cases wait: waiting time by cause from an event log (see waitCauses.ts). */
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
  BATCH_GAP_MS,
  type BatchEvidence,
  type CauseValues,
  EVIDENCE_LIMIT,
  WAIT_CAUSES,
  type WaitAnalysis,
  type WaitBreakdown,
  type WaitCause,
} from './waitCauses.ts';
