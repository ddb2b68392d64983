import type { EngineRule } from './rule.ts';

/** A reference (e.g. the patient id of an encounter) names a record that is not in the referenced file. */
export const orphanReferenceRule: EngineRule = {
  id: 'crossfile.orphan-reference',
  severity: 'error',
  code: 'not-found',
  describe:
    'A reference (e.g. the patient id of an encounter) names a record that is not in the referenced file.',
  message: 'refers to a record that is not in the referenced file',
};
