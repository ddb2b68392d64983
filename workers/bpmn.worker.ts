/** BPMN worker entry: exposes workers/bpmnApi.ts, which adapts src/core's BPMN import and export. */
import * as Comlink from 'comlink';
import { prepareLayoutEngine } from '../src/core/workflow/layout/index.ts';
import { createBpmnApi } from './bpmnApi.ts';
import { forwardCspViolations, type WorkerScope } from './cspViolations.ts';
import { withholdStorage } from './withholdStorage.ts';

// First: a CSP violation in a worker is otherwise seen by nobody (workers/cspViolations.ts).
forwardCspViolations(self as unknown as WorkerScope);
// This worker keeps nothing in the browser: IndexedDB, Cache Storage and the file system are
// taken out of its reach (docs/architecture.md#workers-and-jobs).
withholdStorage(self);
// Import lays out files without a diagram with elkjs, whose bundled build takes `self.onmessage`
// when built inside a worker (see layout.worker.ts): build it now and give the messages back.
prepareLayoutEngine();
self.onmessage = null;
Comlink.expose(createBpmnApi());
