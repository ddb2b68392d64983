/**
 * The answer of an invariant read on the JSON (simpleInvariant.ts, nativeExpressions.ts) when the
 * reader cannot tell what FHIRPath would answer: the caller then evaluates it with FHIRPath.js.
 */
export const UNKNOWN = Symbol('unknown');
