/**
 * "failing-rows export": memory and time of exporting every failing row (the core's
 * failingRowBatches, as the CLI's --failing-rows and the app's "Export every failing row" run
 * it) at 50,000 and 500,000 failing rows, each in a fresh process (failingRowsExportChild.ts).
 * Every row of the extract fails two checks, so the export has two lines per row.
 *
 * Baseline in the same run: the same batches joined into one string (a naive export), whose
 * memory grows with the export. "heap growth" is the peak (a full GC after every batch) minus
 * the heap before the export, which already holds the run's index of failing rows (12 bytes per
 * row, needed by the drill-down anyway).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchEntry, BenchResult } from './bench.ts';

const SIZES = [50_000, 500_000] as const;
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'failingRowsExportChild.ts');
const MB = 1e6;
const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

interface ChildResult {
  rows: number;
  lines: number;
  bytes: number;
  heapBeforeBytes: number;
  heapPeakBytes: number;
  exportMs: number;
}

/** An extract of `rows` rows, every one failing the name pattern and the date format. */
function extract(rows: number): string {
  const lines = ['id,name,birth_date'];
  for (let i = 1; i <= rows; i++) lines.push(`P${i},=name ${i},${(i % 12) + 1}/${(i % 28) + 1}/1990`);
  return `${lines.join('\r\n')}\r\n`;
}

function measureChild(file: string, out: string, mode: 'stream' | 'string'): ChildResult {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, file, out, mode], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`export child (${mode}) failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
}

/** The benchmark entry. */
export const failingRowsExportBench: BenchEntry = {
  id: 'failing-rows-export',
  title: 'failing-rows export: heap growth and time, streamed in batches vs one string',
  async run(): Promise<BenchResult> {
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-bench-failing-rows-'));
    try {
      const rows: Record<string, string | number>[] = [];
      for (const size of SIZES) {
        const file = path.join(dir, `extract-${size}.csv`);
        await writeFile(file, extract(size));
        for (const mode of ['stream', 'string'] as const) {
          const r = measureChild(file, path.join(dir, `out-${size}-${mode}.csv`), mode);
          rows.push({
            variant: mode === 'stream' ? 'batches to a file stream (CLI)' : 'one string (baseline)',
            failingRows: r.rows,
            lines: r.lines,
            outMB: round(r.bytes / MB, 1),
            heapBeforeMB: round(r.heapBeforeBytes / MB, 1),
            heapGrowthMB: round((r.heapPeakBytes - r.heapBeforeBytes) / MB, 1),
            exportS: round(r.exportMs / 1000, 2),
          });
        }
      }
      return {
        params: { sizes: SIZES.join(', '), checksPerRow: 2 },
        columns: ['variant', 'failingRows', 'lines', 'outMB', 'heapBeforeMB', 'heapGrowthMB', 'exportS'],
        rows,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
