import type { EngineRule } from './rule.ts';

/** Every cell of the row is empty (a row of delimiters only). */
export const blankRowRule: EngineRule = {
  id: 'csv.blank-row',
  severity: 'error',
  code: 'structure',
  describe: 'Every cell of the row is empty (a row of delimiters only).',
  message: 'every cell of this row is empty',
};
