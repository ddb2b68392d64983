/**
 * Shared workflows (the team server): changes as field-level operations, one person's copy with
 * its pending changes, and the comparison of named versions. Outside this folder, import only
 * this file.
 */
export { isBack, type LostEdit, leftPointing, putBack, type Removal } from './conflicts.ts';
export { applyOps, diffWorkflows, type SharedOp, sharedOpProblem } from './ops.ts';
export {
  type PendingChange,
  type ServerChange,
  type SharedCopyState,
  SharedWorkflowCopy,
  type SharedWorkflowTransport,
  type SyncAnswer,
} from './session.ts';
// Test-only: fixtures other modules' tests build on; the app never uses them (tree-shaken).
export { MemoryServer } from './testing/memoryServer.ts';
export { ownPartOf } from './undo.ts';
export { compareVersions } from './versions.ts';
