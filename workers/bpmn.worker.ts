/** BPMN worker entry (STYLE.md 4): exposes workers/bpmnApi.ts, which adapts src/core's BPMN import and export. */
import * as Comlink from 'comlink';
import { createBpmnApi } from './bpmnApi.ts';
import { forwardCspViolations, type WorkerScope } from './cspViolations.ts';

// First: a CSP violation in a worker is otherwise seen by nobody (workers/cspViolations.ts).
forwardCspViolations(self as unknown as WorkerScope);
Comlink.expose(createBpmnApi());
