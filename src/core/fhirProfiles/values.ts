/**
 * Comparing instance JSON with a profile's fixed and pattern values, and naming a type from a
 * choice element's JSON name (`valueQuantity` → `Quantity`, `valueString` → `string`).
 */
import { PRIMITIVE_TYPES } from '../fhir/index.ts';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Exact equality of JSON values (fixed[x]). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => jsonEqual(a[key], b[key]));
}

/**
 * Whether `value` holds `pattern` (pattern[x]): primitives equal, every property of an object
 * pattern present and matching, every item of a list pattern matched by some item of the value.
 */
export function matchesPattern(value: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) {
    const items = Array.isArray(value) ? value : [value];
    return pattern.every((p) => items.some((v) => matchesPattern(v, p)));
  }
  if (isObject(pattern)) {
    if (!isObject(value)) return false;
    return Object.entries(pattern).every(
      ([key, p]) => value[key] !== undefined && matchesPattern(value[key], p),
    );
  }
  return value === pattern;
}

/** The FHIR type code a choice element's JSON name carries after its base name. */
export function typeFromSuffix(suffix: string): string {
  const lower = `${suffix[0]?.toLowerCase() ?? ''}${suffix.slice(1)}`;
  return PRIMITIVE_TYPES.has(lower) ? lower : suffix;
}

/** A fixed or pattern value in words for a message: it comes from the profile, never from data. */
export function describeExpected(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return `'${String(value)}'`;
  const codings: string[] = [];
  const collect = (v: unknown) => {
    if (!isObject(v)) return;
    if (typeof v.code === 'string')
      codings.push(typeof v.system === 'string' ? `${v.system}|${v.code}` : v.code);
    if (Array.isArray(v.coding)) for (const c of v.coding) collect(c);
  };
  collect(value);
  if (codings.length > 0) return codings.map((c) => `'${c}'`).join(', ');
  const text = JSON.stringify(value);
  return text.length <= 120 ? text : `${text.slice(0, 117)}…`;
}
