/** Event-log worker entry: exposes workers/eventLogApi.ts, which adapts src/core/workflow/eventlog. */
import * as Comlink from 'comlink';
import { forwardCspViolations, type WorkerScope } from './cspViolations.ts';
import { createEventLogApi } from './eventLogApi.ts';

// First: a CSP violation in a worker is otherwise seen by nobody (workers/cspViolations.ts).
forwardCspViolations(self as unknown as WorkerScope);
Comlink.expose(createEventLogApi());
