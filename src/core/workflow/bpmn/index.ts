/**
 * BPMN 2.0 exchange of workflows: import (with what could not be carried over), export with
 * diagram interchange, and the decoding of a file's bytes by its declared encoding.
 * Pure: runs in the browser, in workers and in the CLI alike.
 */
export { type DecodeResult, decodeXmlBytes } from './decode.ts';
export { bpmnTypeOf, exportBpmn } from './exportBpmn.ts';
export { DEFAULT_LANE_STAFF, importBpmn, importBpmnBytes } from './importBpmn.ts';
export { PREFLIGHT_BPMN_NS } from './model.ts';
export type { BpmnImportResult, BpmnProblem, BpmnProblemCode, NotCarriedOver } from './types.ts';
