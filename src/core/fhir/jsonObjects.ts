/**
 * The one test of a JSON value being an object, for the checks of src/core/fhir that read
 * resources as parsed JSON: an array and null are JSON values too, and never an object here.
 */

/** A JSON object, keyed by its members' names. */
export type Json = Record<string, unknown>;

/** Whether a JSON value is an object (not an array, not null). */
export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
