/**
 * The split by cause kept with a workflow: each step whose label is an activity of the log gets
 * `observed.waitCauses` (hours per case by cause, with the batches, the gap that separates them
 * and the working time found as evidence), so a future design that keeps the step's hand-off can be judged on what the log
 * measured (the `kept-handoff-wait` rule) and the go-live what-if can take a cause away.
 *
 * Steps are matched to activities by their label, as discovery names them; a drawn workflow whose
 * labels are the log's activity names (the demo's refill workflow and its log) is matched the
 * same way. Figures are rounded to 4 decimals (under a second per case), as the CLI's JSON is.
 */
import type { ObservedWaitCauses, Workflow } from '../../../formats/workflow.ts';
import { type DiscoverOptions, type Discovery, discoverWorkflow } from '../eventlog/discover.ts';
import type { EventLog } from '../eventlog/eventLog.ts';
import type { LocalClock } from '../eventlog/timestamps.ts';
import {
  type ActivityWaits,
  analyzeWaits,
  EVIDENCE_LIMIT,
  WAIT_CAUSES,
  type WaitAnalysis,
} from './waitCauses.ts';

const round = (value: number, places = 4) => Math.round(value * 10 ** places) / 10 ** places;

/** An activity's waits as a step's `observed.waitCauses` (the calendars of its own resources). */
export function observedWaitCauses(activity: ActivityWaits, analysis: WaitAnalysis): ObservedWaitCauses {
  const hours = Object.fromEntries(WAIT_CAUSES.map((c) => [c, round(activity.causes[c])])) as Record<
    (typeof WAIT_CAUSES)[number],
    number
  >;
  const b = activity.batches;
  const calendars = activity.resources
    .slice(0, EVIDENCE_LIMIT)
    .flatMap((resource) => analysis.calendars.filter((c) => c.resource === resource))
    .map(({ resource, spans, hoursPerWeek }) => ({
      resource,
      spans: spans.map((s) => ({ ...s })),
      hoursPerWeek,
    }));
  return {
    cases: activity.cases,
    waitingHours: round(activity.waitingHours),
    hours,
    ...(b.count > 0
      ? {
          batches: {
            count: b.count,
            minSize: b.minSize,
            maxSize: b.maxSize,
            meanSize: round(b.meanSize, 2),
            firstReleases: [...b.firstReleases],
          },
        }
      : {}),
    batchGap: { ...activity.batchGap },
    ...(calendars.length > 0 ? { calendars } : {}),
  };
}

/**
 * `workflow` with `observed.waitCauses` on every step whose label is an activity that waited in
 * `analysis` (a step not done in the log is left as it was; a drawn step gets `observed` with
 * the cases measured). A log without start times (`timed` false) or without resources cannot
 * tell a batch or a person's working time from anything else, so nothing is kept from it.
 */
export function withWaitCauses(workflow: Workflow, analysis: WaitAnalysis): Workflow {
  if (!analysis.timed || analysis.calendars.length === 0) return workflow;
  const byActivity = new Map(analysis.activities.map((a) => [a.activity, a]));
  return {
    ...workflow,
    steps: workflow.steps.map((step) => {
      const activity = byActivity.get(step.label);
      if (!activity || activity.cases === 0) return step;
      const waitCauses = observedWaitCauses(activity, analysis);
      const observed = step.observed ?? { n: activity.instances, cases: activity.cases };
      return { ...step, observed: { ...observed, waitCauses } };
    }),
  };
}

/**
 * Discovery with each step's wait split by cause: what `workflow discover` writes and the browser
 * keeps, so a discovered current workflow carries the evidence `kept-handoff-wait` reads. The
 * split runs on the log the filters kept, as the rest of the discovery.
 */
export function discoverWithWaitCauses(
  log: EventLog,
  clock: LocalClock,
  options: DiscoverOptions = {},
): Discovery & { waits: WaitAnalysis } {
  const discovery = discoverWorkflow(log, clock, options);
  const waits = analyzeWaits(discovery.log, clock);
  return { ...discovery, workflow: withWaitCauses(discovery.workflow, waits), waits };
}
