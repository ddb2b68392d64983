import type { EngineRule } from './rule.ts';

/**
 * The file has a header but no records. Nothing in it can fail, so without this a run would pass
 * an extract that most often comes from a failed or cut-off export.
 */
export const noRecordsRule: EngineRule = {
  id: 'csv.no-records',
  severity: 'warning',
  code: 'structure',
  describe:
    'The file has a header but no records. An empty extract usually means the export failed or was cut off: check it before relying on a pass.',
  message: 'the file has no records (only its header): an empty extract usually means the export failed',
};
