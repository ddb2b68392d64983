/**
 * FHIRPath.js with the R4 model, as the invariants layer's engine. Its own module because it is
 * most of the validator's payload (240 kB gzip): a session loads it in the background and only a
 * resource with an invariant to evaluate waits for it (invariants.ts).
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import type { CompiledFhirPath, FhirPathEngine } from './invariants.ts';

/** trace() would print resource content (patient data) to the console: it is swallowed. */
function silentTrace(): void {}

/** Compiles with FHIRPath.js; undefined for an expression it cannot compile (left unchecked). */
export const fhirPathEngine: FhirPathEngine = {
  compile(base, expression) {
    try {
      return fhirpath.compile({ base, expression }, r4, {
        traceFn: silentTrace,
      }) as unknown as CompiledFhirPath;
    } catch {
      return undefined;
    }
  },
};
