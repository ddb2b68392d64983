/**
 * Tests only: a file's layout as the page gets it from the validator worker's `sniff`, without what
 * was detected (the layout a run is given). Fails with the sniff's own problem message.
 */
import type { CsvLayout } from '../../src/core/csv/index.ts';
import type { createValidateApi } from '../validateApi.ts';

/** Sniffs `file` (named `name`) through `api` and returns the layout to validate it with. */
export async function layoutOf(
  api: ReturnType<typeof createValidateApi>,
  file: Blob,
  name: string,
): Promise<CsvLayout> {
  const sniffed = await api.sniff(file, name);
  if (!sniffed.ok) throw new Error(sniffed.problem.message);
  const { detected: _detected, ...layout } = sniffed.layout;
  return layout;
}
