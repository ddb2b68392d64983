/**
 * Validator worker entry: exposes workers/validateApi.ts, which adapts
 * src/core/validation. Served with its own CSP (src/app/securityHeaders.ts): ajv compiles column
 * contracts here, and nowhere else in the browser.
 */
import * as Comlink from 'comlink';
import { forwardCspViolations, type WorkerScope } from './cspViolations.ts';
import { createValidateApi } from './validateApi.ts';

// First: a CSP violation in a worker is otherwise seen by nobody (workers/cspViolations.ts).
forwardCspViolations(self as unknown as WorkerScope);
Comlink.expose(createValidateApi());
