import type { EngineRule } from './rule.ts';

/** A quote inside a quoted cell is neither doubled nor the end of the cell: the row was read by guessing where its cells end. */
export const malformedQuotesRule: EngineRule = {
  id: 'csv.malformed-quotes',
  severity: 'error',
  code: 'structure',
  describe:
    'A quote inside a quoted cell is neither doubled nor the end of the cell: the row was read by guessing where its cells end.',
  message: 'has a malformed quote: its cells were read by guessing',
};
