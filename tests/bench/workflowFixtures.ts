/**
 * Generated workflows for the workflow benchmarks: deterministic (seeded), with branches that
 * rejoin, rework loops that have exits, and lanes sized to a stated peak utilisation, so the
 * analysis and the simulation see what a large, realistic model looks like.
 */

import { computeMetrics } from '../../src/core/workflow/metrics.ts';
import { mulberry32 } from '../../src/core/workflow/simulate.ts';
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
