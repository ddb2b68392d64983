/** Hash worker entry: exposes workers/hashApi.ts, which adapts src/core/hash. */
import * as Comlink from 'comlink';
import { forwardCspViolations, type WorkerScope } from './cspViolations.ts';
import { createHashApi } from './hashApi.ts';

// First: a CSP violation in a worker is otherwise seen by nobody (workers/cspViolations.ts).
forwardCspViolations(self as unknown as WorkerScope);
Comlink.expose(createHashApi());
