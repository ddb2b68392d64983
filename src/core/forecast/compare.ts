/**
 * The go-live forecast against what happened: the figures the capacity model forecast for
 * go-live week (goLive.ts: bookings at `capacityFactor` × normal, staff at `productivityFactor` ×
 * normal speed) set beside the same figures measured from a go-live log's observation
 * (observe.ts), with how far off each was.
 *
 * The figures, forecast → observed:
 * - patients per hour: `arrivalsPerHour` × capacityFactor → cases ÷ active hours;
 * - bookings kept (the capacity factor): the typed factor → observed patients per hour ÷
 *   `arrivalsPerHour`;
 * - staff speed (the productivity factor): the typed factor → planned staff minutes ÷ measured
 *   staff minutes of the same occurrences, over every staffed lane (0.8: a 4-minute task took 5);
 * - time per case: the go-live cycle time → the mean case time;
 * - per staffed lane (a role with `staff` ≥ 1, the ones the model queues): staff busy on average
 *   (offered load, in people) and the share of its staff busy (utilisation), forecast → occurrences
 *   per active hour × mean measured minutes; and the lane's own staff speed;
 * - in the log's busiest hour (`peak`: the clock hour in which the most cases started, observe.ts):
 *   patients that hour and bookings kept, and per staffed lane its load and share busy from the
 *   occurrences that started in that hour × the lane's mean measured minutes over the whole log
 *   (one hour has too few timed steps to measure a speed of its own).
 * Each figure carries the difference (observed − forecast) and the relative difference (÷ the
 * forecast; null when the forecast is 0).
 *
 * What is not compared is said, never silently zero: a log under {@link MIN_CASES} cases (one
 * long visit would swing every figure); a log with no measured staff time (one time per event);
 * a role none of whose steps is in the log; a role with under {@link MIN_TIMED} timed occurrences;
 * a forecast the model cannot make (a loop with no way out) or whose time per case is unbounded
 * (a role over capacity).
 *
 * The forecast is for the peak hour (`arrivalsPerHour` is peak demand), so the busiest hour is the
 * like-for-like figure; the average over the hours worked stays beside it (a log of quiet hours
 * reads under the forecast there even when the forecast was right for the peak). An observation
 * kept before the busiest hour was recorded has none: it compares the average alone, as before,
 * and says so in `notCompared`.
 * Pure and deterministic; lanes in file order.
 */
import type { GoLiveObservation } from '../../formats/project.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { goLiveMetrics, goLiveSettingsOf } from '../workflow/index.ts';

/** Fewer cases than this and nothing is compared: one long visit would swing every figure. */
export const MIN_CASES = 10;
/** Fewer timed occurrences than this in a role and its speed and load are not compared. */
export const MIN_TIMED = 5;

const MINUTES_PER_HOUR = 60;

/** One figure: what was forecast, what the log shows, and how far off the forecast was. */
export interface ForecastFigure {
  forecast: number;
  observed: number;
  /** observed − forecast */
  difference: number;
  /** (observed − forecast) ÷ forecast; null when the forecast is 0 */
  relative: number | null;
}

/** One staffed role, forecast against observed. */
export interface RoleForecast {
  laneId: string;
  role: string;
  /** staff the workflow plans on shift */
  staff: number;
  /** distinct people the log names doing the role's steps (0: the log names none) */
  people: number;
  /** occurrences of the role's steps with planned staff time */
  occurrences: number;
  /** staff busy on average (people); null when not compared */
  load: ForecastFigure | null;
  /** the share of the role's staff busy; null when not compared */
  utilisation: ForecastFigure | null;
  /** staff busy in the log's busiest hour (people); null when not compared or no busiest hour */
  peakLoad: ForecastFigure | null;
  /** the share of the role's staff busy in the log's busiest hour; null as `peakLoad` */
  peakUtilisation: ForecastFigure | null;
  /** the role's speed relative to normal; null when not compared */
  productivity: ForecastFigure | null;
}

/** A figure or a role that could not be compared, and why, in plain words. */
export interface NotCompared {
  /** what was not compared: a role's name, or the figure */
  subject: string;
  reason: string;
}

/** The log's busiest hour against the forecast, which is for the peak hour. */
export interface PeakForecast {
  /** cases that started in the busiest hour */
  cases: number;
  /** patients an hour: the forecast against the cases of the busiest hour */
  casesPerHour: ForecastFigure;
  /** bookings kept: the typed factor against the busiest hour's cases ÷ `arrivalsPerHour` */
  capacityFactor: ForecastFigure | null;
}

/** The go-live forecast of a workflow against a go-live log's observation. */
export interface ForecastComparison {
  cases: number;
  activeHours: number;
  /** false when the workflow states no go-live settings and the defaults were assumed */
  typed: boolean;
  casesPerHour: ForecastFigure | null;
  capacityFactor: ForecastFigure | null;
  productivityFactor: ForecastFigure | null;
  cycleMin: ForecastFigure | null;
  /** the log's busiest hour; null when nothing is compared or the observation has none (older checks) */
  peak: PeakForecast | null;
  /** staffed roles, in file order */
  roles: RoleForecast[];
  notCompared: NotCompared[];
}

/** {@link ForecastFigure} of a forecast and an observation. */
export function figure(forecast: number, observed: number): ForecastFigure {
  const difference = observed - forecast;
  return { forecast, observed, difference, relative: forecast === 0 ? null : difference / forecast };
}

