/**
 * Independent replications of the simulation (simulate.ts) and 95 % confidence intervals on what
 * they measure — the method of Law & Kelton (Simulation Modeling and Analysis, ch. 9): one run is
 * one sample of a random outcome, so a figure is only as good as its spread over runs.
 *
 * - Replication r runs the same workflow and options with its own seed
 *   ({@link replicationSeed}): replication 0 uses the given seed itself, so its numbers are the
 *   single run's; later ones use seeds mixed from (seed, r), so no two replications share a
 *   random stream and the whole set reproduces from the one seed.
 * - Each replication gives one number per figure (its mean over the measured cases and days,
 *   after the warm-up); those R numbers are independent and identically distributed, so their
 *   mean ± t(0.975, R − 1) · s / √R is a 95 % confidence interval for the figure's expected value
 *   (Student t; the replication means are close to normal by the central limit theorem).
 * - The warm-up (`warmupMin`) drops the start of each simulated day, while the clinic is still
 *   filling up from empty, from every figure.
 *
 * Pure and deterministic: the same workflow, options and seed give the identical intervals.
 */
import type { Workflow } from '../../formats/workflow.ts';
import type { MetricsProblem } from './metrics.ts';
import { type SimulationOptions, type SimulationResult, simulate } from './simulate.ts';

/** Replications run when none is asked for: enough for a t interval near its large-sample width. */
export const DEFAULT_REPLICATIONS = 20;
/** Fewest replications that give an interval (a spread needs two). */
export const MIN_REPLICATIONS = 2;
/** Most replications accepted (the browser runs them all in a worker). */
export const MAX_REPLICATIONS = 500;
/** Minutes of each clinic day left out as warm-up when none is given: the first hour. */
export const DEFAULT_WARMUP_MIN = 60;
/**
 * An interval is called wide when its half-width is more than this share of its mean (and more
 * than the figure's own small floor, see {@link isWideInterval}): ±25 % is where a planner would
 * stop trusting the number as it stands.
 */
const WIDE_RELATIVE_HALF_WIDTH = 0.25;

/** Two-sided 95 % quantiles of Student's t, t(0.975, df), df = 1…30 (standard tables). */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
const Z_975 = 1.959964;

/**
 * t(0.975, df): the table for df ≤ 30, above it the Cornish–Fisher expansion around the normal
 * quantile (error < 0.001 for df > 30). Throws a RangeError for df < 1.
 */
export function tQuantile975(df: number): number {
  if (!(df >= 1) || !Number.isInteger(df))
    throw new RangeError('Degrees of freedom must be a whole number ≥ 1.');
  const tabled = T_975[df - 1];
  if (tabled !== undefined) return tabled;
  const z = Z_975;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}

/** A mean with its 95 % confidence interval over `n` replications. */
export interface Interval {
  mean: number;
  low: number;
  high: number;
  /** high − mean */
  halfWidth: number;
  /** replications behind it */
  n: number;
}

/**
 * The Student-t 95 % interval of the mean of `values` (one per replication). With one value the
 * interval is that value with half-width 0 and n = 1 (no spread is known). Throws a RangeError for
 * no values or a value that is not finite.
 */
export function confidenceInterval(values: readonly number[]): Interval {
  if (values.length === 0) throw new RangeError('An interval needs at least one replication.');
  let sum = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError('Every replication must give a finite number.');
    sum += v;
  }
  const n = values.length;
  const mean = sum / n;
  if (n === 1) return { mean, low: mean, high: mean, halfWidth: 0, n };
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const halfWidth = (tQuantile975(n - 1) * Math.sqrt(squares / (n - 1))) / Math.sqrt(n);
  return { mean, low: mean - halfWidth, high: mean + halfWidth, halfWidth, n };
}

/**
 * Whether an interval is too wide to plan on: its half-width is more than
 * {@link WIDE_RELATIVE_HALF_WIDTH} of its mean and more than `floor` (in the figure's unit: a
 * ±0.3 min spread on a 1-minute wait is not worth a warning).
 */
export function isWideInterval(interval: Interval, floor: number): boolean {
  return (
    interval.halfWidth > floor && interval.halfWidth > WIDE_RELATIVE_HALF_WIDTH * Math.abs(interval.mean)
  );
}

/**
 * The seed of replication `replication` of a run seeded `seed`: the seed itself for replication 0,
 * otherwise a 32-bit mix of both (the splitmix32 finaliser), so replications of neighbouring seeds
 * (go-live week w uses seed + w) do not share streams.
 */
