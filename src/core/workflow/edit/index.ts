/**
 * Workflow edits as data (docs/conventions.md#changes-are-data): the reducer, its undo history,
 * arranging and importing a workflow. Outside `src/core/workflow`, import edits only through this
 * file.
 */
export { arrangeEdit } from './arrange.ts';
export {
  applyEdit,
  FLOW_TRANSFERS,
  idBase,
  newDataId,
  newLaneId,
  newStepId,
  STEP_KINDS,
  STEP_MEDIA,
  type WorkflowEdit,
  WorkflowEditError,
} from './changes.ts';
export { type ApplyOptions, createEditHistory, type EditHistory } from './history.ts';
export { adoptWorkflow, createWorkflow, importWorkflowBytes } from './importWorkflow.ts';