/** Compares `workflow`'s go-live forecast with `observed` (see the header). */
export function compareForecast(workflow: Workflow, observed: GoLiveObservation): ForecastComparison {
  const settings = goLiveSettingsOf(workflow);
  const base = {
    cases: observed.cases,
    activeHours: observed.activeHours,
    typed: workflow.goLive !== undefined,
  };
  const staffed = workflow.lanes.filter((lane) => lane.staff >= 1);
  const none = {
    ...base,
    casesPerHour: null,
    capacityFactor: null,
    productivityFactor: null,
    cycleMin: null,
    peak: null,
    roles: staffed.map((lane) => ({
      laneId: lane.id,
      role: lane.name,
      staff: lane.staff,
      people: observed.lanes[lane.id]?.people ?? 0,
      occurrences: observed.lanes[lane.id]?.instances ?? 0,
      load: null,
      utilisation: null,
      peakLoad: null,
      peakUtilisation: null,
      productivity: null,
    })),
  };
  if (observed.cases < MIN_CASES || observed.activeHours === 0)
    return {
      ...none,
      notCompared: [
        {
          subject: 'Every figure',
          reason: `the log has ${observed.cases} ${observed.cases === 1 ? 'case' : 'cases'}, fewer than ${MIN_CASES}: one long visit would swing every figure.`,
        },
      ],
    };
  const metrics = goLiveMetrics(workflow, settings);
  if (!metrics.ok)
    return {
      ...none,
      notCompared: [
        { subject: 'Every figure', reason: `there is no forecast to compare: ${metrics.problem.message}` },
      ],
    };
  const forecast = metrics.metrics;
  const notCompared: NotCompared[] = [];
  const perHour = observed.cases / observed.activeHours;
  const { peak } = observed;
  if (!peak)
    notCompared.push({
      subject: 'The busiest hour',
      reason:
        'this check was kept before the busiest hour was recorded, so every figure is the average over the hours worked, which quiet hours pull down. Check the log again to compare the busiest hour.',
    });
  const anyTimed = Object.values(observed.lanes).some((l) => l.timed > 0);
  if (!anyTimed)
    notCompared.push({
      subject: 'Staff speed and how busy each role was',
      reason: 'the log records one time per step, not a start and an end, so no staff time was measured.',
    });

  let designed = 0;
  let measured = 0;
  const roles: RoleForecast[] = staffed.map((lane) => {
    const seen = observed.lanes[lane.id];
    const lanePlan = forecast.lanes.find((l) => l.laneId === lane.id);
    const role: RoleForecast = {
      laneId: lane.id,
      role: lane.name,
      staff: lane.staff,
      people: seen?.people ?? 0,
      occurrences: seen?.instances ?? 0,
      load: null,
      utilisation: null,
      peakLoad: null,
      peakUtilisation: null,
      productivity: null,
    };
    if (!lanePlan || lanePlan.touchMinPerCase === 0) {
      notCompared.push({ subject: lane.name, reason: 'the workflow plans no staff time for this role.' });
      return role;
    }
    if (!seen || seen.instances === 0) {
      notCompared.push({ subject: lane.name, reason: 'none of this role’s steps is in the log.' });
      return role;
    }
    if (!anyTimed) return role;
    if (seen.timed < MIN_TIMED || seen.touchMin === 0) {
      notCompared.push({
        subject: lane.name,
        reason: `only ${seen.timed} of its steps have a measured staff time, fewer than ${MIN_TIMED}.`,
      });
      return role;
    }
    designed += seen.designedTouchMin;
    measured += seen.touchMin;
    const meanMin = seen.touchMin / seen.timed;
    const load = ((seen.instances / observed.activeHours) * meanMin) / MINUTES_PER_HOUR;
    const utilisation = lanePlan.utilisation ?? lanePlan.offeredLoad / lane.staff;
    role.load = figure(lanePlan.offeredLoad, load);
    role.utilisation = figure(utilisation, load / lane.staff);
    if (peak) {
      const peakLoad = ((peak.lanes[lane.id]?.instances ?? 0) * meanMin) / MINUTES_PER_HOUR;
      role.peakLoad = figure(lanePlan.offeredLoad, peakLoad);
      role.peakUtilisation = figure(utilisation, peakLoad / lane.staff);
    }
    role.productivity = figure(settings.productivityFactor, seen.designedTouchMin / seen.touchMin);
    return role;
  });
  if (anyTimed && measured === 0)
    notCompared.push({
      subject: 'Staff speed',
      reason: 'no role has enough steps with a measured staff time.',
    });
  if (!Number.isFinite(forecast.cycleMin))
    notCompared.push({
      subject: 'Time per case',
      reason: `the forecast has ${forecast.unstableLanes.length === 1 ? 'a role' : 'roles'} over capacity, so its time per case has no limit.`,
    });
  return {
    ...base,
    casesPerHour: figure(forecast.arrivalsPerHour, perHour),
    capacityFactor:
      workflow.arrivalsPerHour > 0
        ? figure(settings.capacityFactor, perHour / workflow.arrivalsPerHour)
        : null,
    productivityFactor: measured > 0 ? figure(settings.productivityFactor, designed / measured) : null,
    cycleMin: Number.isFinite(forecast.cycleMin) ? figure(forecast.cycleMin, observed.meanCaseMin) : null,
    peak: peak
      ? {
          cases: peak.cases,
          casesPerHour: figure(forecast.arrivalsPerHour, peak.cases),
          capacityFactor:
            workflow.arrivalsPerHour > 0
              ? figure(settings.capacityFactor, peak.cases / workflow.arrivalsPerHour)
              : null,
        }
      : null,
    roles,
    notCompared,
  };
}
