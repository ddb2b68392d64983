/**
 * "event-log memory": peak resident memory (maxRSS) of reading + discovering a CSV log as
 * `preflight workflow discover` does, at 250,000 and 1,000,000 events, each in a fresh process
 * (eventLogMemoryChild.ts). Two row orders: grouped by case (as most exports and the seeded
 * generator write them) and sorted by time (every case interleaved with hundreds of others).
 *
 * A full garbage collection runs after each 1 MiB chunk (eventLogMemoryChild.ts), so the peak
 * is what reading keeps alive, not V8's garbage; `retainedMB` is what stays after discovery with
 * the log kept (the worker keeps it to re-filter without reading again).
 *
 * Baseline measured in the same run: the same file streamed through the UTF-8 decoder and the CSV
 * record reader keeping nothing — the memory any streamed reading needs. "growth per event" is the
 * slope between the two sizes: what each further event costs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchEntry, BenchResult } from './bench.ts';
import { benchLogCsv } from './eventLogFixtures.ts';

const SIZES = [250_000, 1_000_000] as const;
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'eventLogMemoryChild.ts');
const MB = 1e6;
const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

interface ChildResult {
  maxRssBytes: number;
  retainedBytes: number;
  events: number;
  steps: number;
}

function measureChild(file: string, mode: 'floor' | 'discover'): ChildResult {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, file, mode], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`memory child (${mode}) failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
}

/** The log's rows sorted by their time (stable: a start before its complete at equal times). */
function sortedByTime(csv: string): string {
  const [header = '', ...rows] = csv.trimEnd().split('\n');
  const at = header.split(',').indexOf('timestamp');
  const keyed = rows.map((row, i) => ({ row, i, t: row.split(',')[at] ?? '' }));
  keyed.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.i - b.i));
  return `${header}\n${keyed.map((k) => k.row).join('\n')}\n`;
}

/** The benchmark entry. */
export const eventLogMemoryBench: BenchEntry = {
  id: 'eventlog-memory',
  title: 'event-log memory: peak RSS of read + discover (CLI path), by size and row order',
  async run(): Promise<BenchResult> {
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-bench-eventlog-memory-'));
    try {
      const measured: Record<string, Record<number, ChildResult>> = {};
      const add = (variant: string, size: number, result: ChildResult) => {
        measured[variant] ??= {};
        (measured[variant] as Record<number, ChildResult>)[size] = result;
      };
      for (const size of SIZES) {
        const grouped = benchLogCsv(size);
        const groupedFile = path.join(dir, `grouped-${size}.csv`);
        const timeFile = path.join(dir, `by-time-${size}.csv`);
        await writeFile(groupedFile, grouped);
        await writeFile(timeFile, sortedByTime(grouped));
        add('stream the CSV, keep nothing (baseline)', size, measureChild(groupedFile, 'floor'));
        add('read + discover, rows grouped by case', size, measureChild(groupedFile, 'discover'));
        add('read + discover, rows sorted by time', size, measureChild(timeFile, 'discover'));
      }
      const [small, large] = SIZES;
      const rows = Object.entries(measured).map(([variant, bySize]) => {
        const a = bySize[small] as ChildResult;
        const b = bySize[large] as ChildResult;
        const floorLarge = measured['stream the CSV, keep nothing (baseline)']?.[large] as ChildResult;
        return {
          variant,
          [`rssMB@${small / 1000}k`]: round(a.maxRssBytes / MB, 1),
          [`rssMB@${large / 1_000_000}M`]: round(b.maxRssBytes / MB, 1),
          bytesPerEventGrowth: round((b.maxRssBytes - a.maxRssBytes) / (b.events - a.events), 1),
          retainedMB: round(b.retainedBytes / MB, 1),
          vsBaseline: round(b.maxRssBytes / floorLarge.maxRssBytes, 2),
        };
      });
      const large1 = measured['read + discover, rows grouped by case']?.[large];
      return {
        params: { sizes: SIZES.join(', ') },
        columns: [
          'variant',
          `rssMB@${small / 1000}k`,
          `rssMB@${large / 1_000_000}M`,
          'bytesPerEventGrowth',
          'vsBaseline',
        ],
        rows,
        notes: [
          `sanity: ${large1?.events} events, ${large1?.steps} steps discovered at ${large / 1_000_000}M`,
          'bytesPerEventGrowth = (peak RSS at the large size − at the small size) / (events between them)',
          'vsBaseline = peak RSS / the baseline’s at the large size',
        ],
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
