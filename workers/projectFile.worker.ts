/** Project-file worker entry: exposes workers/projectFileApi.ts, which adapts src/formats' parseProjectFile. */
import * as Comlink from 'comlink';
import { forwardCspViolations, type WorkerScope } from './cspViolations.ts';
import { createProjectFileApi } from './projectFileApi.ts';
import { withholdStorage } from './withholdStorage.ts';

// First: a CSP violation in a worker is otherwise seen by nobody (workers/cspViolations.ts).
forwardCspViolations(self as unknown as WorkerScope);
// This worker keeps nothing in the browser: IndexedDB, Cache Storage and the file system are
// taken out of its reach (docs/architecture.md#workers-and-jobs).
withholdStorage(self);
Comlink.expose(createProjectFileApi());
