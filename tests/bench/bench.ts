/**
 * The shape of a benchmark entry and the timing helper they share. Entries live one per file
 * (`*.bench.ts`) and are listed in the table in `run.ts`.
 *
 * Constraint: a benchmark compares against a reference measured in the same run on the same machine
 * (e.g. node:crypto), so numbers from different machines are compared as ratios, not absolutes.
 */

/** One benchmark's outcome: printed as a table and written to the results JSON. */
export interface BenchResult {
  /** The parameters this run used (input size, repetitions, …). */
  params: Record<string, string | number>;
  /** Column order of the printed table. */
  columns: string[];
  rows: Array<Record<string, string | number>>;
  /** Observations worth printing under the table (e.g. "digests match"). */
  notes?: string[];
}

/** What the command line gave a benchmark besides the ids: its `--flags` (e.g. `--record`). */
export interface BenchOptions {
  flags: readonly string[];
}

/** A registered benchmark. */
export interface BenchEntry {
  /** Stable id, used to select benchmarks on the command line and as the JSON key. */
  id: string;
  title: string;
  run(options?: BenchOptions): Promise<BenchResult>;
}

/** Default warm-up runs before timing (JIT, page cache). */
export const DEFAULT_WARMUPS = 1;
/** Default timed runs; the table shows the best and the median. */
export const DEFAULT_REPEATS = 3;

/** Timings of one measured variant, in milliseconds. */
export interface Timing {
  samplesMs: number[];
  bestMs: number;
  medianMs: number;
}

/** Runs `fn` `warmups` times untimed, then `repeats` times timed. */
export async function measure(
  fn: () => Promise<unknown>,
  { warmups = DEFAULT_WARMUPS, repeats = DEFAULT_REPEATS } = {},
): Promise<Timing> {
  for (let i = 0; i < warmups; i++) await fn();
  const samplesMs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const startedAt = performance.now();
    await fn();
    samplesMs.push(performance.now() - startedAt);
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return { samplesMs, bestMs: sorted[0] ?? Number.NaN, medianMs: middle };
}

const BYTES_PER_MB = 1_000_000;
const MS_PER_SECOND = 1000;

/** Throughput in MB/s (decimal megabytes, as disk and network speeds are quoted). */
export function megabytesPerSecond(bytes: number, ms: number): number {
  return bytes / BYTES_PER_MB / (ms / MS_PER_SECOND);
}
