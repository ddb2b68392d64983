/**
 * The UCUM unit checker over the UCUM library of the US National Library of Medicine
 * (`@lhncbc/ucum-lhc`, the one FHIRPath.js converts units with): its own chunk, loaded when a
 * resource first holds a UCUM unit. The library parses with its own tables (no `eval`), so it
 * runs in a worker under the page's script policy. Its instance loads the UCUM tables once.
 */
import ucum from '@lhncbc/ucum-lhc';
import type { UnitChecker } from './codings.ts';

const utils = ucum.UcumLhcUtils.getInstance();

/** Whether a unit code is a valid UCUM expression. */
export const ucumUnits: UnitChecker = (code) => utils.validateUnitString(code, false).status === 'valid';
