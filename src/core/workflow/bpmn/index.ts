/**
 * BPMN 2.0 exchange of workflows: import (with what could not be carried over), export with
 * diagram interchange, and the decoding of a file's bytes by its declared encoding.
 * Pure: runs in the browser, in workers and in the CLI alike.
 */
export { exportBpmn } from './exportBpmn.ts';
export { importBpmnBytes } from './importBpmn.ts';
