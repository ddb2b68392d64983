/**
 * A capacity study: the one question a practice manager asks before go-live — "does the clinic
 * keep up at its peak, and in the first weeks on the new system?" — answered three ways that tell
 * one story: Erlang C per lane (metrics.ts, the steady state), a seeded discrete-event simulation
 * of peak days and of go-live weeks with productivity recovering (simulate.ts), and the smallest
 * schedule cut that keeps every lane under the utilisation limit at go-live (goLive.ts).
 *
 * The study runs as a sequence of units (the peak days, then one unit per go-live week) through a
 * generator, so a worker can report progress and honour a cancel between units, and the CLI can
 * run the same generator to completion: the browser and `preflight workflow analyze --simulate`
 * give the same numbers for the same seed.
 *
 * Constraint: pure and deterministic. The peak run uses `seed`; go-live week w uses `seed + w`
 * (never the peak's seed, so week 1 is not the peak day replayed at other settings).
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
  /** the simulated peak days */
  peak: SimulationResult;
  /** go-live weeks 1…n at the planned bookings, productivity recovering */
  goLiveWeeks: GoLiveWeek[];
  /** the smallest schedule cut keeping every lane ≤ limit at week-one productivity */
  scheduleCut: ScheduleCut;
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
  return resolved;
}

/**
 * Runs the study one unit at a time: yields progress after the peak days and after each go-live
 * week, and returns the outcome. Drive it to the end with {@link runCapacityStudy}, or step it
 * from a worker that checks for a cancel between units.
 */
export function* capacityStudySteps(
  workflow: Workflow,
  options: CapacityStudyOptions = {},
): Generator<CapacityStudyProgress, CapacityStudyOutcome, void> {
  const resolved = resolveCapacityOptions(workflow, options);
  const daysTotal = resolved.peakDays + resolved.weeks * resolved.daysPerWeek;
  const peakMetrics = computeMetrics(workflow);
  if (!peakMetrics.ok) return peakMetrics;
  const common = { hours: resolved.hours, touchTime: resolved.touchTime };
  const peak = simulate(workflow, { ...common, seed: resolved.seed, days: resolved.peakDays });
  if (!peak.ok) return peak;
  let daysDone = resolved.peakDays;
  yield { daysDone, daysTotal };

  const goLiveWeeks: GoLiveWeek[] = [];
  const first = resolved.productivityFactor;
  for (let week = 1; week <= resolved.weeks; week++) {
    // the same linear recovery as simulateGoLiveWeeks (simulate.ts), one week per unit
    const productivityFactor = Math.min(1, first + ((1 - first) * (week - 1)) / resolved.recoveryWeeks);
    const outcome = simulate(workflow, {
      ...common,
      seed: (resolved.seed + week) >>> 0,
      days: resolved.daysPerWeek,
      demandFactor: resolved.capacityFactor,
      productivityFactor,
    });
    if (!outcome.ok) return outcome;
    goLiveWeeks.push({ week, productivityFactor, result: outcome.result });
    daysDone += resolved.daysPerWeek;
    yield { daysDone, daysTotal };
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
      peak: peak.result,
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
