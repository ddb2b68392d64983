/**
 * Whether a value stored in IndexedDB can also be written to a project file.
 *
 * IndexedDB stores structured clones, which hold more than JSON does: NaN, ±Infinity, BigInt,
 * Dates, strings with a lone surrogate. A project holding one would save but never export
 * (`createProjectFile` throws: the canonical JSON under its integrity hash has no form for
 * them), so such a value is refused before a write — the user's backup must always be possible.
 *
 * Constraint: results name a path, never the value (STYLE.md 7).
 */
import { escapePointerSegment, isPlainObject } from '../formats/loading.ts';

/** A lone (unpaired) UTF-16 surrogate: JSON text and UTF-8 cannot carry it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Where the first value without a JSON form is in `value`, and what kind it is; null when all of it is JSON. */
export function nonJsonValue(value: unknown, path = ''): { path: string; message: string } | null {
  switch (typeof value) {
    case 'boolean':
      return null;
    case 'string':
      return LONE_SURROGATE.test(value)
        ? { path, message: 'holds text with a broken character (a lone surrogate) that cannot be exported' }
        : null;
    case 'number':
      return Number.isFinite(value)
        ? null
        : { path, message: 'holds a number that cannot be exported (not finite)' };
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) {
          // an empty slot exports as null
          if (value[index] === undefined) continue;
          const found = nonJsonValue(value[index], `${path}/${index}`);
          if (found) return found;
        }
        return null;
      }
      const prototype = Object.getPrototypeOf(value);
      if (!isPlainObject(value) || (prototype !== Object.prototype && prototype !== null)) {
        // a Date, Map, typed array, …: IndexedDB keeps it, a project file would not
        return { path, message: 'holds a value that is not plain data and cannot be exported' };
      }
      for (const [key, item] of Object.entries(value)) {
        // left out of JSON, as JSON.stringify and the canonical form do
        if (item === undefined) continue;
        const found = nonJsonValue(item, `${path}/${escapePointerSegment(key)}`);
        if (found) return found;
      }
      return null;
    }
    default:
      return { path, message: 'holds a value that is not plain data and cannot be exported' };
  }
}
