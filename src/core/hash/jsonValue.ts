/**
 * Whether a JavaScript value is plain JSON data: exactly what JSON text can carry, nothing that
 * `JSON.stringify` would silently drop, convert or lose.
 *
 * Two callers depend on the same answer: `canonicalJson` (what is hashed for project-file
 * integrity and, later, sign-off must be exactly what a file holds, so a Map must not hash as `{}`
 * nor a Date as its string), and storage (IndexedDB keeps structured clones — Maps, Dates, NaN,
 * `undefined` — that a project file cannot, so such a value is refused before a write and every
 * stored project stays exportable).
 *
 * Constraints:
 * - Results name a path and a kind, never the value (it may be patient data).
 * - This module imports nothing of Preflight's: it sits under `src/formats` in the layering.
 */

/** A lone (unpaired) UTF-16 surrogate: JSON text in UTF-8 cannot carry it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The kinds of non-JSON values {@link nonJsonValue} tells apart (stable, for tests and callers' wording). */
export type NonJsonKind =
  | 'undefined'
  | 'not-finite'
  | 'lone-surrogate'
  | 'function'
  | 'symbol'
  | 'bigint'
  | 'not-plain-object'
  | 'symbol-key'
  | 'sparse-array'
  | 'cycle';

/** Where the first non-JSON value is, what kind it is, and a message without the value. */
interface NonJsonValue {
  /** JSON Pointer (RFC 6901) to it; "" is the value itself */
  path: string;
  kind: NonJsonKind;
  /** what is wrong, in words; never contains the value */
  message: string;
}

const MESSAGES: Readonly<Record<NonJsonKind, string>> = {
  undefined: 'holds undefined, which JSON has no form for',
  'not-finite': 'holds a number JSON has no form for (NaN or infinite)',
  'lone-surrogate': 'holds text with a broken character (a lone surrogate) that JSON text cannot carry',
  function: 'holds a function, which is not data',
  symbol: 'holds a symbol, which JSON has no form for',
  bigint: 'holds a BigInt, which JSON has no form for',
  'not-plain-object': 'holds an object that is not plain data (a Date, Map, Set, class instance, …)',
  'symbol-key': 'holds an object with a symbol-named property, which JSON has no form for',
  'sparse-array': 'holds a list with an empty slot, which JSON has no form for',
  cycle: 'holds a reference to itself (a cycle), which JSON has no form for',
};

/** Escapes one JSON Pointer reference token (RFC 6901: "~" → "~0", "/" → "~1"). */
function escapeSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function found(path: string, kind: NonJsonKind): NonJsonValue {
  return { path, kind, message: MESSAGES[kind] };
}

/**
 * The first value in `value` (depth first, in property order) that plain JSON cannot carry, or
 * null when all of it is JSON: `null`, booleans, finite numbers (-0 included: it is written `0`,
 * as RFC 8785 says), strings without lone surrogates, dense arrays and objects whose prototype is
 * `Object.prototype` or null with string keys, all without cycles. A shared (non-cyclic)
 * reference is fine: JSON writes it twice.
 *
 * @param path JSON Pointer prefix for the result's `path` (e.g. "/meta/settings")
 */
export function nonJsonValue(value: unknown, path = ''): NonJsonValue | null {
  return visit(value, path, new Set());
}

function visit(value: unknown, path: string, ancestors: Set<object>): NonJsonValue | null {
  switch (typeof value) {
    case 'boolean':
      return null;
    case 'string':
      return LONE_SURROGATE.test(value) ? found(path, 'lone-surrogate') : null;
    case 'number':
      return Number.isFinite(value) ? null : found(path, 'not-finite');
    case 'undefined':
      return found(path, 'undefined');
    case 'function':
      return found(path, 'function');
    case 'symbol':
      return found(path, 'symbol');
    case 'bigint':
      return found(path, 'bigint');
    case 'object':
      break;
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.has(object)) return found(path, 'cycle');
  ancestors.add(object);
  const result = Array.isArray(object)
    ? visitArray(object, path, ancestors)
    : visitObject(object, path, ancestors);
  ancestors.delete(object);
  return result;
}

function visitArray(array: readonly unknown[], path: string, ancestors: Set<object>): NonJsonValue | null {
  if (Object.getPrototypeOf(array) !== Array.prototype) return found(path, 'not-plain-object');
  for (let index = 0; index < array.length; index++) {
    const at = `${path}/${index}`;
    // JSON.stringify writes an empty slot as null: the value would change on a round trip
    if (!Object.hasOwn(array, index)) return found(at, 'sparse-array');
    const inner = visit(array[index], at, ancestors);
    if (inner) return inner;
  }
  return null;
}

function visitObject(object: object, path: string, ancestors: Set<object>): NonJsonValue | null {
  const prototype = Object.getPrototypeOf(object);
  // a Date, Map, Set, RegExp, typed array, boxed primitive or class instance: JSON.stringify
  // would write {} or its toJSON() and lose what it is
  if (prototype !== Object.prototype && prototype !== null) return found(path, 'not-plain-object');
  if (Object.getOwnPropertySymbols(object).length > 0) return found(path, 'symbol-key');
  for (const [key, item] of Object.entries(object)) {
    const inner = visit(item, `${path}/${escapeSegment(key)}`, ancestors);
    if (inner) return inner;
  }
  return null;
}
