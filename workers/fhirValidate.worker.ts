/**
 * FHIR validator worker entry: exposes workers/fhirValidateApi.ts, which adapts
 * src/core/fhir. The generated R4 structure modules, the digest and FHIRPath.js load here
 * only. No eval is needed (the ajv modules are precompiled, FHIRPath.js interprets its parse tree),
 * so its own policy (src/core/http/securityHeaders.ts) grants nothing beyond its bundle.
 */
import * as Comlink from 'comlink';
import { forwardCspViolations, type WorkerScope } from './cspViolations.ts';
import { createFhirValidateApi } from './fhirValidateApi.ts';
import { withholdStorage } from './withholdStorage.ts';

// First: a CSP violation in a worker is otherwise seen by nobody (workers/cspViolations.ts).
forwardCspViolations(self as unknown as WorkerScope);
// This worker keeps nothing in the browser: IndexedDB, Cache Storage and the file system are
// taken out of its reach (docs/architecture.md#workers-and-jobs).
withholdStorage(self);
Comlink.expose(createFhirValidateApi());
