import type { EngineRule } from './rule.ts';

/** Records end with different line breaks (CRLF, LF, CR). Readers that split on one of them glue the others to the next record, so cells shift. */
export const mixedLineEndingsRule: EngineRule = {
  id: 'csv.mixed-line-endings',
  severity: 'warning',
  code: 'structure',
  describe:
    'Records end with different line breaks (CRLF, LF, CR). Readers that split on one of them glue the others to the next record, so cells shift.',
  message: 'this record ends with another line break than the rest of the file',
};
