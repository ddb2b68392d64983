/** Layout worker entry: exposes workers/layoutApi.ts, which adapts src/core's layoutWorkflow. */
import * as Comlink from 'comlink';
import { prepareLayoutEngine } from '../src/core/workflow/layout/index.ts';
import { forwardCspViolations, type WorkerScope } from './cspViolations.ts';
import { createLayoutApi } from './layoutApi.ts';
import { withholdStorage } from './withholdStorage.ts';

// First: a CSP violation in a worker is otherwise seen by nobody (workers/cspViolations.ts).
forwardCspViolations(self as unknown as WorkerScope);
// This worker keeps nothing in the browser: IndexedDB, Cache Storage and the file system are
// taken out of its reach (docs/architecture.md#workers-and-jobs).
withholdStorage(self);
// elkjs's bundled build, built inside a worker, takes `self.onmessage` for a worker mode of its own
// that we do not use (it runs in this thread). Build it now and give the messages back to comlink.
prepareLayoutEngine();
self.onmessage = null;
Comlink.expose(createLayoutApi());
