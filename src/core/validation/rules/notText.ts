import type { EngineRule } from './rule.ts';

/**
 * The file holds a zero byte, which text never does: a spreadsheet, a PDF or another binary file
 * chosen in place of the extract. One fatal problem on the file, at the byte's line and offset;
 * the other files of the run are checked as usual.
 */
export const notTextRule: EngineRule = {
  id: 'csv.not-text',
  severity: 'fatal',
  code: 'structure',
  describe:
    'The file is not a text file (it holds a zero byte): most often a spreadsheet or PDF chosen in place of the extract. It is not checked; check that it is the right file, or export the data as CSV.',
  message: 'not a text file: check that it is the right file, or export the data as CSV',
};
