/**
 * Cancel and progress inside a chunk (validateCsv.ts): the browser reads 4 MiB at a time, and a
 * slow row check (the mapping to FHIR, ≈ 13k rows a second) made one chunk 3 s or more of work
 * with no cancel check and no progress; a file under 4 MiB said nothing until its end. Both are
 * now per decode slice (128 KiB) inside a chunk: progress every MiB, cancel after every slice.
 */
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../tests/migration/sources.ts';
import type { CsvLayout } from '../csv/index.ts';
import { JobCancelledError } from '../jobs/errors.ts';
import type { RowCheckFactory } from './rowCheck.ts';
import { validateCsv } from './validateCsv.ts';

const LAYOUT: CsvLayout = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' };
const SLICE_BYTES = 128 * 1024;
const ROW = (i: number) => `K${String(i).padStart(7, '0')},"Name, ${i % 977}",note`; // 30 bytes

/** ≈ 3 MiB of 31-byte rows (a newline each). */
const rows = Array.from({ length: Math.ceil((3 * 1024 * 1024) / 31) }, (_, i) => ROW(i));
const bytes = new TextEncoder().encode(`id,name,note\n${rows.join('\n')}\n`);

describe('a 3 MiB file read in one 4 MiB chunk', () => {
  it.each([
    { chunkBytes: 4 * 1024 * 1024, progress: [1, 2, 3] },
    // the CLI's 1 MiB reads: progress after each read, as before
    { chunkBytes: 1024 * 1024, progress: [1, 2, 3] },
  ])('reads of $chunkBytes bytes: progress every MiB, rows counted', async ({ chunkBytes, progress }) => {
    const reports: { bytes: number; rows: number }[] = [];
    const result = await validateCsv(memorySource('t.csv', bytes), {
      layout: LAYOUT,
      chunkBytes,
      onProgress: (p) => reports.push(p),
    });
    expect(reports.map((r) => Math.ceil(r.bytes / (1024 * 1024)))).toEqual(progress);
    expect(reports[reports.length - 1]).toEqual({ bytes: bytes.length, rows: result.records });
    for (const [j, r] of reports.entries())
      if (j > 0) expect(r.rows).toBeGreaterThan((reports[j - 1] as { rows: number }).rows);
  });

  it('cancelled during a slow row check: stops within one slice of rows', async () => {
    const controller = new AbortController();
    let checked = 0;
    let afterCancel = 0;
    const rowCheck: RowCheckFactory = () => () => {
      checked++;
      if (controller.signal.aborted) afterCancel++;
      if (checked === 1000) controller.abort();
      return [];
    };
    const outcome = validateCsv(memorySource('t.csv', bytes), {
      layout: LAYOUT,
      chunkBytes: 4 * 1024 * 1024,
      rowCheck,
      signal: controller.signal,
    });
    await expect(outcome).rejects.toBeInstanceOf(JobCancelledError);
    // the rest of the slice the cancel came in (rows of 31 bytes), not the rest of the file
    expect(afterCancel).toBeLessThanOrEqual(Math.ceil(SLICE_BYTES / 31) + 1);
    expect(checked).toBeLessThan(rows.length / 10);
  });
});
