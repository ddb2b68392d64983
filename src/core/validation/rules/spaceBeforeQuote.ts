import type { EngineRule } from './rule.ts';

/** Spaces before an opening quote: the cell is read as text with its quotes. */
export const spaceBeforeQuoteRule: EngineRule = {
  id: 'csv.space-before-quote',
  severity: 'error',
  code: 'structure',
  describe:
    'A cell has spaces before its opening quote, so the quotes are read as part of the text (and a delimiter inside it splits the cell).',
  message: 'has spaces before its opening quote: the quotes were read as text',
};
