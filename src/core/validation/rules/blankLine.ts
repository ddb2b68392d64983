import type { EngineRule } from './rule.ts';

/** An empty line between records (readers skip it; it often marks a cut or a merged extract). */
export const blankLineRule: EngineRule = {
  id: 'csv.blank-line',
  severity: 'warning',
  code: 'structure',
  describe:
    'An empty line between records. Readers skip it, but it often marks where two extracts were pasted together or a record was cut.',
  message: 'an empty line comes before this row',
};
