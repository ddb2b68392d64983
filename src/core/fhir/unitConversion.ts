/**
 * Converting a value between UCUM units, for limits set in another unit than the value's (a
 * questionnaire's maximum quantity, a profile's maxValueQuantity). The conversion lives in the UCUM
 * chunk (units.ts) and loads with the unit checker; this module holds only what reaches it.
 */
import { MissingUnitsError, type UnitChecker } from './codings.ts';

/**
 * Converts a value from one UCUM unit code to another: the value in `to`; `'incomparable'` when
 * both are UCUM units of different kinds (kilograms and miles); undefined when it cannot tell (a
 * code that is not UCUM, a conversion that needs a molecular weight).
 */
export type UnitConversion = (value: number, from: string, to: string) => number | 'incomparable' | undefined;

/** A unit checker that also converts (the UCUM chunk's), so the conversion loads with it. */
export interface UnitConverter {
  convert: UnitConversion;
}

/**
 * The conversion of the session's unit checker: it throws {@link MissingUnitsError} while the
 * checker is not loaded (the session loads it and validates again); undefined when the checker
 * cannot convert.
 */
export function conversionThrough(units: () => UnitChecker | undefined): UnitConversion {
  return (value, from, to) => {
    const loaded = units();
    if (!loaded) throw new MissingUnitsError();
    return 'convert' in loaded ? (loaded as UnitChecker & UnitConverter).convert(value, from, to) : undefined;
  };
}
