import type { EngineRule } from './rule.ts';

/** A column has no name in the header, so no contract rule and no mapping can refer to it. */
export const blankHeaderRule: EngineRule = {
  id: 'csv.blank-label',
  severity: 'error',
  code: 'structure',
  describe: 'A column has no name in the header, so no contract rule and no mapping can refer to it.',
  message: 'this column has no name in the header',
};
