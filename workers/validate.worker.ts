/**
 * Validator worker entry: exposes workers/validateApi.ts, which adapts
 * src/core/validation. Served with its own CSP (src/core/http/securityHeaders.ts): ajv compiles column
 * contracts here, and nowhere else in the browser.
 */
import * as Comlink from 'comlink';
import { forwardCspViolations, type WorkerScope } from './cspViolations.ts';
import { createValidateApi, opfsRootOf } from './validateApi.ts';
import { withholdStorage } from './withholdStorage.ts';

// First: a CSP violation in a worker is otherwise seen by nobody (workers/cspViolations.ts).
forwardCspViolations(self as unknown as WorkerScope);
// Code generated from a user's contract runs here: the key spill takes the OPFS root it needs
// now, and the rest of browser storage is taken away before any contract is compiled.
const keySpillRoot = opfsRootOf(self.navigator?.storage);
withholdStorage(self);
Comlink.expose(createValidateApi({ keySpillRoot }));
