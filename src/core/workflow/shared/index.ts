/**
 * Shared workflows (the team server): changes as field-level operations, one person's copy with
 * its pending changes, and the comparison of named versions. Outside this folder, import only
 * this file.
 */
export {
  type ConflictMemory,
  isBack,
  type LostEdit,
  leftPointing,
  putBack,
  type Removal,
  type RemovedItem,
} from './conflicts.ts';
export {
  applyOp,
  applyOps,
  diffWorkflows,
  FLOW_FIELDS,
  type FlowField,
  LANE_FIELDS,
  type LaneField,
  MAX_OP_ID,
  type OpsResult,
  type SharedOp,
  type SkipReason,
  STEP_FIELDS,
  type StepField,
  sharedOpProblem,
  WORKFLOW_FIELDS,
  type WorkflowField,
} from './ops.ts';
export {
  type MergeNote,
  type PendingChange,
  type ServerChange,
  type SharedCopyState,
  SharedWorkflowCopy,
  type SharedWorkflowTransport,
  type SyncAnswer,
} from './session.ts';
export { ownPartOf } from './undo.ts';
export { compareVersions } from './versions.ts';
