/**
 * The FHIR origins this build may contact (`PREFLIGHT_FHIR_ORIGINS` when it was built; see
 * vite.config.ts). The CSP enforces the same list; the app reads it to explain a refusal.
 */
declare const __PREFLIGHT_FHIR_ORIGINS__: readonly string[] | undefined;

/** The allowed FHIR origins (empty outside a Vite build, e.g. in unit tests). */
export const ALLOWED_FHIR_ORIGINS: readonly string[] =
  typeof __PREFLIGHT_FHIR_ORIGINS__ === 'undefined' ? [] : __PREFLIGHT_FHIR_ORIGINS__;
