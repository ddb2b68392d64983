/**
 * Test-only page script (built by tests/e2e/workflowWorkers.spec.ts, never shipped): puts the
 * layout and BPMN worker clients on `window`, so the spec runs them in the production build under
 * the production CSP before the editor uses them.
 */

import { exportBpmnInWorker, importBpmnInWorker } from '../../../workers/bpmnClient.ts';
import { layoutWorkflowInWorker } from '../../../workers/layoutClient.ts';

const api = {
  layout: layoutWorkflowInWorker,
  importBpmn: (text: string) => importBpmnInWorker(new Blob([text], { type: 'application/xml' })),
  exportBpmn: exportBpmnInWorker,
};

/** What the spec calls through `page.evaluate`. */
export type WorkflowWorkersHarness = typeof api;

(window as unknown as { workflowWorkers: WorkflowWorkersHarness }).workflowWorkers = api;
document.body.dataset.ready = 'true';
