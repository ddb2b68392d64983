/**
 * Durations kept as evidence: n, mean, median and 90th percentile in minutes, the shape of a
 * step's `observed.touch` / `observed.wait` in `preflight.workflow/v1`.
 *
 * Percentiles interpolate linearly between order statistics (Hyndman & Fan type 7, the default of
 * R, NumPy and PM4Py), so a median of an even count is the mean of the two middle values.
 */

/** Summary of a set of durations, in minutes. */
export interface DurationStats {
  n: number;
  meanMin: number;
  medianMin: number;
  p90Min: number;
}

/** A growable list of numbers in a typed array. */
export class NumberList {
  private data = new Float64Array(16);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  /** The values (a view: copy before keeping). */
  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** The type-7 quantile of sorted values (0 ≤ q ≤ 1). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  return a + (h - lo) * ((sorted[hi] as number) - a);
}

const P90 = 0.9;
const MEDIAN = 0.5;

/** Summarises durations given in minutes; undefined for none. */
export function summarise(values: Float64Array): DurationStats | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n: sorted.length,
    meanMin: sum / sorted.length,
    medianMin: quantileSorted(sorted, MEDIAN),
    p90Min: quantileSorted(sorted, P90),
  };
}

/** Rounds minutes for a file: 3 decimals (60 ms), enough for any clinic step. */
export function roundMinutes(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** {@link DurationStats} rounded for a file. */
export function roundStats(stats: DurationStats): DurationStats {
  return {
    n: stats.n,
    meanMin: roundMinutes(stats.meanMin),
    medianMin: roundMinutes(stats.medianMin),
    p90Min: roundMinutes(stats.p90Min),
  };
}
