/**
 * Generated workflows for the workflow benchmarks: deterministic (seeded), with branches that
 * rejoin, rework loops that have exits, and lanes sized to a stated peak utilisation, so the
 * analysis and the simulation see what a large, realistic model looks like.
 */

import { computeMetrics, mulberry32 } from '../../src/core/workflow/index.ts';
import type { Flow, Lane, Step, Workflow } from '../../src/formats/workflow.ts';

/** Every this many steps a decision skips the next step for part of the cases. */
const DECISION_EVERY = 10;
/** Every this many steps a rework loop goes back a few steps. */
const REWORK_EVERY = 50;
const REWORK_BACK = 5;
const REWORK_PROBABILITY = 0.1;
const SKIP_PROBABILITY = 0.3;

/**
 * A workflow of `stepCount` steps over `laneCount` lanes at `arrivalsPerHour`, each lane staffed
 * with the fewest people that keep its utilisation at or under `peakUtilisation`.
 */
export function generatedWorkflow(
  stepCount: number,
  laneCount: number,
  arrivalsPerHour: number,
  peakUtilisation = 0.8,
  seed = 1,
): Workflow {
  const random = mulberry32(seed);
  const lanes: Lane[] = Array.from({ length: laneCount }, (_, i) => ({
    id: `lane-${i}`,
    name: `Lane ${i}`,
    staff: 1, // sized below from the offered load
  }));
  const steps: Step[] = Array.from({ length: stepCount }, (_, i) => {
    const kind =
      i === 0 ? 'start' : i === stepCount - 1 ? 'end' : i % DECISION_EVERY === 0 ? 'decision' : 'task';
    const touched = kind === 'task' || kind === 'decision';
    return {
      id: `step-${String(i).padStart(5, '0')}`,
      label: `Step ${i}`,
      lane: lanes[Math.floor(random() * laneCount)]?.id ?? 'lane-0',
      kind,
      medium: random() < 0.2 ? 'paper' : 'digital',
      system: 'EHR',
      touchMin: touched ? Math.round((0.5 + random() * 9.5) * 10) / 10 : 0,
      waitMin: random() < 0.1 ? Math.round(random() * 60) : 0,
      clicks: Math.floor(random() * 20),
      enters: random() < 0.3 ? ['vitals'] : [],
    };
  });
  const flows: Flow[] = [];
  const id = (i: number) => steps[i]?.id ?? '';
  for (let i = 0; i < stepCount - 1; i++) {
    if (i > 0 && i % DECISION_EVERY === 0 && i + 2 < stepCount) {
      flows.push({ from: id(i), to: id(i + 1), probability: 1 - SKIP_PROBABILITY, transfer: 'electronic' });
      flows.push({ from: id(i), to: id(i + 2), probability: SKIP_PROBABILITY, transfer: 'electronic' });
    } else if (i % REWORK_EVERY === REWORK_EVERY - 1 && i > REWORK_BACK) {
      flows.push({ from: id(i), to: id(i + 1), probability: 1 - REWORK_PROBABILITY, transfer: 'electronic' });
      flows.push({
        from: id(i),
        to: id(i - REWORK_BACK),
        probability: REWORK_PROBABILITY,
        transfer: 'manual',
      });
    } else {
      flows.push({ from: id(i), to: id(i + 1), transfer: 'electronic' });
    }
  }
  const workflow: Workflow = {
    format: 'preflight.workflow/v1',
    id: `generated-${stepCount}`,
    name: `Generated ${stepCount} steps`,
    state: 'current',
    arrivalsPerHour,
    lanes,
    steps,
    flows,
  };
  const metrics = computeMetrics(workflow);
  if (!metrics.ok) throw new Error('The generated workflow traps cases in a loop.');
  for (const lane of metrics.metrics.lanes) {
    const target = lanes.find((l) => l.id === lane.laneId);
    if (target) target.staff = Math.max(1, Math.ceil(lane.offeredLoad / peakUtilisation));
  }
  return workflow;
}

/** Every this many steps the future step traces nothing and is relabelled: a new step (and an untraced or retired current one). */
const NEW_EVERY = 30;
/** Every this many steps the future step has no `replaces` but keeps its label: a suggested match. */
const SUGGEST_EVERY = 25;
/** Every this many steps the future step replaces two current steps (many-to-one; the next one is shared). */
const MERGE_EVERY = 40;

/**
 * A current/future pair for the compare benchmark: the current workflow of
 * {@link generatedWorkflow} and a future one with the same shape but other step and lane ids
 * (lanes keep their names), most steps tracing their predecessor by `replaces`, some replacing two
 * (many-to-one, and so one-to-many), some left to label suggestions, some new (their current
 * steps alternately retired or untraced), and digitized attributes: paper steps go digital with
 * half the wait and more clicks.
 */
export function generatedPair(
  stepCount: number,
  laneCount: number,
  arrivalsPerHour: number,
  seed = 1,
): { current: Workflow; future: Workflow } {
  const current = generatedWorkflow(stepCount, laneCount, arrivalsPerHour, 0.8, seed);
  const random = mulberry32(seed + 1);
  const futureId = (id: string) => `future-${id}`;
  const futureLane = (id: string) => `role-${id}`;
  const retired: string[] = [];
  const steps: Step[] = current.steps.map((step, i) => {
    const isEdge = step.kind === 'start' || step.kind === 'end';
    const next = current.steps[i + 1];
    let replaces: string[] = [step.id];
    let label = step.label;
    if (!isEdge && i % NEW_EVERY === 0) {
      replaces = [];
      label = `${step.label} (new)`;
      if (i % (2 * NEW_EVERY) === 0) retired.push(step.id);
    } else if (!isEdge && i % SUGGEST_EVERY === 0) {
      replaces = [];
    } else if (!isEdge && i % MERGE_EVERY === 0 && next) {
      replaces = [step.id, next.id];
    }
    const paper = step.medium === 'paper';
    return {
      ...step,
      id: futureId(step.id),
      label,
      lane: futureLane(step.lane),
      medium: 'digital',
      waitMin: paper ? step.waitMin / 2 : step.waitMin,
      clicks: paper ? step.clicks + Math.floor(random() * 10) : step.clicks,
      ...(replaces.length > 0 ? { replaces } : {}),
    };
  });
  const future: Workflow = {
    ...current,
    id: `${current.id}-future`,
    name: `${current.name} (future)`,
    state: 'future',
    baseline: current.id,
    lanes: current.lanes.map((lane) => ({ ...lane, id: futureLane(lane.id) })),
    steps,
    flows: current.flows.map((flow) => ({ ...flow, from: futureId(flow.from), to: futureId(flow.to) })),
    retired,
  };
  return { current, future };
}
