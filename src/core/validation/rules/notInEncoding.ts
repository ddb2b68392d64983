import type { EngineRule } from './rule.ts';

/**
 * A byte of the file is not valid in the encoding it is read in (detected or chosen): the file is
 * not read past it. One fatal problem on the file, at the byte's line and offset; the other files
 * of the run are checked as usual.
 */
export const notInEncodingRule: EngineRule = {
  id: 'csv.not-in-encoding',
  severity: 'fatal',
  code: 'invalid',
  describe:
    'A byte of the file cannot be read in its encoding: the file is not checked. Read it in the encoding it was saved in, or export it again as UTF-8.',
  message:
    'a byte cannot be read in the encoding: read the file in the encoding it was saved in, or export it again as UTF-8',
};
