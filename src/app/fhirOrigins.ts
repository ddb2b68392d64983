/**
 * The FHIR origins this copy of the app may contact: those the page's own Content-Security-Policy
 * allows (the `<meta>` tag the build writes from `PREFLIGHT_FHIR_ORIGINS`; see vite.config.ts).
 * The CSP enforces the list; the app reads it to explain a refusal. Read from the page, not built
 * into the scripts, so the scripts of one build are the same whatever origins it allows.
 */
import { originsAllowedBy } from '../fhir/allowlist.ts';

/** The allowed FHIR origins (empty where the page has no policy, e.g. in component tests). */
export const ALLOWED_FHIR_ORIGINS: readonly string[] =
  typeof document === 'undefined'
    ? []
    : originsAllowedBy(
        document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
      );
