import type { EngineRule } from './rule.ts';

/** A record key (e.g. MRN, encounter id) occurs in more than one row. */
export const duplicateKeyRule: EngineRule = {
  id: 'crossfile.duplicate-key',
  severity: 'error',
  code: 'duplicate',
  describe: 'A record key (e.g. MRN, encounter id) occurs in more than one row.',
  message: 'the same key occurs in more than one record',
};
