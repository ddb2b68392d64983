/**
 * FHIR validator worker entry: exposes workers/fhirValidateApi.ts, which adapts
 * src/core/migration/fhir. The generated R4 structure modules, the digest and FHIRPath.js load here
 * only. No eval is needed (the ajv modules are precompiled, FHIRPath.js interprets its parse tree),
 * so this worker runs under the page's own policy.
 */
import * as Comlink from 'comlink';
import { forwardCspViolations, type WorkerScope } from './cspViolations.ts';
import { createFhirValidateApi } from './fhirValidateApi.ts';

// First: a CSP violation in a worker is otherwise seen by nobody (workers/cspViolations.ts).
forwardCspViolations(self as unknown as WorkerScope);
Comlink.expose(createFhirValidateApi());
