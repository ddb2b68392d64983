import type { EngineRule } from './rule.ts';

/**
 * The file holds no record at all (0 bytes): no header, no rows. Like a header without records,
 * it most often comes from a failed or cut-off export, so it is said (a warning; an error with
 * `--fail-on-empty`), never passed over.
 */
export const emptyFileRule: EngineRule = {
  id: 'csv.empty-file',
  severity: 'warning',
  code: 'structure',
  describe:
    'The file is empty: no header, no rows. An empty extract usually means the export failed: check it before relying on a pass.',
  message: 'empty file: no header, no rows (an empty extract usually means the export failed)',
};
