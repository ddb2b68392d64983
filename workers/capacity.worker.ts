/** Capacity worker entry: exposes workers/capacityApi.ts, which adapts src/core/workflow/capacity.ts. */
import * as Comlink from 'comlink';
import { createCapacityApi } from './capacityApi.ts';
import { forwardCspViolations, type WorkerScope } from './cspViolations.ts';

// First: a CSP violation in a worker is otherwise seen by nobody (workers/cspViolations.ts).
forwardCspViolations(self as unknown as WorkerScope);
Comlink.expose(createCapacityApi());
