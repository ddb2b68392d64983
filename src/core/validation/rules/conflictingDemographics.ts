import type { EngineRule } from './rule.ts';

/** The same patient identifier is used for records whose name, birth date or sex differ: different people may share one identifier. */
export const conflictingDemographicsRule: EngineRule = {
  id: 'crossfile.conflicting-demographics',
  severity: 'error',
  code: 'conflict',
  describe:
    'The same patient identifier is used for records whose name, birth date or sex differ: different people may share one identifier.',
  message: 'records sharing this identifier have different demographics',
};
