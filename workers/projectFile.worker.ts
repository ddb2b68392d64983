/** Project-file worker entry: exposes workers/projectFileApi.ts, which adapts src/formats' parseProjectFile. */
import * as Comlink from 'comlink';
import { forwardCspViolations, type WorkerScope } from './cspViolations.ts';
import { createProjectFileApi } from './projectFileApi.ts';

// First: a CSP violation in a worker is otherwise seen by nobody (workers/cspViolations.ts).
forwardCspViolations(self as unknown as WorkerScope);
Comlink.expose(createProjectFileApi());
