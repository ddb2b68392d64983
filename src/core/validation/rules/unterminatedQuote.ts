import type { EngineRule } from './rule.ts';

/** A quoted cell is never closed: everything after it, to the end of the file, was read as one cell. */
export const unterminatedQuoteRule: EngineRule = {
  id: 'csv.unterminated-quote',
  severity: 'error',
  code: 'structure',
  describe:
    'A quoted cell is never closed: everything after it, to the end of the file, was read as one cell.',
  message: 'has a quote that is never closed',
};
