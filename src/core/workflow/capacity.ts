/**
 * A capacity study: the one question a practice manager asks before go-live — "does the clinic
 * keep up at its peak, and in the first weeks on the new system?" — answered three ways that tell
 * one story: Erlang C per lane (metrics.ts, the steady state), a seeded discrete-event simulation
 * of peak days and of go-live weeks with productivity recovering (simulate.ts), and the smallest
 * schedule cut that keeps every lane under the utilisation limit at go-live (goLive.ts).
 *
 * Every simulated figure comes from independent replications (replications.ts): the peak days and
 * each go-live week are run `replications` times with seeds derived from the user's seed, the
 * first hour of each day (`warmupMin`) left out, and reported as a mean with its 95 % confidence
 * interval. The first replication keeps the seed itself, so `peak` and each week's `result` are
 * the single seeded run they have always been.
 *
 * The study runs as a sequence of units (one replication of the peak days, then of each go-live
 * week) through a generator, so a worker can report progress and honour a cancel between units, and the CLI can
 * run the same generator to completion: the browser and `preflight workflow analyze --simulate`
 * give the same numbers for the same seed.
 *
 * Constraint: pure and deterministic. The peak run uses `seed`; go-live week w uses `seed + w`
 * (never the peak's seed, so week 1 is not the peak day replayed at other settings); replication r
 * of a run seeded s uses `replicationSeed(s, r)`.
 */
import type { Workflow } from '../../formats/workflow.ts';
import {
  DEFAULT_UTILISATION_LIMIT,
  goLiveSettingsOf,
  type ScheduleCut,
  scheduleCutForGoLive,
} from './goLive.ts';
import { computeMetrics, type LaneMetrics, type MetricsProblem } from './metrics.ts';
import {
  assertReplications,
  DEFAULT_REPLICATIONS,
  DEFAULT_WARMUP_MIN,
  replicationSeed,
  type SimulationIntervals,
  summariseReplications,
} from './replications.ts';
import {
  DEFAULT_DAYS_PER_WEEK,
  DEFAULT_GO_LIVE_WEEKS,
  DEFAULT_OPEN_HOURS,
  DEFAULT_RECOVERY_WEEKS,
  type GoLiveWeek,
  type SimulationResult,
  simulate,
  type TouchTimeDistribution,
} from './simulate.ts';

/** Peak days simulated by default: a working week of peak days, so one odd day does not decide. */
export const DEFAULT_PEAK_DAYS = 5;
/** The seed used when none is given, so a study is reproducible without the user choosing one. */
export const DEFAULT_CAPACITY_SEED = 20_240_701;

/** What to study; every field has a documented default. */
export interface CapacityStudyOptions {
  /** 32-bit seed; default {@link DEFAULT_CAPACITY_SEED} */
  seed?: number;
  /** peak days simulated and pooled; default {@link DEFAULT_PEAK_DAYS} */
  peakDays?: number;
  /** open hours per clinic day; default 8 (simulate.ts) */
  hours?: number;
  /** touch-time distribution (simulate.ts explains the exponential default) */
  touchTime?: TouchTimeDistribution;
  /** booking factor in go-live weeks; default the workflow's `goLive` (or 1) */
  capacityFactor?: number;
  /** staff productivity in go-live week 1; default the workflow's `goLive` (or 0.7) */
  productivityFactor?: number;
  /** go-live weeks simulated; default 4 */
  weeks?: number;
  /** clinic days per week; default 5 */
  daysPerWeek?: number;
  /** weeks until productivity is back to normal (linear recovery); default 12 */
  recoveryWeeks?: number;
  /** utilisation a lane should stay under; default 0.85 */
  limit?: number;
  /** independent replications of every simulated period; default {@link DEFAULT_REPLICATIONS} */
  replications?: number;
  /**
   * minutes at the start of each clinic day left out of every simulated figure (warm-up); default
   * {@link DEFAULT_WARMUP_MIN}, or half the open time when the day is shorter than two hours
   */
  warmupMin?: number;
}

/** The options with every default filled in: what the study actually ran, reported with it. */
export type ResolvedCapacityOptions = Required<Omit<CapacityStudyOptions, 'touchTime'>> & {
  touchTime: TouchTimeDistribution;
};

/** Everything the capacity panel and the CLI show. */
export interface CapacityStudy {
  options: ResolvedCapacityOptions;
  /** Erlang C per lane at peak (steady state, no go-live effects) */
  erlang: LaneMetrics[];
  /** the simulated peak days: the first replication (the seed's own run) */
  peak: SimulationResult;
  /** the peak days' figures over every replication, with 95 % confidence intervals */
  peakIntervals: SimulationIntervals;
  /** go-live weeks 1…n at the planned bookings, productivity recovering */
  goLiveWeeks: ReplicatedGoLiveWeek[];
  /** the smallest schedule cut keeping every lane ≤ limit at week-one productivity */
  scheduleCut: ScheduleCut;
}

/** A go-live week: its first replication (`result`) and its intervals over all replications. */
export interface ReplicatedGoLiveWeek extends GoLiveWeek {
  intervals: SimulationIntervals;
}

/** Outcome of a study: numbers, or why the workflow has none (a loop no case can leave). */
export type CapacityStudyOutcome =
  | { ok: true; study: CapacityStudy }
  | { ok: false; problem: MetricsProblem };

/** Progress between units: simulated clinic days done of the total. */
export interface CapacityStudyProgress {
  daysDone: number;
  daysTotal: number;
}

