import type { EngineRule } from './rule.ts';

/** Two columns have the same name in the header: a row object keeps only one of them. */
export const duplicateHeaderRule: EngineRule = {
  id: 'csv.duplicate-label',
  severity: 'error',
  code: 'structure',
  describe: 'Two columns have the same name in the header: a row object keeps only one of them.',
  message: 'this column name appears more than once in the header',
};