export function replicationSeed(seed: number, replication: number): number {
  if (replication === 0) return seed >>> 0;
  let h = (Math.imul(seed >>> 0, 0x9e3779b9) ^ Math.imul(replication, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

/** One lane's figures over the replications. */
export interface LaneIntervals {
  laneId: string;
  /** false for `staff: 0` lanes: no queue, so no utilisation, wait or queue to speak of */
  queued: boolean;
  /** mean queueing wait (minutes) of work items after the warm-up */
  meanWaitMin: Interval;
  /** 90th percentile of the queueing wait (minutes): the interval is for a run's percentile */
  p90WaitMin: Interval;
  /** longest queue of a run (items waiting) */
  maxQueueLength: Interval;
  /** the simulated ρ; null when not queued */
  utilisation: Interval | null;
  /** items waiting, time-averaged over the open hours after the warm-up */
  meanQueueLength: Interval;
}

/** A simulation's figures as 95 % confidence intervals over independent replications. */
export interface SimulationIntervals {
  replications: number;
  /** the seeds the replications ran with, in order (the first is the run's own seed) */
  seeds: number[];
  warmupMin: number;
  /** measured cases completed per open hour */
  throughputPerHour: Interval;
  /** mean time from arrival to completion (minutes) */
  meanCycleMin: Interval;
  /** per lane, in file order */
  lanes: LaneIntervals[];
  /** true when any replication stopped at the event cap */
  truncated: boolean;
}

/** Intervals from finished replications (at least one, all of the same workflow). */
export function summariseReplications(
  results: readonly SimulationResult[],
  warmupMin: number,
): SimulationIntervals {
  const first = results[0];
  if (first === undefined) throw new RangeError('Intervals need at least one replication.');
  const over = (pick: (result: SimulationResult) => number) => confidenceInterval(results.map(pick));
  return {
    replications: results.length,
    seeds: results.map((r) => r.seed),
    warmupMin,
    throughputPerHour: over((r) => r.throughputPerHour),
    meanCycleMin: over((r) => r.meanCycleMin),
    lanes: first.lanes.map((lane, i) => {
      const laneOf = (r: SimulationResult) => r.lanes[i] ?? lane;
      return {
        laneId: lane.laneId,
        queued: lane.queued,
        meanWaitMin: over((r) => laneOf(r).meanWaitMin),
        p90WaitMin: over((r) => laneOf(r).p90WaitMin),
        maxQueueLength: over((r) => laneOf(r).maxQueueLength),
        utilisation: lane.queued ? over((r) => laneOf(r).utilisation ?? 0) : null,
        meanQueueLength: over((r) => laneOf(r).meanQueueLength),
      };
    }),
    truncated: results.some((r) => r.truncated),
  };
}

/** Options of {@link replicate}: one run's options, how many replications, and the warm-up. */
interface ReplicationOptions extends SimulationOptions {
  /** default {@link DEFAULT_REPLICATIONS} */
  replications?: number;
}

/** Replications' outcome: the first run (the seed's own) and the intervals over all. */
type ReplicationOutcome =
  | { ok: true; first: SimulationResult; intervals: SimulationIntervals }
  | { ok: false; problem: MetricsProblem };

/**
 * Runs `replications` independent replications of `simulate(workflow, options)` and summarises
 * them. Throws a RangeError for a replication count outside
 * {@link MIN_REPLICATIONS}…{@link MAX_REPLICATIONS} (and for simulate's own bad options).
 */
export function replicate(workflow: Workflow, options: ReplicationOptions): ReplicationOutcome {
  const { replications = DEFAULT_REPLICATIONS, ...run } = options;
  assertReplications(replications);
  const results: SimulationResult[] = [];
  for (let r = 0; r < replications; r++) {
    const outcome = simulate(workflow, { ...run, seed: replicationSeed(run.seed, r) });
    if (!outcome.ok) return outcome;
    results.push(outcome.result);
  }
  return {
    ok: true,
    first: results[0] as SimulationResult,
    intervals: summariseReplications(results, run.warmupMin ?? 0),
  };
}

/** Throws a RangeError unless `replications` is a whole number in the accepted range. */
export function assertReplications(replications: number): void {
  if (!Number.isInteger(replications) || replications < MIN_REPLICATIONS || replications > MAX_REPLICATIONS) {
    throw new RangeError(
      `replications must be a whole number from ${MIN_REPLICATIONS} to ${MAX_REPLICATIONS}.`,
    );
  }
}
