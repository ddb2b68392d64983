/**
 * A profile's `minValue[x]` and `maxValue[x]`: a number, a date, date-time, instant or time, or a
 * Quantity no smaller or larger than the bound. Dates are compared only at the same precision
 * (`2024-05` against `2024-05-01` is neither before nor after), and Quantities only in the same
 * unit (no unit conversion offline): such a value is not accused, and is said not to be compared.
 */

import { isObject } from '../items.ts';
import type { ItemCheck } from '../types.ts';

/** The bound of `def` with this prefix (`minValueInteger` → its value), undefined when none. */
function bound(def: Record<string, unknown>, prefix: string): unknown {
  for (const key in def)
    if (key.startsWith(prefix) && key.length > prefix.length && /[A-Z]/.test(key[prefix.length] as string))
      return def[key];
  return undefined;
}

/** A date-time to the second with its zone: comparable as an instant whatever the zone. */
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** `value` against `limit`: negative below, 0 equal, positive above; undefined when not comparable. */
export function compareToBound(value: unknown, limit: unknown): number | undefined {
  if (typeof value === 'number' && typeof limit === 'number') return value - limit;
  if (typeof value === 'string' && typeof limit === 'string') {
    // same precision only; date-times as instants (their zones may differ), dates and times lexically
    if (INSTANT.test(value) && INSTANT.test(limit)) return Date.parse(value) - Date.parse(limit);
    if (value.length !== limit.length || value.includes('T')) return undefined;
    return value < limit ? -1 : value > limit ? 1 : 0;
  }
  if (
    isObject(value) &&
    isObject(limit) &&
    typeof value.value === 'number' &&
    typeof limit.value === 'number'
  ) {
    if (value.system !== limit.system || (value.code ?? value.unit) !== (limit.code ?? limit.unit))
      return undefined;
    return value.value - limit.value;
  }
  return undefined;
}

/** Shows a bound in a message: a Quantity as value and unit, anything else as it is. */
function shown(limit: unknown): string {
  if (isObject(limit)) return `${String(limit.value)} ${String(limit.code ?? limit.unit ?? '')}`.trim();
  return String(limit);
}

/** A value against its element's minValue[x] and maxValue[x]. */
export const rangeCheck: ItemCheck = {
  id: 'min-max-value',
  scope: 'item',
  atRoot: false,
  describe:
    'a value is no smaller than the minimum (minValue[x]) and no larger than the maximum (maxValue[x]) the profile sets',
  rules: ['fhir-profile-value', 'fhir-profile-not-checked'],
  applies: (_engine, _p, node) =>
    bound(node.def as Record<string, unknown>, 'minValue') !== undefined ||
    bound(node.def as Record<string, unknown>, 'maxValue') !== undefined,
  check(engine, p, node, item, ctx) {
    if (item.value === undefined) return undefined;
    const def = node.def as Record<string, unknown>;
    const min = bound(def, 'minValue');
    const max = bound(def, 'maxValue');
    const belowMin = min === undefined ? undefined : compareToBound(item.value, min);
    const aboveMax = max === undefined ? undefined : compareToBound(item.value, max);
    if (belowMin !== undefined && belowMin < 0)
      engine.report(
        ctx,
        p,
        'fhir-profile-value',
        item.loc,
        `${node.id}: must be at least ${shown(min)}, the profile's minimum`,
        item.value,
      );
    if ((min !== undefined && belowMin === undefined) || (max !== undefined && aboveMax === undefined))
      engine.report(
        ctx,
        p,
        'fhir-profile-not-checked',
        item.loc,
        `${node.id}: not compared with the profile's ${min !== undefined && belowMin === undefined ? 'minimum' : 'maximum'} ${shown(min !== undefined && belowMin === undefined ? min : max)}: the value is in another unit or to another precision, and units are not converted offline`,
      );
    if (aboveMax !== undefined && aboveMax > 0)
      engine.report(
        ctx,
        p,
        'fhir-profile-value',
        item.loc,
        `${node.id}: must be at most ${shown(max)}, the profile's maximum`,
        item.value,
      );
    return undefined;
  },
};
