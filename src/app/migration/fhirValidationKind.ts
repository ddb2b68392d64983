/**
 * Kind (and key: one FHIR validation at a time) of FHIR validation jobs. Its own module so the
 * Migration workspace can look for a FHIR job without pulling the FHIR screen into the main bundle.
 */
export const FHIR_VALIDATION_KIND = 'fhir-validation';
