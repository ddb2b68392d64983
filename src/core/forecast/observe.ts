/**
 * What a go-live event log shows of the load a workflow's go-live forecast was about: per lane,
 * how often its steps were done, how long staff took where the log measured it, against how long
 * the design says at normal speed, and how many people did them; per log, the cases, the clock
 * hours the clinic was seen working and the mean time per case. Kept in the project beside the
 * go-live check (`observed` of `#/$defs/workflowCheck`), so the readiness board can compare the
 * forecast with it long after the log itself is gone.
 *
 * Definitions (each stated on the board and in the decision record):
 * - An occurrence belongs to the lane of the step its activity matches (the check's own matching:
 *   the activity map first, then label or id); only steps with planned staff time count, as only
 *   they load a lane in the capacity model (metrics.ts).
 * - Timed: the log recorded a start and a completion, so a staff time was measured; a log of one
 *   time per event measures none.
 * - Active hours: the clock hours (whole UTC hours, so the same in every whole-hour zone) in which
 *   at least one activity of the log started, matched or not. The forecast is per hour of work;
 *   nights and closed days are no hours of work, so they are not counted.
 * - Mean case time: elapsed minutes from a case's first start to its last completion, averaged.
 * - The busiest hour (`peak`): the clock hour (as for active hours) in which the most cases
 *   started, a case starting at its first activity's start; of equals, the earliest. It holds
 *   those cases and, per lane, the occurrences (as above) that started in that same hour: the
 *   forecast is for the peak hour, so this is the hour it is compared with. The log's average is
 *   kept beside it (cases ÷ active hours).
 *
 * Constraint: counts and minutes only — never a case id, a resource's name or any other value
 * of the log (it may be patient data). Pure; the result does not depend on the log's row order
 * (the log is canonical, eventLog.ts). Minutes are rounded as conformance rounds them.
 */
import type { GoLiveObservation, GoLivePeak, LaneObservation } from '../../formats/project.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { type EventLog, matchActivities, roundMinutes } from '../workflow/eventlog/index.ts';

export type { GoLiveObservation } from '../../formats/project.ts';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;

/** Options of {@link observeGoLive}: the check's own activity map (activity → step id). */
export interface ObserveOptions {
  activityMap?: Readonly<Record<string, string>>;
}

/** The observation of `log` against `workflow` (see the header). */
export function observeGoLive(
  log: EventLog,
  workflow: Workflow,
  options: ObserveOptions = {},
): GoLiveObservation {
  const stepOf = matchActivities(log, workflow, options.activityMap ?? {});
  const lanes = new Map<string, LaneObservation & { resources: Set<number> }>();
  const hours = new Set<number>();
  // clock hour → cases started in it, and lane id → occurrences started in it
  const startedIn = new Map<number, { cases: number; lanes: Map<string, number> }>();
  const hourOf = (hour: number) => {
    let found = startedIn.get(hour);
    if (!found) {
      found = { cases: 0, lanes: new Map() };
      startedIn.set(hour, found);
    }
    return found;
  };
  let caseMinutes = 0;
  const cases = log.cases.length;
  for (let c = 0; c < cases; c++) {
    const from = log.caseOffsets[c] as number;
    const to = log.caseOffsets[c + 1] as number;
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (let i = from; i < to; i++) {
      const start = log.start[i] as number;
      const complete = log.complete[i] as number;
      first = Math.min(first, start);
      last = Math.max(last, complete);
      hours.add(Math.floor(start / MS_PER_HOUR));
      const s = stepOf[log.activity[i] as number] as number;
      const step = s >= 0 ? workflow.steps[s] : undefined;
      if (!step || !(step.touchMin > 0)) continue;
      const lane = lanes.get(step.lane) ?? {
        instances: 0,
        timed: 0,
        touchMin: 0,
        designedTouchMin: 0,
        people: 0,
        resources: new Set<number>(),
      };
      lane.instances += 1;
      const inHour = hourOf(Math.floor(start / MS_PER_HOUR)).lanes;
      inHour.set(step.lane, (inHour.get(step.lane) ?? 0) + 1);
      if (log.timed[i] === 1) {
        lane.timed += 1;
        lane.touchMin += (complete - start) / MS_PER_MINUTE;
        lane.designedTouchMin += step.touchMin;
      }
      const resource = log.resource[i] as number;
      if (resource >= 0) lane.resources.add(resource);
      lanes.set(step.lane, lane);
    }
    if (to > from) {
      caseMinutes += (last - first) / MS_PER_MINUTE;
      hourOf(Math.floor(first / MS_PER_HOUR)).cases += 1;
    }
  }
  const byLane: Record<string, LaneObservation> = {};
  for (const id of [...lanes.keys()].sort()) {
    const lane = lanes.get(id) as LaneObservation & { resources: Set<number> };
    byLane[id] = {
      instances: lane.instances,
      timed: lane.timed,
      touchMin: roundMinutes(lane.touchMin),
      designedTouchMin: roundMinutes(lane.designedTouchMin),
      people: lane.resources.size,
    };
  }
  return {
    cases,
    activeHours: hours.size,
    meanCaseMin: cases === 0 ? 0 : roundMinutes(caseMinutes / cases),
    lanes: byLane,
    peak: busiestHour(startedIn),
  };
}

/** The busiest hour of `startedIn` (see the header); no cases: a peak of none. */
function busiestHour(startedIn: Map<number, { cases: number; lanes: Map<string, number> }>): GoLivePeak {
  let busiest: { hour: number; cases: number; lanes: Map<string, number> } | undefined;
  for (const [hour, seen] of startedIn) {
    if (!busiest || seen.cases > busiest.cases || (seen.cases === busiest.cases && hour < busiest.hour))
      busiest = { hour, ...seen };
  }
  const lanes: GoLivePeak['lanes'] = {};
  if (busiest)
    for (const id of [...busiest.lanes.keys()].sort())
      lanes[id] = { instances: busiest.lanes.get(id) as number };
  return { cases: busiest?.cases ?? 0, lanes };
}
