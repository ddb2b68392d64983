import type { EngineRule } from './rule.ts';

/** The row has more cells than the header has columns: the extra cells belong to no column. */
export const extraCellsRule: EngineRule = {
  id: 'csv.extra-cell',
  severity: 'error',
  code: 'structure',
  describe: 'The row has more cells than the header has columns: the extra cells belong to no column.',
  message: 'is an extra cell: the row has more cells than the header',
};
