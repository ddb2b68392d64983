/** Event-log worker entry: exposes workers/eventLogApi.ts, which adapts src/core/workflow/eventlog. */
import * as Comlink from 'comlink';
import { forwardCspViolations, type WorkerScope } from './cspViolations.ts';
import { createEventLogApi } from './eventLogApi.ts';
import { withholdStorage } from './withholdStorage.ts';

// First: a CSP violation in a worker is otherwise seen by nobody (workers/cspViolations.ts).
forwardCspViolations(self as unknown as WorkerScope);
// This worker keeps nothing in the browser: IndexedDB, Cache Storage and the file system are
// taken out of its reach (docs/architecture.md#workers-and-jobs).
withholdStorage(self);
Comlink.expose(createEventLogApi());
