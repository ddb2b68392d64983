/**
 * The chance of each boundary event's exception path measured from an event log, as the analyst
 * would otherwise guess it: of the cases that perform the task the event is attached to, the share
 * whose trace goes on to the exception path. Activities match steps exactly as in conformance
 * ({@link matchActivities}: the activity map first, then the normalised label or id).
 *
 * Definitions, for a boundary step B attached to task T (the flow T → B is the exception path):
 * - The path's FIRST STEPS: B itself when an activity of the log matches it (a system that logs
 *   "Timer expired"), otherwise the steps B's flows lead to that an activity matches — less those
 *   T's normal flows lead to as well, where going on there says nothing about the event.
 * - `ofCases` (m): cases with at least one occurrence of T.
 * - `cases` (n): those of them in which an occurrence of T is followed by a first step — for an
 *   interrupting event, as the NEXT event of the case that matches any step (events matching no
 *   step, workarounds, are passed over); for a non-interrupting one, anywhere later in the case,
 *   since its path runs beside the task's normal path.
 * - The estimate is n / m. There is none, and the reason says why, when T never occurs in the log
 *   (`task-not-in-log`), no activity of the log matches a step B leads to (`path-not-in-log`),
 *   or every such step is also where T's normal path goes (`path-not-distinct`): a chance there
 *   would be a guess, not a measurement.
 */

import { isBoundaryFlow, type Step, type Workflow } from '../../../formats/workflow.ts';
import { applyEdit, type WorkflowEdit } from '../edit/changes.ts';
import { matchActivities } from './conform.ts';
import type { EventLog } from './eventLog.ts';

/** Options of {@link estimateBoundaryChances}. */
interface BoundaryChanceOptions {
  /** activity → step id, checked before label matching (as in conformance) */
  activityMap?: Readonly<Record<string, string>>;
}

/** Why a boundary path's chance could not be measured. */
export type NoBoundaryEstimate = 'task-not-in-log' | 'path-not-in-log' | 'path-not-distinct';

/** One boundary event's exception path and its chance as measured from the log. */
export interface BoundaryChanceEstimate {
  /** index of the exception-path flow (task → boundary step) in `workflow.flows` */
  flowIndex: number;
  /** the task the event is attached to */
  taskId: string;
  /** the boundary step */
  boundaryId: string;
  /** the chance the workflow gives now; absent when the flow has none (the default applies) */
  current?: number;
  /** the path's first steps matched against the log (see the file header) */
  firstSteps: string[];
  /** the measurement: `cases` of `ofCases` cases took the path; absent with `noEstimate` */
  estimate?: { chance: number; cases: number; ofCases: number };
  noEstimate?: NoBoundaryEstimate;
}

/** Measures the chance of every boundary event's exception path of `workflow` from `log`. */
export function estimateBoundaryChances(
  log: EventLog,
  workflow: Workflow,
  options: BoundaryChanceOptions = {},
): BoundaryChanceEstimate[] {
  const stepsById = new Map(workflow.steps.map((step) => [step.id, step] as const));
  const stepIndex = new Map(workflow.steps.map((step, index) => [step.id, index] as const));
  const stepOf = matchActivities(log, workflow, options.activityMap ?? {});
  const logged = new Uint8Array(workflow.steps.length);
  for (const s of stepOf) if (s >= 0) logged[s] = 1;

  const estimates: BoundaryChanceEstimate[] = [];
  workflow.flows.forEach((flow, flowIndex) => {
    if (!isBoundaryFlow(flow, stepsById)) return;
    const boundary = stepsById.get(flow.to) as Step;
    const task = stepIndex.get(flow.from) as number;
    const self = stepIndex.get(boundary.id) as number;
    const normalNext = new Set(
      workflow.flows.filter((f) => f.from === flow.from && !isBoundaryFlow(f, stepsById)).map((f) => f.to),
    );
    const reached = logged[self]
      ? [self]
      : workflow.flows
          .filter((f) => f.from === boundary.id)
          .map((f) => stepIndex.get(f.to))
          .filter((s): s is number => s !== undefined && logged[s] === 1);
    const first = reached.filter((s) => !normalNext.has((workflow.steps[s] as Step).id));
    const entry: BoundaryChanceEstimate = {
      flowIndex,
      taskId: flow.from,
      boundaryId: boundary.id,
      ...(flow.probability === undefined ? {} : { current: flow.probability }),
      firstSteps: first.map((s) => (workflow.steps[s] as Step).id),
    };
    const counts = countCases(log, stepOf, task, new Set(first), boundary.boundary?.interrupting !== false);
    if (counts.ofCases === 0) entry.noEstimate = 'task-not-in-log';
    else if (reached.length === 0) entry.noEstimate = 'path-not-in-log';
    else if (first.length === 0) entry.noEstimate = 'path-not-distinct';
    else entry.estimate = { chance: counts.cases / counts.ofCases, ...counts };
    estimates.push(entry);
  });
  return estimates;
}

/** Cases performing `task`, and those of them going on to a step of `first` (see the file header). */
function countCases(
  log: EventLog,
  stepOf: Int32Array,
  task: number,
  first: ReadonlySet<number>,
  interrupting: boolean,
): { cases: number; ofCases: number } {
  let cases = 0;
  let ofCases = 0;
  for (let c = 0; c < log.cases.length; c++) {
    const from = log.caseOffsets[c] as number;
    const to = log.caseOffsets[c + 1] as number;
    let performed = false;
    let took = false;
    for (let i = from; i < to && !took; i++) {
      if (stepOf[log.activity[i] as number] !== task) continue;
      performed = true;
      for (let k = i + 1; k < to; k++) {
        const step = stepOf[log.activity[k] as number] as number;
        if (step < 0) continue;
        if (first.has(step)) {
          took = true;
          break;
        }
        if (interrupting) break;
      }
    }
    if (performed) ofCases++;
    if (took) cases++;
  }
  return { cases, ofCases };
}

/** Decimal places a measured chance is written with into the workflow. */
const CHANCE_DECIMALS = 4;

/**
 * The edit that sets each measured chance of `estimates` on its exception-path flow (rounded to
 * {@link CHANCE_DECIMALS} places), as ONE edit the editor undoes at once; flows without an
 * estimate, or whose chance is already the measured one, are left out. Undefined when nothing
 * would change.
 */
export function boundaryChanceEdit(
  workflow: Workflow,
  estimates: readonly BoundaryChanceEstimate[],
): WorkflowEdit | undefined {
  const edits: WorkflowEdit[] = [];
  for (const e of estimates) {
    if (e.estimate === undefined) continue;
    const flow = workflow.flows[e.flowIndex];
    if (flow === undefined || flow.from !== e.taskId || flow.to !== e.boundaryId) continue;
    const chance = Number(e.estimate.chance.toFixed(CHANCE_DECIMALS));
    if (flow.probability !== chance)
      edits.push({ type: 'flow/update', from: flow.from, to: flow.to, patch: { probability: chance } });
  }
  return edits.length === 0 ? undefined : { type: 'batch', edits };
}

/**
 * `workflow` with {@link boundaryChanceEdit} applied: the measured chances set, other flows kept.
 * Returns the same object when nothing changes.
 */
export function applyBoundaryChances(
  workflow: Workflow,
  estimates: readonly BoundaryChanceEstimate[],
): Workflow {
  const edit = boundaryChanceEdit(workflow, estimates);
  return edit === undefined ? workflow : applyEdit(workflow, edit).workflow;
}
