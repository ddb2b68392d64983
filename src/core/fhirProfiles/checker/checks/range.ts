/**
 * A profile's `minValue[x]` and `maxValue[x]`: a number, a date, date-time, instant or time, or a
 * Quantity no smaller or larger than the bound. Dates are compared only at the same precision
 * (`2024-05` against `2024-05-01` is neither before nor after), and Quantities in the same unit or
 * after a UCUM conversion: a value that cannot be compared is not accused, and is said not to be.
 * A Duration bound on a date is relative to today, as the Java validator reads it: the date lies
 * no further back than the minimum and no further ahead than the maximum.
 */

import { conversionThrough, type UnitConversion } from '../../../fhir/index.ts';
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

const UCUM = 'http://unitsofmeasure.org';
/** Days of a UCUM unit of time (a year of 365.25 days, a month of 30.4375), undefined for others. */
const DAYS: Record<string, number> = {
  a: 365.25,
  mo: 30.4375,
  wk: 7,
  d: 1,
  h: 1 / 24,
  min: 1 / 1440,
  s: 1 / 86400,
};
const DAY_MS = 86_400_000;
/** The most a time zone moves a date: a date is held only to what it surely covers. */
const ZONE_MS = 14 * 3_600_000;

/** The first and last instant a date or date-time covers (`2024` is all of 2024); undefined when not one. */
function span(value: string): [number, number] | undefined {
  const parts = /^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?$/.exec(value);
  if (!parts) {
    const at = INSTANT.test(value) ? Date.parse(value) : Number.NaN;
    return Number.isNaN(at) ? undefined : [at, at];
  }
  const year = Number(parts[1]);
  const month = parts[2] === undefined ? undefined : Number(parts[2]) - 1;
  const day = parts[3] === undefined ? undefined : Number(parts[3]);
  const start = Date.UTC(year, month ?? 0, day ?? 1);
  const end =
    day !== undefined
      ? start + DAY_MS
      : month !== undefined
        ? Date.UTC(year, month + 1, 1)
        : Date.UTC(year + 1, 0, 1);
  return [start - ZONE_MS, end + ZONE_MS];
}

/**
 * A date against a Duration bound relative to `now`: negative when the whole date lies further
 * back than `now` minus the duration (a minimum), positive when it lies further ahead than `now`
 * plus it (a maximum); 0 within; undefined when not comparable.
 */
export function compareToDuration(
  value: unknown,
  duration: unknown,
  side: 'min' | 'max',
  now: number,
): number | undefined {
  if (typeof value !== 'string' || !isObject(duration) || typeof duration.value !== 'number')
    return undefined;
  const days =
    duration.system === UCUM && typeof duration.code === 'string' ? DAYS[duration.code] : undefined;
  const covers = span(value);
  if (days === undefined || !covers) return undefined;
  const reach = duration.value * days * DAY_MS;
  if (side === 'min') return covers[1] < now - reach ? -1 : 0;
  return covers[0] > now + reach ? 1 : 0;
}

/**
 * `value` against `limit`: negative below, 0 equal, positive above; undefined when not comparable.
 * Quantities in UCUM units that differ compare after `convert` (11000 g against 0 kg).
 */
export function compareToBound(value: unknown, limit: unknown, convert?: UnitConversion): number | undefined {
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
    if (value.system === limit.system && (value.code ?? value.unit) === (limit.code ?? limit.unit))
      return value.value - limit.value;
    if (!convert || value.system !== UCUM || limit.system !== UCUM) return undefined;
    if (typeof value.code !== 'string' || typeof limit.code !== 'string') return undefined;
    const converted = convert(value.value, value.code, limit.code);
    if (typeof converted !== 'number') return undefined;
    // within rounding of the conversion is equal (50 Cel against 122 [degF])
    const near = Math.abs(converted - limit.value) <= 1e-9 * Math.max(Math.abs(limit.value), 1);
    return near ? 0 : converted - limit.value;
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
    const convert = engine.options.units ? conversionThrough(engine.options.units) : undefined;
    const now = Date.now();
    const belowMin =
      min === undefined
        ? undefined
        : def.minValueDuration !== undefined
          ? compareToDuration(item.value, min, 'min', now)
          : compareToBound(item.value, min, convert);
    const aboveMax =
      max === undefined
        ? undefined
        : def.maxValueDuration !== undefined
          ? compareToDuration(item.value, max, 'max', now)
          : compareToBound(item.value, max, convert);
    if (belowMin !== undefined && belowMin < 0)
      engine.report(
        ctx,
        p,
        'fhir-profile-value',
        item.loc,
        def.minValueDuration !== undefined
          ? `${node.id}: must be no more than ${shown(min)} before today, the profile's minimum`
          : `${node.id}: must be at least ${shown(min)}, the profile's minimum`,
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
        def.maxValueDuration !== undefined
          ? `${node.id}: must be no more than ${shown(max)} after today, the profile's maximum`
          : `${node.id}: must be at most ${shown(max)}, the profile's maximum`,
        item.value,
      );
    return undefined;
  },
};