/** Fills in the defaults of `options` for `workflow`. Throws RangeError for nonsensical values. */
export function resolveCapacityOptions(
  workflow: Workflow,
  options: CapacityStudyOptions = {},
): ResolvedCapacityOptions {
  const goLive = goLiveSettingsOf(workflow);
  const resolved: ResolvedCapacityOptions = {
    seed: (options.seed ?? DEFAULT_CAPACITY_SEED) >>> 0,
    peakDays: options.peakDays ?? DEFAULT_PEAK_DAYS,
    hours: options.hours ?? DEFAULT_OPEN_HOURS,
    touchTime: options.touchTime ?? { kind: 'exponential' },
    capacityFactor: options.capacityFactor ?? goLive.capacityFactor,
    productivityFactor: options.productivityFactor ?? goLive.productivityFactor,
    weeks: options.weeks ?? DEFAULT_GO_LIVE_WEEKS,
    daysPerWeek: options.daysPerWeek ?? DEFAULT_DAYS_PER_WEEK,
    recoveryWeeks: options.recoveryWeeks ?? DEFAULT_RECOVERY_WEEKS,
    limit: options.limit ?? DEFAULT_UTILISATION_LIMIT,
    replications: options.replications ?? DEFAULT_REPLICATIONS,
    warmupMin:
      options.warmupMin ?? Math.min(DEFAULT_WARMUP_MIN, ((options.hours ?? DEFAULT_OPEN_HOURS) * 60) / 2),
  };
  const positiveIntegers = ['peakDays', 'weeks', 'daysPerWeek', 'recoveryWeeks'] as const;
  for (const name of positiveIntegers) {
    const value = resolved[name];
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`${name} must be a whole number of at least 1.`);
  }
  if (!(resolved.hours > 0 && resolved.hours <= 24))
    throw new RangeError('hours must be more than 0 and at most 24.');
  if (!(resolved.capacityFactor > 0 && resolved.capacityFactor <= 1)) {
    throw new RangeError('capacityFactor must be more than 0 and at most 1.');
  }
  if (!(resolved.productivityFactor > 0 && resolved.productivityFactor <= 1)) {
    throw new RangeError('productivityFactor must be more than 0 and at most 1.');
  }
  if (!(resolved.limit > 0 && resolved.limit < 1)) throw new RangeError('limit must be between 0 and 1.');
  assertReplications(resolved.replications);
  if (!(resolved.warmupMin >= 0 && resolved.warmupMin < resolved.hours * 60))
    throw new RangeError('warmupMin must be at least 0 and shorter than the open hours.');
  return resolved;
}

/**
 * Runs the study one unit at a time: yields progress after each replication of the peak days and
 * of each go-live week, and returns the outcome. Drive it to the end with {@link runCapacityStudy}, or step it
 * from a worker that checks for a cancel between units.
 */
export function* capacityStudySteps(
  workflow: Workflow,
  options: CapacityStudyOptions = {},
): Generator<CapacityStudyProgress, CapacityStudyOutcome, void> {
  const resolved = resolveCapacityOptions(workflow, options);
  const { replications } = resolved;
  const daysTotal = replications * (resolved.peakDays + resolved.weeks * resolved.daysPerWeek);
  const peakMetrics = computeMetrics(workflow);
  if (!peakMetrics.ok) return peakMetrics;
  const common = { hours: resolved.hours, touchTime: resolved.touchTime, warmupMin: resolved.warmupMin };
  let daysDone = 0;

  const peakRuns: SimulationResult[] = [];
  for (let r = 0; r < replications; r++) {
    const run = simulate(workflow, {
      ...common,
      seed: replicationSeed(resolved.seed, r),
      days: resolved.peakDays,
    });
    if (!run.ok) return run;
    peakRuns.push(run.result);
    daysDone += resolved.peakDays;
    yield { daysDone, daysTotal };
  }

  const goLiveWeeks: ReplicatedGoLiveWeek[] = [];
  const first = resolved.productivityFactor;
  for (let week = 1; week <= resolved.weeks; week++) {
    // the same linear recovery as simulateGoLiveWeeks (simulate.ts), one week per unit
    const productivityFactor = Math.min(1, first + ((1 - first) * (week - 1)) / resolved.recoveryWeeks);
    const weekRuns: SimulationResult[] = [];
    for (let r = 0; r < replications; r++) {
      const run = simulate(workflow, {
        ...common,
        seed: replicationSeed((resolved.seed + week) >>> 0, r),
        days: resolved.daysPerWeek,
        demandFactor: resolved.capacityFactor,
        productivityFactor,
      });
      if (!run.ok) return run;
      weekRuns.push(run.result);
      daysDone += resolved.daysPerWeek;
      yield { daysDone, daysTotal };
    }
    goLiveWeeks.push({
      week,
      productivityFactor,
      result: weekRuns[0] as SimulationResult,
      intervals: summariseReplications(weekRuns, resolved.warmupMin),
    });
  }

  const cut = scheduleCutForGoLive(workflow, resolved.limit, {
    capacityFactor: resolved.capacityFactor,
    productivityFactor: resolved.productivityFactor,
  });
  if (!cut.ok) return cut;
  return {
    ok: true,
    study: {
      options: resolved,
      erlang: peakMetrics.metrics.lanes,
      peak: peakRuns[0] as SimulationResult,
      peakIntervals: summariseReplications(peakRuns, resolved.warmupMin),
      goLiveWeeks,
      scheduleCut: cut.cut,
    },
  };
}

/** Runs the whole study at once (the CLI, tests). */
export function runCapacityStudy(
  workflow: Workflow,
  options: CapacityStudyOptions = {},
): CapacityStudyOutcome {
  const steps = capacityStudySteps(workflow, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
