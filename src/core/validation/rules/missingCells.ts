import type { EngineRule } from './rule.ts';

/** The row has fewer cells than the header has columns: the missing cells are read as empty. */
export const missingCellsRule: EngineRule = {
  id: 'csv.missing-cell',
  severity: 'error',
  code: 'structure',
  describe: 'The row has fewer cells than the header has columns: the missing cells are read as empty.',
  message: 'is missing: the row has fewer cells than the header',
};
