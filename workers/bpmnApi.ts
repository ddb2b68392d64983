/**
 * The API the BPMN worker exposes: src/core's BPMN import (file bytes → workflow, with what was
 * not carried over) and export, off the main thread (parsing a large model would block the page). Kept apart
 * from `bpmn.worker.ts` so vitest drives it without a real Worker. Errors leave as
 * `serializeJobError` plain objects (rebuilt by the pool); an unreadable file is an
 * InputReadError, a file that is not BPMN is a result with problems.
 */
import { InputReadError, serializeJobError } from '../src/core/jobs/errors.ts';
import { type BpmnImportResult, exportBpmn, importBpmnBytes } from '../src/core/workflow/bpmn/index.ts';
import type { Workflow } from '../src/formats/workflow.ts';

/** Name used in error locations when the Blob is not a `File`. */
const UNNAMED_FILE = 'the BPMN file';

/** Creates the BPMN worker's API; one instance per worker. */
export function createBpmnApi() {
  return {
    /** Reads `file` and imports it (`importBpmnBytes`: declared encoding, mapping, layout when it has no diagram). */
    async importFile(file: Blob): Promise<BpmnImportResult> {
      try {
        let bytes: ArrayBuffer;
        try {
          bytes = await file.arrayBuffer();
        } catch (error) {
          const source = typeof File !== 'undefined' && file instanceof File ? file.name : UNNAMED_FILE;
          throw new InputReadError({ source }, error instanceof Error ? error.name : 'ReadError');
        }
        return await importBpmnBytes(new Uint8Array(bytes), { layoutWithoutDiagram: true });
      } catch (error) {
        throw serializeJobError(error);
      }
    },
    /** `exportBpmn`: the workflow as BPMN 2.0 XML with diagram interchange. */
    async exportWorkflow(workflow: Workflow): Promise<string> {
      try {
        return await exportBpmn(workflow);
      } catch (error) {
        throw serializeJobError(error);
      }
    },
  };
}

/** The BPMN worker's API as the main thread sees it through `Comlink.Remote`. */
export type BpmnWorkerApi = ReturnType<typeof createBpmnApi>;
