/**
 * BPMN 2.0 exchange of workflows: import (with what could not be carried over), export with
 * diagram interchange, and the decoding of a file's bytes by its declared encoding.
 * Pure: runs in the browser, in workers and in the CLI alike. Outside `src/core/workflow`, import
 * BPMN exchange only through this file.
 */
export { type AccountSections, accountSections } from './account.ts';
export { decodeXmlBytes } from './decode.ts';
export { stepRanks } from './diagram.ts';
export { exportBpmn } from './exportBpmn.ts';
export { importBpmn, importBpmnBytes } from './importBpmn.ts';
export { bpmnModdle } from './model.ts';
// Test-only: fixtures other modules' tests build on; the app never uses them (tree-shaken).
export {
  documentsAcross,
  documentsIntoSubProcess,
  labInside,
  labOrderMessages,
  labOrderUnlinked,
} from './testing/collaborationSamples.ts';
export { nestedSubProcesses } from './testing/nested.ts';
export type { BpmnImportResult, BpmnProblem, NotCarriedOver } from './types.ts';
