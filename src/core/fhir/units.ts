/**
 * The UCUM unit checker over the UCUM library of the US National Library of Medicine
 * (`@lhncbc/ucum-lhc`, the one FHIRPath.js converts units with): its own chunk, loaded when a
 * resource first holds a UCUM unit. The library parses with its own tables (no `eval`), so it
 * runs in a worker under the page's script policy. Its instance loads the UCUM tables once.
 */
import ucum from '@lhncbc/ucum-lhc';
import type { UnitChecker } from './codings.ts';
import type { UnitConversion, UnitConverter } from './unitConversion.ts';

const utils = ucum.UcumLhcUtils.getInstance();

const valid: UnitChecker = (code) => utils.validateUnitString(code, false).status === 'valid';

/** A value in another UCUM unit; incomparable when both units are valid and do not convert. */
const convert: UnitConversion = (value, from, to) => {
  const converted = utils.convertUnitTo(from, value, to);
  if (converted.status === 'succeeded' && typeof converted.toVal === 'number') return converted.toVal;
  return valid(from) && valid(to) ? 'incomparable' : undefined;
};

/** Whether a unit code is a valid UCUM expression; `convert` converts a value between UCUM units. */
export const ucumUnits: UnitChecker & UnitConverter = Object.assign(valid, { convert });
